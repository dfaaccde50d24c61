"""Urdu edition: Urdu titles and names of the register (translations, beside the English); the e-mail
language a confirmation link applies

Revision ID: 0011_urdu
Revises: 0010_decisions
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_urdu"
down_revision = "0010_decisions"
branch_labels = None
depends_on = None

# digest_tokens.locale: the e-mail language a confirmation link applies when followed (as its frequency).
COLUMNS = (("recommendations", "title_ur", 300), ("stakeholders", "name_ur", 200), ("bodies", "name_ur", 250),
           ("themes", "name_ur", 200), ("digest_tokens", "locale", 10))


def upgrade():
    for table, column, length in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.String(length=length), nullable=True))


def downgrade():
    for table, column, _length in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
