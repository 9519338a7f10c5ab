"""seller orders: accepted, shipped (carrier, tracking, unit identifiers), cancelled and refunded

Revision ID: 0007
Revises: 0003_search
Create Date: 2026-11-23 16:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0003_search'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('carrier', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('refund_amount', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('refund_reference', sa.String(length=120), nullable=True))
        batch_op.create_index(batch_op.f('ix_seller_order_shipped_at'), ['shipped_at'], unique=False)

    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_identifiers', sa.JSON(), nullable=True))

    # Orders paid before this migration: their payment time is when they became "to ship".
    op.execute("""
        UPDATE seller_order SET paid_at = (
            SELECT MIN(e.created_at) FROM seller_order_event e
            WHERE e.seller_order_id = seller_order.id AND e.status = 'to_ship')
    """)


def downgrade():
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_column('unit_identifiers')

    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_order_shipped_at'))
        batch_op.drop_column('refund_reference')
        batch_op.drop_column('refund_amount')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('tracking_number')
        batch_op.drop_column('carrier')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('shipped_at')
        batch_op.drop_column('paid_at')
