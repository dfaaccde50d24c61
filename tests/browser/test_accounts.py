"""What a person sees of sessions and accounts (issue 8 item 5, issue 12 item 12), in Chromium."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
NEW = "a brand new passphrase"


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_logout_then_the_old_cookie_no_longer_works(browser, page, live_server):
    log_in(page, live_server, "editor@ncrc.example.org")
    assert page.get_by_role("heading", name="Recommendations").is_visible()
    copied = page.context.cookies()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_text("You are logged out.").is_visible()
    thief = browser.new_context()
    try:
        thief.add_cookies(copied)  # the cookie as it was before logout, replayed
        stolen = thief.new_page()
        stolen.goto(live_server + "/staff/recommendations")
        assert "/login" in stolen.url
        assert stolen.get_by_role("heading", name="Staff log in").is_visible()
    finally:
        thief.close()


def test_change_ones_password(page, live_server):
    log_in(page, live_server, "editor@ncrc.example.org")
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password (at least 12 characters)").fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_text("Your current password is not right.").is_visible()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password (at least 12 characters)").fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_text("Your password is changed.").is_visible()
    assert page.get_by_role("heading", name="Your account").is_visible()  # still logged in here
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "editor@ncrc.example.org", PASSWORD)
    assert page.get_by_text("Wrong e-mail or password.").is_visible()
    log_in(page, live_server, "editor@ncrc.example.org", NEW)
    assert page.get_by_role("heading", name="Recommendations").is_visible()


def test_admin_deactivates_a_user_whose_open_page_then_asks_to_log_in(browser, page, live_server):
    editor_context = browser.new_context()
    try:
        editor = editor_context.new_page()
        log_in(editor, live_server, "editor@ncrc.example.org")
        assert editor.get_by_role("heading", name="Recommendations").is_visible()

        log_in(page, live_server, "admin@ncrc.example.org")
        page.goto(live_server + "/admin/users")
        page.get_by_role("link", name="editor@ncrc.example.org").click()
        page.get_by_role("button", name="Deactivate account").click()
        assert page.get_by_text("editor@ncrc.example.org is deactivated").is_visible()
        page.get_by_role("link", name="All accounts").click()
        assert page.locator(".account.inactive", has_text="editor@ncrc.example.org").is_visible()

        editor.get_by_role("link", name="GOV-01").click()  # the editor's next click
        assert "/login" in editor.url
        assert editor.get_by_role("heading", name="Staff log in").is_visible()
        log_in(editor, live_server, "editor@ncrc.example.org")
        assert editor.get_by_text("Wrong e-mail or password.").is_visible()
    finally:
        editor_context.close()


def test_admin_cannot_deactivate_themselves(page, live_server):
    log_in(page, live_server, "admin@ncrc.example.org")
    page.goto(live_server + "/admin/users")
    page.get_by_role("link", name="admin@ncrc.example.org").click()
    page.get_by_role("button", name="Deactivate account").click()
    assert page.get_by_text("You cannot deactivate your own account.").is_visible()


def test_account_pages_fit_a_phone(phone, live_server):
    log_in(phone, live_server, "admin@ncrc.example.org")
    for path in ("/admin/users", "/account", "/account/password"):
        phone.goto(live_server + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, path
    phone.goto(live_server + "/admin/users")
    phone.get_by_role("link", name="viewer@ncrc.example.org").click()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    assert phone.get_by_role("button", name="Deactivate account").is_visible()
