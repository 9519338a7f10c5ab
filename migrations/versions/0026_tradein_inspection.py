"""trade-in inspection: receipt and inspection clocks, the inspection record, its photos, counter-offers

Revision ID: 0026_tradein_inspection
Revises: 0024_seller_legal_identity
Create Date: 2026-12-03 17:45:00

New nullable columns on `tradein` and two new tables; nothing existing changes meaning.
"""
import sqlalchemy as sa
from alembic import op

revision = '0026_tradein_inspection'
down_revision = '0024_seller_legal_identity'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tradein', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inspect_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answer_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pay_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('final_amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.String(length=20), nullable=True))

    op.create_table('tradein_inspection',
    sa.Column('trade_in_id', sa.Integer(), nullable=False),
    sa.Column('imei_or_serial', sa.String(length=32), nullable=False),
    sa.Column('is_activation_locked', sa.Boolean(), nullable=False),
    sa.Column('is_blacklisted', sa.Boolean(), nullable=False),
    sa.Column('functions_ok', sa.Boolean(), nullable=False),
    sa.Column('condition_found', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('counter_amount', sa.Integer(), nullable=True),
    sa.Column('counter_reasons', sa.JSON(), nullable=False),
    sa.Column('is_symbolic', sa.Boolean(), nullable=False),
    sa.Column('inspected_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('counter_amount IS NULL OR counter_amount > 0', name=op.f('ck_tradein_inspection_counter_positive')),
    sa.ForeignKeyConstraint(['inspected_by_id'], ['user_account.id'], name=op.f('fk_tradein_inspection_inspected_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trade_in_id'], ['tradein.id'], name=op.f('fk_tradein_inspection_trade_in_id_tradein'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('trade_in_id', name=op.f('pk_tradein_inspection'))
    )
    with op.batch_alter_table('tradein_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradein_inspection_imei_or_serial'), ['imei_or_serial'], unique=False)

    op.create_table('tradein_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trade_in_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['trade_in_id'], ['tradein.id'], name=op.f('fk_tradein_photo_trade_in_id_tradein'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tradein_photo'))
    )
    with op.batch_alter_table('tradein_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradein_photo_trade_in_id'), ['trade_in_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tradein_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_photo_trade_in_id'))
    op.drop_table('tradein_photo')
    with op.batch_alter_table('tradein_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradein_inspection_imei_or_serial'))
    op.drop_table('tradein_inspection')
    with op.batch_alter_table('tradein', schema=None) as batch_op:
        for column in ('return_reason', 'final_amount', 'pay_by', 'answer_by', 'inspect_by', 'received_at'):
            batch_op.drop_column(column)
