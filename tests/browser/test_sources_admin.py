"""An admin adds a page source, tests it, polls it and reads a failure in plain words, in Chromium."""
import pytest

from tests.conftest import PASSWORD
from tests.feeds.conftest import FeedServer
from tests.feeds.test_pages import bills

pytestmark = pytest.mark.browser


@pytest.fixture
def pages_server(seeded):
    seeded.config["TRACKER_ALLOW_PRIVATE_FEEDS"] = True
    server = FeedServer()
    server.routes["/bills"] = bills()
    yield server
    server.close()


def login_admin(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("admin@ncrc.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_admin_adds_tests_and_polls_a_page_source(page, live_server, pages_server):
    login_admin(page, live_server)
    page.goto(live_server + "/admin/feeds")
    page.get_by_label("Name").fill("NA bills")
    page.get_by_label("Address (http or https)").fill(pages_server.base + "/bills")
    page.get_by_label("Kind").select_option("parliament")
    page.get_by_label("Item selector (page sources only; leave empty for a feed)").fill("table.bills tbody tr")
    page.get_by_label("Title selector, inside an item").fill("td.title")
    page.get_by_label("Link selector, inside an item (the element whose href is the link)").fill("td.title a")
    page.get_by_role("button", name="Add source").click()
    row = page.get_by_role("row", name="NA bills")
    row.get_by_role("link", name="Test this source NA bills").click()
    assert page.get_by_text("A poll would read these 3 items").is_visible()
    assert page.get_by_role("cell", name="The Seed Certification Bill, 2024", exact=True).is_visible()
    page.goto(live_server + "/admin/feeds")
    page.get_by_role("row", name="NA bills").get_by_role("button", name="Poll now NA bills").click()
    assert page.get_by_text("3 items read, 3 stored").is_visible()
    assert page.get_by_role("row", name="NA bills").get_by_text("working").is_visible()
    # the site changes its layout: the source says it is failing, and why
    pages_server.routes["/bills"] = (200, {"Content-Type": "text/html"}, b"<html><body><p>new</p></body></html>")
    page.get_by_role("row", name="NA bills").get_by_role("button", name="Poll now NA bills").click()
    row = page.get_by_role("row", name="NA bills")
    assert row.get_by_text("failing").first.is_visible()
    assert "matched nothing on the page" in row.inner_text()


def test_the_sources_page_fits_a_phone(phone, live_server, pages_server):
    login_admin(phone, live_server)
    phone.goto(live_server + "/admin/feeds")
    assert phone.get_by_role("heading", name="Monitored sources").is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
