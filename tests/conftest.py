"""Fixtures in the Flask tutorial's shape: app, client, runner, plus the database and the register.

The schema comes from the real migrations, applied once per run. SQLite by default;
TRACKER_TEST_BACKEND=postgres runs the same tests on TRACKER_TEST_DATABASE_URL.
"""
import os
import uuid
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, event, make_url, text

from flask.globals import _cv_app
from flask.testing import FlaskClient

from tracker import create_app
from tracker.auth.operations import create_user, issue_token
from tracker.extensions import db as _db

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
# Tests hash many passwords; production's scrypt (n=2**15) costs ~100 ms each. Never outside tests.
CHEAP_PASSWORD_HASH = "scrypt:1024:1:1"


class IsolatedClient(FlaskClient):
    """Each request runs in an app context of its own, so with a database session of its own, as in
    production: what a request changed is visible to the test only once the request committed it.

    The test's own session ends its transaction before the request (it cannot hold locks the request
    waits for) and after it (so the test reads what the request committed, never a stale copy)."""

    def open(self, *args, **kwargs):
        test_context = _cv_app.get(None)
        if test_context is None:
            return super().open(*args, **kwargs)
        _db.session.rollback()
        token = _cv_app.set(None)  # the request pushes an app context of its own
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            _db.session.rollback()


@contextmanager
def _private_postgres_database(server_url: str):
    """A database of this run's own on the given server, so two runs never share tables."""
    base = make_url(server_url)
    name = f"{base.database or 'test'}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("TRACKER_TEST_BACKEND") == "postgres":
        server_url = os.environ.get("TRACKER_TEST_DATABASE_URL")
        if not server_url:
            pytest.exit("TRACKER_TEST_BACKEND=postgres needs TRACKER_TEST_DATABASE_URL", returncode=2)
        database = _private_postgres_database(server_url)
    else:
        database = nullcontext(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}")
    with database as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
            _db.engine.dispose()
        yield url


_made_apps: list = []


def make_app(database_url: str, **config):
    """An app as the tests configure it; its connections are closed after the test (see below)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "TRACKER_BASE_URL": "http://tracker.test", "RATELIMIT_ENABLED": False,
                      "TRACKER_PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH, **config})
    app.test_client_class = IsolatedClient
    _made_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_connections_of_apps_made_in_the_test():
    yield
    while _made_apps:
        with _made_apps.pop().app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_all_tables()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app):
    from tracker.recommendations.seeding import load_register_file, seed_register
    seed_register(_db.session, load_register_file())
    _db.session.commit()
    return app


@pytest.fixture
def users(app):
    made = {role: create_user(_db.session, f"{role}@ncrc.example.org", PASSWORD, role, role.title())
            for role in ("admin", "editor", "viewer")}
    _db.session.commit()
    return made


@pytest.fixture
def tokens(users):
    made = {role: issue_token(_db.session, user) for role, user in users.items()}
    _db.session.commit()
    return made


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, role: str = "editor"):
        page = self._client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        return self._client.post("/login", data={"email": f"{role}@ncrc.example.org", "password": PASSWORD,
                                                 "csrf_token": token})

    def logout(self):
        token = csrf_from(self._client.get("/").get_data(as_text=True))
        return self._client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client, users):
    return AuthActions(client)


def csrf_from(html: str) -> str:
    import re
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)
        event.listen(_db.engine, "before_cursor_execute", before)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(_db.engine, "before_cursor_execute", before)
    return counter
