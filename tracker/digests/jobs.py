"""Digest runs for the one scheduler process and for `flask digests send`, each under a database lease."""
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import leases
from tracker.db import utcnow
from tracker.digests import compose
from tracker.digests.models import OutboxMessage, Token
from tracker.digests.operations import ensure_staff_subscriptions, queue_digests
from tracker.digests.outbox import DeliveryReport, deliver
from tracker.extensions import db
from tracker.scheduler import Job, daily_at, every, stop_requested

log = logging.getLogger(__name__)
LEASE = "digests"
LEASE_SECONDS = 30 * 60
QUEUE_BATCH = 500
LEASE_WAIT_SECONDS = 10 * 60


@dataclass
class RunReport:
    periods: dict[str, str] = field(default_factory=dict)    # frequency -> period key
    queued: dict[str, int] = field(default_factory=dict)     # frequency -> digests queued (or, dry run: due)
    undelivered: int = 0                                     # dry run: rows a real run would try now
    delivery: DeliveryReport | None = None
    skipped_reason: str | None = None


def run_digests(session: Session, frequencies: list[str] | tuple[str, ...], *, now: datetime | None = None,
                force: bool = False, dry_run: bool = False, batch_size: int = QUEUE_BATCH,
                wait_seconds: float = 0) -> RunReport:
    """Queue this period's digests for each frequency, then deliver what is due (force: all undelivered).

    wait_seconds: how long to wait for the lease (the minutely outbox job holds it briefly)."""
    now = now or utcnow()
    report = RunReport()
    if dry_run:
        try:
            ensure_staff_subscriptions(session, now)  # flushed only, rolled back below
            _queue(session, frequencies, now, report, batch_size, dry_run=True)
            states = ("pending", "failed") if force else ("pending",)
            stmt = select(func.count(OutboxMessage.id)).where(OutboxMessage.state.in_(states))
            if not force:
                stmt = stmt.where(OutboxMessage.next_attempt_at <= now)
            report.undelivered = session.scalar(stmt) or 0
        finally:
            session.rollback()
        return report
    if not _acquire_waiting(session, wait_seconds):
        report.skipped_reason = "another digest run holds the lease (the scheduler or a manual `digests send`)"
        return report
    try:
        ensure_staff_subscriptions(session, now)
        session.commit()
        _queue(session, frequencies, now, report, batch_size, dry_run=False)
        report.delivery = deliver(session, now=now, force=force, on_batch=_renew(session),
                                  should_stop=stop_requested)
    finally:
        session.rollback()
        leases.release(session, LEASE)
    return report


def _acquire_waiting(session: Session, wait_seconds: float) -> bool:
    deadline = time.monotonic() + wait_seconds
    while not leases.acquire(session, LEASE, LEASE_SECONDS):
        if time.monotonic() >= deadline or stop_requested():
            return False
        time.sleep(2)
    return True


def _renew(session: Session):
    return lambda: leases.acquire(session, LEASE, LEASE_SECONDS)


def _queue(session: Session, frequencies, now: datetime, report: RunReport, batch_size: int, *,
           dry_run: bool) -> None:
    tz = current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi")
    for frequency in frequencies:
        report.periods[frequency] = compose.period_key(frequency, now, tz)
        report.queued[frequency] = 0
        after_id = 0
        while True:
            try:
                result = queue_digests(session, frequency, now=now, after_id=after_id, batch_size=batch_size,
                                       dry_run=dry_run)
                if not dry_run:
                    session.commit()  # one transaction per batch of digests
            except IntegrityError:
                # Someone else queued this period for one of these recipients: UNIQUE(recipient, period) held.
                session.rollback()
                log.warning("digest batch after subscription %s already queued elsewhere; skipped", after_id)
                result = None
            if result is None:
                break
            if result.considered == 0 or stop_requested():
                break  # stopping: the batches queued so far are committed; the next run queues the rest
            report.queued[frequency] += len(result.digests)
            after_id = result.last_id
            if not dry_run:
                leases.acquire(session, LEASE, LEASE_SECONDS)


def deliver_outbox(session: Session, *, now: datetime | None = None) -> DeliveryReport | None:
    """Deliver whatever is due in the outbox: confirmations queued by /subscribe (requests never send mail
    themselves) and retries whose back-off has passed. None: another run holds the lease (and sends them)."""
    if not leases.acquire(session, LEASE, LEASE_SECONDS):
        return None
    try:
        return deliver(session, now=now, on_batch=_renew(session), should_stop=stop_requested)
    finally:
        session.rollback()
        leases.release(session, LEASE)


def purge_expired_tokens(session: Session, now: datetime | None = None) -> int:
    result = session.execute(delete(Token).where(Token.expires_at < (now or utcnow())))
    session.commit()
    return result.rowcount or 0


def _log_report(what: str, report: RunReport) -> None:
    if report.skipped_reason:
        log.info("%s skipped: %s", what, report.skipped_reason)
        return
    d = report.delivery
    log.info("%s: queued %s; sent %s, retrying %s, failed %s, uncertain %s", what,
             ", ".join(f"{report.queued[f]} for {p}" for f, p in report.periods.items()),
             d.sent, d.retrying, d.failed, d.uncertain)


def daily_job() -> None:
    # The daily run must not be lost because the minutely outbox job happens to hold the lease.
    _log_report("daily digests", run_digests(db.session, ["daily"], wait_seconds=LEASE_WAIT_SECONDS))
    purge_expired_tokens(db.session)


def weekly_job() -> None:
    _log_report("weekly digests", run_digests(db.session, ["weekly"], wait_seconds=LEASE_WAIT_SECONDS))


def outbox_job() -> None:
    d = deliver_outbox(db.session)
    if d and (d.sent or d.retrying or d.failed or d.uncertain or d.expired_claims):
        log.info("outbox: sent %s, retrying %s, failed %s, uncertain %s", d.sent, d.retrying, d.failed,
                 d.uncertain + d.expired_claims)


def jobs(app: Flask) -> list[Job]:
    cfg = app.config
    tz = cfg.get("TRACKER_DISPLAY_TZ", "Asia/Karachi")
    return [
        Job("digests.daily", daily_job, daily_at(cfg["TRACKER_DIGEST_DAILY_AT"], tz)),
        Job("digests.weekly", weekly_job, daily_at(cfg["TRACKER_DIGEST_WEEKLY_AT"], tz,
                                                   day_of_week=cfg["TRACKER_DIGEST_WEEKLY_DAY"])),
        # Confirmation e-mails wait for this job: at most TRACKER_DIGEST_RETRY_MINUTES after /subscribe.
        Job("digests.outbox", outbox_job, every(cfg["TRACKER_DIGEST_RETRY_MINUTES"])),
    ]

