"""Gazette lists that link to PDF notices (--follow), and every hostile case of issue 10, on loopback.

Each bad source records a clear error; every other source is polled as usual; nothing stored is lost."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.feeds import hostile, pdfs
from tests.feeds.test_polling import rss
from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.fetching import user_agent
from tracker.feeds.models import Entry, Feed
from tracker.feeds.operations import SourceInput, add_feed, add_source
from tracker.feeds.polling import poll_due_feeds
from tracker.matching.models import Suggestion

GAZETTE = """<html><body><h1>Gazette of Pakistan — Extraordinary, Part I</h1><ul class="notices">{items}</ul></body></html>"""
NOTICE = '<li><a class="t" href="{href}">{title}</a> <span class="d">{date}</span></li>'


def gazette(*items: tuple[str, str, str]) -> tuple[int, dict, bytes]:
    body = GAZETTE.format(items="".join(NOTICE.format(href=h, title=t, date=d) for h, t, d in items))
    return 200, {"Content-Type": "text/html"}, body.encode()


def add_gazette(server, path="/gazette", **kw) -> Feed:
    feed = add_source(db.session, SourceInput(server.base + path, kw.pop("name", "Gazette"), "gazette", 60,
                                              "ul.notices li", "a.t", "a.t", "span.d", None, kw.pop("follow", True)))
    db.session.commit()
    return feed


def pdf(body: bytes) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/pdf"}, body


ACT = pdfs.text_pdf("THE GAZETTE OF PAKISTAN, EXTRAORDINARY", "ACT No. XXI OF 2024",
                    "An Act further to amend the Pakistan Penal Code and the Prevention of Electronic Crimes Act,",
                    "2016: the Criminal Laws (Amendment) Act, 2024, to criminalise online grooming, sextortion and",
                    "live streaming of child sexual abuse. It received the assent of the President and is hereby",
                    "published for general information.")


@pytest.fixture
def pages_ok(private_ok):
    private_ok.config["TRACKER_CONTACT_URL"] = "https://tracker.ncrc.example/about"
    return private_ok


def test_a_gazette_notice_titled_only_by_its_number_is_matched_on_its_pdf(seeded, pages_ok, server):
    server.routes["/gazette"] = gazette(("/notices/act-21.pdf", "Act No. XXI of 2024", "12 March 2024"),
                                        ("/notices/scan.pdf", "S.R.O. 101(I)/2024", "13 March 2024"))
    server.routes["/notices/act-21.pdf"] = pdf(ACT)
    server.routes["/notices/scan.pdf"] = pdf(pdfs.scanned_pdf())
    feed = add_gazette(server)
    [r] = poll_due_feeds(db.session).feeds
    assert (r.outcome, r.stored) == ("ok", 2)
    act = db.session.scalar(select(Entry).where(Entry.title == "Act No. XXI of 2024"))
    assert "criminalise online grooming" in act.text and act.document_note is None
    codes = {s.recommendation.code for s in db.session.scalars(select(Suggestion).where(Suggestion.entry_id == act.id))}
    assert "LEG-01" in codes
    scan = db.session.scalar(select(Entry).where(Entry.title.like("S.R.O.%")))
    assert "scanned PDF" in scan.document_note
    assert db.session.get(Feed, feed.id).error_count == 0


def test_documents_are_followed_once_and_only_up_to_the_limit(seeded, pages_ok, server):
    pages_ok.config["TRACKER_FOLLOW_LIMIT"] = 2
    items = [(f"/n/{i}.pdf", f"Notification {i}", "12-03-2024") for i in range(4)]
    server.routes["/gazette"] = gazette(*items)
    for href, _t, _d in items:
        server.routes[href] = pdf(pdfs.text_pdf("A notice about fisheries"))
    feed = add_gazette(server)
    poll_due_feeds(db.session)
    followed = [p for p, _h in server.requests if p.startswith("/n/")]
    assert len(followed) == 2
    db.session.get(Feed, feed.id).next_poll_at = utcnow() - timedelta(seconds=1)
    db.session.get(Feed, feed.id).page_hash = None
    db.session.commit()
    poll_due_feeds(db.session)
    assert [p for p, _h in server.requests if p.startswith("/n/")] == followed  # known items: not again


@pytest.mark.parametrize("document, words", [
    (pdfs.encrypted_pdf(), "encrypted"),
    (pdfs.MALFORMED, "damaged or not a PDF"),
    (pdfs.bomb_pdf(), "decompression bomb"),
])
def test_a_hostile_pdf_is_a_clear_error_on_its_source_and_the_item_is_kept(seeded, pages_ok, server, document,
                                                                            words):
    server.routes["/gazette"] = gazette(("/bad.pdf", "Act No. XXII of 2024", "14 March 2024"))
    server.routes["/bad.pdf"] = pdf(document)
    server.routes["/other.xml"] = rss()
    feed = add_gazette(server)
    add_feed(db.session, server.base + "/other.xml", "Other", "news")
    db.session.commit()
    reports = {r.name: r for r in poll_due_feeds(db.session).feeds}
    assert reports["Other"].stored == 3
    feed = db.session.get(Feed, feed.id)
    assert words in feed.last_error and "/bad.pdf" in feed.last_error
    entry = db.session.scalar(select(Entry).where(Entry.feed_id == feed.id))
    assert entry.title == "Act No. XXII of 2024" and words in entry.document_note


def _page_source(url: str, name: str) -> Feed:
    feed = add_source(db.session, SourceInput(url, name, "news", 60, "li", "a", "a"))
    db.session.commit()
    return feed


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        server = hostile.RawServer(handler)
        servers.append(server)
        return server
    yield start
    for s in servers:
        s.close()


HOSTILE = {
    "not HTML": (hostile.respond("200 OK", {"Content-Type": "application/json"}, b'{"a": 1}'), "not an HTML page"),
    "empty": (hostile.respond("200 OK", {"Content-Type": "text/html"}, b""), "empty page"),
    "50 MB": (hostile.respond("200 OK", {"Content-Type": "text/html"}, b"<li>" + b"x" * (50 * 1024 * 1024)),
              "larger than the 5 MB limit"),
    "endless": (hostile.endless_chunked, "larger than the 5 MB limit"),
    "redirect loop": (hostile.respond("302 Found", {"Location": "/loop"}), "redirect loop"),
    "HTTP 500": (hostile.respond("500 Internal Server Error", {}), "HTTP 500"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_page_fails_only_its_own_source(seeded, pages_ok, server, serve, case):
    handler, words = HOSTILE[case]
    bad = serve(handler)
    server.routes["/good"] = (200, {"Content-Type": "text/html"},
                              b'<ul><li><a href="/a">Cybercrime wing opens child protection unit</a></li></ul>')
    bad_feed = _page_source(bad.base + "/page", "Hostile")
    _page_source(server.base + "/good", "Good")
    reports = {r.name: r for r in poll_due_feeds(db.session).feeds}
    assert reports["Good"].outcome == "ok" and reports["Good"].stored == 1
    bad_feed = db.session.get(Feed, bad_feed.id)
    assert reports["Hostile"].outcome == "error" and words in bad_feed.last_error
    assert bad_feed.state == "failing"


def test_a_link_to_a_private_address_is_refused(seeded, app, server):
    app.config["TRACKER_ALLOW_PRIVATE_FEEDS"] = False
    feed = _page_source(server.base + "/page", "Internal")
    [r] = poll_due_feeds(db.session).feeds
    assert r.outcome == "error" and "TRACKER_ALLOW_PRIVATE_FEEDS" in db.session.get(Feed, feed.id).last_error
    assert server.requests == []


def test_a_followed_link_to_a_private_address_is_refused(seeded, pages_ok, server):
    """The follow step uses the same guarded client as the page itself."""
    from tracker.feeds.politeness import PoliteClient
    web = PoliteClient(allow_private=False, contact_url=None)
    try:
        result = web.fetch("http://10.0.0.5/internal.pdf", page=True)
    finally:
        web.close()
    assert result.outcome == "error" and "TRACKER_ALLOW_PRIVATE_FEEDS" in result.error


# ---- good manners --------------------------------------------------------------------------------
def test_robots_txt_refusal_is_the_reason_shown(seeded, pages_ok, server):
    server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                    b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/list"] = (200, {"Content-Type": "text/html"}, b"<ul><li><a href='/x'>x</a></li></ul>")
    server.routes["/public/list"] = (200, {"Content-Type": "text/html"}, b"<ul><li><a href='/y'>y</a></li></ul>")
    refused = _page_source(server.base + "/private/list", "Refused")
    _page_source(server.base + "/public/list", "Allowed")
    reports = {r.name: r for r in poll_due_feeds(db.session).feeds}
    assert reports["Allowed"].stored == 1
    assert "robots.txt" in db.session.get(Feed, refused.id).last_error
    assert "/private/list" not in [p for p, _h in server.requests]
    assert [p for p, _h in server.requests].count("/robots.txt") == 1  # read once per host per run


def test_the_user_agent_names_the_service_and_the_contact_address(seeded, pages_ok, server):
    server.routes["/list"] = (200, {"Content-Type": "text/html"}, b"<ul><li><a href='/y'>y</a></li></ul>")
    _page_source(server.base + "/list", "Page")
    poll_due_feeds(db.session)
    agents = {h.get("User-Agent") for _p, h in server.requests}
    assert agents == {user_agent("https://tracker.ncrc.example/about")}
    assert "NCRC-COP-Tracker" in agents.pop()


def test_one_request_at_a_time_per_host(seeded, pages_ok, server):
    server.hold = 0.05
    for i in range(6):
        server.routes[f"/p{i}"] = (200, {"Content-Type": "text/html"}, b"<ul><li><a href='/y'>y</a></li></ul>")
        _page_source(server.base + f"/p{i}", f"Page {i}")
    poll_due_feeds(db.session)
    assert server.max_in_flight == 1


def test_control_characters_in_a_followed_document_never_reach_the_database(seeded, pages_ok, server):
    """PostgreSQL refuses NUL: extracted text is cleaned, so the item and its source are stored as usual."""
    server.routes["/gazette"] = gazette(("/nul.txt", "Notification 7", "15-03-2024"))
    server.routes["/nul.txt"] = (200, {"Content-Type": "text/plain"}, b"online \x00grooming\x01 notice\x7f")
    feed = add_gazette(server)
    [r] = poll_due_feeds(db.session).feeds
    assert r.outcome == "ok" and r.stored == 1
    entry = db.session.scalar(select(Entry).where(Entry.feed_id == feed.id))
    assert "online grooming notice" in entry.text and "\x00" not in entry.text
