"""review decisions: every accept and dismiss kept with its item, recommendation and proposal

Revision ID: 0010_decisions
Revises: 0007_bill_tracking
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_decisions"
down_revision = "0007_bill_tracking"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column("item_title", sa.String(length=500), nullable=False),
        sa.Column("item_text", sa.Text(), nullable=False),
        sa.Column("item_link", sa.String(length=2000), nullable=True),
        sa.Column("item_published", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feed_name", sa.String(length=120), nullable=False),
        sa.Column("feed_kind", sa.String(length=20), nullable=False),
        sa.Column("recommendation_code", sa.String(length=12), nullable=False),
        sa.Column("proposed_status", sa.String(length=30), nullable=True),
        sa.Column("proposed_stage", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("status_before", sa.String(length=30), nullable=True),
        sa.Column("accepted_status", sa.String(length=30), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_email", sa.String(length=254), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"],
                                name=op.f("fk_review_decisions_suggestion_id_suggestions"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"],
                                name=op.f("fk_review_decisions_entry_id_entries"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_review_decisions_decided_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint("suggestion_id", name=op.f("uq_review_decisions_suggestion_id")),
    )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decisions_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_decisions_item_key"), ["item_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_decisions_recommendation_code"), ["recommendation_code"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_review_decisions_decided_at"), ["decided_at"], unique=False)


def downgrade():
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decisions_decided_at"))
        batch_op.drop_index(batch_op.f("ix_review_decisions_recommendation_code"))
        batch_op.drop_index(batch_op.f("ix_review_decisions_item_key"))
        batch_op.drop_index(batch_op.f("ix_review_decisions_entry_id"))
    op.drop_table("review_decisions")
