"""after-sales case threads: messages of a return or a claim (with internal platform notes) and their attachments

Revision ID: 0020_aftersales_cases
Revises: 0019_tradein
Create Date: 2026-12-03 17:50:00

New tables only; nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_aftersales_cases'
down_revision = '0019_tradein'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=8), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('is_internal', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(return_id IS NULL) <> (claim_id IS NULL)', name=op.f('ck_case_message_one_case')),
    sa.CheckConstraint("author IN ('buyer', 'seller', 'platform')", name=op.f('ck_case_message_author_known')),
    sa.CheckConstraint("NOT is_internal OR author = 'platform'", name=op.f('ck_case_message_internal_by_platform')),
    sa.ForeignKeyConstraint(['return_id'], ['return_request.id'], name=op.f('fk_case_message_return_id_return_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['warranty_claim.id'], name=op.f('fk_case_message_claim_id_warranty_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_account.id'], name=op.f('fk_case_message_author_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_message'))
    )
    with op.batch_alter_table('case_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_message_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_message_claim_id'), ['claim_id'], unique=False)
    op.create_table('case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['case_message.id'], name=op.f('fk_case_attachment_message_id_case_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachment'))
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_message_id'), ['message_id'], unique=False)


def downgrade():
    op.drop_table('case_attachment')
    op.drop_table('case_message')
