"""Issue 8 item 12: one unreadable item costs that item, not the feed; an over-long link is refused and
recorded, never silently cut. Stored on SQLite and PostgreSQL alike (PostgreSQL refuses NUL)."""
from sqlalchemy import select

from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.operations import add_feed
from tracker.feeds.parsing import parse_feed
from tracker.feeds.polling import poll_due_feeds

LONG = "https://example.org/" + "x" * 2100


def rss_with(*items: str) -> bytes:
    body = "".join(items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>').encode()


def item(title: str, link: str, text: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link><description>{text}</description></item>"


FEED = rss_with(item("First", "https://example.org/1"),
                item("Broken &#0; &#xD800; &#x110000;", "https://example.org/2", "text &#1;"),
                item("Third", "https://example.org/3"),
                item("Too long", LONG),
                item("Fourth", "https://example.org/4", "a &#27; b"))


def test_a_bad_character_reference_skips_only_its_item():
    parsed = parse_feed(FEED)
    assert parsed.error is None
    assert [e.title for e in parsed.entries] == ["First", "Third"]
    assert len(parsed.skipped) == 3
    assert "character reference" in parsed.skipped[0] and "2,000 characters" in parsed.skipped[1]
    assert "Fourth" in parsed.skipped[2] and "character reference" in parsed.skipped[2]


def test_poll_keeps_the_good_items_and_records_the_skipped_ones(app, server):
    app.config["TRACKER_ALLOW_PRIVATE_FEEDS"] = True
    server.routes["/f.xml"] = (200, {"Content-Type": "application/rss+xml"}, FEED)
    feed = add_feed(db.session, server.base + "/f.xml", "Mixed", "news")
    db.session.commit()
    [r] = poll_due_feeds(db.session).feeds
    assert (r.outcome, r.stored) == ("ok", 2)
    assert sorted(db.session.scalars(select(Entry.title))) == ["First", "Third"]
    feed = db.session.get(Feed, feed.id)
    assert feed.error_count == 0
    assert "Too long" in feed.last_error and "2,000 characters" in feed.last_error
    assert not db.session.scalar(select(Entry).where(Entry.link.like("https://example.org/xxx%")))
