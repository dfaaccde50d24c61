"""Mail in the reader's language, checked in the bytes the in-process SMTP server received."""
import re
from email import message_from_string, policy
from datetime import datetime, timezone

from sqlalchemy import select

from tests.conftest import csrf_from
from tests.digests.conftest import record_change, run, send_outbox
from tracker.digests.compose import build_message
from tracker.digests.models import Subscription
from tracker.extensions import db
from tracker.recommendations.models import Recommendation


def subscribe(client, email: str, **extra):
    token = csrf_from(client.get("/subscribe").get_data(as_text=True))
    return client.post("/subscribe", data={"email": email, "frequency": "daily", "csrf_token": token, **extra})


def confirm_link(msg) -> str:
    text = msg.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://tracker\.test(/subscribe/confirm/\S+)", text).group(1)


def parts(msg) -> tuple[str, str]:
    return (msg.get_body(preferencelist=("plain",)).get_content(),
            msg.get_body(preferencelist=("html",)).get_content())


def test_an_urdu_reader_gets_urdu_mail_and_an_english_one_english(mail_app, seeded, client, smtp_server):
    assert subscribe(client, "urdu@example.org", language="ur", stakeholder=["judiciary"]).status_code == 200
    assert subscribe(client, "english@example.org", language="en").status_code == 200
    assert smtp_server.received == [] and send_outbox().sent == 2  # queued by the requests, sent by the job
    (urdu_confirm,), (english_confirm,) = (smtp_server.messages_to("urdu@example.org"),
                                           smtp_server.messages_to("english@example.org"))
    raw = {rcpts[0]: raw for (_f, rcpts, _m), raw in zip(smtp_server.received, smtp_server.raw)}
    assert b"Content-Language: ur" in raw["urdu@example.org"] and b"Content-Language: en" in raw["english@example.org"]
    text, html = parts(urdu_confirm)
    assert "میری رکنیت کی تصدیق کریں" in text and "Confirm my subscription" not in text
    assert '<html lang="ur" dir="rtl">' in html and "میری رکنیت کی تصدیق کریں" in html
    assert "عدالتی ادارے" in text and "Judicial Bodies" not in text
    assert str(urdu_confirm["Subject"]) == "این سی آر سی ٹریکر کی ای میل اطلاعات کی تصدیق کریں"
    text, html = parts(english_confirm)
    assert "Confirm my subscription" in text and '<html lang="en" dir="ltr">' in html and "تصدیق" not in text
    for msg in (urdu_confirm, english_confirm):
        assert client.get(confirm_link(msg)).status_code == 200
    assert dict(db.session.execute(select(Subscription.email, Subscription.locale)).all()) == {
        "urdu@example.org": "ur", "english@example.org": "en"}

    record_change("GOV-03", "in_progress", "Database project approved")
    record_change("JUD-02", "in_progress", "A judiciary item for the Urdu reader")
    run(days=1)
    urdu_digest = smtp_server.messages_to("urdu@example.org")[-1]
    english_digest = smtp_server.messages_to("english@example.org")[-1]
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-03"))
    urdu_rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "JUD-02"))
    text, html = parts(urdu_digest)
    assert str(urdu_digest["Subject"]) == "این سی آر سی ٹریکر: کیفیت میں 1 تبدیلی"
    assert urdu_rec.title_ur in text and "عدالتی ادارے" in text and rec.title_ur not in text
    assert urdu_digest["Content-Language"] == "ur"
    assert "پیش رفت جاری" in text and "رکنیت ختم کریں" in text
    assert '<html lang="ur" dir="rtl">' in html and '<div class="wrap" dir="rtl">' in html
    assert urdu_rec.title_ur in html and "ترجمہ" in html
    assert "A judiciary item for the Urdu reader" in html  # staff's note as written
    assert "پاکستانی وقت" in text
    text, html = parts(english_digest)
    assert rec.title in text and "In progress" in text and '<html lang="en" dir="ltr">' in html
    assert rec.title_ur not in text and english_digest["Content-Language"] == "en"
    # The bytes on the wire: the direction in the HTML part (quoted-printable turns = into =3D).
    wire = {rcpts[0]: raw for (_f, rcpts, _m), raw in zip(smtp_server.received, smtp_server.raw)}
    assert b'dir=3D"rtl"' in wire["urdu@example.org"] and b'dir=3D"rtl"' not in wire["english@example.org"]


def test_the_default_language_is_the_page_language(mail_app, seeded, client, smtp_server):
    page = client.get("/subscribe?lang=ur").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="ur"|<input[^>]*value="ur"[^>]*checked', page)
    token = csrf_from(page)
    client.post("/subscribe", data={"email": "reader@example.org", "frequency": "daily", "csrf_token": token})
    assert db.session.scalar(select(Subscription.locale).where(Subscription.email == "reader@example.org")) == "ur"


def test_an_unknown_language_is_refused_with_a_clear_message(mail_app, seeded, client, smtp_server):
    response = subscribe(client, "reader@example.org", language="fr")
    assert response.status_code == 400
    assert "Choose English or Urdu for the e-mails." in response.get_data(as_text=True)
    assert smtp_server.received == []
    client.get("/?lang=ur")
    response = subscribe(client, "reader@example.org", language="fr")
    assert "ای میلز کے لیے انگریزی یا اردو منتخب کریں۔" in response.get_data(as_text=True)


def test_staff_choose_their_digest_language_on_the_account_page(mail_app, seeded, client, auth, smtp_server):
    auth.login("editor")
    token = csrf_from(client.get("/account").get_data(as_text=True))
    response = client.post("/account", data={"enabled": "y", "frequency": "daily", "language": "ur",
                                              "csrf_token": token})
    assert response.status_code == 302
    sub = db.session.scalar(select(Subscription).where(Subscription.user_id.is_not(None)))
    assert sub.locale == "ur"
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="ur"|<input[^>]*value="ur"[^>]*checked', page)
    bad = client.post("/account", data={"enabled": "y", "frequency": "daily", "language": "xx", "csrf_token": token})
    assert bad.status_code == 400 and "Choose English or Urdu" in bad.get_data(as_text=True)


def test_content_language_survives_set_content():
    message = build_message(sender="t@example.org", recipient="r@example.org", subject="s", text="متن",
                            html="<p>متن</p>", message_id="<1@example.org>",
                            date=datetime(2026, 1, 1, tzinfo=timezone.utc), lang="ur")
    assert "\r\nContent-Language: ur\r\n" in message


def test_an_urdu_subject_keeps_its_spaces():
    subject = "این سی آر سی ٹریکر کی ای میل اطلاعات کی تصدیق کریں"
    message = build_message(sender="t@example.org", recipient="r@example.org", subject=subject, text="متن",
                            html=None, message_id="<2@example.org>", date=datetime(2026, 1, 1, tzinfo=timezone.utc),
                            lang="ur")
    assert message.isascii()
    parsed = message_from_string(message, policy=policy.default)
    assert parsed["Subject"] == subject and len(parsed.get_all("Subject")) == 1


def test_staff_digest_in_urdu(mail_app, seeded, client, auth, smtp_server):
    auth.login("editor")
    token = csrf_from(client.get("/account").get_data(as_text=True))
    client.post("/account", data={"enabled": "y", "frequency": "daily", "language": "ur", "csrf_token": token})
    # Everything not updated for TRACKER_STALE_DAYS is news for a first staff digest.
    run(days=120)
    digest = smtp_server.messages_to("editor@ncrc.example.org")[-1]
    text, html = parts(digest)
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "CHI-01"))
    assert digest["Content-Language"] == "ur" and '<html lang="ur" dir="rtl">' in html
    assert rec.title_ur in text and rec.title_ur in html and "این سی آر سی ٹریکر، عملے کا خلاصہ" in str(digest["Subject"])
