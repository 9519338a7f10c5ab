"""content: pages and home-page blocks per market and language, their revisions, the audit log

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:41:50.680639

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('market', sa.String(length=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_text')),
    sa.UniqueConstraint('key', 'language', 'market', name=op.f('uq_content_text_key_language_market'))
    )
    op.create_table('content_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('market', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_content_audit_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_audit'))
    )
    with op.batch_alter_table('content_audit', schema=None) as batch_op:
        batch_op.create_index('ix_content_audit_market_at', ['market', 'at'], unique=False)

    op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('image_key', sa.String(length=200), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_content_revision_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['text_id'], ['content_text.id'], name=op.f('fk_content_revision_text_id_content_text'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revision')),
    sa.UniqueConstraint('text_id', 'number', name=op.f('uq_content_revision_text_id_number'))
    )
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.create_index('ix_content_revision_published', ['text_id', 'published_at'], unique=False)

    op.create_table('translation_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_source')),
    sa.UniqueConstraint('kind', 'key', 'field', 'language', name=op.f('uq_translation_source_kind_key_field_language'))
    )



def downgrade():
    op.drop_table('translation_source')
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.drop_index('ix_content_revision_published')

    op.drop_table('content_revision')
    with op.batch_alter_table('content_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_content_audit_market_at')

    op.drop_table('content_audit')
    op.drop_table('content_text')
