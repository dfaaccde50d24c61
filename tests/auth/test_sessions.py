"""Sessions and tokens that can be ended (issue 8, item 5) and a failed login's single path (item 9)."""
import pytest
from sqlalchemy import select, text

from tests.conftest import PASSWORD, csrf_from
from tracker.auth import operations
from tracker.auth.models import ApiToken, User
from tracker.extensions import db

NEW_PASSWORD = "a brand new passphrase"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(client, value: str) -> None:
    client.set_cookie("session", value)


def test_logout_ends_the_session_on_the_server(client, auth):
    auth.login("editor")
    stolen = _session_cookie(client)
    assert client.get("/staff/recommendations").status_code == 200
    auth.logout()
    _replay(client, stolen)  # the old cookie, replayed as is
    response = client.get("/staff/recommendations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_session_for_the_api_too(client, auth, seeded):
    auth.login("editor")
    stolen = _session_cookie(client)
    assert client.get("/api/v1/suggestions").status_code == 200
    auth.logout()
    _replay(client, stolen)
    assert client.get("/api/v1/suggestions").status_code == 401


def test_a_session_from_before_generations_is_not_accepted(app, users):
    # Flask-Login used to store the bare id: such a cookie now logs in again rather than living forever.
    user = users["editor"]
    assert operations.user_for_session(db.session, str(user.id)) is None
    assert operations.user_for_session(db.session, user.get_id()) == user
    assert operations.user_for_session(db.session, f"{user.id}:{user.session_generation + 1}") is None
    assert operations.user_for_session(db.session, "9" * 40 + ":0") is None


def test_changing_ones_password_ends_other_sessions_and_tokens(app, client, auth, tokens):
    other = app.test_client()  # an IsolatedClient too (tests/auth/conftest.py)
    AuthOf(other).login("editor")
    auth.login("editor")
    page = client.get("/account/password")
    assert page.status_code == 200
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/staff/recommendations").status_code == 200      # this session goes on
    assert other.get("/staff/recommendations").status_code == 302       # the other one ended
    assert client.get("/api/v1/suggestions", headers={"Authorization": f"Bearer {tokens['editor']}"}
                      ).status_code == 401
    assert operations.authenticate(db.session, "editor@ncrc.example.org", NEW_PASSWORD) is not None


@pytest.mark.parametrize("current, new, confirm, message", [
    ("wrong password!", NEW_PASSWORD, NEW_PASSWORD, "current password is not right"),
    (PASSWORD, "short", "short", "12"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "differ"),
    (PASSWORD, PASSWORD, PASSWORD, "different from the current"),
])
def test_changing_ones_password_refuses_with_a_clear_message(client, auth, current, new, confirm, message):
    auth.login("editor")
    token = csrf_from(client.get("/account/password").get_data(as_text=True))
    response = client.post("/account/password", data={"current_password": current, "new_password": new,
                                                      "confirm": confirm, "csrf_token": token})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert client.get("/staff/recommendations").status_code == 200  # still logged in, nothing changed
    assert operations.authenticate(db.session, "editor@ncrc.example.org", PASSWORD) is not None


def test_deactivation_stops_sessions_and_tokens_at_once(app, client, auth, tokens, seeded):
    victim = app.test_client()
    AuthOf(victim).login("editor")
    assert victim.get("/staff/recommendations").status_code == 200
    bearer = {"Authorization": f"Bearer {tokens['editor']}"}
    assert client.get("/api/v1/suggestions", headers=bearer).status_code == 200
    auth.login("admin")
    editor = db.session.scalar(select(User).where(User.email == "editor@ncrc.example.org"))
    page = client.get(f"/admin/users/{editor.id}")
    response = client.post(f"/admin/users/{editor.id}/deactivate",
                           data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert victim.get("/staff/recommendations").status_code == 302
    assert client.get("/api/v1/suggestions", headers=bearer).status_code == 401
    assert AuthOf(app.test_client()).login("editor").status_code == 400  # cannot log in either
    # Reactivated: the password works again; the revoked token stays revoked.
    page = client.get(f"/admin/users/{editor.id}")
    assert client.post(f"/admin/users/{editor.id}/activate",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True))}).status_code == 302
    assert AuthOf(app.test_client()).login("editor").status_code == 302
    assert client.get("/api/v1/suggestions", headers=bearer).status_code == 401


def test_a_revoked_token_stops_working(app, client, tokens, users, seeded):
    bearer = {"Authorization": f"Bearer {tokens['editor']}"}
    assert client.get("/api/v1/suggestions", headers=bearer).status_code == 200
    assert operations.revoke_tokens(db.session, users["editor"]) == 1
    db.session.commit()
    assert client.get("/api/v1/suggestions", headers=bearer).status_code == 401
    revoked = db.session.scalar(select(ApiToken).where(ApiToken.user_id == users["editor"].id))
    assert revoked.revoked and revoked.revoked_at is not None


def test_token_last_use_is_committed(app, client, tokens, seeded):
    """Read back through a connection of its own: only committed data is visible there (issue 8, item 13)."""
    response = client.get("/api/v1/suggestions", headers={"Authorization": f"Bearer {tokens['editor']}"})
    assert response.status_code == 200
    with db.engine.connect() as conn:
        last_used = conn.execute(text(
            "SELECT t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = :e"),
            {"e": "editor@ncrc.example.org"}).scalar_one()
    assert last_used is not None


class AuthOf:
    def __init__(self, client):
        self.client = client

    def login(self, role: str, password: str = PASSWORD):
        token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"email": f"{role}@ncrc.example.org", "password": password,
                                                "csrf_token": token})


# ---------------------------------------------------------------- enumeration by timing (item 9)


@pytest.fixture
def verifications(monkeypatch):
    """Counts password verifications (each one scrypt run) made by authenticate()."""
    calls: list[str] = []
    real = operations.verify_password

    def spy(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)
    monkeypatch.setattr(operations, "verify_password", spy)
    return calls


@pytest.mark.parametrize("email, password", [
    ("editor@ncrc.example.org", "wrong password"),      # an account, a wrong password
    ("nobody@ncrc.example.org", "wrong password"),      # no such account
    ("not an address", "wrong password"),               # not even an address
    ("gone@ncrc.example.org", PASSWORD),                # deactivated, with its right password
])
def test_a_failed_login_always_verifies_one_password(app, users, verifications, email, password):
    gone = operations.create_user(db.session, "gone@ncrc.example.org", PASSWORD, "editor")
    operations.deactivate(db.session, gone)
    db.session.commit()
    assert operations.authenticate(db.session, email, password) is None
    assert len(verifications) == 1
    assert verifications[0].split(":")[0] == users["editor"].password_hash.split(":")[0]  # same KDF, same cost


def test_a_failed_login_through_the_form_verifies_one_password(client, users, verifications):
    for email in ("editor@ncrc.example.org", "nobody@ncrc.example.org"):
        verifications.clear()
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": email, "password": "wrong", "csrf_token": token})
        assert response.status_code == 400 and "Wrong e-mail or password" in response.get_data(as_text=True)
        assert len(verifications) == 1
