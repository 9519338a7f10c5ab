"""after-sales: seller order deliveries, carrier events, units sold, per-market rules, withdrawals, returns, refunds

Revision ID: 0015_aftersales
Revises: 0011_search_name_vector
Create Date: 2026-12-03 06:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_aftersales'
down_revision = '0014_fine_page_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('market_aftersales',
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('withdrawal_days', sa.Integer(), nullable=False),
    sa.Column('withdrawal_refund_days', sa.Integer(), nullable=False),
    sa.Column('return_days', sa.Integer(), nullable=False),
    sa.Column('black_friday_returns', sa.Boolean(), nullable=False),
    sa.Column('seller_reply_working_days', sa.Integer(), nullable=False),
    sa.Column('seller_remedy_working_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_market_aftersales_market_id_market'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('market_id', name=op.f('pk_market_aftersales'))
    )
    op.create_table('aftersales_refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('commission_reversed', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('provider_reference', sa.String(length=120), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_aftersales_refund_amount_positive')),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_aftersales_refund_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_refund')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_aftersales_refund_idempotency_key'))
    )
    with op.batch_alter_table('aftersales_refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_refund_seller_order_id'), ['seller_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_refund_status'), ['status'], unique=False)

    op.create_table('carrier_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('tracking_number', sa.String(length=60), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_carrier_event_seller_order_id_seller_order'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_event')),
    sa.UniqueConstraint('carrier', 'event_id', name=op.f('uq_carrier_event_carrier_event_id'))
    )
    with op.batch_alter_table('carrier_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_event_tracking_number'), ['tracking_number'], unique=False)

    op.create_table('seller_order_delivery',
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_seller_order_delivery_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_order_id', name=op.f('pk_seller_order_delivery'))
    )
    op.create_table('sold_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_sold_unit_order_line_id_order_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_sold_unit_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sold_unit')),
    sa.UniqueConstraint('order_line_id', 'position', name=op.f('uq_sold_unit_order_line_id_position'))
    )
    with op.batch_alter_table('sold_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sold_unit_identifier'), ['identifier'], unique=False)
        batch_op.create_index(batch_op.f('ix_sold_unit_seller_order_id'), ['seller_order_id'], unique=False)

    op.create_table('withdrawal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refund_due_on', sa.Date(), nullable=False),
    sa.Column('goods_amount', sa.Integer(), nullable=False),
    sa.Column('shipping_amount', sa.Integer(), nullable=False),
    sa.Column('tax_amount', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('commission_reversed', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_withdrawal_amount_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_withdrawal_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['refund_id'], ['aftersales_refund.id'], name=op.f('fk_withdrawal_refund_id_aftersales_refund'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_withdrawal_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_withdrawal')),
    sa.UniqueConstraint('reference', name=op.f('uq_withdrawal_reference'))
    )
    with op.batch_alter_table('withdrawal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_withdrawal_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_withdrawal_seller_order_id'), ['seller_order_id'], unique=False)

    op.create_table('return_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('reason_detail', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dispute_by', sa.Date(), nullable=False),
    sa.Column('label_carrier', sa.String(length=60), nullable=True),
    sa.Column('label_tracking', sa.String(length=60), nullable=True),
    sa.Column('label_valid_until', sa.Date(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('units_counted', sa.Integer(), nullable=True),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('grade_received', sa.String(length=16), nullable=True),
    sa.Column('is_resellable', sa.Boolean(), nullable=True),
    sa.Column('is_data_wiped', sa.Boolean(), nullable=True),
    sa.Column('is_activation_lock_off', sa.Boolean(), nullable=True),
    sa.Column('rejected_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('relisted_listing_id', sa.Integer(), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('commission_reversed', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_return_request_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['refund_id'], ['aftersales_refund.id'], name=op.f('fk_return_request_refund_id_aftersales_refund'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['relisted_listing_id'], ['listing.id'], name=op.f('fk_return_request_relisted_listing_id_listing'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_return_request_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['sold_unit.id'], name=op.f('fk_return_request_unit_id_sold_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_request')),
    sa.UniqueConstraint('reference', name=op.f('uq_return_request_reference'))
    )
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_request_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_request_seller_order_id'), ['seller_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_request_unit_id'), ['unit_id'], unique=False)

    op.create_table('withdrawal_unit',
    sa.Column('withdrawal_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['sold_unit.id'], name=op.f('fk_withdrawal_unit_unit_id_sold_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawal_id'], ['withdrawal.id'], name=op.f('fk_withdrawal_unit_withdrawal_id_withdrawal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('withdrawal_id', name=op.f('pk_withdrawal_unit')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_withdrawal_unit_unit_id'))
    )

    op.create_table('warranty_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seller_order_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('cover', sa.String(length=12), nullable=False),
    sa.Column('technical_count', sa.Integer(), nullable=False),
    sa.Column('remedy_wanted', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('remedy_by', sa.Date(), nullable=True),
    sa.Column('seller_note', sa.Text(), nullable=True),
    sa.Column('test_report', sa.Text(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_by', sa.String(length=8), nullable=True),
    sa.Column('platform_note', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('commission_reversed', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_warranty_claim_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['refund_id'], ['aftersales_refund.id'], name=op.f('fk_warranty_claim_refund_id_aftersales_refund'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_order_id'], ['seller_order.id'], name=op.f('fk_warranty_claim_seller_order_id_seller_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['sold_unit.id'], name=op.f('fk_warranty_claim_unit_id_sold_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warranty_claim')),
    sa.UniqueConstraint('reference', name=op.f('uq_warranty_claim_reference'))
    )
    with op.batch_alter_table('warranty_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warranty_claim_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warranty_claim_seller_order_id'), ['seller_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warranty_claim_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_warranty_claim_unit_id'), ['unit_id'], unique=False)

    op.create_table('warranty_claim_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=6), nullable=False),
    sa.Column('storage_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['warranty_claim.id'], name=op.f('fk_warranty_claim_photo_claim_id_warranty_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warranty_claim_photo'))
    )
    with op.batch_alter_table('warranty_claim_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warranty_claim_photo_claim_id'), ['claim_id'], unique=False)


def downgrade():
    op.drop_table('warranty_claim_photo')
    op.drop_table('warranty_claim')
    op.drop_table('withdrawal_unit')
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_request_unit_id'))
        batch_op.drop_index(batch_op.f('ix_return_request_status'))
        batch_op.drop_index(batch_op.f('ix_return_request_seller_order_id'))
        batch_op.drop_index(batch_op.f('ix_return_request_order_id'))

    op.drop_table('return_request')
    with op.batch_alter_table('withdrawal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_withdrawal_seller_order_id'))
        batch_op.drop_index(batch_op.f('ix_withdrawal_order_id'))

    op.drop_table('withdrawal')
    with op.batch_alter_table('sold_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sold_unit_seller_order_id'))
        batch_op.drop_index(batch_op.f('ix_sold_unit_identifier'))

    op.drop_table('sold_unit')
    op.drop_table('seller_order_delivery')
    with op.batch_alter_table('carrier_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_event_tracking_number'))

    op.drop_table('carrier_event')
    with op.batch_alter_table('aftersales_refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_refund_status'))
        batch_op.drop_index(batch_op.f('ix_aftersales_refund_seller_order_id'))

    op.drop_table('aftersales_refund')
    op.drop_table('market_aftersales')
