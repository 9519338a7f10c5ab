"""trade-in: seller bid grids, market and seller settings, quotes and trade-ins

Revision ID: 0019_tradein
Revises: 0011_search_name_vector
Create Date: 2026-12-03 06:50:00

New tables only; nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_tradein'
down_revision = '0016_ops_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tradein_market_setting',
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('is_offered', sa.Boolean(), nullable=False),
    sa.Column('voucher_bonus_bp', sa.Integer(), nullable=False),
    sa.CheckConstraint('voucher_bonus_bp >= 0 AND voucher_bonus_bp <= 10000', name=op.f('ck_tradein_market_setting_voucher_bonus_range')),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_tradein_market_setting_market_id_market'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('market_id', name=op.f('pk_tradein_market_setting'))
    )
    op.create_table('tradein_seller_profile',
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('payout_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('payout_days >= 1 AND payout_days <= 10', name=op.f('ck_tradein_seller_profile_payout_days_range')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_tradein_seller_profile_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_id', name=op.f('pk_tradein_seller_profile'))
    )
    op.create_table('tradein_bid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_tradein_bid_amount_positive')),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_tradein_bid_market_id_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_tradein_bid_seller_id_seller'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_tradein_bid_variant_id_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tradein_bid')),
    sa.UniqueConstraint('seller_id', 'variant_id', 'condition', 'market_id', name=op.f('uq_tradein_bid_seller_id_variant_id_condition_market_id'))
    )
    with op.batch_alter_table('tradein_bid', schema=None) as batch_op:
        batch_op.create_index('ix_tradein_bid_lookup', ['variant_id', 'condition', 'market_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tradein_bid_seller_id'), ['seller_id'], unique=False)

    op.create_table('tradein_quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_tradein_quote_market_id_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_tradein_quote_variant_id_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tradein_quote')),
    sa.UniqueConstraint('reference', name=op.f('uq_tradein_quote_reference'))
    )
    with op.batch_alter_table('tradein_quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradein_quote_variant_id'), ['variant_id'], unique=False)

    op.create_table('tradein',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('was_countered', sa.Boolean(), nullable=False),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('ship_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_postcode', sa.String(length=20), nullable=False),
    sa.Column('address_city', sa.String(length=80), nullable=False),
    sa.Column('address_country', sa.String(length=2), nullable=False),
    sa.Column('bank_scheme', sa.String(length=8), nullable=False),
    sa.Column('bank_last_digits', sa.String(length=4), nullable=False),
    sa.Column('bank_sealed', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_tradein_market_id_market'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['quote_id'], ['tradein_quote.id'], name=op.f('fk_tradein_quote_id_tradein_quote'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_tradein_seller_id_seller'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_tradein_user_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tradein')),
    sa.UniqueConstraint('quote_id', name=op.f('uq_tradein_quote_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_tradein_reference'))
    )
    with op.batch_alter_table('tradein', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradein_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tradein_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_tradein_user_id'), ['user_id'], unique=False)

    op.create_table('tradein_quote_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('payout_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_tradein_quote_offer_amount_positive')),
    sa.ForeignKeyConstraint(['quote_id'], ['tradein_quote.id'], name=op.f('fk_tradein_quote_offer_quote_id_tradein_quote'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_tradein_quote_offer_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tradein_quote_offer')),
    sa.UniqueConstraint('quote_id', 'rank', name=op.f('uq_tradein_quote_offer_quote_id_rank')),
    sa.UniqueConstraint('quote_id', 'seller_id', name=op.f('uq_tradein_quote_offer_quote_id_seller_id'))
    )
    with op.batch_alter_table('tradein_quote_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradein_quote_offer_seller_id'), ['seller_id'], unique=False)



def downgrade():
    with op.batch_alter_table('tradein_quote_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_quote_offer_seller_id'))

    op.drop_table('tradein_quote_offer')
    with op.batch_alter_table('tradein', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_user_id'))
        batch_op.drop_index(batch_op.f('ix_tradein_status'))
        batch_op.drop_index(batch_op.f('ix_tradein_seller_id'))

    op.drop_table('tradein')
    with op.batch_alter_table('tradein_quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_quote_variant_id'))

    op.drop_table('tradein_quote')
    with op.batch_alter_table('tradein_bid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_bid_seller_id'))
        batch_op.drop_index('ix_tradein_bid_lookup')

    op.drop_table('tradein_bid')
    op.drop_table('tradein_seller_profile')
    op.drop_table('tradein_market_setting')
