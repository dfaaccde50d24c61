"""Migration 0011_urdu goes down and up again on the test database (SQLite or PostgreSQL)."""
from alembic import command
from sqlalchemy import inspect

from tracker.extensions import db

COLUMNS = {("recommendations", "title_ur"), ("stakeholders", "name_ur"), ("bodies", "name_ur"),
           ("themes", "name_ur"), ("digest_tokens", "locale")}


def _present() -> set[tuple[str, str]]:
    inspector = inspect(db.engine)
    return {(t, c) for t, c in COLUMNS if c in {col["name"] for col in inspector.get_columns(t)}}


def test_0011_downgrades_and_upgrades(app):
    db.session.remove()
    config = app.extensions["migrate"].migrate.get_config()
    command.downgrade(config, "0006_indicators")
    db.engine.dispose()
    assert _present() == set()
    command.upgrade(config, "head")
    db.engine.dispose()
    assert _present() == COLUMNS
