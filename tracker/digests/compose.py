"""Pure digest composition: plain data in, plain data out; no database, no Flask, no clock.

`public_digest` and `staff_digest` decide what is new for one recipient (None when nothing is: an empty
digest is never sent) and which pointers the digest carries; `build_message` turns rendered text and
HTML into the exact MIME message that is stored in the outbox and later sent as is.
"""
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from zoneinfo import ZoneInfo

LIST_LIMIT = 25  # items listed per section; the rest are counted and linked


class InvalidHeader(ValueError):
    pass


@dataclass(frozen=True)
class Recipient:
    subscription_id: int
    email: str
    name: str = ""
    frequency: str = "daily"
    stakeholders: frozenset[str] = frozenset()  # empty: all
    locale: str = "en"
    staff_role: str | None = None  # "admin" | "editor" for a staff digest
    last_change_id: int = 0
    last_suggestion_id: int = 0
    last_point_id: int = 0
    stale_cutoff: datetime | None = None
    feed_streaks: frozenset[str] = frozenset()

    @property
    def is_staff(self) -> bool:
        return self.staff_role is not None


@dataclass(frozen=True)
class ChangeItem:
    id: int
    code: str
    title: str
    stakeholder_slug: str
    stakeholder_name: str
    from_status: str | None
    to_status: str
    note: str
    evidence_url: str | None
    created_at: datetime


@dataclass(frozen=True)
class PointItem:
    """A data point staff added to an indicator; stakeholder_slugs: those of its related recommendations."""
    id: int
    indicator_slug: str
    indicator_name: str
    unit: str
    period: str
    value: float
    source_title: str
    source_url: str | None
    created_at: datetime
    stakeholder_slugs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SuggestionItem:
    id: int
    code: str
    title: str
    entry_title: str
    entry_link: str | None
    feed_name: str
    proposed_status: str | None
    created_at: datetime


@dataclass(frozen=True)
class StaleItem:
    code: str
    title: str
    status: str
    updated_at: datetime


@dataclass(frozen=True)
class FeedErrorItem:
    id: int
    name: str
    error_count: int
    last_error: str
    streak: str  # "feed_id@last_success": one failure streak, reported once


@dataclass(frozen=True)
class PublicDigest:
    recipient: Recipient
    changes: tuple[ChangeItem, ...]
    up_to_change_id: int
    points: tuple[PointItem, ...] = ()
    up_to_point_id: int = 0
    kind: str = field(default="public", init=False)


@dataclass(frozen=True)
class StaffDigest:
    recipient: Recipient
    suggestions: tuple[SuggestionItem, ...]  # new since the last delivered digest, at most LIST_LIMIT
    new_suggestions: int
    pending_total: int
    stale: tuple[StaleItem, ...]             # newly stale, at most LIST_LIMIT
    new_stale: int
    stale_total: int
    stale_days: int
    feeds_failing: tuple[FeedErrorItem, ...]  # newly failing
    up_to_suggestion_id: int
    stale_cutoff: datetime
    feed_streaks: frozenset[str]
    kind: str = field(default="staff", init=False)

    @property
    def is_empty(self) -> bool:
        return not (self.new_suggestions or self.new_stale or self.feeds_failing)


def period_key(frequency: str, now: datetime, tz: str) -> str:
    """The period a run at `now` belongs to, in the display zone: daily:2026-11-25, weekly:2026-W48."""
    local = now.astimezone(ZoneInfo(tz))
    if frequency == "daily":
        return f"daily:{local.date().isoformat()}"
    if frequency == "weekly":
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    raise ValueError(f"unknown frequency {frequency!r}")


def public_digest(recipient: Recipient, changes: list[ChangeItem],
                  points: list[PointItem] = ()) -> PublicDigest | None:
    """`changes` and `points` ordered by id: everything after the oldest pointers of the batch being built.
    A new data point goes to subscribers of the stakeholders of the recommendations its indicator bears on."""
    mine = tuple(c for c in changes if c.id > recipient.last_change_id
                 and (not recipient.stakeholders or c.stakeholder_slug in recipient.stakeholders))
    my_points = tuple(p for p in points if p.id > recipient.last_point_id
                      and (not recipient.stakeholders or p.stakeholder_slugs & recipient.stakeholders))
    if not mine and not my_points:
        return None
    return PublicDigest(recipient, mine, up_to_change_id=max([recipient.last_change_id] + [c.id for c in changes]),
                        points=my_points, up_to_point_id=max([recipient.last_point_id] + [p.id for p in points]))


def staff_digest(recipient: Recipient, pending: list[SuggestionItem], pending_total: int,
                 stale: list[StaleItem], stale_total: int, stale_days: int, stale_cutoff: datetime,
                 failing: list[FeedErrorItem]) -> StaffDigest | None:
    """`pending`: pending suggestions by id; `stale`: recommendations last updated before `stale_cutoff`
    (at least those since the batch's oldest cutoff); `failing`: every feed currently in error."""
    new = [s for s in pending if s.id > recipient.last_suggestion_id]
    newly_stale = [r for r in stale if recipient.stale_cutoff is None or r.updated_at >= recipient.stale_cutoff]
    new_failing = tuple(f for f in failing if f.streak not in recipient.feed_streaks)
    digest = StaffDigest(
        recipient=recipient, suggestions=tuple(new[:LIST_LIMIT]), new_suggestions=len(new),
        pending_total=pending_total, stale=tuple(newly_stale[:LIST_LIMIT]), new_stale=len(newly_stale),
        stale_total=stale_total, stale_days=stale_days, feeds_failing=new_failing,
        up_to_suggestion_id=max([recipient.last_suggestion_id] + [s.id for s in pending]),
        stale_cutoff=stale_cutoff, feed_streaks=frozenset(f.streak for f in failing))
    return None if digest.is_empty else digest


def safe_header_text(value: str, what: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InvalidHeader(f"{what} contains a line break or control character")
    return value


def build_message(*, sender: str, recipient: str, recipient_name: str = "", subject: str, text: str,
                  html: str | None, message_id: str, date: datetime, lang: str = "en",
                  unsubscribe_url: str | None = None, unsubscribe_mailto: str | None = None) -> str:
    """The complete message as ASCII text with CRLF line ends (what is stored and sent)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = safe_header_text(sender, "sender")
    to_name = safe_header_text(recipient_name, "name")
    local, _, domain = safe_header_text(recipient, "address").rpartition("@")
    msg["To"] = Address(display_name=to_name, username=local, domain=domain)
    msg["Subject"] = safe_header_text(subject, "subject")
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["Content-Language"] = lang
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    if unsubscribe_url:
        msg["Precedence"] = "bulk"
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    message = msg.as_string()
    if unsubscribe_url:
        targets = [f"<{unsubscribe_url}>"] + ([f"<{unsubscribe_mailto}>"] if unsubscribe_mailto else [])
        message = _add_raw_headers(message, [("List-Unsubscribe", ", ".join(targets)),
                                             ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")])
    return message


def _add_raw_headers(message: str, headers: list[tuple[str, str]]) -> str:
    """Headers written exactly as given. The email package folds a header longer than 78 characters and,
    when a single word (a long URL) does not fit, RFC 2047-encodes it (`=?utf-8?q?=3Chttps…?=`): mail
    clients then find no usable List-Unsubscribe (RFC 2369/8058 want the bare `<URL>` list). These values
    are ASCII URLs, well under RFC 5322's 998-character line limit, so they need neither."""
    lines = []
    for name, value in headers:
        safe_header_text(value, name)
        if not value.isascii():
            raise InvalidHeader(f"{name} must be ASCII")
        line = f"{name}: {value}"
        if len(line) > 998:
            raise InvalidHeader(f"{name} is longer than a header line may be")
        lines.append(line + "\r\n")
    head, separator, body = message.partition("\r\n\r\n")
    return head + "\r\n" + "".join(lines).removesuffix("\r\n") + separator + body
