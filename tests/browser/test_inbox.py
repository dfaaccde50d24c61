"""The review inbox in Chromium: a card per item, accept two of three in one action, dismiss an item, the
failing-feeds warning, the waiting count, accessibility (axe-core) and a phone-width layout.

Screenshots go to $TRACKER_SCREENSHOTS when it is set (to look at them), else to the test's tmp_path."""
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.matching import factories
from tracker.extensions import db
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def inbox_items(live_server):
    bill = factories.item()
    other = factories.item(
        title="PTA launches parental filters for home broadband",
        text="The Pakistan Telecommunication Authority launched free parental filters for home broadband "
             "connections on Monday, a step child rights groups had long urged.",
        proposals=(("GOV-01", 0.55, "in_progress", None),), highlights="50:67",
        source=factories.feed("The News"))
    factories.feed("Gazette of Pakistan", "gazette", error_count=4, last_error="HTTP 503 Service Unavailable")
    db.session.commit()
    return {"bill": bill.id, "other": other.id}


def log_in(page, live_server, role="editor"):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(f"{role}@ncrc.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server + "/staff/inbox")


def state_of(entry_id: int) -> dict[str, str]:
    db.session.expire_all()
    return {code: s.state for code, s in factories.suggestions_of(entry_id).items()}


def test_card_waiting_count_and_failing_feeds(page, live_server, inbox_items, shots):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Review inbox 2 waiting")
    assert nav_link.locator(".nav-count").inner_text() == "2"
    assert page.locator("#waiting-count").inner_text() == "2 items waiting · 4 recommendations to decide"
    warning = page.locator("#feeds-failing")
    assert warning.is_visible() and "Gazette of Pakistan" in warning.inner_text()
    assert "4 failures in a row" in warning.inner_text()
    card = page.locator(f"#item-{inbox_items['bill']}")
    assert card.get_by_role("heading", name="Senate passes child online abuse bill").is_visible()
    assert "Dawn" in card.locator(".item-meta").inner_text()
    assert card.locator("mark").first.inner_text() == "Senate"
    assert card.get_by_text("strong match").is_visible() and card.get_by_text("weak match").is_visible()
    assert card.get_by_text("Would move to: In progress").first.is_visible()
    for code in ("LEG-01", "LEG-02", "CSO-02"):
        assert card.get_by_label(f"Accept for {code}").is_visible()
    page.screenshot(path=str(shots / "inbox-1280.png"), full_page=True)


def test_accept_two_of_three_in_one_action(page, live_server, inbox_items):
    log_in(page, live_server)
    card = page.locator(f"#item-{inbox_items['bill']}")
    card.get_by_label("Accept for LEG-01").check()
    card.get_by_label("Accept for LEG-02").check()
    card.get_by_label("Status to record for LEG-02").select_option("partially_implemented")
    card.get_by_label("Note for LEG-02").fill("Checked the Senate's votes and proceedings.")
    card.get_by_role("button", name="Accept selected").click()
    assert page.get_by_text("Recorded on LEG-01, LEG-02").is_visible()
    assert page.locator(f"#item-{inbox_items['bill']}").count() == 0
    assert page.locator("#waiting-count").inner_text().startswith("1 item waiting")
    assert state_of(inbox_items["bill"]) == {"LEG-01": "accepted", "LEG-02": "accepted", "CSO-02": "dismissed"}
    statuses = dict(db.session.execute(select(Recommendation.code, Recommendation.status)
                                       .where(Recommendation.code.in_(["LEG-01", "LEG-02"]))).all())
    assert statuses == {"LEG-01": "in_progress", "LEG-02": "partially_implemented"}


def test_dismiss_an_item(page, live_server, inbox_items):
    log_in(page, live_server)
    card = page.locator(f"#item-{inbox_items['other']}")
    card.get_by_role("button", name="Dismiss item").click()
    assert page.get_by_text("Dismissed “PTA launches parental filters for home broadband”").is_visible()
    assert page.locator(f"#item-{inbox_items['other']}").count() == 0
    assert state_of(inbox_items["other"]) == {"GOV-01": "dismissed"}
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Review inbox 1 waiting").is_visible()


def test_a_decision_taken_elsewhere_is_explained_on_the_card(page, live_server, inbox_items, users, shots):
    log_in(page, live_server)
    from tracker.matching.review import accept_and_record
    taken = factories.suggestions_of(inbox_items["bill"])["LEG-02"].id
    accept_and_record(db.session, taken, user=users["admin"])
    db.session.commit()
    card = page.locator(f"#item-{inbox_items['bill']}")
    card.get_by_label("Accept for LEG-02").check()
    card.get_by_role("button", name="Accept selected").click()
    error = page.locator(f"#item-{inbox_items['bill']}-error")
    assert error.is_visible() and "already accepted by admin@ncrc.example.org" in error.inner_text()
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "inbox-conflict-1280.png"))
    assert state_of(inbox_items["bill"]) == {"LEG-01": "pending", "LEG-02": "accepted", "CSO-02": "pending"}


def test_inbox_has_no_axe_violations(page, live_server, inbox_items):
    from axe_playwright_python.sync_playwright import Axe
    log_in(page, live_server)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_inbox_on_a_phone(phone, live_server, inbox_items, shots):
    log_in(phone, live_server)
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    card = phone.locator(f"#item-{inbox_items['bill']}")
    assert card.get_by_role("button", name="Dismiss item").is_visible()
    phone.screenshot(path=str(shots / "inbox-390.png"), full_page=True)
    card.get_by_label("Accept for LEG-01").check()
    card.get_by_role("button", name="Accept selected").click()
    assert phone.get_by_text("Recorded on LEG-01").is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Suggestion.state).where(Suggestion.id == factories.suggestions_of(
        inbox_items["bill"])["LEG-01"].id)) == "accepted"
