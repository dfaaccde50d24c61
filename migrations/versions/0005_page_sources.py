"""page sources (CSS selectors), update entries, row claims for several pollers

Revision ID: 0005_page_sources
Revises: 0006_indicators
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_page_sources"
down_revision = "0006_indicators"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_type", sa.String(length=10), server_default="feed", nullable=False))
        for name in ("item_selector", "title_selector", "link_selector", "date_selector", "summary_selector"):
            batch_op.add_column(sa.Column(name, sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("follow", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("page_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("needs_check", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_change_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fields", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("update_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("change_summary", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("document_note", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_entries_update_of_id"), ["update_of_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_entries_update_of_id_entries"), "entries", ["update_of_id"],
                                    ["id"], ondelete="CASCADE")


def downgrade():
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_entries_update_of_id_entries"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_entries_update_of_id"))
        for name in ("document_note", "change_summary", "update_of_id", "fields"):
            batch_op.drop_column(name)
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        for name in ("claim_expires_at", "claimed_by", "last_change_at", "needs_check", "page_hash", "follow",
                     "summary_selector", "date_selector", "link_selector", "title_selector", "item_selector",
                     "source_type"):
            batch_op.drop_column(name)
