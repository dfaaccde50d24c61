import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_from
from tracker import create_app
from tracker.auth.models import ApiToken, User
from tracker.extensions import db


def test_login_and_logout(client, auth):
    response = auth.login("editor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/recommendations")
    assert client.get("/staff/recommendations").status_code == 200
    auth.logout()
    assert client.get("/staff/recommendations").status_code == 302


def test_wrong_password_is_a_clear_error(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "editor@ncrc.example.org", "password": "wrong", "csrf_token": token})
    assert response.status_code == 400
    assert "Wrong e-mail or password" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"email": "editor@ncrc.example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token is missing" in response.get_data(as_text=True)
    assert client.get("/staff/recommendations").status_code == 302  # not logged in


def test_open_redirect_after_login_is_ignored(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x",
                           data={"email": "editor@ncrc.example.org", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/staff/recommendations")


def test_login_attempts_are_rate_limited(database_url, users):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    codes = [client.post("/login", data={"email": "editor@ncrc.example.org", "password": "wrong"}).status_code
             for _ in range(11)]
    with app.app_context():
        db.engine.dispose()
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_password_is_stored_with_a_kdf(users):
    user = users["editor"]
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert PASSWORD not in user.password_hash


def test_session_cookie_flags(client, auth):
    response = auth.login("editor")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("role, url, expected", [
    ("viewer", "/staff/recommendations", 200),
    ("viewer", "/admin/users", 403),
    ("editor", "/admin/users", 403),
    ("admin", "/admin/users", 200),
])
def test_roles_are_enforced_on_pages(client, auth, seeded, role, url, expected):
    auth.login(role)
    assert client.get(url).status_code == expected


def test_viewer_cannot_post_a_status_change(client, auth, seeded):
    auth.login("viewer")
    page = client.get("/staff/recommendations/GOV-01").get_data(as_text=True)
    assert "Record a change" not in page
    token = csrf_from(page)
    response = client.post("/staff/recommendations/GOV-01", data={
        "status": "implemented", "note": "x", "version": "1", "csrf_token": token})
    assert response.status_code == 403


def test_admin_creates_accounts_with_clear_errors(client, auth):
    auth.login("admin")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    short = client.post("/admin/users", data={"email": "new@ncrc.example.org", "role": "editor", "password": "short",
                                              "csrf_token": token})
    assert short.status_code == 400 and "12" in short.get_data(as_text=True)
    dup = client.post("/admin/users", data={"email": "editor@ncrc.example.org", "role": "editor",
                                            "password": "a-long-enough-password", "csrf_token": token})
    assert "already exists" in dup.get_data(as_text=True)
    ok = client.post("/admin/users", data={"email": "New@NCRC.example.org", "role": "editor",
                                           "password": "a-long-enough-password", "csrf_token": token})
    assert ok.status_code == 302
    assert db.session.scalar(select(User).where(User.email == "new@ncrc.example.org")).role == "editor"


def test_users_cli_create_and_token(runner, app):
    created = runner.invoke(args=["users", "create", "cli@ncrc.example.org", "--role", "editor"],
                            input="a-long-enough-password\na-long-enough-password\n")
    assert created.exit_code == 0, created.output
    mismatch = runner.invoke(args=["users", "create", "cli2@ncrc.example.org", "--role", "editor"],
                             input="a-long-enough-password\nanother-password-here\n")
    assert mismatch.exit_code != 0 and "differ" in mismatch.output
    bad_email = runner.invoke(args=["users", "create", "not-an-email", "--role", "editor"],
                              input="a-long-enough-password\na-long-enough-password\n")
    assert bad_email.exit_code != 0 and "not a valid e-mail" in bad_email.output
    token = runner.invoke(args=["users", "token", "cli@ncrc.example.org"])
    raw = token.output.strip()
    assert token.exit_code == 0 and raw.startswith("cop_")
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.token_hash != raw and stored.token_hash == ApiToken.hash(raw)
    unknown = runner.invoke(args=["users", "token", "nobody@ncrc.example.org"])
    assert unknown.exit_code != 0 and "No account" in unknown.output


def test_ensure_admin_prints_password_once(runner, app, monkeypatch):
    monkeypatch.delenv("TRACKER_ADMIN_PASSWORD", raising=False)
    first = runner.invoke(args=["users", "ensure-admin"])
    assert first.exit_code == 0 and "password:" in first.output
    second = runner.invoke(args=["users", "ensure-admin"])
    assert "password:" not in second.output and "exists" in second.output
