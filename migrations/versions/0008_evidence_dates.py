"""event dates, evidence details and the last real change

Revision ID: 0008_evidence_dates
Revises: 0005_page_sources

status_changes gain the date the event happened (occurred_on, given by the editor), the evidence's title,
publisher and date, the monitored item's text, and when a typed link's title was looked up.
recommendations gain last_changed_at, backfilled from the history (seeded statuses from the brief are
not changes anyone made, so they do not count).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_evidence_dates"
down_revision = "0005_page_sources"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurred_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("evidence_title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("evidence_publisher", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("evidence_published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("evidence_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("evidence_checked_at", sa.DateTime(timezone=True), nullable=True))
        # The public pages' ETag reads max(evidence_checked_at) on every request.
        batch_op.create_index(batch_op.f("ix_status_changes_evidence_checked_at"), ["evidence_checked_at"],
                              unique=False)
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_recommendations_last_changed_at"), ["last_changed_at"], unique=False)
    op.execute(
        "UPDATE recommendations SET last_changed_at = (SELECT max(c.created_at) FROM status_changes c "
        "WHERE c.recommendation_id = recommendations.id AND c.origin <> 'seed')")
    # Evidence from accepted monitored items: keep the item's title, feed and date with the change.
    op.execute(
        "UPDATE status_changes SET "
        "evidence_title = (SELECT e.title FROM suggestions s JOIN entries e ON e.id = s.entry_id "
        "WHERE s.id = status_changes.suggestion_id), "
        "evidence_text = (SELECT e.text FROM suggestions s JOIN entries e ON e.id = s.entry_id "
        "WHERE s.id = status_changes.suggestion_id), "
        "evidence_publisher = (SELECT f.name FROM suggestions s JOIN entries e ON e.id = s.entry_id "
        "JOIN feeds f ON f.id = e.feed_id WHERE s.id = status_changes.suggestion_id) "
        "WHERE origin = 'suggestion' AND suggestion_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_last_changed_at"))
        batch_op.drop_column("last_changed_at")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_evidence_checked_at"))
        for name in ("evidence_checked_at", "evidence_text", "evidence_published_on", "evidence_publisher",
                     "evidence_title", "occurred_on"):
            batch_op.drop_column(name)
