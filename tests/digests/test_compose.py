"""Pure parts: period keys, what is new for whom, the MIME message, the SMTP URL. No database."""
import email
from datetime import datetime, timedelta, timezone
from email import policy

import pytest

from tracker.digests.compose import (ChangeItem, FeedErrorItem, InvalidHeader, Recipient, StaleItem, SuggestionItem,
                                     build_message, period_key, public_digest, staff_digest)
from tracker.digests.mailer import MailConfigError, SmtpSettings, _wire_format

T0 = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


def change(i: int, slug: str = "government") -> ChangeItem:
    return ChangeItem(i, f"GOV-{i:02d}", f"Title {i}", slug, slug.title(), "not_started", "in_progress",
                      f"note {i}", None, T0)


def test_period_keys_follow_karachi_time():
    # 20:00 UTC on the 24th is 01:00 on the 25th in Karachi (UTC+5).
    assert period_key("daily", datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc), "Asia/Karachi") == "daily:2026-11-25"
    assert period_key("daily", datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc), "Asia/Karachi") == "daily:2026-11-24"
    assert period_key("weekly", T0, "Asia/Karachi") == "weekly:2026-W48"
    assert period_key("weekly", datetime(2027, 1, 1, tzinfo=timezone.utc), "Asia/Karachi") == "weekly:2026-W53"
    with pytest.raises(ValueError):
        period_key("hourly", T0, "Asia/Karachi")


def test_public_digest_takes_only_what_is_new_and_wanted():
    changes = [change(1), change(2, "judiciary"), change(3)]
    everyone = Recipient(1, "a@example.org", last_change_id=1)
    d = public_digest(everyone, changes)
    assert [c.id for c in d.changes] == [2, 3] and d.up_to_change_id == 3
    judges = Recipient(2, "b@example.org", stakeholders=frozenset({"judiciary"}))
    assert [c.id for c in public_digest(judges, changes).changes] == [2]
    assert public_digest(Recipient(3, "c@example.org", last_change_id=3), changes) is None
    assert public_digest(Recipient(4, "d@example.org", stakeholders=frozenset({"nhris"})), changes) is None
    assert public_digest(everyone, []) is None


def test_staff_digest_reports_each_thing_once():
    sugg = [SuggestionItem(i, "GOV-01", "T", f"entry {i}", None, "Dawn", None, T0) for i in (4, 7)]
    stale = [StaleItem("GOV-02", "T2", "in_progress", T0 - timedelta(days=100)),
             StaleItem("GOV-03", "T3", "not_started", T0 - timedelta(days=95))]
    failing = [FeedErrorItem(1, "Gazette", 3, "HTTP 500", "1@never")]
    cutoff = T0 - timedelta(days=90)
    fresh = Recipient(1, "e@example.org", staff_role="editor")
    d = staff_digest(fresh, sugg, 2, stale, 2, 90, cutoff, failing)
    assert (d.new_suggestions, d.new_stale, len(d.feeds_failing), d.up_to_suggestion_id) == (2, 2, 1, 7)
    after = Recipient(1, "e@example.org", staff_role="editor", last_suggestion_id=7,
                      stale_cutoff=T0 - timedelta(days=96), feed_streaks=frozenset({"1@never"}))
    d2 = staff_digest(after, sugg, 2, stale, 2, 90, cutoff, failing)
    assert (d2.new_suggestions, d2.new_stale, d2.feeds_failing) == (0, 1, ())
    done = Recipient(1, "e@example.org", staff_role="editor", last_suggestion_id=7, stale_cutoff=cutoff,
                     feed_streaks=frozenset({"1@never"}))
    assert staff_digest(done, sugg, 2, stale, 2, 90, cutoff, failing) is None


def _message(**overrides) -> str:
    kwargs = dict(sender="NCRC Tracker <tracker@ncrc.example.org>", recipient="reader@example.org",
                  recipient_name="Ayesha Khan", subject="Three updates — اپ ڈیٹ", text="Hello\n.dot line\n",
                  html="<p>Hello</p>", message_id="<x.1@ncrc.example.org>", date=T0,
                  unsubscribe_url="https://tracker.example.org/unsubscribe/tok",
                  unsubscribe_mailto="mailto:tracker@ncrc.example.org?subject=unsubscribe%20tok")
    kwargs.update(overrides)
    return build_message(**kwargs)


def test_message_is_multipart_alternative_with_list_headers():
    raw = _message()
    raw.encode("ascii")  # stored and sent as is: 7-bit clean
    msg = email.message_from_string(raw, policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["List-Unsubscribe"] == ("<https://tracker.example.org/unsubscribe/tok>, "
                                       "<mailto:tracker@ncrc.example.org?subject=unsubscribe%20tok>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"] == "<x.1@ncrc.example.org>"
    assert msg["Subject"] == "Three updates — اپ ڈیٹ"
    assert msg["To"].addresses[0].addr_spec == "reader@example.org"
    assert b"\r\n..dot line" in _wire_format(raw)  # dot-stuffed on the wire


@pytest.mark.parametrize("field, value", [
    ("recipient", "reader@example.org\r\nBcc: victim@example.org"),
    ("recipient_name", "Ayesha\nBcc: victim@example.org"),
    ("subject", "Hi\r\nBcc: victim@example.org"),
])
def test_header_injection_is_refused(field, value):
    with pytest.raises(InvalidHeader):
        _message(**{field: value})


def test_smtp_url_variants():
    plain = SmtpSettings.from_url("smtp://relay.example.org")
    assert (plain.host, plain.port, plain.security, plain.username) == ("relay.example.org", 25, "none", None)
    tls = SmtpSettings.from_url("smtps://user%40x:p%3Ass@mail.example.org")
    assert (tls.port, tls.security, tls.username, tls.password) == (465, "tls", "user@x", "p:ss")
    starttls = SmtpSettings.from_url("smtp://u:p@mail.example.org:2525?starttls=1&timeout=3")
    assert (starttls.port, starttls.security, starttls.timeout) == (2525, "starttls", 3.0)
    assert SmtpSettings.from_url("smtp://mail.example.org?starttls=1").port == 587
    for bad in ("http://mail.example.org", "smtp://", "smtps://h?starttls=1", "smtp://h:notaport",
                "smtp://h?timeout=soon"):
        with pytest.raises(MailConfigError):
            SmtpSettings.from_url(bad)
