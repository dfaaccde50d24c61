"""The polling pipeline against feeds served on loopback: store, dedupe, suggest, errors, leases."""
from datetime import timedelta

from sqlalchemy import func, select

from tracker import leases
from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.feeds.operations import add_feed
from tracker.feeds.polling import poll_due_feeds
from tracker.matching.models import Suggestion

BILL_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Parliament watch</title><link>http://example.org/</link><ttl>30</ttl>
<item><guid>na-2026-0912</guid><title>National Assembly passes Criminal Laws (Amendment) Bill on online child sexual abuse</title>
<link>https://example.org/na-passes-bill</link><pubDate>Tue, 10 Nov 2026 09:00:00 GMT</pubDate>
<description>The National Assembly on Tuesday passed the Criminal Laws (Amendment) Bill, 2022, which amends PECA 2016 to criminalise online grooming, sextortion and live-streaming of child sexual abuse. The bill now goes to the Senate.</description></item>
<item><guid>cricket-1</guid><title>Pakistan beat New Zealand in T20 series opener</title>
<link>https://example.org/cricket</link><pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate>
<description>Babar Azam scored a half-century in Rawalpindi.</description></item>
<item><guid>xss-1</guid><title>&lt;script&gt;alert(1)&lt;/script&gt;FIA gets access to INTERPOL ICSE database</title>
<link>https://example.org/icse</link><pubDate>Wed, 11 Nov 2026 10:00:00 GMT</pubDate>
<description>&lt;p onclick="x()"&gt;The FIA Cyber Crime Wing has been granted access to INTERPOL's International Child Sexual Exploitation (ICSE) database.&lt;script&gt;alert(2)&lt;/script&gt;&lt;/p&gt;</description></item>
</channel></rss>"""


def rss(headers=None):
    return 200, {"Content-Type": "application/rss+xml; charset=utf-8", **(headers or {})}, BILL_RSS.encode()


def test_poll_stores_entries_and_suggests(seeded, private_ok, server):
    server.routes["/bill.xml"] = rss({"ETag": '"v1"'})
    feed = add_feed(db.session, server.base + "/bill.xml", "Parliament watch", "parliament")
    db.session.commit()
    report = poll_due_feeds(db.session)
    [r] = report.feeds
    assert (r.outcome, r.fetched, r.stored) == ("ok", 3, 3)
    assert r.suggested >= 2
    # An RSS guid is a permalink unless it says otherwise, so feedparser resolves it against the feed URL.
    pairs = {(s.entry.guid.rsplit("/", 1)[-1], s.recommendation.code, s.proposed_status)
             for s in db.session.scalars(select(Suggestion))}
    assert ("na-2026-0912", "LEG-01", "in_progress") in pairs
    assert not any(guid == "cricket-1" for guid, _c, _s in pairs)
    feed = db.session.get(Feed, feed.id)
    assert feed.etag == '"v1"' and feed.error_count == 0 and feed.last_error is None
    assert feed.next_poll_at > utcnow() + timedelta(minutes=20)  # interval 60 with ±10% jitter


def test_second_poll_is_conditional_and_stores_nothing(seeded, private_ok, server):
    server.routes["/bill.xml"] = rss({"ETag": '"v1"'})
    feed = add_feed(db.session, server.base + "/bill.xml", "Parliament watch", "parliament")
    db.session.commit()
    poll_due_feeds(db.session)
    feed = db.session.get(Feed, feed.id)
    feed.next_poll_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    [r] = poll_due_feeds(db.session).feeds
    assert r.outcome == "not_modified" and r.stored == 0
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert db.session.scalar(select(func.count(Entry.id))) == 3


def test_script_in_feed_is_neutralised(seeded, private_ok, server, client, auth):
    server.routes["/bill.xml"] = rss()
    add_feed(db.session, server.base + "/bill.xml", "Parliament watch", "parliament")
    db.session.commit()
    poll_due_feeds(db.session)
    entry = db.session.scalar(select(Entry).where(Entry.guid.like("%/xss-1")))
    assert "<script" not in entry.summary_html and "onclick" not in entry.summary_html
    assert "<" not in entry.title or "&lt;" not in entry.title  # plain text, stored unescaped once
    auth.login("editor")
    html = client.get("/staff/inbox").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "INTERPOL" in html and "<mark>" in html


def test_bad_feed_does_not_stop_good_ones(seeded, private_ok, server):
    server.routes["/good.xml"] = rss()
    server.routes["/broken.xml"] = (500, {}, b"oops")
    server.routes["/html.xml"] = (200, {"Content-Type": "text/html"}, b"<html><body>Not a feed</body></html>")
    add_feed(db.session, server.base + "/broken.xml", "Broken", "news")
    add_feed(db.session, server.base + "/html.xml", "HTML page", "news")
    add_feed(db.session, server.base + "/good.xml", "Good", "news")
    db.session.commit()
    by_name = {r.name: r for r in poll_due_feeds(db.session).feeds}
    assert by_name["Good"].stored == 3
    assert by_name["Broken"].outcome == "error" and "500" in by_name["Broken"].error
    assert by_name["HTML page"].outcome == "error" and by_name["HTML page"].error
    broken = db.session.scalar(select(Feed).where(Feed.name == "Broken"))
    assert broken.error_count == 1 and "500" in broken.last_error
    assert broken.next_poll_at > utcnow()


def test_gone_feed_is_never_polled_again(seeded, private_ok, server):
    server.routes["/gone.xml"] = (410, {}, b"")
    feed = add_feed(db.session, server.base + "/gone.xml", "Gone", "news")
    db.session.commit()
    poll_due_feeds(db.session)
    assert db.session.get(Feed, feed.id).gone
    assert poll_due_feeds(db.session).feeds == []


def test_permanent_redirect_updates_the_stored_url(seeded, private_ok, server):
    server.routes["/old.xml"] = (301, {"Location": server.base + "/new.xml"}, b"")
    server.routes["/new.xml"] = rss()
    feed = add_feed(db.session, server.base + "/old.xml", "Moved", "news")
    db.session.commit()
    poll_due_feeds(db.session)
    assert db.session.get(Feed, feed.id).url == server.base + "/new.xml"


def test_private_addresses_refused_unless_allowed(seeded, server):
    server.routes["/bill.xml"] = rss()
    add_feed(db.session, server.base + "/bill.xml", "Loopback", "news")
    db.session.commit()
    [r] = poll_due_feeds(db.session).feeds
    assert r.outcome == "error" and "TRACKER_ALLOW_PRIVATE_FEEDS" in r.error
    assert db.session.scalar(select(func.count(Entry.id))) == 0


def test_a_concurrent_poll_is_harmless(seeded, private_ok, server):
    server.routes["/bill.xml"] = rss()
    feed = add_feed(db.session, server.base + "/bill.xml", "Parliament watch", "parliament")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Row claims: a source another poller holds is passed over, the others are polled.
        feed.claimed_by, feed.claim_expires_at = "the-scheduler", utcnow() + timedelta(minutes=5)
        db.session.commit()
        assert poll_due_feeds(db.session).feeds == [] and server.requests == []
        feed = db.session.get(Feed, feed.id)
        feed.claim_expires_at = utcnow() - timedelta(seconds=1)  # its holder died: the claim lapses
        db.session.commit()
        assert poll_due_feeds(db.session).feeds[0].stored == 3
        assert db.session.get(Feed, feed.id).claimed_by is None
        return
    assert leases.acquire(db.session, "feeds:poll", 60, holder="the-scheduler")
    report = poll_due_feeds(db.session)
    assert report.skipped_reason and report.feeds == []
    assert server.requests == []
    leases.release(db.session, "feeds:poll", holder="the-scheduler")
    assert poll_due_feeds(db.session).feeds[0].stored == 3


def test_dismissed_pair_never_returns_and_accept_records_evidence(seeded, private_ok, server, users):
    from tracker.matching.operations import accept_suggestion, dismiss_suggestion
    from tracker.recommendations.models import Recommendation
    server.routes["/bill.xml"] = rss()
    feed = add_feed(db.session, server.base + "/bill.xml", "Parliament watch", "parliament")
    db.session.commit()
    poll_due_feeds(db.session)
    bill = db.session.scalar(select(Suggestion).join(Entry).where(Entry.guid.like("%/na-2026-0912"))
                             .join(Recommendation).where(Recommendation.code == "LEG-01"))
    others = db.session.scalars(select(Suggestion).where(Suggestion.id != bill.id)).all()
    accept_suggestion(db.session, bill.id, user_id=users["editor"].id)
    for s in others:
        dismiss_suggestion(db.session, s.id, user_id=users["editor"].id)
    db.session.commit()
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    change = list(db.session.scalars(rec.history.select()))[-1]
    assert (rec.status, change.origin, change.evidence_url) == ("in_progress", "suggestion",
                                                              "https://example.org/na-passes-bill")
    # The same items, edited, come back on the next poll: nothing is suggested again.
    server.routes["/bill.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                  BILL_RSS.replace("goes to the Senate", "goes to the Senate next week").encode())
    db.session.get(Feed, feed.id).next_poll_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    [r] = poll_due_feeds(db.session).feeds
    assert r.updated == 1 and r.suggested == 0
    assert db.session.scalar(select(func.count(Suggestion.id)).where(Suggestion.state == "pending")) == 0


def test_feeds_cli_add_list_poll(runner, seeded, private_ok, server, client, auth, tokens):
    server.routes["/bill.xml"] = rss()
    added = runner.invoke(args=["feeds", "add", server.base + "/bill.xml", "--name", "NA", "--kind", "parliament"])
    assert added.exit_code == 0, added.output
    for bad, words in ((["feeds", "add", "ftp://x.org/f", "--name", "x"], "http"),
                       (["feeds", "add", server.base + "/bill.xml", "--name", "dup"], "already exists"),
                       (["feeds", "add", "https://x.org/f", "--name", "x", "--kind", "blog"], "Invalid value")):
        result = runner.invoke(args=bad)
        assert result.exit_code != 0 and words in result.output
    assert "NA" in runner.invoke(args=["feeds", "list"]).output
    polled = runner.invoke(args=["feeds", "poll"])
    assert polled.exit_code == 0, polled.output
    assert "fetched 3, stored 3" in polled.output and "suggested" in polled.output
    # what the CLI found is in the editors' inbox and in the API
    api = client.get("/api/v1/suggestions?state=pending",
                     headers={"Authorization": f"Bearer {tokens['editor']}"}).get_json()["suggestions"]
    by_title = {(s["entry"]["title"], s["recommendation"]["code"]): s for s in api}
    bill = by_title[("National Assembly passes Criminal Laws (Amendment) Bill on online child sexual abuse", "LEG-01")]
    assert bill["proposed_status"] == "in_progress" and bill["entry"]["feed"] == "NA"
    assert not any(title.startswith("Pakistan beat New Zealand") for title, _ in by_title)
    auth.login("editor")
    inbox = client.get("/staff/inbox").get_data(as_text=True)
    assert "National Assembly passes Criminal Laws (Amendment) Bill" in inbox and "LEG-01" in inbox
    missing = runner.invoke(args=["feeds", "poll", "--id", "999"])
    assert missing.exit_code != 0 and "No source with id 999" in missing.output


def test_seed_loads_feed_sources_once(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    first = db.session.scalar(select(func.count(Feed.id)))
    assert first >= 4
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert db.session.scalar(select(func.count(Feed.id))) == first


def test_many_feeds_are_analysed_in_worker_processes_with_the_same_result(seeded, private_ok, server, app):
    """Five feeds reach the process pool (threshold 4); the outcome equals the in-process path."""
    from tracker.feeds import analysis
    for i in range(5):
        server.routes[f"/f{i}.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                       BILL_RSS.replace("na-2026-0912", f"na-{i}").replace("cricket-1", f"c-{i}")
                                       .replace("xss-1", f"x-{i}").replace("example.org/", f"example.org/{i}/")
                                       .encode())
        add_feed(db.session, server.base + f"/f{i}.xml", f"Feed {i}", "parliament")
    db.session.commit()
    app.config["TRACKER_PARSE_PROCESSES"] = 2
    used_pool = []
    real = analysis.ProcessPoolExecutor

    def spy(*args, **kwargs):
        used_pool.append(kwargs.get("max_workers", args[0] if args else None))
        return real(*args, **kwargs)
    analysis.ProcessPoolExecutor = spy
    try:
        reports = poll_due_feeds(db.session).feeds
    finally:
        analysis.ProcessPoolExecutor = real
    assert used_pool == [2]
    assert sorted((r.name, r.stored) for r in reports) == [(f"Feed {i}", 3) for i in range(5)]
    pool_pairs = {(s.entry.guid.rsplit("/", 1)[-1], s.recommendation.code, s.proposed_status, s.rationale)
                  for s in db.session.scalars(select(Suggestion))}
    from tracker.feeds.parsing import parse_feed
    from tracker.matching.operations import matcher_profiles
    from tracker.matching.matcher import Matcher
    inline = Matcher(*matcher_profiles(db.session))
    doc = parse_feed(server.routes["/f0.xml"][2], base_url=server.base + "/f0.xml")
    expected = {(e.guid.rsplit("/", 1)[-1], m.code, m.proposed_status, m.rationale)
                for e in doc.entries for m in inline.match(e.title, e.text, feed_kind="parliament")}
    assert expected and expected <= pool_pairs


HELPLINE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Education news</title><link>http://example.org/</link>
<item><guid>fde-helpline</guid><title>Helpline number to be displayed in every school</title>
<link>https://example.org/fde-helpline</link><pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate>
<description>The Federal Directorate of Education has directed its schools and colleges to display the 1991 cybercrime
helpline number on notice boards, so that students know where to report online abuse.</description></item>
</channel></rss>"""


def test_a_poll_suggests_what_only_the_learned_model_finds(seeded, private_ok, server):
    """The poll's matcher (in worker processes) loads the shipped relevance model: an item the rules alone
    would not give GOV-06 is suggested for it, with the model's rationale."""
    server.routes["/fde.xml"] = (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, HELPLINE_RSS.encode())
    add_feed(db.session, server.base + "/fde.xml", "Education news", "news")
    db.session.commit()
    poll_due_feeds(db.session)
    found = {s.recommendation.code: s for s in db.session.scalars(select(Suggestion))}
    assert "GOV-06" in found
    assert found["GOV-06"].rationale.startswith("Learned from the labelled news")
