"""carts and orders belong to accounts

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-23 15:27:43.987136

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cart_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cart_user_id_user_account'), 'user_account', ['user_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_order_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_order_user_id_user_account'), 'user_account', ['user_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_user_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_order_user_id'))
        batch_op.drop_column('user_id')

    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cart_user_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cart_user_id'))
        batch_op.drop_column('user_id')

