"""Page sources: HTML read with CSS selectors, changes inside an item as update entries, served on loopback."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.pages import PageSpec, describe_change, parse_date, parse_page, selector_problem
from tracker.feeds.polling import poll_due_feeds
from tracker.matching.models import Suggestion

BILLS = """<!doctype html><html><head><title>Bills — National Assembly</title></head><body>
<nav><a href="/">Home</a></nav>
<table class="bills"><thead><tr><th>No.</th><th>Title of the Bill</th><th>Moved by</th><th>Status</th>
<th>Date</th></tr></thead>
<tbody>
<tr><td>41</td><td class="title"><a href="/bills/41">The Criminal Laws (Amendment) Bill, 2022 (online grooming,
 sextortion and live streaming of child sexual abuse)</a></td><td>Minister for Law and Justice</td>
 <td class="status">{status}</td><td class="date">12-03-2024</td></tr>
<tr><td>42</td><td class="title"><a href="/bills/42">The Elections (Amendment) Bill, 2024</a></td><td>Mr. A</td>
 <td class="status">Introduced</td><td class="date">12 March 2024</td></tr>
<tr><td>43</td><td class="title"><a href="bills/43?x=1#frag">The Seed Certification Bill, 2024</a></td><td>Mr. B</td>
 <td class="status">Referred to Standing Committee</td><td class="date">March 14, 2024</td></tr>
</tbody></table></body></html>"""

SPEC = PageSpec("table.bills tbody tr", "td.title", "td.title a", "td.date")
ADD = ["feeds", "add", None, "--name", "NA bills", "--kind", "parliament", "--page", "table.bills tbody tr",
       "--title", "td.title", "--link", "td.title a", "--date", "td.date"]


def bills(status="Introduced", headers=None) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}, \
        BILLS.format(status=status).encode()


def add_bills_page(runner, server, *extra):
    args = list(ADD)
    args[2] = server.base + "/bills"
    result = runner.invoke(args=args + list(extra))
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(Feed).where(Feed.url == server.base + "/bills"))


def make_due(feed_id: int) -> None:
    db.session.get(Feed, feed_id).next_poll_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


# ---- pure parsing ----------------------------------------------------------------------------------
def test_a_bills_table_becomes_items_with_labelled_cells():
    parsed = parse_page(bills()[2], SPEC, content_type="text/html", base_url="https://na.gov.pk/en/bills.php")
    assert parsed.error is None
    assert [e.link for e in parsed.entries] == ["https://na.gov.pk/bills/41", "https://na.gov.pk/bills/42",
                                                "https://na.gov.pk/en/bills/43?x=1"]
    first = parsed.entries[0]
    assert first.title.startswith("The Criminal Laws (Amendment) Bill, 2022")
    assert "Status: Introduced" in first.text and "Moved by: Minister for Law and Justice" in first.text
    assert first.published == datetime(2024, 3, 11, 19, 0, tzinfo=timezone.utc)  # 12 March in Karachi


@pytest.mark.parametrize("text", ["12-03-2024", "12 March 2024", "March 12, 2024", "12/03/2024", "2024-03-12",
                                  "Published on 12th March, 2024", "Mar. 12 2024", "12 Mar 2024"])
def test_the_date_formats_these_sites_use(text):
    assert parse_date(text) == datetime(2024, 3, 11, 19, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["", "31-02-2024", "no date here", "13 Smarch 2024"])
def test_what_is_not_a_date(text):
    assert parse_date(text) is None


def test_what_changed_inside_an_item_is_said_before_and_after():
    before = parse_page(bills()[2], SPEC, content_type="text/html", base_url="https://na.gov.pk/").entries[0]
    after = parse_page(bills("Passed by the National Assembly")[2], SPEC, content_type="text/html",
                       base_url="https://na.gov.pk/").entries[0]
    assert before.dedup_key == after.dedup_key and before.content_hash != after.content_hash
    assert describe_change(before.fields, after.fields) == "Status: Introduced → Passed by the National Assembly"


@pytest.mark.parametrize("selector", ["tr[", "a >> b", "", "!!", "td:nth-child(", "td\x00", "td\u202e"])
def test_a_selector_that_does_not_parse_is_named(selector):
    assert selector_problem(selector)


@pytest.mark.parametrize("body, content_type, words", [
    (b"", "text/html", "empty page"),
    (b"   \n  ", "text/html", "empty page"),
    (b'{"bills": []}', "application/json", "application/json, not an HTML page"),
    (b"%PDF-1.4 ...", "application/pdf", "not an HTML page"),
    (b"<html><body><p>Under maintenance</p></body></html>", "text/html", "matched nothing"),
    (b"<html><body><table class=bills><tbody><tr><td>1</td></tr></tbody></table></body></html>", "text/html",
     "title selector"),
])
def test_pages_that_cannot_be_read_say_why(body, content_type, words):
    parsed = parse_page(body, SPEC, content_type=content_type, base_url="https://na.gov.pk/")
    assert parsed.entries == [] and words in parsed.error


# ---- the whole path: CLI add, poll, change, inbox and API --------------------------------------------
def test_a_status_change_in_the_bills_table_becomes_an_update_entry_and_a_suggestion(
        runner, seeded, private_ok, server, client, auth, tokens):
    server.routes["/bills"] = bills()
    feed = add_bills_page(runner, server)
    assert feed.is_page and feed.item_selector == "table.bills tbody tr"
    first = runner.invoke(args=["feeds", "poll"])
    assert "fetched 3, stored 3" in first.output, first.output
    assert db.session.scalar(select(func.count(Entry.id)).where(Entry.update_of_id.isnot(None))) == 0

    server.routes["/bills"] = bills("Passed by the National Assembly")
    make_due(feed.id)
    second = runner.invoke(args=["feeds", "poll"])
    assert "updated 1" in second.output, second.output
    [update] = db.session.scalars(select(Entry).where(Entry.update_of_id.isnot(None))).all()
    assert update.change_summary == "Status: Introduced → Passed by the National Assembly"
    assert update.link == server.base + "/bills/41"
    original = db.session.get(Entry, update.update_of_id)
    assert "Status: Passed by the National Assembly" in original.text  # the item itself is current
    suggestions = {s.recommendation.code: s for s in
                   db.session.scalars(select(Suggestion).where(Suggestion.entry_id == update.id))}
    assert suggestions["LEG-01"].proposed_status == "in_progress"
    assert suggestions["LEG-01"].stage == "passed_first_house"

    api = client.get("/api/v1/suggestions?state=pending",
                     headers={"Authorization": f"Bearer {tokens['editor']}"}).get_json()["suggestions"]
    assert any(s["entry"]["title"] == update.title and s["recommendation"]["code"] == "LEG-01" for s in api)
    auth.login("editor")
    inbox = client.get("/staff/inbox").get_data(as_text=True)
    assert "Introduced → Passed by the National Assembly" in inbox

    # the same page again: nothing new (no ETag here, so the content hash decides)
    make_due(feed.id)
    third = runner.invoke(args=["feeds", "poll"])
    assert "unchanged" in third.output and "stored 0" in third.output
    assert db.session.scalar(select(func.count(Entry.id))) == 4


def test_an_unchanged_page_is_a_conditional_get(seeded, private_ok, server, runner):
    server.routes["/bills"] = bills(headers={"ETag": '"v1"'})
    feed = add_bills_page(runner, server)
    poll_due_feeds(db.session)
    make_due(feed.id)
    [r] = poll_due_feeds(db.session).feeds
    assert r.outcome == "not_modified" and r.stored == 0
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert db.session.scalar(select(func.count(Entry.id))) == 3


def test_selectors_that_stop_matching_mark_the_source_failing_and_keep_what_was_stored(
        seeded, private_ok, server, runner):
    server.routes["/bills"] = bills()
    feed = add_bills_page(runner, server)
    poll_due_feeds(db.session)
    server.routes["/bills"] = (200, {"Content-Type": "text/html"}, b"<html><body><ul><li>new design</li></ul>")
    make_due(feed.id)
    [r] = poll_due_feeds(db.session).feeds
    feed = db.session.get(Feed, feed.id)
    assert r.outcome == "error" and feed.state == "failing"
    assert "matched nothing" in feed.last_error and "table.bills tbody tr" in feed.last_error
    assert db.session.scalar(select(func.count(Entry.id))) == 3


@pytest.mark.parametrize("option, value", [("--page", "tr["), ("--title", "td:nth-child("), ("--link", "")])
def test_feeds_add_refuses_a_selector_that_does_not_parse(runner, app, server, option, value):
    args = list(ADD)
    args[2] = server.base + "/bills"
    args[args.index(option) + 1] = value
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "selector" in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count(Feed.id))) == 0


def test_selectors_without_page_are_refused(runner, app):
    result = runner.invoke(args=["feeds", "add", "https://example.org/x", "--name", "X", "--title", "td"])
    assert result.exit_code != 0 and "--page" in result.output


def test_test_this_source_shows_items_and_stores_nothing(runner, private_ok, server):
    server.routes["/bills"] = bills()
    feed = add_bills_page(runner, server)
    result = runner.invoke(args=["feeds", "test", str(feed.id)])
    assert result.exit_code == 0 and "3 items" in result.output and "Seed Certification" in result.output
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    assert db.session.get(Feed, feed.id).last_polled_at is None
