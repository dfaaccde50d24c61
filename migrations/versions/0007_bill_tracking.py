"""bill tracking: identities and recorded stages of tracked bills; suggestion flags and identity

Revision ID: 0007_bill_tracking
Revises: 0008_evidence_dates
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_bill_tracking"
down_revision = "0008_evidence_dates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bill_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("year", sa.String(length=4), nullable=True),
        sa.Column("bill_number", sa.String(length=40), nullable=True),
        sa.Column("act_number", sa.String(length=40), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_bill_identities_bill_id_bills"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"],
                                name=op.f("fk_bill_identities_suggestion_id_suggestions"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_identities")),
    )
    op.create_index(op.f("ix_bill_identities_bill_id"), "bill_identities", ["bill_id"], unique=False)
    op.create_table(
        "bill_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("occurred_on", sa.String(length=10), nullable=True),
        sa.Column("house", sa.String(length=60), nullable=True),
        sa.Column("passage", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.String(length=2000), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_bill_stages_bill_id_bills"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"],
                                name=op.f("fk_bill_stages_suggestion_id_suggestions"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_stages")),
    )
    op.create_index(op.f("ix_bill_stages_bill_id"), "bill_stages", ["bill_id"], unique=False)
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("bill_slug", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("identity", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_column("identity")
        batch_op.drop_column("bill_slug")
        batch_op.drop_column("flags")
    op.drop_index(op.f("ix_bill_stages_bill_id"), table_name="bill_stages")
    op.drop_table("bill_stages")
    op.drop_index(op.f("ix_bill_identities_bill_id"), table_name="bill_identities")
    op.drop_table("bill_identities")
