"""reviews: verified reviews of devices and sellers, their invitations, and the precomputed ratings

Revision ID: 0022_reviews
Revises: 0021_quality
Create Date: 2026-12-03 17:37:50

New tables only; nothing existing changes.

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_reviews'
down_revision = '0021_quality'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seller_rating',
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('delivery_sum', sa.Integer(), nullable=False),
    sa.Column('service_sum', sa.Integer(), nullable=False),
    sa.Column('grade_answers', sa.Integer(), nullable=False),
    sa.Column('grade_matched', sa.Integer(), nullable=False),
    sa.Column('bayesian', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_rating_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_id', name=op.f('pk_seller_rating')),
    info={'shown_on_pages': 'all'}
    )
    op.create_table('product_rating',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('stars', sa.JSON(), nullable=False),
    sa.Column('matched', sa.JSON(), nullable=False),
    sa.Column('bayesian', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_rating_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_rating')),
    info={'shown_on_pages': 'product'}
    )
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('author_name', sa.String(length=60), nullable=False),
    sa.Column('model', sa.String(length=300), nullable=False),
    sa.Column('options', sa.String(length=200), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('grade_match', sa.String(length=8), nullable=True),
    sa.Column('battery_health', sa.Integer(), nullable=True),
    sa.Column('delivery_rating', sa.Integer(), nullable=True),
    sa.Column('service_rating', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('helpful_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('report_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reply_body', sa.Text(), nullable=True),
    sa.Column('reply_status', sa.String(length=10), nullable=True),
    sa.Column('reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('battery_health IS NULL OR battery_health BETWEEN 0 AND 100', name=op.f('ck_review_battery_range')),
    sa.CheckConstraint('delivery_rating IS NULL OR delivery_rating BETWEEN 1 AND 5', name=op.f('ck_review_delivery_rating_range')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_review_rating_range')),
    sa.CheckConstraint('service_rating IS NULL OR service_rating BETWEEN 1 AND 5', name=op.f('ck_review_service_rating_range')),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_review_market_id_market'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['user_account.id'], name=op.f('fk_review_moderated_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_review_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_review_order_line_id_order_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_review_product_id_product'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_review_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('order_line_id', 'kind', 'follow_up', name='one_review_per_line'),
    info={'shown_on_pages': 'product'}
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_market_status', ['market_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_review_product_status', ['product_id', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_review_seller_status', ['seller_id', 'status'], unique=False)

    op.create_table('review_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_review_invitation_order_line_id_order_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_invitation')),
    sa.UniqueConstraint('order_line_id', 'stage', name=op.f('uq_review_invitation_order_line_id_stage'))
    )


def downgrade():
    op.drop_table('review_invitation')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_seller_status')
        batch_op.drop_index('ix_review_product_status')
        batch_op.drop_index(batch_op.f('ix_review_order_id'))
        batch_op.drop_index('ix_review_market_status')

    op.drop_table('review')
    op.drop_table('product_rating')
    op.drop_table('seller_rating')
