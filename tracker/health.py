"""Probes for a load balancer: `/healthz` (the process answers) and `/readyz` (it can serve: the database
answers and its schema is at the migrations' head). No login, no database session of the request's own."""
from __future__ import annotations

import logging

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


def migration_heads() -> set[str]:
    """The heads of the migration scripts shipped with this code (read once per process)."""
    heads = current_app.extensions.get("tracker_migration_heads")
    if heads is None:
        config = current_app.extensions["migrate"].migrate.get_config()
        heads = set(ScriptDirectory.from_config(config).get_heads())
        current_app.extensions["tracker_migration_heads"] = heads
    return heads


@bp.get("/readyz")
@limiter.exempt
def readyz():
    expected = migration_heads()
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        log.warning("readyz: database unreachable: %s", type(exc).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    if current != expected:
        return jsonify(status="unavailable", database="reachable", migrations="behind",
                       current=sorted(current), expected=sorted(expected)), 503
    return jsonify(status="ok", database="reachable", migrations="current")
