"""Account management by staff and on the command line (issue 12, item 12)."""
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_from
from tracker.auth import operations
from tracker.auth.models import ApiToken, User
from tracker.errors import Conflict, DomainError
from tracker.extensions import db

NEW = "another long passphrase"


def _user(email: str) -> User:
    db.session.rollback()  # end this test's snapshot: requests commit in sessions of their own
    return db.session.scalar(select(User).where(User.email == email))


def _login(client, email: str, password: str = PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


# ---------------------------------------------------------------- command line


def test_new_accounts_default_to_viewer(runner, app, client, auth):
    created = runner.invoke(args=["users", "create", "plain@ncrc.example.org"], input=f"{NEW}\n{NEW}\n")
    assert created.exit_code == 0 and "(viewer)" in created.output
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r'<option selected value="viewer">|<option value="viewer" selected>', page), \
        "the form's role should start at viewer"
    response = client.post("/admin/users", data={"email": "form@ncrc.example.org", "password": NEW,
                                                  "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and _user("form@ncrc.example.org").role == "viewer"


def test_cli_password_ends_sessions_and_tokens(runner, app, client, tokens):
    assert _login(client, "editor@ncrc.example.org").status_code == 302
    result = runner.invoke(args=["users", "password", "editor@ncrc.example.org"], input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert client.get("/staff/recommendations").status_code == 302
    assert client.get("/api/v1/suggestions",
                      headers={"Authorization": f"Bearer {tokens['editor']}"}).status_code == 401
    assert _login(client, "editor@ncrc.example.org", PASSWORD).status_code == 400
    assert _login(client, "editor@ncrc.example.org", NEW).status_code == 302


@pytest.mark.parametrize("stdin, message", [(f"{NEW}\n", "twice"), (f"{NEW}\nsomething else\n", "differ"),
                                            ("short\nshort\n", "12 characters")])
def test_cli_password_refuses_bad_input(runner, users, stdin, message):
    result = runner.invoke(args=["users", "password", "editor@ncrc.example.org"], input=stdin)
    assert result.exit_code != 0 and message in result.output
    assert operations.authenticate(db.session, "editor@ncrc.example.org", PASSWORD) is not None


def test_cli_commands_name_an_unknown_account(runner, app):
    for args in (["password"], ["deactivate"], ["activate"], ["tokens"], ["revoke-token", "--all"]):
        result = runner.invoke(args=["users", args[0], "nobody@ncrc.example.org", *args[1:]], input=f"{NEW}\n{NEW}\n")
        assert result.exit_code != 0 and "No account for nobody@ncrc.example.org" in result.output, args


def test_cli_deactivate_and_activate(runner, app, client, tokens):
    assert _login(client, "editor@ncrc.example.org").status_code == 302
    result = runner.invoke(args=["users", "deactivate", "editor@ncrc.example.org"])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/recommendations").status_code == 302
    assert client.get("/api/v1/suggestions",
                      headers={"Authorization": f"Bearer {tokens['editor']}"}).status_code == 401
    assert _login(client, "editor@ncrc.example.org").status_code == 400
    assert runner.invoke(args=["users", "activate", "editor@ncrc.example.org"]).exit_code == 0
    assert _login(client, "editor@ncrc.example.org").status_code == 302


def test_cli_lists_and_revokes_tokens_without_showing_them(runner, app, users):
    raws = [runner.invoke(args=["users", "token", "editor@ncrc.example.org"]).output.strip() for _ in range(3)]
    listed = runner.invoke(args=["users", "tokens", "editor@ncrc.example.org"])
    assert listed.exit_code == 0 and "last used" in listed.output
    assert not any(raw in listed.output or ApiToken.hash(raw) in listed.output for raw in raws)
    ids = [t.id for t in db.session.scalars(select(ApiToken).order_by(ApiToken.id))]
    assert all(re.search(rf"^\s*{i}\s", listed.output, re.M) for i in ids)
    one = runner.invoke(args=["users", "revoke-token", "editor@ncrc.example.org", str(ids[0])])
    assert one.exit_code == 0 and "revoked 1 token" in one.output
    assert operations.user_for_token(db.session, raws[0]) is None
    assert operations.user_for_token(db.session, raws[1]) is not None
    db.session.rollback()
    rest = runner.invoke(args=["users", "revoke-token", "editor@ncrc.example.org", "--all"])
    assert rest.exit_code == 0 and "revoked 2 token" in rest.output
    assert all(operations.user_for_token(db.session, raw) is None for raw in raws)
    db.session.rollback()
    after = runner.invoke(args=["users", "tokens", "editor@ncrc.example.org"]).output
    assert not re.search(r"\sno$", after, re.M)  # nothing live any more
    neither = runner.invoke(args=["users", "revoke-token", "editor@ncrc.example.org"])
    assert neither.exit_code != 0 and "--all" in neither.output
    foreign = runner.invoke(args=["users", "revoke-token", "admin@ncrc.example.org", str(ids[1])])
    assert foreign.exit_code != 0 and "has no token" in foreign.output


def test_the_last_active_admin_stays(runner, app, users):
    result = runner.invoke(args=["users", "deactivate", "admin@ncrc.example.org"])
    assert result.exit_code != 0 and "last active admin" in result.output
    with pytest.raises(Conflict):
        operations.set_role(db.session, users["admin"], "editor")
    db.session.rollback()
    operations.set_role(db.session, users["editor"], "admin")
    operations.deactivate(db.session, users["admin"])  # another admin remains
    db.session.commit()
    assert not _user("admin@ncrc.example.org").active


# ---------------------------------------------------------------- admin pages


def _admin_page(client, user_id: int) -> str:
    page = client.get(f"/admin/users/{user_id}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_admin_resets_a_password(client, auth, users):
    editor_id = users["editor"].id
    other = client.application.test_client()
    assert _login(other, "editor@ncrc.example.org").status_code == 302
    auth.login("admin")
    page = _admin_page(client, editor_id)
    short = client.post(f"/admin/users/{editor_id}/password", data={"password": "short", "csrf_token": csrf_from(page)})
    assert short.status_code == 400 and "12" in short.get_data(as_text=True)
    ok = client.post(f"/admin/users/{editor_id}/password", data={"password": NEW, "csrf_token": csrf_from(page)})
    assert ok.status_code == 302
    assert other.get("/staff/recommendations").status_code == 302  # the editor's session ended
    assert _login(other, "editor@ncrc.example.org", NEW).status_code == 302


def test_admins_cannot_deactivate_themselves(client, auth, users):
    auth.login("admin")
    admin_id = users["admin"].id
    page = _admin_page(client, admin_id)
    response = client.post(f"/admin/users/{admin_id}/deactivate", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "cannot deactivate your own account" in response.get_data(as_text=True)
    assert _user("admin@ncrc.example.org").active
    assert client.get("/admin/users").status_code == 200


def test_admin_cannot_demote_the_last_admin_or_themselves(client, auth, users):
    auth.login("admin")
    admin_id = users["admin"].id
    page = _admin_page(client, admin_id)
    response = client.post(f"/admin/users/{admin_id}/role", data={"role": "viewer", "csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "own admin role" in response.get_data(as_text=True)
    assert _user("admin@ncrc.example.org").role == "admin"


def test_admin_revokes_tokens_on_the_page(client, auth, tokens, users):
    editor_id = users["editor"].id
    auth.login("admin")
    page = _admin_page(client, editor_id)
    assert tokens["editor"] not in page and "Revoke all tokens" in page
    bad = client.post(f"/admin/users/{editor_id}/tokens/revoke", data={"token_id": "x1", "csrf_token": csrf_from(page)})
    assert bad.status_code == 400 and "Not a token number" in bad.get_data(as_text=True)
    ok = client.post(f"/admin/users/{editor_id}/tokens/revoke", data={"token_id": "", "csrf_token": csrf_from(page)})
    assert ok.status_code == 302
    assert client.get("/api/v1/suggestions",
                      headers={"Authorization": f"Bearer {tokens['editor']}"}).status_code == 401
    assert "revoked" in _admin_page(client, editor_id)


def test_account_pages_are_for_admins_only(client, auth, users):
    auth.login("editor")
    assert client.get(f"/admin/users/{users['viewer'].id}").status_code == 403
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post(f"/admin/users/{users['viewer'].id}/deactivate", data={"csrf_token": token}).status_code == 403
    assert _user("viewer@ncrc.example.org").active


def test_operations_raise_domain_errors(app, users):
    with pytest.raises(DomainError):
        operations.deactivate(db.session, users["admin"], acting=users["admin"])
    with pytest.raises(DomainError):
        operations.set_password(db.session, users["editor"], "a\x00" * 8)
