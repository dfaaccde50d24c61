"""One commit per request: the only place a web request's transaction ends.

Operations change data and flush; routes never commit. A response below 400 commits what the request did,
anything else rolls it back; an exception that escapes the view leaves the session to Flask-SQLAlchemy's
teardown, which rolls back. Jobs and CLI commands own their transactions (one per unit of work).
"""
from flask import Flask

from tracker.extensions import db


def init_app(app: Flask) -> None:
    @app.after_request
    def end_request_transaction(response):
        session = db.session()  # the scoped session's current Session
        if not session.in_transaction():
            return response
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
        return response
