"""The public side: double opt-in, single-purpose tokens, one-click unsubscribe, bad input, rate limits."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.digests.conftest import MAIL_FROM, record_change, run, send_outbox
from tracker import create_app
from tracker.digests.models import OutboxMessage, Subscription, Token
from tracker.extensions import db


def confirm_link(msg) -> str:
    text = msg.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://tracker\.test(/subscribe/confirm/\S+)", text).group(1)


def unsubscribe_link(msg) -> str:
    return re.search(r"<http://tracker\.test(/unsubscribe/[^>]+)>", msg["List-Unsubscribe"]).group(1)


def subscribe(client, email: str, frequency: str = "daily", stakeholders=(), name: str = ""):
    token = csrf_from(client.get("/subscribe").get_data(as_text=True))
    return client.post("/subscribe", data={"email": email, "frequency": frequency, "stakeholder": list(stakeholders),
                                           "name": name, "csrf_token": token})


def subscribe_and_confirm(client, smtp_server, email: str, **kw) -> Subscription:
    assert subscribe(client, email, **kw).status_code == 200
    send_outbox()
    link = confirm_link(smtp_server.messages_to(email)[-1])
    assert client.get(link).status_code == 200
    return db.session.scalar(select(Subscription).where(Subscription.email == email))


def test_scorecard_links_to_the_form(seeded, client):
    assert 'href="/subscribe"' in client.get("/").get_data(as_text=True)
    page = client.get("/subscribe?stakeholder=judiciary").get_data(as_text=True)
    for name in ('name="email"', 'name="frequency"', 'name="stakeholder"', 'name="csrf_token"'):
        assert name in page
    assert re.search(r'<input[^>]*checked[^>]*value="judiciary"|<input[^>]*value="judiciary"[^>]*checked', page)


def test_double_opt_in(mail_app, seeded, client, smtp_server):
    response = subscribe(client, "Reader@Example.org", stakeholders=["government"], name="Ayesha Khan")
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    # Queued by the request (committed in the outbox), sent by the outbox job: nothing goes out before it runs.
    assert smtp_server.received == []
    row, = db.session.scalars(select(OutboxMessage))
    assert (row.kind, row.state, row.recipient) == ("confirm", "pending", "reader@example.org")
    assert send_outbox().sent == 1
    confirmation, = smtp_server.messages_to("reader@example.org")
    assert confirmation["From"] == MAIL_FROM and confirmation.get_content_type() == "multipart/alternative"
    # A stranger's free text never goes into an official mail (item 11 of the hardening issue).
    assert str(confirmation["To"]) == "reader@example.org" and "confirm" in confirm_link(confirmation)
    assert "Ayesha" not in confirmation.get_body(preferencelist=("plain",)).get_content()
    sub = db.session.scalar(select(Subscription).where(Subscription.email == "reader@example.org"))
    assert sub.state == "pending"
    record_change("GOV-01", "in_progress", "before confirming")
    run()
    assert len(smtp_server.received) == 1  # unconfirmed: nothing but the confirmation
    assert client.get(confirm_link(confirmation)).status_code == 200
    db.session.refresh(sub)
    assert (sub.state, sub.stakeholders) == ("active", "government")
    assert client.get(confirm_link(confirmation)).status_code == 200  # a second click changes nothing
    run(days=1)
    assert len(smtp_server.received) == 1  # news start at confirmation: the earlier change is not sent
    record_change("GOV-03", "in_progress", "after confirming")
    record_change("JUD-01", "in_progress", "not my stakeholder")
    run(days=1)
    digest = smtp_server.messages_to("reader@example.org")[-1]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "after confirming" in text and "before confirming" not in text and "not my stakeholder" not in text


def test_tokens_are_single_purpose_and_hashed(mail_app, seeded, client, smtp_server):
    sub = subscribe_and_confirm(client, smtp_server, "reader@example.org")
    confirm_path = confirm_link(smtp_server.messages_to("reader@example.org")[0])
    confirm_token = confirm_path.rsplit("/", 1)[1]
    # A confirmation token cannot unsubscribe.
    assert client.post(f"/unsubscribe/{confirm_token}", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.get(f"/unsubscribe/{confirm_token}").status_code == 404
    db.session.refresh(sub)
    assert sub.state == "active"
    record_change("GOV-01", "in_progress", "news")
    run()
    unsub_token = unsubscribe_link(smtp_server.messages_to("reader@example.org")[-1]).rsplit("/", 1)[1]
    # An unsubscribe token cannot confirm; guessed tokens do nothing.
    assert client.get(f"/subscribe/confirm/{unsub_token}").status_code == 404
    assert client.get("/subscribe/confirm/" + "A" * 43).status_code == 404
    assert client.post("/unsubscribe/" + "A" * 43).status_code == 404
    stored = set(db.session.scalars(select(Token.token_hash)))
    assert confirm_token not in stored and unsub_token not in stored and len(stored) == 2


def test_one_click_unsubscribe_stops_the_next_digest(mail_app, seeded, client, smtp_server):
    sub = subscribe_and_confirm(client, smtp_server, "reader@example.org")
    record_change("GOV-01", "in_progress", "first")
    run()
    link = unsubscribe_link(smtp_server.messages_to("reader@example.org")[-1])
    page = client.get(link)  # looking does not unsubscribe (link scanners)
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True)
    db.session.refresh(sub)
    assert sub.state == "active"
    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    fresh = mail_app.test_client()
    response = fresh.post(link, data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert fresh.post(link, data="List-Unsubscribe=One-Click",
                      content_type="application/x-www-form-urlencoded").status_code == 200  # idempotent
    db.session.refresh(sub)
    assert sub.state == "unsubscribed"
    record_change("GOV-03", "in_progress", "second")
    run(days=1)
    assert len(smtp_server.messages_to("reader@example.org")) == 2  # confirmation + first digest only


def test_the_answer_does_not_reveal_known_addresses(mail_app, seeded, client, smtp_server):
    subscribe_and_confirm(client, smtp_server, "known@example.org")
    known = subscribe(client, "known@example.org")
    unknown = subscribe(client, "stranger@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    # A known subscriber's settings change only through the new confirmation link.
    sub = db.session.scalar(select(Subscription).where(Subscription.email == "known@example.org"))
    subscribe(client, "known@example.org", frequency="weekly")
    db.session.refresh(sub)
    assert (sub.state, sub.frequency) == ("active", "daily")
    send_outbox()
    assert client.get(confirm_link(smtp_server.messages_to("known@example.org")[-1])).status_code == 200
    db.session.refresh(sub)
    assert sub.frequency == "weekly"


def test_confirmations_per_address_are_capped(mail_app, seeded, client, smtp_server):
    answers = {subscribe(client, "target@example.org").get_data(as_text=True) for _ in range(5)}
    assert len(answers) == 1
    assert send_outbox().sent == 3 and len(smtp_server.messages_to("target@example.org")) == 3
    assert send_outbox().sent == 0  # the capped two are never sent


def test_a_confirmation_survives_a_relay_that_is_down(mail_app, seeded, client, smtp_server):
    """The request's answer does not depend on the relay; the outbox job retries with the digests' back-off."""
    smtp_server.reply = "451 try later"
    assert subscribe(client, "reader@example.org").status_code == 200
    assert send_outbox().retrying == 1 and smtp_server.received == []
    smtp_server.reply = "250 OK"
    retry_at = db.session.scalar(select(OutboxMessage.next_attempt_at))
    assert send_outbox(retry_at - timedelta(seconds=1)).sent == 0  # the back-off is respected
    assert send_outbox(retry_at).sent == 1
    assert send_outbox(retry_at + timedelta(hours=1)).sent == 0  # delivered once
    confirmation, = smtp_server.messages_to("reader@example.org")
    assert client.get(confirm_link(confirmation)).status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"email": "victim@example.org\r\nBcc: everyone@example.org"}, "not a valid e-mail address"),
    ({"email": "victim@example.org\nBcc: everyone@example.org"}, "not a valid e-mail address"),
    ({"email": "not-an-address"}, "not a valid e-mail address"),
    ({"email": "a@b@example.org"}, "not a valid e-mail address"),
    ({"email": ""}, "Enter your e-mail address"),
    ({"email": "ok@example.org", "name": "Eve\r\nBcc: everyone@example.org"}, "A name may not contain"),
    ({"email": "ok@example.org", "name": "Eve <eve@evil.example>"}, "A name may not contain"),
    ({"email": "ok@example.org", "frequency": "hourly"}, "Not a valid choice"),
    ({"email": "ok@example.org", "stakeholder": ["no-such-group"]}, "not a valid choice"),
])
def test_bad_input_is_refused_with_a_clear_message(mail_app, seeded, client, smtp_server, data, message):
    token = csrf_from(client.get("/subscribe").get_data(as_text=True))
    form = {"frequency": "daily", "csrf_token": token, **data}
    response = client.post("/subscribe", data=form)
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0 and smtp_server.received == []


def test_subscribe_without_csrf_token_is_refused(seeded, client):
    assert client.post("/subscribe", data={"email": "a@example.org", "frequency": "daily"}).status_code == 400


def test_subscribe_is_rate_limited(database_url, seeded):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, "TRACKER_BASE_URL": "http://tracker.test"})
    client = app.test_client()
    codes = [client.post("/subscribe", data={"email": f"r{i}@example.org", "frequency": "daily"}).status_code
             for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert client.get("/subscribe").status_code == 200  # reading the form is not limited
    with app.app_context():
        db.session.remove()
