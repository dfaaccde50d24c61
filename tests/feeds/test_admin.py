"""Admin tools for sources: add, edit, delete, test this source, poll now, counts, failing with a reason."""
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.feeds.test_pages import bills
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.operations import SourceInput, add_source

PAGE = {"name": "NA bills", "kind": "parliament", "interval_minutes": "60", "page": "table.bills tbody tr",
        "title": "td.title", "link": "td.title a", "date": "td.date", "summary": ""}


def token(client, path="/admin/feeds"):
    return csrf_from(client.get(path).get_data(as_text=True))


def add_page(server) -> Feed:
    feed = add_source(db.session, SourceInput(server.base + "/bills", "NA bills", "parliament", 60,
                                              "table.bills tbody tr", "td.title", "td.title a", "td.date"))
    db.session.commit()
    return feed


def test_add_a_page_source_in_the_form(client, auth, server):
    auth.login("admin")
    answer = client.post("/admin/feeds", data={**PAGE, "url": server.base + "/bills", "csrf_token": token(client)})
    assert answer.status_code == 302
    feed = db.session.scalar(select(Feed))
    assert (feed.source_type, feed.item_selector, feed.date_selector, feed.summary_selector) == \
        ("page", "table.bills tbody tr", "td.date", None)


def test_a_selector_that_does_not_parse_is_shown_on_its_field_and_nothing_is_stored(client, auth, server):
    auth.login("admin")
    answer = client.post("/admin/feeds", data={**PAGE, "title": "td:nth-child(", "url": server.base + "/bills",
                                               "csrf_token": token(client)})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="title-error"' in page and "title selector cannot be used" in page
    assert db.session.scalar(select(func.count(Feed.id))) == 0


def test_a_nul_in_a_selector_is_refused_not_a_500(client, auth, server):
    """PostgreSQL refuses NUL in text; the form must say so first."""
    auth.login("admin")
    answer = client.post("/admin/feeds", data={**PAGE, "link": "td\x00a", "url": server.base + "/bills",
                                               "csrf_token": token(client)})
    assert answer.status_code == 400 and "NUL character" in answer.get_data(as_text=True)  # refused at the edge
    assert db.session.scalar(select(func.count(Feed.id))) == 0


def test_test_this_source_shows_items_and_stores_nothing(client, auth, private_ok, server):
    server.routes["/bills"] = bills()
    feed = add_page(server)
    auth.login("admin")
    page = client.get(f"/admin/feeds/{feed.id}/test").get_data(as_text=True)
    assert "A poll would read these 3 items" in page and "Seed Certification Bill" in page
    # unsaved selectors from the edit form are tried without saving them
    tried = client.post(f"/admin/feeds/{feed.id}/test",
                        data={**PAGE, "page": "ul.nothing li", "url": server.base + "/bills",
                              "csrf_token": token(client, f"/admin/feeds/{feed.id}/edit")})
    assert "matched nothing" in tried.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    assert db.session.get(Feed, feed.id).item_selector == "table.bills tbody tr"


def test_a_source_never_polled_says_so_not_working(client, auth, seeded, private_ok, server):
    server.routes["/bills"] = bills()
    feed = add_source(db.session, SourceInput(server.base + "/feed", "New feed", "news"))
    db.session.commit()
    assert feed.state == "unpolled"
    auth.login("admin")
    row = _row(client.get("/admin/feeds").get_data(as_text=True), "New feed")
    assert "not polled yet" in row and "working" not in row
    urdu = _row(client.get("/admin/feeds?lang=ur").get_data(as_text=True), "New feed")
    assert "ابھی تک پڑھا نہیں گیا" in urdu
    client.get("/admin/feeds?lang=en")
    server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"},
                              b"<rss version='2.0'><channel><title>t</title></channel></rss>")
    client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token(client)})
    row = _row(client.get("/admin/feeds").get_data(as_text=True), "New feed")
    assert "working" in row and "not polled yet" not in row
    assert db.session.get(Feed, feed.id).state == "ok"


def _row(page: str, name: str) -> str:
    """The listing's table row of the source called `name`."""
    return next(tr for tr in page.split("<tr") if f">{name}<" in tr)


def test_edit_poll_now_counts_and_failing_state(client, auth, seeded, private_ok, server):
    server.routes["/bills"] = bills()
    feed = add_page(server)
    auth.login("admin")
    answer = client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token(client)})
    assert answer.status_code == 302
    listing = client.get("/admin/feeds").get_data(as_text=True)
    assert "3 items read, 3 stored" in listing and "working" in listing
    assert db.session.get(Feed, feed.id).last_change_at is not None
    # the page is redesigned: the selectors stop matching and the source says so
    server.routes["/bills"] = (200, {"Content-Type": "text/html"}, b"<html><body><p>new site</p></body></html>")
    client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token(client)})
    listing = client.get("/admin/feeds").get_data(as_text=True)
    assert "failing" in listing and "matched nothing" in listing
    # an admin fixes the selector in the edit form
    server.routes["/bills"] = bills()
    edited = client.post(f"/admin/feeds/{feed.id}/edit",
                         data={**PAGE, "name": "National Assembly bills", "url": server.base + "/bills",
                               "csrf_token": token(client, f"/admin/feeds/{feed.id}/edit")})
    assert edited.status_code == 302
    feed = db.session.get(Feed, feed.id)
    assert feed.name == "National Assembly bills" and feed.item_selector == "table.bills tbody tr"


def test_delete_a_source_with_its_items(client, auth, seeded, private_ok, server):
    server.routes["/bills"] = bills()
    feed = add_page(server)
    auth.login("admin")
    client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token(client)})
    assert "Delete “NA bills”?" in client.get(f"/admin/feeds/{feed.id}/delete").get_data(as_text=True)
    answer = client.post(f"/admin/feeds/{feed.id}/delete", data={"csrf_token": token(client)})
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count(Feed.id))) == 0
    assert db.session.scalar(select(func.count(Entry.id))) == 0


def test_errors_are_in_plain_words_on_the_page(client, auth, app, server):
    feed = add_source(db.session, SourceInput("http://nowhere.invalid/feed", "Nowhere", "news"))
    db.session.commit()
    auth.login("admin")
    client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token(client)})
    listing = client.get("/admin/feeds").get_data(as_text=True)
    assert "the address could not be found" in listing and "Errno" not in listing and "failing" in listing


def test_editors_cannot_manage_sources(client, auth, server):
    feed = add_page(server)
    auth.login("editor")
    assert client.get(f"/admin/feeds/{feed.id}/edit").status_code in (302, 403)
    assert client.get("/admin/feeds/999/edit").status_code in (302, 403, 404)
