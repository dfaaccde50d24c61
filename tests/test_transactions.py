"""One commit per request, and tests that see requests as production does: each test-client request has an
app context and a database session of its own, so a write a request did not commit is not seen by the test."""
from flask import g
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import CHEAP_PASSWORD_HASH, make_app
from tracker import transactions
from tracker.auth.models import ApiToken, User
from tracker.extensions import db
from tracker.leases import Lease


def test_each_request_has_its_own_database_session(app, client):
    seen = []

    def probe():
        seen.append(db.session())
        return "ok"
    app.add_url_rule("/_probe", "probe", probe)
    client.get("/_probe")
    client.get("/_probe")
    assert seen[0] is not db.session() and seen[1] is not db.session() and seen[0] is not seen[1]


def test_a_write_the_request_rolled_back_is_not_seen_by_the_test(app, client):
    from tracker.db import utcnow

    def refused():
        db.session.add(Lease(name="probe", holder="request", expires_at=utcnow()))
        db.session.flush()
        return "no", 400
    app.add_url_rule("/_refused", "refused", refused)
    assert client.get("/_refused").status_code == 400
    assert db.session.get(Lease, "probe") is None


def test_after_commit_actions_run_only_when_the_request_committed(app, client):
    ran = []

    def page(code: int):
        transactions.after_commit(lambda: ran.append(code))
        g.marker = code
        return "x", code
    app.add_url_rule("/_after/<int:code>", "after", page)
    client.get("/_after/200")
    client.get("/_after/409")
    assert ran == [200]


def test_api_token_last_used_at_is_committed(client, seeded, tokens, users):
    assert client.get("/api/v1/suggestions", headers={"Authorization": f"Bearer {tokens['editor']}"}).status_code == 200
    with Session(db.engine) as other:  # another connection: only committed data is visible
        used = other.scalar(select(ApiToken.last_used_at).where(ApiToken.user_id == users["editor"].id))
    assert used is not None


def test_tests_hash_passwords_cheaply_and_production_does_not(database_url, users):
    assert users["editor"].password_hash.startswith(CHEAP_PASSWORD_HASH + "$")
    production_like = make_app(database_url, TRACKER_PASSWORD_HASH_METHOD="scrypt")
    with production_like.app_context():
        user = User(email="x@example.org", role="viewer")
        user.set_password("a long passphrase")
    assert user.password_hash.startswith("scrypt:32768:8:1$") and user.check_password("a long passphrase")
