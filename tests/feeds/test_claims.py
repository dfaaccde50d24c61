"""Several pollers share due sources through PostgreSQL row claims; SQLite keeps the single lease."""
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.feeds.test_polling import rss
from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.polling import claim_feeds, poll_due_feeds


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row claims are the PostgreSQL path; SQLite keeps the single lease (tests/feeds/test_polling.py)")


def test_two_pollers_share_the_due_sources_and_none_is_polled_twice(postgres_only, seeded, private_ok, server):
    count = 40
    for i in range(count):
        server.routes[f"/f{i}.xml"] = rss()
        db.session.add(Feed(url=server.base + f"/f{i}.xml", name=f"Feed {i}", kind="news"))
    db.session.commit()
    reports, errors, start = {}, [], threading.Barrier(2)

    def poller(holder: str):
        try:
            with private_ok.app_context():
                start.wait()
                reports[holder] = poll_due_feeds(db.session, holder=holder)
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)
    threads = [threading.Thread(target=poller, args=(name,)) for name in ("poller-a", "poller-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    polled = Counter(r.feed_id for report in reports.values() for r in report.feeds)
    assert len(polled) == count and set(polled.values()) == {1}
    requests = Counter(path for path, _h in server.requests)
    assert len(requests) == count and set(requests.values()) == {1}
    assert db.session.scalar(select(func.count(Feed.id)).where(Feed.claimed_by.isnot(None))) == 0
    assert db.session.scalar(select(func.count(Entry.id))) == 3 * count


def test_a_dead_holders_claim_expires(postgres_only, app):
    feed = Feed(url="https://example.org/f", name="F", kind="news")
    db.session.add(feed)
    db.session.commit()
    assert claim_feeds(db.session, ids=None, now=utcnow(), holder="crashed", seconds=60) == [feed.id]
    assert claim_feeds(db.session, ids=None, now=utcnow(), holder="other") == []
    db.session.get(Feed, feed.id).claim_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert claim_feeds(db.session, ids=None, now=utcnow(), holder="other") == [feed.id]
    assert db.session.get(Feed, feed.id).claimed_by == "other"
