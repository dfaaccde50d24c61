"""The outbox: every e-mail is a committed row before any SMTP traffic, and is sent at most once.

Idempotency and crashes — the policy is AT MOST ONCE per recipient and period:

1. Queue. A digest is rendered and INSERTed as an `OutboxMessage` with its final bytes and a stable
   Message-ID, under UNIQUE(subscription_id, period), and committed. Building again for the same period
   finds the row and builds nothing; a concurrent builder hits the constraint. So there is never a second
   message for the same recipient and period. A confirmation is queued the same way by /subscribe (its
   own period, `confirm:<token hash>`); no request ever sends: the scheduler's outbox job does.
2. Claim. A sender moves a batch of due rows to state 'sending' with `claimed_by` (a random id for this
   run) and `claimed_until` (now + CLAIM_SECONDS), increments `attempts`, and COMMITS, before opening the
   SMTP transaction. Only rows in 'pending' (or 'failed', when forced by `digests send`) can be claimed,
   and the claiming UPDATE re-checks the state, so two senders never claim the same row.
3. Send. The transaction is outside any database transaction. The mailer tells three outcomes apart:
   accepted (250 after the final "."), refused or broken before the final "." (certainly not
   delivered: retry), and broken while waiting for the final reply (maybe delivered: 'uncertain').
4. Record. One commit per batch writes 'sent' (and moves the recipient's pointers: the last
   StatusChange/Suggestion id, stale cutoff and feed-failure streaks the digest carried), the retry
   time of failures (exponential back-off, 'failed' after MAX_ATTEMPTS), and 'uncertain' rows.

A crash (kill -9, power loss, an exception) between 3 and 4 leaves rows in 'sending'. They are NOT
resent: while the claim runs they are simply not claimable; once it has expired, the next run marks
them 'uncertain' ("possibly sent"). An uncertain row is never retried automatically; it is listed on
/admin/outbox, where an admin who has checked (the Message-ID is stable, so the relay's log or the
recipient can be asked) may send it again by hand. The recipient's pointers did not move, so the events
of an undelivered digest are never lost: the next period's digest carries them (at worst a recipient
sees an event twice, in two different periods' digests — never the same digest twice).

Batching keeps the SQL per run independent of the number of recipients (a fixed number of statements
per batch); the price is that a crash can leave up to BATCH_SIZE rows uncertain rather than one.

Gaps: pointers are event ids. A transaction that got a lower id but committed after a digest was built
would be skipped; digests therefore only take events older than TRACKER_DIGEST_SETTLE_SECONDS (60 s),
far longer than any request's transaction here.
"""
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from tracker.db import utcnow
from tracker.errors import Conflict
from tracker.digests.mailer import DeliveryError, envelope_address, open_transport
from tracker.digests.models import OutboxMessage, Subscription

log = logging.getLogger(__name__)

BATCH_SIZE = 100
CLAIM_SECONDS = 30 * 60
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4 … capped at 6 h: ten attempts span about 15 hours."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    uncertain: int = 0
    expired_claims: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Claimed:
    id: int
    kind: str
    recipient: str
    message: str
    attempts: int
    subscription_id: int
    up_to_change_id: int | None
    up_to_suggestion_id: int | None
    stale_cutoff: datetime | None
    feed_streaks: str | None
    sub_change_id: int
    sub_suggestion_id: int
    sub_stale_cutoff: datetime | None
    sub_feed_streaks: str
    up_to_point_id: int | None = None
    sub_point_id: int = 0
    state_before: str = "pending"


@dataclass(frozen=True)
class _Outcome:
    state: str  # sent | retry | uncertain
    error: str | None = None


def mark_expired_claims(session: Session, now: datetime) -> int:
    """Rows left in 'sending' by a crashed sender may have gone out: never resend them automatically."""
    result = session.execute(
        update(OutboxMessage).where(OutboxMessage.state == "sending", OutboxMessage.claimed_until < now)
        .values(state="uncertain", claimed_by=None,
                last_error="the sender stopped between claiming and recording this message; it may have "
                           "been delivered, so it is not sent again automatically")
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def deliver(session: Session, *, now: datetime | None = None, force: bool = False,
            batch_size: int = BATCH_SIZE,
            on_batch: Callable[[], object] | None = None,
            should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """Send what is due (force: every undelivered row, at once). Owns its transactions: commits per batch.

    should_stop (the scheduler is stopping) is asked before each message: once it says yes, the messages
    tried so far are recorded, the ones claimed but not tried go back to 'pending' as they were (certainly
    not sent, so not 'uncertain'), and no further batch is claimed."""
    now = now or utcnow()
    cfg = current_app.config
    sender = envelope_address(cfg["TRACKER_MAIL_FROM"])
    report = DeliveryReport(expired_claims=mark_expired_claims(session, now))
    session.commit()
    transport = open_transport(cfg.get("TRACKER_SMTP_URL"))
    after_id = 0
    try:
        while not should_stop():
            claimed = _claim(session, now=now, force=force, after_id=after_id, limit=batch_size)
            if not claimed:
                break
            after_id = claimed[-1].id
            outcomes = []
            for c in claimed:
                if should_stop():
                    break
                outcomes.append(_send_one(transport, sender, c))
            _record_outcomes(session, claimed[:len(outcomes)], outcomes, now, report, via=transport.via)
            _unclaim(session, claimed[len(outcomes):])
            session.commit()
            if on_batch:
                on_batch()
            if getattr(transport, "_unreachable", None):
                break  # the relay is down: leave the rest untouched for the next run
    finally:
        session.rollback()
        transport.close()
    return report


def _claim(session: Session, *, now: datetime, force: bool, after_id: int, limit: int) -> list[_Claimed]:
    states = ("pending", "failed") if force else ("pending",)
    stmt = select(OutboxMessage.id, OutboxMessage.state).where(OutboxMessage.id > after_id,
                                                                OutboxMessage.state.in_(states))
    if not force:
        stmt = stmt.where(OutboxMessage.next_attempt_at <= now)
    rows_before = session.execute(stmt.order_by(OutboxMessage.id).limit(limit))
    state_before = {row.id: row.state for row in rows_before}
    ids = list(state_before)
    if not ids:
        session.rollback()
        return []
    claim = uuid.uuid4().hex
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.state.in_(states))
                    .values(state="sending", claimed_by=claim, claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                            attempts=OutboxMessage.attempts + 1)
                    .execution_options(synchronize_session=False))
    session.commit()  # the claim is durable before any SMTP traffic
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.claimed_by == claim,
                                                       OutboxMessage.state == "sending")
                           .options(joinedload(OutboxMessage.subscription)).order_by(OutboxMessage.id)).all()
    claimed = [_Claimed(r.id, r.kind, r.recipient, r.message, r.attempts, r.subscription_id, r.up_to_change_id,
                        r.up_to_suggestion_id, r.stale_cutoff, r.feed_streaks,
                        r.subscription.last_change_id or 0, r.subscription.last_suggestion_id or 0,
                        r.subscription.stale_cutoff, r.subscription.feed_streaks or "", r.up_to_point_id,
                        r.subscription.last_point_id or 0, state_before.get(r.id, "pending")) for r in rows]
    session.rollback()  # no transaction stays open while the network is slow
    return claimed


def _unclaim(session: Session, untried: list[_Claimed]) -> None:
    """Claimed but never handed to the relay: back to the queue exactly as before the claim."""
    if untried:
        session.execute(update(OutboxMessage), [
            {"id": c.id, "state": c.state_before, "attempts": c.attempts - 1, "claimed_by": None,
             "claimed_until": None} for c in untried])


def _send_one(transport, sender: str, c: _Claimed) -> _Outcome:
    try:
        transport.send(sender, c.recipient, c.message)
    except DeliveryError as exc:
        log.warning("outbox %s to %s: %s", c.id, c.recipient, exc)
        return _Outcome("uncertain" if exc.uncertain else "retry", str(exc)[:2000])
    except Exception as exc:  # a bug of ours mid-transaction: we cannot tell whether it went out
        log.exception("outbox %s to %s: unexpected error while sending", c.id, c.recipient)
        return _Outcome("uncertain", f"unexpected error while sending: {type(exc).__name__}: {exc}"[:2000])
    return _Outcome("sent")


def _record_outcomes(session: Session, claimed: list[_Claimed], outcomes: list[_Outcome], now: datetime,
                     report: DeliveryReport, via: str = "smtp") -> None:
    sent, failed, pointers_public, pointers_staff = [], [], {}, {}
    for c, o in zip(claimed, outcomes):
        if o.state == "sent":
            report.sent += 1
            # A relay's copy is the relay's business; one only written to the log is kept for /admin/outbox.
            sent.append({"id": c.id, "state": "sent", "sent_at": now, "message": c.message if via == "log" else "",
                         "delivered_via": via, "claimed_by": None, "claimed_until": None, "last_error": None})
            if c.kind == "digest":
                _advance(c, now, pointers_public, pointers_staff)
            continue
        if o.state == "uncertain":
            report.uncertain += 1
            state, next_at = "uncertain", now
        elif c.attempts >= MAX_ATTEMPTS:
            report.failed += 1
            state, next_at = "failed", now
        else:
            report.retrying += 1
            state, next_at = "pending", now + backoff(c.attempts)
        report.errors.append(f"{c.recipient}: {o.error}")
        failed.append({"id": c.id, "state": state, "last_error": o.error, "next_attempt_at": next_at,
                       "claimed_by": None, "claimed_until": None})
    # Bulk UPDATEs by primary key: one statement (executemany) each, whatever the batch size.
    for rows in (sent, failed):
        if rows:
            session.execute(update(OutboxMessage), rows)
    for rows in (pointers_public, pointers_staff):
        if rows:
            session.execute(update(Subscription), list(rows.values()))


def _advance(c: _Claimed, now: datetime, public: dict, staff: dict) -> None:
    """The delivered digest's pointers become the recipient's, never moving backwards."""
    if c.up_to_change_id is not None:
        prev = public.get(c.subscription_id, {}).get("last_change_id", c.sub_change_id)
        prev_point = public.get(c.subscription_id, {}).get("last_point_id", c.sub_point_id)
        public[c.subscription_id] = {"id": c.subscription_id, "last_change_id": max(prev, c.up_to_change_id),
                                     "last_point_id": max(prev_point, c.up_to_point_id or 0),
                                     "last_sent_at": now}
    if c.up_to_suggestion_id is not None:
        prev = staff.get(c.subscription_id) or {
            "id": c.subscription_id, "last_suggestion_id": c.sub_suggestion_id,
            "stale_cutoff": c.sub_stale_cutoff, "feed_streaks": c.sub_feed_streaks}
        newer = prev["stale_cutoff"] is None or (c.stale_cutoff is not None
                                                 and c.stale_cutoff >= prev["stale_cutoff"])
        staff[c.subscription_id] = {
            "id": c.subscription_id,
            "last_suggestion_id": max(prev["last_suggestion_id"], c.up_to_suggestion_id),
            "stale_cutoff": c.stale_cutoff if newer else prev["stale_cutoff"],
            "feed_streaks": (c.feed_streaks or "") if newer else prev["feed_streaks"],
            "last_sent_at": now}


def requeue(session: Session, message: OutboxMessage, now: datetime | None = None) -> None:
    """An admin's explicit decision to (re)send a failed or uncertain message."""
    if message.state not in ("failed", "uncertain"):
        raise Conflict(_("Only failed or uncertain messages can be sent again."))
    message.state, message.next_attempt_at, message.attempts = "pending", now or utcnow(), 0
    message.claimed_by = message.claimed_until = None
    session.flush()
