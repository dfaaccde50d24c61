"""What the security review found in official e-mail (issue 8, items 6, 9 and 11) and mail without a relay
(issue 12, item 15)."""
import logging
import re
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select

from tests.conftest import ROOT, csrf_from
from tests.digests.conftest import record_change, run, send_outbox, subscribe_directly
from tests.digests.test_subscribe import subscribe
from tracker.digests import operations, outbox
from tracker.digests.compose import build_message
from tracker.digests.models import OutboxMessage, Subscription
from tracker.digests.operations import SubscriptionError, clean_name
from tracker.extensions import db


# ---------------------------------------------------------------- item 6: List-Unsubscribe on the wire


def test_list_unsubscribe_is_raw_on_the_wire(mail_app, seeded, smtp_server):
    subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "Draft bill sent to cabinet.")
    assert run().delivery.sent == 1
    raw, = smtp_server.raw
    headers = re.sub(rb"\r\n[ \t]+", b" ", raw.split(b"\r\n\r\n", 1)[0]).split(b"\r\n")  # unfolded
    value, = [h.split(b": ", 1)[1] for h in headers if h.lower().startswith(b"list-unsubscribe:")]
    assert b"=?" not in value  # not RFC 2047-encoded
    assert re.fullmatch(rb"<http://tracker\.test/unsubscribe/[A-Za-z0-9_-]+>, "
                        rb"<mailto:tracker@ncrc\.example\.org\?subject=unsubscribe%20[A-Za-z0-9_-]+>", value), value
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers


def test_long_base_urls_keep_list_unsubscribe_raw():
    message = build_message(sender="tracker@ncrc.example.org", recipient="r@example.org", subject="s", text="t",
                            html=None, message_id="<m@x>", date=datetime(2026, 1, 1, tzinfo=timezone.utc),
                            unsubscribe_url="https://tracker.ncrc.gov.pk/some/long/prefix/unsubscribe/" + "x" * 43,
                            unsubscribe_mailto="mailto:tracker@ncrc.gov.pk?subject=unsubscribe%20" + "x" * 43)
    line = next(h for h in message.split("\r\n") if h.startswith("List-Unsubscribe:"))
    assert "=?" not in line and line.endswith("x" * 43 + ">")


# ---------------------------------------------------------------- item 11: a stranger's text in official mail


@pytest.mark.parametrize("name", [
    "user. URGENT: verify your account at https://evil.example",
    "see evil.example now", "www.evil", "visit http:/evil", "ftp://x",
    "Ayesha\u202eKhan",          # right-to-left override
    "Ayesha\u2066Khan\u2069",    # isolate
    "Ayesha\u200fKhan",          # right-to-left mark
    "Ayesha\u200bKhan",          # zero-width space
    "Eve\x85Bcc",                # a C1 control (NEL)
    "Eve\x00", "Eve\r\nBcc: x@example.org", "Eve\u2028x",
])
def test_names_that_could_mislead_are_refused(app, name):
    with pytest.raises(SubscriptionError) as refused:
        clean_name(name)
    assert refused.value.field == "name"


@pytest.mark.parametrize("name", ["Ayesha Khan", "عائشہ خان", "فرزانہ\u200cبی بی", "Dr. A. Rahman", "O'Neil-Smith"])
def test_ordinary_names_pass(app, name):
    assert clean_name(name) == name


def test_the_form_refuses_a_name_with_a_url(mail_app, seeded, client, smtp_server):
    response = subscribe(client, "ok@example.org", name="user. URGENT: verify your account at https://evil.example")
    assert response.status_code == 400 and "web address" in response.get_data(as_text=True)
    assert smtp_server.received == []


def test_no_subscriber_text_in_a_public_digest(mail_app, seeded, smtp_server):
    sub = subscribe_directly("reader@example.org")
    sub.name = "URGENT verify your account"  # stored before names were checked
    db.session.commit()
    record_change("GOV-01", "in_progress", "Draft bill sent to cabinet.")
    assert run().delivery.sent == 1
    (_f, _r, msg), = smtp_server.received
    assert str(msg["To"]) == "reader@example.org"
    for part in ("plain", "html"):
        assert "URGENT" not in msg.get_body(preferencelist=(part,)).get_content()


# ---------------------------------------------------------------- item 9: the daily cap takes the same path


def test_a_capped_address_takes_the_same_path(mail_app, seeded, client, smtp_server, monkeypatch):
    rendered: list[str] = []
    real = operations.render_confirmation

    def spy(**kwargs):
        rendered.append(kwargs["email"])
        return real(**kwargs)
    monkeypatch.setattr(operations, "render_confirmation", spy)
    pages = [subscribe(client, "target@example.org") for _ in range(operations.CONFIRMATIONS_PER_DAY + 2)]
    assert {(p.status_code, p.get_data(as_text=True)) for p in pages} == {(200, pages[0].get_data(as_text=True))}
    assert len(rendered) == len(pages)  # rendered every time, capped or not
    states = list(db.session.scalars(select(OutboxMessage.state).order_by(OutboxMessage.id)))
    assert len(states) == len(pages)  # and stored every time
    assert states.count("cancelled") == 2 and smtp_server.received == []  # sent by the outbox job, not here
    assert send_outbox().sent == 3 and len(smtp_server.messages_to("target@example.org")) == 3


_TABLES = re.compile(r'(?i)\b(?:from|into|update|join)\s+"?(\w+)')


def _operation(statement: str) -> tuple[str, tuple[str, ...]]:
    """What a statement does, without its values: its verb and the tables it names."""
    return statement.split(None, 1)[0].upper(), tuple(_TABLES.findall(statement))


@pytest.fixture
def recorded_work(monkeypatch):
    """Records, per block, the SQL operations run and every use of a mail transport (opened, send called)."""
    transport_calls: list[str] = []
    real_open = outbox.open_transport

    class CountingTransport:
        def __init__(self, inner):
            self.inner, self.via = inner, inner.via

        def send(self, sender, recipient, message):
            transport_calls.append(f"send to {recipient}")
            return self.inner.send(sender, recipient, message)

        def close(self):
            self.inner.close()

    def counting_open(url):
        transport_calls.append("open")
        return CountingTransport(real_open(url))
    monkeypatch.setattr(outbox, "open_transport", counting_open)

    @contextmanager
    def record():
        work = {"sql": [], "mail": transport_calls}
        transport_calls.clear()

        def before(conn, cursor, statement, *args):
            work["sql"].append(_operation(statement))
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield work
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
            work["mail"] = list(transport_calls)
    return record


def test_a_new_and_a_capped_address_do_the_same_work_and_no_smtp_in_the_request(mail_app, seeded, client,
                                                                              smtp_server, recorded_work):
    token = csrf_from(client.get("/subscribe").get_data(as_text=True))

    def post(address: str):
        return client.post("/subscribe", data={"email": address, "frequency": "daily", "csrf_token": token})
    for _ in range(operations.CONFIRMATIONS_PER_DAY):
        assert post("target@example.org").status_code == 200
    with recorded_work() as new:
        new_page = post("new@example.org")
    with recorded_work() as capped:
        capped_page = post("target@example.org")  # its fourth today: capped
    assert new_page.get_data(as_text=True) == capped_page.get_data(as_text=True)
    assert new["mail"] == capped["mail"] == []  # no SMTP (not even a connection) inside either request
    writes = [op for op in new["sql"] if op[0] in ("INSERT", "UPDATE", "DELETE")]
    assert ("INSERT", ("digest_outbox",)) in writes and ("INSERT", ("digest_tokens",)) in writes
    assert new["sql"] == capped["sql"]  # the same statements, in the same order, for both
    assert smtp_server.received == []
    # The confirmations go out from the outbox job: the new address's and the first three, not the capped one.
    with recorded_work() as delivery:
        report = send_outbox()
    assert report.sent == 4 and delivery["mail"].count("send to target@example.org") == 3
    assert len(smtp_server.messages_to("new@example.org")) == 1
    assert len(smtp_server.messages_to("target@example.org")) == operations.CONFIRMATIONS_PER_DAY
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.state == "cancelled")) == 1


# ---------------------------------------------------------------- issue 12 item 15: no relay configured


def test_without_smtp_the_confirmation_is_readable_in_the_log_and_the_outbox(app, seeded, client, auth, caplog):
    app.config.update(TRACKER_SMTP_URL=None)
    logging.getLogger("tracker.mail").disabled = False
    with caplog.at_level(logging.INFO, logger="tracker.mail"):
        assert subscribe(client, "reader@example.org").status_code == 200
        assert "reader@example.org" not in caplog.text  # queued by the request, written by the outbox job
        assert send_outbox().sent == 1
    link = re.search(r"http://tracker\.test/subscribe/confirm/[A-Za-z0-9_-]{40,}", caplog.text)
    assert link, caplog.text  # whole, not quoted-printable-wrapped
    assert "To: reader@example.org" in caplog.text and "Subject: Confirm your NCRC tracker e-mail updates" in caplog.text
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.state, row.delivered_via) == ("sent", "log") and row.message
    auth.login("admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "written to the log: no SMTP configured" in page and link.group(0) in page
    assert re.search(r"<li>sent: <strong>0</strong></li>", page)


def test_mail_written_to_the_log_reaches_the_console():
    """As under `make run`, where no logging is configured: the message still appears on stderr."""
    script = (
        "from datetime import datetime, timezone\n"
        "from tracker.digests.compose import build_message\n"
        "from tracker.digests.mailer import LogTransport\n"
        "m = build_message(sender='t@ncrc.example.org', recipient='r@example.org', subject='Confirm',\n"
        "                  text='Confirm my subscription:\\nhttp://tracker.test/subscribe/confirm/' + 'x' * 43,\n"
        "                  html='<p>x</p>', message_id='<m@x>', date=datetime(2026, 1, 1, tzinfo=timezone.utc))\n"
        "LogTransport().send('t@ncrc.example.org', 'r@example.org', m)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "http://tracker.test/subscribe/confirm/" + "x" * 43 in done.stderr
    assert "To: r@example.org" in done.stderr and "Subject: Confirm" in done.stderr


def test_outbox_counts_relay_and_log_apart(app, seeded):
    from tracker.digests.queries import outbox_counts
    app.config.update(TRACKER_SMTP_URL=None, TRACKER_DIGEST_SETTLE_SECONDS=0)
    subscribe_directly("reader@example.org")
    record_change("GOV-01", "in_progress", "logged change")
    assert run().delivery.sent == 1
    assert outbox_counts(db.session) == {"logged": 1}
    assert db.session.scalar(select(func.count(Subscription.id))) == 1
