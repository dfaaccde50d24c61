"""Building and sending digests through a real SMTP server: content, headers, newness, filters, staff."""
from datetime import timedelta

from sqlalchemy import func, select, update

from tests.conftest import csrf_from
from tests.digests.conftest import MAIL_FROM, record_change, run, subscribe_directly
from tracker.db import utcnow
from tracker.digests.models import OutboxMessage, Subscription, Token
from tracker.digests.operations import hash_token
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation


def body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_received_digest_has_both_parts_and_the_list_headers(mail_app, seeded, smtp_server):
    sub = subscribe_directly("reader@example.org")
    change = record_change("GOV-01", "in_progress", "Draft bill sent to cabinet.\nSecond line & <b>not html</b>.",
                           "https://example.org/evidence?a=1&b=2")
    report = run()
    assert report.delivery.sent == 1
    (mail_from, rcpts, msg), = smtp_server.received
    assert mail_from == "tracker@ncrc.example.org" and rcpts == ["reader@example.org"]
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["From"] == MAIL_FROM and msg["Auto-Submitted"] == "auto-generated"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = [t.strip(" <>") for t in msg["List-Unsubscribe"].split(",")]
    assert https.startswith("http://tracker.test/unsubscribe/") and mailto.startswith("mailto:tracker@ncrc.example.org")
    row = db.session.scalars(select(OutboxMessage)).one()
    assert msg["Message-ID"] == row.message_id and row.state == "sent" and row.period.startswith("daily:")
    text, html = body(msg, "plain"), body(msg, "html")
    assert "GOV-01" in text and "Draft bill sent to cabinet." in text and "In progress" in text
    assert "http://tracker.test/recommendations/GOV-01" in text and "https://example.org/evidence?a=1&b=2" in text
    assert '<html lang="en" dir="ltr">' in html and 'name="viewport"' in html
    assert "&lt;b&gt;not html&lt;/b&gt;" in html and "<b>not html</b>" not in html
    assert 'href="http://tracker.test/recommendations/GOV-01"' in html
    assert 'href="https://example.org/evidence?a=1&amp;b=2"' in html
    # The pointer moved to the delivered event; the token in the link is stored hashed, for one purpose.
    db.session.refresh(sub)
    assert sub.last_change_id == change.id and sub.last_sent_at is not None
    token = https.rsplit("/", 1)[1]
    stored = db.session.scalar(select(Token).where(Token.token_hash == hash_token(token)))
    assert stored.purpose == "unsubscribe" and not db.session.scalar(select(Token).where(Token.token_hash == token))


def test_empty_digest_is_not_sent(mail_app, seeded, smtp_server):
    subscribe_directly("reader@example.org")
    report = run()
    assert report.queued == {"daily": 0} and smtp_server.received == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_each_digest_has_only_what_is_new_since_the_last_delivered(mail_app, seeded, smtp_server):
    subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "first change")
    run()
    record_change("GOV-03", "stalled", "second change")
    run()  # the same day: this period's digest was already sent, nothing more today
    assert len(smtp_server.received) == 1
    run(days=1)
    run(days=1)
    first, second = [body(m, "plain") for _f, _r, m in smtp_server.received]
    assert "first change" in first and "second change" not in first
    assert "second change" in second and "first change" not in second
    run(days=2)  # nothing new: nothing sent
    assert len(smtp_server.received) == 2


def test_stakeholder_filter(mail_app, seeded, smtp_server):
    subscribe_directly("judges@example.org", stakeholders="judiciary")
    subscribe_directly("all@example.org")
    subscribe_directly("ngos@example.org", stakeholders="civil-society,nhris")
    record_change("GOV-01", "in_progress", "government moved")
    record_change("JUD-01", "in_progress", "courts moved")
    run()
    judges, = smtp_server.messages_to("judges@example.org")
    assert "courts moved" in body(judges, "plain") and "government moved" not in body(judges, "plain")
    everything, = smtp_server.messages_to("all@example.org")
    assert "courts moved" in body(everything, "plain") and "government moved" in body(everything, "plain")
    assert smtp_server.messages_to("ngos@example.org") == []


def test_weekly_subscribers_get_weekly_digests_only(mail_app, seeded, smtp_server):
    subscribe_directly("weekly@example.org", frequency="weekly")
    record_change("GOV-01", "in_progress", "moved")
    assert run("daily").queued == {"daily": 0}
    report = run("weekly")
    assert report.queued == {"weekly": 1} and report.periods["weekly"].startswith("weekly:")
    assert db.session.scalars(select(OutboxMessage.period)).one() == report.periods["weekly"]


def _failing_feed_and_suggestion() -> None:
    feed = Feed(name="Gazette of Pakistan", url="https://gazette.example.org/rss", kind="gazette",
                error_count=3, last_error="HTTP 503 from the server")
    db.session.add(feed)
    db.session.flush()
    entry = Entry(feed_id=feed.id, dedup_key="k1", title="Senate passes the child protection bill",
                  link="https://news.example.org/senate", text="", content_hash="h")
    db.session.add(entry)
    db.session.flush()
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    db.session.add(Suggestion(entry_id=entry.id, recommendation_id=rec.id, score=0.9, rationale="bill named",
                              proposed_status="in_progress"))
    db.session.execute(update(Recommendation).where(Recommendation.code == "GOV-03")
                       .values(updated_at=utcnow() - timedelta(days=200)))
    db.session.commit()


def test_staff_digest_lists_what_needs_staff(mail_app, seeded, users, smtp_server):
    _failing_feed_and_suggestion()
    run()
    editor, = smtp_server.messages_to("editor@ncrc.example.org")
    admin, = smtp_server.messages_to("admin@ncrc.example.org")
    assert smtp_server.messages_to("viewer@ncrc.example.org") == []  # viewers review nothing
    text, html = body(editor, "plain"), body(editor, "html")
    assert "Senate passes the child protection bill" in text and "http://tracker.test/staff/inbox" in text
    assert "GOV-03" in text and "not updated for 90 days" in text
    assert "Gazette of Pakistan" in text and "HTTP 503" in text
    assert "suggestion to review" in editor["Subject"]
    assert "/admin/feeds" in body(admin, "plain") and "/admin/feeds" not in text  # only admins manage feeds
    assert 'href="http://tracker.test/staff/inbox"' in html and editor["List-Unsubscribe-Post"]
    # Delivered once: the next day has nothing new for staff.
    run(days=1)
    assert len(smtp_server.received) == 2


def test_staff_digest_respects_the_account_page(mail_app, seeded, users, client, auth, smtp_server):
    auth.login("editor")
    page = client.get("/account")
    assert page.status_code == 200 and "Staff digest" in page.get_data(as_text=True)
    response = client.post("/account", data={"frequency": "weekly", "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    sub = db.session.scalar(select(Subscription).where(Subscription.user_id == users["editor"].id))
    assert (sub.state, sub.frequency) == ("unsubscribed", "weekly")  # unticked box: off
    _failing_feed_and_suggestion()
    run("daily")
    run("weekly")
    assert smtp_server.messages_to("editor@ncrc.example.org") == []
    assert len(smtp_server.messages_to("admin@ncrc.example.org")) == 1


def test_viewer_account_page_has_no_digest(client, auth, users):
    auth.login("viewer")
    assert "for editors and admins" in client.get("/account").get_data(as_text=True)
    assert client.post("/account", data={}).status_code in (400, 403)


def _queries_for_a_run(count_queries, n: int, offset: int) -> int:
    for i in range(n):
        subscribe_directly(f"reader{offset + i}@example.org", stakeholders="government" if i % 2 else "")
    record_change("GOV-01" if offset == 0 else "GOV-03", "in_progress", f"change for batch {offset}")
    with count_queries() as counted:
        report = run()
    assert report.delivery.sent == n
    return counted()


def test_queries_per_run_do_not_grow_with_subscribers(mail_app, seeded, users, smtp_server, count_queries):
    run(days=-1)  # warm-up: the lease row and the staff rows exist, as on any later day
    small = _queries_for_a_run(count_queries, 5, 0)
    db.session.execute(update(Subscription).where(Subscription.user_id.is_(None)).values(state="unsubscribed"))
    db.session.commit()
    large = _queries_for_a_run(count_queries, 15, 100)
    print(f"queries per run: {small} for 5 subscribers, {large} for 15")
    assert large <= small, (small, large)  # batch-loaded: the same statements for 5 or 15
    assert small < 40


def test_cli_send_and_dry_run(mail_app, seeded, runner, smtp_server):
    subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "moved")
    dry = runner.invoke(args=["digests", "send", "--dry-run", "--frequency", "daily"])
    assert dry.exit_code == 0, dry.output
    assert "would queue 1 digest" in dry.output
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0 and smtp_server.received == []
    sent = runner.invoke(args=["digests", "send"])
    assert sent.exit_code == 0, sent.output
    assert "sent 1" in sent.output and len(smtp_server.received) == 1
    again = runner.invoke(args=["digests", "send"])
    assert "queued 0" in again.output and len(smtp_server.received) == 1
    bad = runner.invoke(args=["digests", "send", "--frequency", "hourly"])
    assert bad.exit_code != 0


def test_admin_preview(mail_app, seeded, users, client, auth, smtp_server):
    sub = subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "preview me")
    auth.login("admin")
    page = client.get(f"/admin/digests/preview?subscription={sub.id}")
    assert page.status_code == 200 and "status update" in page.get_data(as_text=True)
    assert "preview me" in page.get_data(as_text=True)
    html = client.get(f"/admin/digests/preview.html?subscription={sub.id}")
    assert html.status_code == 200 and "preview me" in html.get_data(as_text=True)
    assert "frame-ancestors 'self'" in html.headers["Content-Security-Policy"]
    staff = client.get(f"/admin/digests/preview?user={users['editor'].id}")
    assert staff.status_code == 200 and "Nothing new" in staff.get_data(as_text=True)
    assert client.get("/admin/digests/preview").status_code == 400
    assert client.get("/admin/digests/preview?subscription=999999").status_code == 404
    assert smtp_server.received == [] and db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    auth.logout()
    auth.login("editor")
    assert client.get(f"/admin/digests/preview?subscription={sub.id}").status_code == 403
    assert client.get("/admin/outbox").status_code == 403


def test_scheduler_jobs_are_registered(app):
    from tracker.scheduler import _jobs
    names = {j.name: j for j in _jobs(app)}
    assert {"digests.daily", "digests.weekly", "digests.outbox"} <= set(names)
    assert "hour='7'" in str(names["digests.daily"].trigger) and "mon" in str(names["digests.weekly"].trigger)
    # Confirmations wait for this job: its interval is the documented delay (TRACKER_DIGEST_RETRY_MINUTES).
    assert names["digests.outbox"].trigger.interval == timedelta(minutes=app.config["TRACKER_DIGEST_RETRY_MINUTES"])


def test_a_staff_name_with_a_line_break_cannot_inject_headers(mail_app, seeded, users, smtp_server):
    users["editor"].name = "Editor\r\nBcc: everyone@example.org"
    db.session.commit()
    _failing_feed_and_suggestion()
    run()
    editor, = smtp_server.messages_to("editor@ncrc.example.org")
    assert "Bcc" not in editor and editor["To"] == "editor@ncrc.example.org"
    assert all(rcpts != ["everyone@example.org"] for _f, rcpts, _m in smtp_server.received)


def test_scheduled_jobs_run_under_the_lease(mail_app, seeded, smtp_server):
    from tracker import leases
    from tracker.digests import jobs
    subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "moved")
    assert leases.acquire(db.session, jobs.LEASE, 60, holder="someone-else")
    assert run().skipped_reason and smtp_server.received == []  # a concurrent run does nothing
    assert jobs.deliver_outbox(db.session) is None
    leases.release(db.session, jobs.LEASE, holder="someone-else")
    jobs.daily_job()
    jobs.weekly_job()
    jobs.outbox_job()
    assert len(smtp_server.received) == 1
