"""quality: stored failure rates, sellers' standing and its log, per-market quality rules

Revision ID: 0021_quality
Revises: 0020_aftersales_cases
Create Date: 2026-12-03 17:36:29

New tables only; nothing existing changes. quality_rate is filled by `flask worker` (daily).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_quality'
down_revision = '0020_aftersales_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quality_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cut', sa.String(length=12), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('returns', sa.Integer(), nullable=False),
    sa.Column('claims', sa.Integer(), nullable=False),
    sa.Column('denials', sa.Integer(), nullable=False),
    sa.Column('rate_ppm', sa.Integer(), nullable=False),
    sa.Column('low_ppm', sa.Integer(), nullable=False),
    sa.Column('high_ppm', sa.Integer(), nullable=False),
    sa.Column('raw_ppm', sa.Integer(), nullable=False),
    sa.Column('peer_median_ppm', sa.Integer(), nullable=False),
    sa.Column('excess_ppm', sa.Integer(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('is_reliable', sa.Boolean(), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_rate')),
    info={'shown_on_pages': 'all'}
    )
    with op.batch_alter_table('quality_rate', schema=None) as batch_op:
        batch_op.create_index('ux_quality_rate_key', ['cut', 'horizon_days', 'seller_id', 'product_id', 'grade'], unique=True)

    op.create_table('market_quality',
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('reliability_weight', sa.Integer(), nullable=False),
    sa.Column('at_risk_ineligible', sa.Boolean(), nullable=False),
    sa.Column('at_risk_ppm', sa.Integer(), nullable=False),
    sa.Column('review_ppm', sa.Integer(), nullable=False),
    sa.Column('review_min_buyers', sa.Integer(), nullable=False),
    sa.CheckConstraint('reliability_weight >= 0 AND reliability_weight <= 1000', name=op.f('ck_market_quality_weight_range')),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_market_quality_market_id_market'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('market_id', name=op.f('pk_market_quality')),
    info={'shown_on_pages': 'all'}
    )
    op.create_table('seller_standing',
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('standing', sa.String(length=10), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('defective', sa.Integer(), nullable=False),
    sa.Column('buyers', sa.Integer(), nullable=False),
    sa.Column('defect_ppm', sa.Integer(), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_seller_standing_market_id_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_standing_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_id', 'market_id', name=op.f('pk_seller_standing')),
    info={'shown_on_pages': 'all'}
    )
    op.create_table('seller_standing_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('old', sa.String(length=10), nullable=False),
    sa.Column('new', sa.String(length=10), nullable=False),
    sa.Column('defect_ppm', sa.Integer(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('defective', sa.Integer(), nullable=False),
    sa.Column('buyers', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_seller_standing_change_market_id_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_standing_change_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_standing_change'))
    )
    with op.batch_alter_table('seller_standing_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_standing_change_seller_id'), ['seller_id'], unique=False)



def downgrade():
    with op.batch_alter_table('seller_standing_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_standing_change_seller_id'))

    op.drop_table('seller_standing_change')
    op.drop_table('seller_standing')
    op.drop_table('market_quality')
    with op.batch_alter_table('quality_rate', schema=None) as batch_op:
        batch_op.drop_index('ux_quality_rate_key')

    op.drop_table('quality_rate')
