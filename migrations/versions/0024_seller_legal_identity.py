"""seller legal identity: registered name, street and postcode (for invoices and order e-mails)

Revision ID: 0024_seller_legal_identity
Revises: 0022_reviews
Create Date: 2026-12-03 17:50:00

Nullable columns only: existing sellers keep their shop name and city until they fill them in.
"""
import sqlalchemy as sa
from alembic import op

revision = "0024_seller_legal_identity"
down_revision = '0022_reviews'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("seller") as batch:
        batch.add_column(sa.Column("legal_name", sa.String(length=160), nullable=True))
        batch.add_column(sa.Column("street", sa.String(length=160), nullable=True))
        batch.add_column(sa.Column("postcode", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("seller") as batch:
        batch.drop_column("postcode")
        batch.drop_column("street")
        batch.drop_column("legal_name")
