"""indicators and their data points (with correction history); register audit: split lineage and
audiences; digest pointers for new data points

Revision ID: 0006_indicators
Revises: 0004_accounts
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_indicators"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=False),
        sa.Column("source_organisation", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("can_tell", sa.Text(), nullable=False),
        sa.Column("cannot_tell", sa.Text(), nullable=False),
        sa.Column("caution_quote", sa.Text(), nullable=True),
        sa.Column("other_figures", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("in_register", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("slug", name=op.f("uq_indicators_slug")),
    )
    op.create_table(
        "indicator_recommendations",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"],
                                name=op.f("fk_indicator_recommendations_indicator_id_indicators"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"],
                                name=op.f("fk_indicator_recommendations_recommendation_id_recommendations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("indicator_id", "recommendation_id", name=op.f("pk_indicator_recommendations")),
    )
    op.create_table(
        "indicator_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=False),
        sa.Column("alt_value", sa.Float(precision=53), nullable=True),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_publisher", sa.String(length=200), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("source_page", sa.String(length=300), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("from_brief", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"],
                                name=op.f("fk_indicator_points_indicator_id_indicators"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_indicator_points_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_points")),
        sa.UniqueConstraint("indicator_id", "period", name="uq_indicator_points_indicator_period"),
    )
    with op.batch_alter_table("indicator_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_points_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_points_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_points_updated_at"), ["updated_at"], unique=False)
    op.create_table(
        "indicator_point_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=False),
        sa.Column("alt_value", sa.Float(precision=53), nullable=True),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["point_id"], ["indicator_points.id"],
                                name=op.f("fk_indicator_point_revisions_point_id_indicator_points"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_indicator_point_revisions_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_point_revisions")),
    )
    with op.batch_alter_table("indicator_point_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_point_revisions_point_id"), ["point_id"], unique=False)

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audiences", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_recommendations_split_from_id_recommendations"),
                                    "recommendations", ["split_from_id"], ["id"])
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_point_id", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("digest_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("up_to_point_id", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("digest_outbox", schema=None) as batch_op:
        batch_op.drop_column("up_to_point_id")
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("last_point_id")
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_recommendations_split_from_id_recommendations"), type_="foreignkey")
        batch_op.drop_column("split_from_id")
        batch_op.drop_column("audiences")
    op.drop_table("indicator_point_revisions")
    op.drop_table("indicator_points")
    op.drop_table("indicator_recommendations")
    op.drop_table("indicators")
