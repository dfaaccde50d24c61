"""Digest benchmark (run by hand: `.venv/bin/python bench/digests_bench.py [N]`, default N = 10,000).

Builds and sends one daily digest to each of N confirmed public subscribers (half of them filtered to
two stakeholder groups) through an in-process aiosmtpd server, on a temporary SQLite database made by
the real migrations. Prints digests per second for the whole run (build + render + outbox + SMTP +
recording), the SQL statements per digest, and the ratio against a reference: rendering the same
templates and sending N fixed messages over one SMTP connection to the same server, with no database.
"""
import asyncio
import os
import shutil
import socket
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CountingHandler:
    def __init__(self):
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.bytes += len(envelope.original_content)
        return "250 OK"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from aiosmtpd.controller import Controller
    from alembic import command
    from sqlalchemy import event, insert

    from tracker import create_app
    from tracker.db import utcnow
    from tracker.digests.compose import ChangeItem, PublicDigest, Recipient
    from tracker.digests.jobs import run_digests
    from tracker.digests.mailer import SmtpSettings, SmtpTransport
    from tracker.digests.models import Subscription
    from tracker.digests.rendering import MailSettings, render_digest
    from tracker.extensions import db
    from tracker.recommendations.models import Recommendation
    from tracker.recommendations.operations import ChangeRequest, change_status
    from tracker.recommendations.seeding import load_register_file, seed_register

    tmp = Path(tempfile.mkdtemp())
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=None)
    controller.start()
    url = f"smtp://127.0.0.1:{port}?timeout=30"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}", "TRACKER_SMTP_URL": url,
                      "TRACKER_BASE_URL": "https://tracker.example.org", "TRACKER_DIGEST_SETTLE_SECONDS": 0,
                      "TRACKER_MAIL_FROM": "NCRC Tracker <tracker@ncrc.example.org>"})
    try:
        with app.app_context():
            command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
            seed_register(db.session, load_register_file())
            db.session.commit()
            now = utcnow()
            db.session.execute(insert(Subscription), [
                {"email": f"reader{i:05d}@example.org", "name": "", "frequency": "daily", "state": "active",
                 "stakeholders": "government,judiciary" if i % 2 else "", "locale": "en", "created_at": now,
                 "confirmed_at": now, "last_change_id": 0, "last_suggestion_id": 0, "feed_streaks": ""}
                for i in range(n)])
            db.session.commit()
            for code, status in [("GOV-01", "in_progress"), ("GOV-02", "stalled"), ("JUD-01", "in_progress"),
                                 ("LEG-01", "partially_implemented"), ("CHI-01", "in_progress"),
                                 ("ESP-01", "not_started")]:
                rec = db.session.query(Recommendation).filter_by(code=code).one()
                change_status(db.session, rec, ChangeRequest(status, f"Benchmark note for {code}: what changed "
                                                             "and how we know.", "https://example.org/evidence",
                                                             rec.version), author_id=None)
            db.session.commit()

            statements = []
            listener = lambda *a: statements.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            started = time.perf_counter()
            report = run_digests(db.session, ["daily"], now=utcnow() + timedelta(seconds=1))
            elapsed = time.perf_counter() - started
            event.remove(db.engine, "before_cursor_execute", listener)
            sent = report.delivery.sent
            assert sent == n == handler.count, (sent, n, handler.count)
            size = handler.bytes / max(handler.count, 1)

            # Reference: the same templates, rendered for fixed digests of the same shape (all six changes,
            # or the three of the filtered half), N messages over one connection, no database.
            codes = ["GOV-01", "GOV-02", "JUD-01", "LEG-01", "CHI-01", "ESP-01"]
            changes = tuple(ChangeItem(i, code, "A recommendation title of usual length", code[:3].lower(),
                                       "A stakeholder group", "not_started", "in_progress",
                                       f"Benchmark note for {code}: what changed and how we know.",
                                       "https://example.org/evidence", now) for i, code in enumerate(codes, 1))
            fixed = [PublicDigest(Recipient(1, "reference@example.org"), changes, 6),
                     PublicDigest(Recipient(2, "reference@example.org"), changes[:3], 6)]
            settings = MailSettings.from_app()
            transport = SmtpTransport(SmtpSettings.from_url(url))
            handler.count = 0
            started = time.perf_counter()
            for i in range(n):
                mail = render_digest(fixed[i % 2], settings, unsubscribe_token="x" * 43, now=now, period="daily:ref")
                transport.send("tracker@ncrc.example.org", "reference@example.org", mail.message)
            reference = time.perf_counter() - started
            transport.close()
            assert handler.count == n
    finally:
        controller.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"digests: {n} subscribers, {sent} sent, {size / 1024:.1f} KiB per message, SQLite, aiosmtpd in-process")
    print(f"full run (build + render + outbox + SMTP + record): {elapsed:7.2f} s  {n / elapsed:8.0f} digests/s")
    print(f"reference (render + SMTP only, one connection):     {reference:7.2f} s  {n / reference:8.0f} messages/s")
    print(f"ratio full run / reference: {elapsed / reference:.2f}x")
    print(f"SQL statements: {len(statements)} in the run, {len(statements) / n:.4f} per digest")


if __name__ == "__main__":
    os.environ.setdefault("TRACKER_SECRET_KEY", "bench")
    asyncio.set_event_loop_policy(None)
    main()
