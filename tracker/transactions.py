"""One commit per request: the only place a web request's transaction ends.

Operations change data and flush; routes never commit. A response below 400 commits what the request did,
anything else rolls it back; an exception that escapes the view leaves the session to Flask-SQLAlchemy's
teardown, which rolls back. Jobs and CLI commands own their transactions (one per unit of work).

What must happen only once the request's writes are durable is registered with `after_commit` and runs
right after the commit; never when the request rolled back. Mail is not sent from here: a request only
queues it in the outbox and the scheduler's outbox job sends it, so no answer waits on (or is timed by) SMTP.
"""
import logging
from collections.abc import Callable

from flask import Flask, g

from tracker.extensions import db

log = logging.getLogger(__name__)


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once this request's transaction has committed (not at all if it rolls back)."""
    g.setdefault("tracker_after_commit", []).append(callback)


def _run_after_commit() -> None:
    for callback in g.pop("tracker_after_commit", []):
        try:
            callback()
        except Exception:  # the answer is already decided and committed: log, never turn it into a 500
            log.exception("after-commit action %s failed", getattr(callback, "__name__", callback))


def init_app(app: Flask) -> None:
    @app.after_request
    def end_request_transaction(response):
        session = db.session()  # the scoped session's current Session
        if response.status_code >= 400:
            g.pop("tracker_after_commit", None)
            if session.in_transaction():
                session.rollback()
            return response
        if session.in_transaction():
            session.commit()
        _run_after_commit()
        return response
