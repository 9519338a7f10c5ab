"""carts, orders, payments, outbox, commission, express delivery

Run `flask sites sync` afterwards to fill the new market settings (express delivery, instalments).

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23 13:36:37.392557

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_pending', ['sent_at', 'available_at'], unique=False)

    op.create_table('cart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('contact', sa.JSON(), nullable=True),
    sa.Column('delivery', sa.JSON(), nullable=True),
    sa.Column('checkout_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_cart_market_id_market'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart')),
    sa.UniqueConstraint('token', 'market_id', name=op.f('uq_cart_token_market_id'))
    )
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cart_token'), ['token'], unique=False)

    op.create_table('commission_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('market_id', sa.Integer(), nullable=True),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_commission_rate_category_id_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_commission_rate_market_id_market'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_rate')),
    sa.UniqueConstraint('category_id', 'market_id', name=op.f('uq_commission_rate_category_id_market_id'))
    )
    op.create_table('order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('access_token', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.JSON(), nullable=False),
    sa.Column('goods_amount', sa.Integer(), nullable=False),
    sa.Column('shipping_amount', sa.Integer(), nullable=False),
    sa.Column('sales_tax_amount', sa.Integer(), nullable=False),
    sa.Column('sales_tax_rate', sa.Integer(), nullable=False),
    sa.Column('total_amount', sa.Integer(), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('hold_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cart_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cart_id'], ['cart.id'], name=op.f('fk_order_cart_id_cart'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_order_market_id_market'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_order_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_order_number'))
    )
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.create_index('ix_order_email', ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_status'), ['status'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_reference', sa.String(length=120), nullable=True),
    sa.Column('failure_code', sa.String(length=40), nullable=True),
    sa.Column('card_last4', sa.String(length=4), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_payment_order_id_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_payment_provider_reference', ['provider', 'provider_reference'], unique=False)

    op.create_table('seller_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('delivery_method', sa.String(length=20), nullable=False),
    sa.Column('shipping_amount', sa.Integer(), nullable=False),
    sa.Column('delivery_from', sa.Date(), nullable=False),
    sa.Column('delivery_to', sa.Date(), nullable=False),
    sa.Column('goods_amount', sa.Integer(), nullable=False),
    sa.Column('commission_amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_seller_order_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_order_seller_id_seller'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_order'))
    )
    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_order_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_order_seller_id'), ['seller_id'], unique=False)

    op.create_table('cart_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('seen_amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cart_id'], ['cart.id'], name=op.f('fk_cart_line_cart_id_cart'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_cart_line_listing_id_listing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_line')),
    sa.UniqueConstraint('cart_id', 'listing_id', name=op.f('uq_cart_line_cart_id_listing_id'))
    )
    op.create_table('order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('options', sa.String(length=200), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('has_new_battery', sa.Boolean(), nullable=False),
    sa.Column('warranty_months', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_amount', sa.Integer(), nullable=False),
    sa.Column('vat_scheme', sa.String(length=16), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('vat_amount', sa.Integer(), nullable=False),
    sa.Column('commission_rate_bp', sa.Integer(), nullable=False),
    sa.Column('commission_amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_order_line_listing_id_listing'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_order_line_product_id_product'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_order_line_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_line'))
    )
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_line_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_line_seller_order_id'), ['seller_order_id'], unique=False)

    op.create_table('seller_order_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_seller_order_event_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_order_event'))
    )
    with op.batch_alter_table('seller_order_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_order_event_seller_order_id'), ['seller_order_id'], unique=False)

    with op.batch_alter_table('market', schema=None) as batch_op:
        batch_op.add_column(sa.Column('express_shipping_amount', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('express_transit_days', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('instalment_bounds', sa.JSON(), nullable=False, server_default='{}'))



def downgrade():
    with op.batch_alter_table('market', schema=None) as batch_op:
        batch_op.drop_column('instalment_bounds')
        batch_op.drop_column('express_transit_days')
        batch_op.drop_column('express_shipping_amount')

    with op.batch_alter_table('seller_order_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_order_event_seller_order_id'))

    op.drop_table('seller_order_event')
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_line_seller_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_line_listing_id'))

    op.drop_table('order_line')
    op.drop_table('cart_line')
    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_order_seller_id'))
        batch_op.drop_index(batch_op.f('ix_seller_order_order_id'))

    op.drop_table('seller_order')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_provider_reference')
        batch_op.drop_index(batch_op.f('ix_payment_order_id'))

    op.drop_table('payment')
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_status'))
        batch_op.drop_index('ix_order_email')

    op.drop_table('order')
    op.drop_table('commission_rate')
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cart_token'))

    op.drop_table('cart')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_pending')

    op.drop_table('outbox_message')
