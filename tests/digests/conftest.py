"""A real SMTP server in-process (aiosmtpd on 127.0.0.1) and helpers to make subscribers and events."""
import asyncio
import email
import socket
import threading
from email import policy
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tracker.db import utcnow
from tracker.digests.jobs import deliver_outbox, run_digests
from tracker.digests.models import Subscription
from tracker.extensions import db
from tracker.recommendations.models import Recommendation
from tracker.recommendations.operations import ChangeRequest, change_status

MAIL_FROM = "NCRC Tracker <tracker@ncrc.example.org>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        if self.server.reply != "250 OK":
            self.server.refused += 1
            return self.server.reply
        # Stored first, answered when released: a relay that queued the message but whose reply is lost.
        self.server.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                                     email.message_from_bytes(envelope.original_content, policy=policy.default)))
        self.server.raw.append(envelope.original_content)  # the bytes as they came over the wire
        if self.server.stalled:  # held until the test lets go: the client's timeout fires first, whatever the load
            await asyncio.get_running_loop().run_in_executor(None, self.server.released.wait, 60)
        return "250 OK"


class SmtpServer:
    """`reply` is what DATA answers ("451 try later", "550 no such user"); `stall()` holds the answer to the
    final "." until `unstall()` (a relay that queued the message but whose reply is lost)."""

    def __init__(self, auth: tuple[str, str] | None = None):
        self.port = free_port()
        self.auth = auth
        self.reply = "250 OK"
        self.stalled = False
        self.released = threading.Event()
        self.refused = 0
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.raw: list[bytes] = []
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        creds = f"{self.auth[0]}:{self.auth[1]}@" if self.auth else ""
        return f"smtp://{creds}127.0.0.1:{self.port}?timeout=5"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = self.auth and auth_data.login.decode() == self.auth[0] and auth_data.password.decode() == self.auth[1]
        return AuthResult(success=bool(ok), handled=False)

    def start(self) -> None:
        kwargs = {}
        if self.auth:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stall(self) -> None:
        self.released.clear()
        self.stalled = True

    def unstall(self) -> None:
        self.stalled = False
        self.released.set()

    def stop(self) -> None:
        self.unstall()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages_to(self, address: str) -> list:
        return [m for _f, rcpts, m in self.received if address in rcpts]


@pytest.fixture(autouse=True)
def _close_pooled_connections():
    """Set up before `app` and torn down after it: close what each test's engine pooled, so PostgreSQL
    connections are not left for the garbage collector (a ResourceWarning, an error under -W error)."""
    yield
    for engines in list(db._app_engines.values()):
        for engine in engines.values():
            engine.dispose()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    app.config.update(TRACKER_SMTP_URL=smtp_server.url, TRACKER_MAIL_FROM=MAIL_FROM,
                      TRACKER_DIGEST_SETTLE_SECONDS=0)
    return app


def subscribe_directly(email_address: str, *, frequency: str = "daily", stakeholders: str = "",
                       state: str = "active", last_change_id: int = 0) -> Subscription:
    sub = Subscription(email=email_address, frequency=frequency, stakeholders=stakeholders, state=state,
                       locale="en", name="", created_at=utcnow(), last_change_id=last_change_id,
                       last_suggestion_id=0, feed_streaks="")
    db.session.add(sub)
    db.session.commit()
    return sub


def record_change(code: str, status: str, note: str, evidence_url: str | None = None):
    rec = db.session.scalar(db.select(Recommendation).where(Recommendation.code == code))
    change = change_status(db.session, rec, ChangeRequest(status=status, note=note, evidence_url=evidence_url,
                                                          version=rec.version), author_id=None)
    db.session.commit()
    return change


def run(frequency: str = "daily", *, now=None, force: bool = False, days: int = 0):
    """A scheduled run (not forced), optionally `days` later."""
    when = (now or utcnow()) + timedelta(days=days)
    return run_digests(db.session, [frequency], now=when, force=force)


def send_outbox(now=None):
    """What the scheduler's outbox job does every TRACKER_DIGEST_RETRY_MINUTES: send what is due (at `now`),
    such as the confirmations /subscribe only queued."""
    report = deliver_outbox(db.session, now=now)
    assert report is not None, "another run held the digests lease"
    return report
