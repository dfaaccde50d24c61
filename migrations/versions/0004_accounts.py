"""accounts: session generations, token revocation times, how outbox messages were delivered

Revision ID: 0004_accounts
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_accounts"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("digest_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_via", sa.String(length=8), nullable=True))
    # Everything delivered before this revision went through whatever transport was configured then;
    # it is not known which, so it stays NULL ("sent").


def downgrade():
    with op.batch_alter_table("digest_outbox", schema=None) as batch_op:
        batch_op.drop_column("delivered_via")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
