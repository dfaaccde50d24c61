"""Issue 8 item 4: an address that cannot be fetched is refused when it is added, and one that is already
stored fails only its own source, never the poll run. The same validator guards evidence links."""
import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.feeds.test_polling import rss
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.polling import poll_due_feeds
from tracker.recommendations.models import Recommendation

BAD = ["http://example.org:99999/feed", "http://exa\x00mple.org/feed", "http://[::1/feed", "http://example.org:0/",
       "ftp://example.org/feed", "http://exa mple.org/", "http://bad\u202eexample.org/"]


@pytest.mark.parametrize("url", BAD)
def test_feeds_add_refuses_addresses_that_cannot_be_fetched(runner, app, url):
    result = runner.invoke(args=["feeds", "add", url, "--name", "Bad", "--kind", "news"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "address" in result.output.lower()
    assert db.session.scalar(select(func.count(Feed.id))) == 0


@pytest.mark.parametrize("url", BAD[:3])
def test_the_feed_form_refuses_them_with_a_message_not_a_500(client, auth, url):
    auth.login("admin")
    token = csrf_from(client.get("/admin/feeds").get_data(as_text=True))
    page = client.post("/admin/feeds", data={"csrf_token": token, "name": "Bad", "url": url, "kind": "news",
                                             "interval_minutes": "60"})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "address" in text.lower() or "NUL character" in text  # a NUL is refused at the edge, first
    assert db.session.scalar(select(func.count(Feed.id))) == 0


@pytest.mark.parametrize("url", ["http://example.org:99999/f", "http://example.org:0/f", "http://[::1/x"])
def test_an_evidence_link_with_a_bad_port_is_refused(seeded, client, tokens, url):
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    answer = client.post("/api/v1/recommendations/LEG-01/status",
                         headers={"Authorization": f"Bearer {tokens['editor']}"},
                         json={"status": "in_progress", "note": "n", "evidence_url": url, "version": rec.version})
    assert answer.status_code == 400 and "Evidence link" in answer.get_json()["error"]


def test_a_stored_unfetchable_address_fails_only_its_own_feed(seeded, server, app):
    """Rows written before validation existed (or by hand) must not stop the poll run."""
    app.config["TRACKER_ALLOW_PRIVATE_FEEDS"] = True
    server.routes["/good.xml"] = rss()
    db.session.add_all([Feed(url="http://example.org:99999/feed", name="Port", kind="news"),
                        Feed(url="http://[::1/feed", name="Bracket", kind="news"),
                        Feed(url=server.base + "/good.xml", name="Good", kind="parliament")])
    db.session.commit()
    report = poll_due_feeds(db.session)
    by_name = {r.name: r for r in report.feeds}
    assert by_name["Good"].outcome == "ok" and by_name["Good"].stored == 3
    for name in ("Port", "Bracket"):
        assert by_name[name].outcome == "error"
        feed = db.session.scalar(select(Feed).where(Feed.name == name))
        assert feed.error_count == 1 and "not valid" in feed.last_error
    assert db.session.scalar(select(func.count(Entry.id))) == 3
