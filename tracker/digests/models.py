"""Digest subscriptions, their single-purpose tokens, and the outbox of messages to deliver.

One `Subscription` per recipient: a public subscriber (email set, user_id empty) or a staff member's
digest preference (user_id set, address read from the account). Its pointers say what the recipient has
actually been delivered; they move only when an outbox row is recorded as sent (see outbox.py).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.db import Base, UTCDateTime, utcnow

FREQUENCIES = ("daily", "weekly")
SUBSCRIPTION_STATES = ("pending", "active", "unsubscribed")
TOKEN_PURPOSES = ("confirm", "unsubscribe")
# pending: waiting to be sent (maybe after a failure, see next_attempt_at); sending: claimed by a sender;
# sent: the SMTP server accepted it; failed: gave up after MAX_ATTEMPTS; uncertain: a claim expired or the
# connection broke during DATA, so it may have been delivered and is never resent automatically;
# superseded: a newer digest for the same recipient carries its events; cancelled: the recipient left.
OUTBOX_STATES = ("pending", "sending", "sent", "failed", "uncertain", "superseded", "cancelled")
OUTBOX_KINDS = ("digest", "confirm")


class Subscription(Base):
    __tablename__ = "digest_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Public subscribers: the normalised address, one subscription per address.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # Staff: the account whose digest preference this is (its address is the account's).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    frequency: Mapped[str] = mapped_column(String(10), default="daily")
    state: Mapped[str] = mapped_column(String(15), default="pending", index=True)
    stakeholders: Mapped[str] = mapped_column(Text, default="")  # slugs, comma separated; "" = all
    locale: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What has been delivered (moved only by a recorded delivery):
    last_change_id: Mapped[int] = mapped_column(Integer, default=0)       # StatusChange.id
    last_suggestion_id: Mapped[int] = mapped_column(Integer, default=0)   # Suggestion.id
    last_point_id: Mapped[int] = mapped_column(Integer, default=0)        # IndicatorPoint.id
    stale_cutoff: Mapped[datetime | None] = mapped_column(UTCDateTime)    # updated_at boundary reported
    feed_streaks: Mapped[str] = mapped_column(Text, default="")           # "feed_id@last_success" reported
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()

    @property
    def is_staff(self) -> bool:
        return self.user_id is not None

    @property
    def stakeholder_slugs(self) -> list[str]:
        return [s for s in self.stakeholders.split(",") if s]


class Token(Base):
    """A link secret: only its SHA-256 is stored, and it does one thing (its purpose)."""
    __tablename__ = "digest_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
                                                 index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a confirm token will apply when followed:
    frequency: Mapped[str | None] = mapped_column(String(10))
    stakeholders: Mapped[str | None] = mapped_column(Text)

    subscription: Mapped[Subscription] = relationship()


class OutboxMessage(Base):
    __tablename__ = "digest_outbox"
    # The idempotency key: one message per recipient and period, ever.
    __table_args__ = (UniqueConstraint("subscription_id", "period", name="uq_digest_outbox_recipient_period"),
                      Index("ix_digest_outbox_state_next", "state", "next_attempt_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
                                                 index=True)
    kind: Mapped[str] = mapped_column(String(10), default="digest")
    period: Mapped[str] = mapped_column(String(40))  # "daily:2026-11-25", "weekly:2026-W48", "confirm:…"
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)  # the exact RFC 5322 bytes (ASCII); emptied once delivered
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How a 'sent' message left: "smtp" (a relay took it) or "log" (no TRACKER_SMTP_URL: written to the log
    # and kept here, so an admin can read it on /admin/outbox; nobody received it).
    delivered_via: Mapped[str | None] = mapped_column(String(8))
    # The pointers this message carries; copied to the subscription when it is delivered.
    up_to_change_id: Mapped[int | None] = mapped_column(Integer)
    up_to_suggestion_id: Mapped[int | None] = mapped_column(Integer)
    up_to_point_id: Mapped[int | None] = mapped_column(Integer)
    stale_cutoff: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feed_streaks: Mapped[str | None] = mapped_column(Text)

    subscription: Mapped[Subscription] = relationship()
