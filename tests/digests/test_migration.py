"""Migration 0002 goes down and up again on the test database (SQLite or PostgreSQL)."""
from alembic import command
from sqlalchemy import inspect

from tracker.extensions import db

TABLES = {"digest_subscriptions", "digest_tokens", "digest_outbox"}


def test_0002_downgrades_and_upgrades(app):
    db.session.remove()
    config = app.extensions["migrate"].migrate.get_config()
    command.downgrade(config, "0001")
    db.engine.dispose()
    assert not TABLES & set(inspect(db.engine).get_table_names())
    command.upgrade(config, "head")
    db.engine.dispose()
    inspector = inspect(db.engine)
    assert TABLES <= set(inspector.get_table_names())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("digest_outbox")}
    assert ("subscription_id", "period") in uniques
