import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_public_scorecard_reads_well(page, live_server):
    page.goto(live_server + "/")
    assert page.get_by_role("heading", name="Where things stand").is_visible()
    table = page.get_by_role("table")
    assert table.get_by_role("rowheader", name="Legislative Bodies: Parliament and Provincial Assemblies").is_visible()
    assert page.locator("svg.bar").count() >= 10  # overall + one per stakeholder
    page.get_by_text("How progress is weighted").click()
    assert page.get_by_text("implemented counts 100%").is_visible()
    # Filters are a plain GET form: works without script.
    page.locator("#list form.filters").get_by_label("Stakeholder").select_option("judiciary")
    page.get_by_role("button", name="Filter").click()
    codes = page.locator("ul.recs .code").all_inner_texts()
    assert codes and all(c.startswith("JUD-") for c in codes)
    page.get_by_role("link", name=codes[0]).first.click()
    assert page.get_by_role("heading", name="What the brief recommends").is_visible()


def test_scorecard_on_a_phone_has_no_sideways_scroll(phone, live_server):
    phone.goto(live_server + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    assert phone.get_by_role("heading", name="Where things stand").is_visible()


def test_keyboard_user_reaches_content(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_editor_updates_a_status_and_public_sees_it(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("editor@ncrc.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", name="Recommendations").is_visible()
    page.get_by_role("link", name="GOV-01").click()
    # A missing note is refused with a specific message, and the status is unchanged.
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_text("A note is required").first.is_visible()
    assert page.locator("#current-status").inner_text() == "Not assessed"
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Note (required)").fill("Cabinet approved 40 posts for the Cyber Crime Wing.")
    page.get_by_label("Evidence link").fill("https://example.org/cabinet-decision")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_text("Status of GOV-01 saved").is_visible()
    assert page.locator("#current-status").inner_text() == "In progress"
    page.goto(live_server + "/recommendations/GOV-01")
    assert page.get_by_text("Cabinet approved 40 posts").is_visible()
    assert page.get_by_role("link", name="https://example.org/cabinet-decision").is_visible()


def test_stale_edit_is_refused_in_the_browser(browser, live_server):
    pages = []
    for _ in range(2):
        context = browser.new_context()
        p = context.new_page()
        p.goto(live_server + "/login")
        p.get_by_label("E-mail").fill("editor@ncrc.example.org")
        p.get_by_label("Password").fill(PASSWORD)
        p.get_by_role("button", name="Log in").click()
        p.goto(live_server + "/staff/recommendations/GOV-03")
        pages.append(p)
    first, second = pages
    first.get_by_label("New status").select_option("in_progress")
    first.get_by_label("Note (required)").fill("first editor")
    first.get_by_role("button", name="Save", exact=True).click()
    second.get_by_label("New status").select_option("implemented")
    second.get_by_label("Note (required)").fill("second editor, stale page")
    second.get_by_role("button", name="Save", exact=True).click()
    assert second.locator("#stale-error").is_visible()
    assert "changed by someone else" in second.locator("#stale-error").inner_text()
    second.goto(live_server + "/recommendations/GOV-03")
    assert second.get_by_text("first editor").is_visible()
    assert second.get_by_text("second editor, stale page").count() == 0
