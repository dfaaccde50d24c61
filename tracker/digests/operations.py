"""Writes for digests: subscriptions, tokens, and queueing digests into the outbox.

Operations only flush; the request or the job commits (and mail goes out only after that commit).
"""
import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from tracker.auth.models import User
from tracker.db import utcnow
from tracker.email_reasons import refusal_reason
from tracker.digests import compose, queries
from tracker.digests.compose import PublicDigest, Recipient, StaffDigest
from tracker.digests.models import FREQUENCIES, MAIL_LANGUAGES, OutboxMessage, Subscription, Token
from tracker.digests.rendering import MailSettings, render_confirmation, render_digest
from tracker.recommendations.models import Stakeholder
from tracker.errors import InvalidInput

log = logging.getLogger(__name__)
CONFIRM_VALID = timedelta(days=7)
UNSUBSCRIBE_VALID = timedelta(days=366)  # links in old digests keep working for a year
CONFIRMATIONS_PER_DAY = 3  # per address: the form cannot be used to flood someone's mailbox
MAX_NAME = 120


class SubscriptionError(InvalidInput):
    """Bad input from a person; the message says what is wrong."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def clean_address(raw: object) -> str:
    """A deliverable-looking, header-safe address, normalised; ASCII so it fits any SMTP relay."""
    if not isinstance(raw, str) or not raw.strip():
        raise SubscriptionError(_("Enter your e-mail address."), "email")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw) or len(raw) > 254:
        raise SubscriptionError(_("That is not a valid e-mail address."), "email")
    try:
        valid = validate_email(raw.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise SubscriptionError(_("That is not a valid e-mail address: %(why)s", why=refusal_reason(exc)), "email") from None
    return valid.ascii_email.lower()


# Characters that reorder or hide text (bidi embeddings, overrides, isolates and marks; zero-width
# joiners/spaces are allowed only where scripts need them: ZWNJ/ZWJ for Urdu and Persian).
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = set("\u200b\u2060\ufeff\u180e\u00ad")
_WEB_ADDRESS = re.compile(r"(?i)[a-z][a-z0-9+.-]*:/|\bwww\.|[a-z0-9-]\.(?:[a-z]{2,63}|xn--[a-z0-9-]+)(?![a-z0-9-])")


def clean_name(raw: object) -> str:
    """A person's name as they typed it, or refused: no control, bidi-override or invisible characters (they
    can make a name read as something else), nothing that looks like a web address, nothing that could
    break out of a header. Digests and confirmations never put it in a greeting or the To: line anyway."""
    if raw is None:
        return ""
    if not isinstance(raw, str) or any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp", "Co", "Cn")
                                       for c in raw) or any(c in raw for c in "<>\"@,;"):
        raise SubscriptionError(_("A name may not contain line breaks, control characters or any of < > \" @ , ;"),
                                "name")
    if any(c in _BIDI_CONTROLS or c in _INVISIBLE for c in raw):
        raise SubscriptionError(_("A name may not contain invisible or text-direction control characters."),
                                "name")
    if _WEB_ADDRESS.search(raw):
        raise SubscriptionError(_("A name may not contain a web address."), "name")
    name = " ".join(raw.split())
    if len(name) > MAX_NAME:
        raise SubscriptionError(_("Name is too long (at most %(n)s characters).", n=MAX_NAME), "name")
    return name


def clean_frequency(raw: object) -> str:
    if raw not in FREQUENCIES:
        raise SubscriptionError(_("Choose daily or weekly."), "frequency")
    return raw


def clean_language(raw: object) -> str:
    if raw not in MAIL_LANGUAGES:
        raise SubscriptionError(_("Choose English or Urdu for the e-mails."), "language")
    return raw


def clean_stakeholders(session: Session, raw: list[str]) -> list[str]:
    known = set(session.scalars(select(Stakeholder.slug)))
    wanted = sorted({s for s in raw if s})
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise SubscriptionError(_("Unknown stakeholder group: %(s)s.", s=", ".join(unknown)[:200]), "stakeholder")
    return wanted


@dataclass(frozen=True)
class SubscribeRequest:
    email: object
    frequency: object
    stakeholders: list[str] = field(default_factory=list)
    name: object = ""
    locale: object = "en"  # the language of the confirmation and the digests: "en" | "ur"


def request_subscription(session: Session, req: SubscribeRequest, *, now: datetime | None = None
                         ) -> OutboxMessage:
    """Queue a confirmation e-mail (double opt-in); the same for a new, pending, active or former subscriber.

    An address that already got its daily share of confirmations takes the same path (the same reads,
    the same rendering, the same writes), so neither the answer nor its timing tells that it was capped;
    only its message is stored as 'cancelled' instead of 'pending', so it is never sent. Nothing is sent
    here: the outbox job (digests.jobs.deliver_outbox) sends the 'pending' one, outside any request.
    """
    now = now or utcnow()
    email = clean_address(req.email)
    frequency = clean_frequency(req.frequency)
    stakeholders = clean_stakeholders(session, req.stakeholders)
    name = clean_name(req.name)
    locale = clean_language(req.locale)
    sub = _subscription_for(session, email, name=name, frequency=frequency, stakeholders=stakeholders,
                            locale=locale, now=now)
    recent = session.scalar(select(func.count(Token.id)).where(
        Token.subscription_id == sub.id, Token.purpose == "confirm",
        Token.created_at > now - timedelta(days=1))) or 0
    capped = recent >= CONFIRMATIONS_PER_DAY
    if sub.state != "active" and not capped:
        sub.name, sub.locale = name, locale
    raw, digest = new_token()
    # The requested settings ride on the token: nothing changes for an active subscriber until confirmed.
    session.add(Token(subscription_id=sub.id, purpose="confirm", token_hash=digest, created_at=now,
                      expires_at=now + CONFIRM_VALID, frequency=frequency, stakeholders=",".join(stakeholders),
                      locale=locale))
    rows = session.execute(select(Stakeholder.name, Stakeholder.name_ur).where(Stakeholder.slug.in_(stakeholders))
                           .order_by(Stakeholder.position)).all() if stakeholders else []
    # Written in the mail's language: the register's Urdu names for an Urdu confirmation.
    names = [(ur if locale == "ur" and ur else en) for en, ur in rows]
    mail = render_confirmation(email=email, locale=locale, confirm_token=raw, frequency=frequency,
                               stakeholder_names=names, settings=MailSettings.from_app(), now=now,
                               valid_days=CONFIRM_VALID.days)
    message = OutboxMessage(subscription_id=sub.id, kind="confirm", period=f"confirm:{digest[:24]}",
                            recipient=email, subject=mail.subject, message=mail.message,
                            message_id=mail.message_id, state="cancelled" if capped else "pending", attempts=0,
                            created_at=now, next_attempt_at=now,
                            last_error=(f"not sent: {CONFIRMATIONS_PER_DAY} confirmations already went to this "
                                        "address in the last 24 hours") if capped else None)
    session.add(message)
    session.flush()
    return message


def _subscription_for(session: Session, email: str, *, name: str, frequency: str, stakeholders: list[str],
                      locale: str, now: datetime) -> Subscription:
    """The address's subscription, created as 'pending' if it is new. One INSERT … ON CONFLICT DO NOTHING
    then one SELECT, whether or not the address is known: the same statements for a new, a known and a
    capped address (and two requests for the same new address at once do not collide on its UNIQUE)."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(upsert(Subscription).values(
        email=email, name=name, frequency=frequency, state="pending", stakeholders=",".join(stakeholders),
        locale=locale, created_at=now, last_change_id=0, last_suggestion_id=0, last_point_id=0, feed_streaks="",
    ).on_conflict_do_nothing(index_elements=[Subscription.email]))
    return session.scalars(select(Subscription).where(Subscription.email == email)).one()


def valid_token(session: Session, raw: object, purpose: str, now: datetime | None = None) -> Token | None:
    now = now or utcnow()
    if not isinstance(raw, str) or not 20 <= len(raw) <= 100:
        return None
    token = session.scalar(select(Token).where(Token.token_hash == hash_token(raw)))
    if token is None or token.purpose != purpose or token.expires_at < now:
        return None
    return token


def confirm_subscription(session: Session, raw: object, *, now: datetime | None = None) -> Subscription | None:
    """Follow a confirmation link: activate with the settings it was issued for. None: not a valid link."""
    now = now or utcnow()
    token = valid_token(session, raw, "confirm", now)
    if token is None:
        return None
    sub = token.subscription
    if token.used_at is not None:  # followed twice (a mail scanner, a double click): no change
        return sub if sub.state == "active" else None
    token.used_at = now
    if sub.state != "active":
        # News starts from now: a new (or returning) subscriber is not sent the whole history.
        sub.last_change_id = queries.latest_change_id(session)
        sub.last_point_id = queries.latest_point_id(session)
        sub.state, sub.confirmed_at, sub.unsubscribed_at = "active", now, None
    sub.frequency = token.frequency or sub.frequency
    sub.locale = token.locale or sub.locale
    sub.stakeholders = token.stakeholders if token.stakeholders is not None else sub.stakeholders
    session.flush()
    return sub


def unsubscribe(session: Session, raw: object, *, now: datetime | None = None) -> Subscription | None:
    """Follow an unsubscribe link (one-click POST or the button). Idempotent. None: not a valid link."""
    now = now or utcnow()
    token = valid_token(session, raw, "unsubscribe", now)
    if token is None:
        return None
    sub = token.subscription
    if token.used_at is None:
        token.used_at = now
    if sub.state != "unsubscribed":
        sub.state, sub.unsubscribed_at = "unsubscribed", now
    cancel_undelivered(session, sub.id)
    session.flush()
    return sub


def cancel_undelivered(session: Session, subscription_id: int) -> None:
    session.execute(update(OutboxMessage).where(
        OutboxMessage.subscription_id == subscription_id, OutboxMessage.kind == "digest",
        OutboxMessage.state.in_(("pending", "failed"))).values(state="cancelled", next_attempt_at=utcnow()))


def staff_subscription(session: Session, user: User) -> Subscription | None:
    return session.scalar(select(Subscription).where(Subscription.user_id == user.id))


def set_staff_preferences(session: Session, user: User, *, enabled: bool, frequency: object,
                          locale: object = None) -> Subscription:
    frequency = clean_frequency(frequency)
    locale = clean_language(locale) if locale is not None else None
    sub = staff_subscription(session, user)
    if sub is None:
        sub = Subscription(user_id=user.id, state="active", frequency=frequency, stakeholders="", locale="en",
                           created_at=utcnow(), last_change_id=0, last_suggestion_id=0, feed_streaks="")
        session.add(sub)
    sub.frequency = frequency
    if locale is not None:
        sub.locale = locale
    if enabled and sub.state != "active":
        sub.state, sub.confirmed_at, sub.unsubscribed_at = "active", utcnow(), None
    elif not enabled and sub.state != "unsubscribed":
        sub.state, sub.unsubscribed_at = "unsubscribed", utcnow()
    session.flush()
    if not enabled:
        cancel_undelivered(session, sub.id)
    return sub


def ensure_staff_subscriptions(session: Session, now: datetime) -> None:
    """Editors and admins get a daily digest until they turn it off: give each one its row (one statement)."""
    has_row = exists().where(Subscription.user_id == User.id)
    session.execute(insert(Subscription).from_select(
        ["user_id", "name", "frequency", "state", "stakeholders", "locale", "created_at", "confirmed_at",
         "last_change_id", "last_suggestion_id", "feed_streaks"],
        select(User.id, literal(""), literal("daily"), literal("active"), literal(""), literal("en"),
               literal(now, Subscription.created_at.type), literal(now, Subscription.created_at.type),
               literal(0), literal(0), literal(""))
        .where(User.active.is_(True), User.role.in_(queries.STAFF_ROLES), ~has_row)))


# ---------------------------------------------------------------- building digests


@dataclass
class BuildResult:
    period: str
    digests: list[PublicDigest | StaffDigest]
    considered: int   # recipients looked at in this batch
    last_id: int      # subscription id to continue after


def build_digests(session: Session, recipients: list[Recipient], *, now: datetime, period: str) -> BuildResult:
    """What each recipient would be sent now (read only): a fixed number of queries for any batch size."""
    cfg = current_app.config
    settle = timedelta(seconds=cfg.get("TRACKER_DIGEST_SETTLE_SECONDS", 60))
    stale_days = cfg["TRACKER_STALE_DAYS"]
    until = now - settle  # events younger than this wait for the next digest (see outbox.py, "gaps")
    digests: list[PublicDigest | StaffDigest] = []
    public = [r for r in recipients if not r.is_staff]
    staff = [r for r in recipients if r.is_staff]
    if public:
        changes = queries.changes_after(session, min(r.last_change_id for r in public), until)
        points = queries.points_after(session, min(r.last_point_id for r in public), until)
        digests += filter(None, (compose.public_digest(r, changes, points) for r in public))
    if staff:
        pending = queries.pending_suggestions_after(session, min(r.last_suggestion_id for r in staff), until)
        pending_total = queries.pending_suggestion_count(session)
        cutoff = now - timedelta(days=stale_days)
        cutoffs = [r.stale_cutoff for r in staff]
        stale = queries.stale_recommendations(session, cutoff, None if None in cutoffs else min(cutoffs))
        stale_total = queries.stale_count(session, cutoff)
        failing = queries.failing_feeds(session)
        digests += filter(None, (compose.staff_digest(r, pending, pending_total, stale, stale_total, stale_days,
                                                      cutoff, failing) for r in staff))
    return BuildResult(period, digests, len(recipients), recipients[-1].subscription_id if recipients else 0)


def queue_digests(session: Session, frequency: str, *, now: datetime | None = None, after_id: int = 0,
                  batch_size: int = 500, dry_run: bool = False) -> BuildResult:
    """Build one batch of this period's digests and add them to the outbox (flushed, not committed).

    Call again with after_id=result.last_id until result.considered == 0.
    """
    now = now or utcnow()
    settings = MailSettings.from_app()
    period = compose.period_key(frequency, now, settings.tz)
    recipients = queries.due_recipients(session, frequency, period, after_id=after_id, limit=batch_size)
    result = build_digests(session, recipients, now=now, period=period)
    if dry_run or not result.digests:
        return result
    tokens, messages = [], []
    for digest in result.digests:
        raw, token_hash = new_token()
        r = digest.recipient
        try:
            mail = render_digest(digest, settings, unsubscribe_token=raw, now=now, period=period)
            mail.message.encode("ascii")
        except (compose.InvalidHeader, UnicodeError, ValueError) as exc:
            # One unusable address (e.g. a staff account's non-ASCII mailbox) must not stop the others.
            log.warning("digest for subscription %s (%s) not queued: %s", r.subscription_id, r.email, exc)
            continue
        tokens.append({"subscription_id": r.subscription_id, "purpose": "unsubscribe", "token_hash": token_hash,
                       "created_at": now, "expires_at": now + UNSUBSCRIBE_VALID})
        row = {"subscription_id": r.subscription_id, "kind": "digest", "period": period, "recipient": r.email,
               "subject": mail.subject[:300], "message": mail.message, "message_id": mail.message_id,
               "state": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now,
               "up_to_change_id": None, "up_to_suggestion_id": None, "stale_cutoff": None, "feed_streaks": None,
               "up_to_point_id": None}
        if isinstance(digest, PublicDigest):
            row["up_to_change_id"] = digest.up_to_change_id
            row["up_to_point_id"] = digest.up_to_point_id
        else:
            row.update(up_to_suggestion_id=digest.up_to_suggestion_id, stale_cutoff=digest.stale_cutoff,
                       feed_streaks=",".join(sorted(digest.feed_streaks)))
        messages.append(row)
    if not messages:
        return result
    session.execute(insert(Token), tokens)
    session.execute(insert(OutboxMessage), messages)
    # A recipient's older digest still waiting (SMTP was down) is replaced by this one, which is built from
    # the same delivered pointer and so carries its events too: nothing is lost and nothing is sent twice.
    newer = aliased(OutboxMessage)
    session.execute(update(OutboxMessage).where(
        OutboxMessage.kind == "digest", OutboxMessage.state.in_(("pending", "failed")),
        OutboxMessage.period != period, OutboxMessage.subscription_id > after_id,
        OutboxMessage.subscription_id <= result.last_id,
        select(newer.id).where(newer.subscription_id == OutboxMessage.subscription_id,
                               newer.period == period).exists()
    ).values(state="superseded", last_error=f"replaced by the digest for {period}"))
    session.flush()
    return result


def preview_digest(session: Session, recipient: Recipient, *, now: datetime | None = None):
    """The next digest this recipient would get, rendered but not stored (admin preview)."""
    now = now or utcnow()
    settings = MailSettings.from_app()
    period = compose.period_key(recipient.frequency, now, settings.tz)
    result = build_digests(session, [recipient], now=now, period=period)
    if not result.digests:
        return period, None, None
    digest = result.digests[0]
    return period, digest, render_digest(digest, settings, unsubscribe_token="PREVIEW-TOKEN", now=now,
                                         period=period)
