from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow
from tracker.feeds.models import Entry
from tracker.recommendations.models import Recommendation

SUGGESTION_STATES = ("pending", "accepted", "dismissed")


class Suggestion(Base):
    """The machine proposes (entry -> recommendation, maybe a status); a person decides."""
    __tablename__ = "suggestions"
    # One suggestion per (entry, recommendation), ever: a dismissed one is remembered, so it never returns.
    __table_args__ = (UniqueConstraint("entry_id", "recommendation_id", name="uq_suggestions_entry_rec"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    score: Mapped[float] = mapped_column(Float)
    proposed_status: Mapped[str | None] = mapped_column(String(30))
    stage: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    highlights: Mapped[str] = mapped_column(Text, default="")  # "start:end" pairs, comma separated
    # "same_title_unconfirmed": a title-only listing; a person confirms the bill's identity on accepting
    flags: Mapped[str] = mapped_column(String(200), default="")  # comma separated
    bill_slug: Mapped[str | None] = mapped_column(String(80))  # the tracked bill a stage suggestion is about
    identity: Mapped[str | None] = mapped_column(Text)  # JSON {title, year, bill_number, act_number}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[Entry] = relationship()
    recommendation: Mapped[Recommendation] = relationship()


DECISIONS = ("accepted", "dismissed")


class ReviewDecision(Base):
    """A person's decision on one suggestion, kept as data: the item, the recommendation, what the machine
    proposed and what was decided. A copy, not a reference, so it outlives the entry (feeds are deleted,
    entries cascade) and `matching export-decisions` can turn it into labelled evaluation items."""
    __tablename__ = "review_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL, not CASCADE: the decision is worth keeping after the suggestion and its entry are gone.
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id", ondelete="SET NULL"),
                                                      unique=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"), index=True)
    # The item as it was decided on. item_key is the same for syndicated copies of one article.
    item_key: Mapped[str] = mapped_column(String(40), index=True)
    item_title: Mapped[str] = mapped_column(String(500))
    item_text: Mapped[str] = mapped_column(Text, default="")
    item_link: Mapped[str | None] = mapped_column(String(2000))
    item_published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feed_name: Mapped[str] = mapped_column(String(120), default="")
    feed_kind: Mapped[str] = mapped_column(String(20), default="news")
    # The recommendation and the machine's proposal.
    recommendation_code: Mapped[str] = mapped_column(String(12), index=True)
    proposed_status: Mapped[str | None] = mapped_column(String(30))
    proposed_stage: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[str] = mapped_column(String(200), default="")
    # The decision. status_before/accepted_status: an accept that kept the status is evidence only.
    decision: Mapped[str] = mapped_column(String(12))
    status_before: Mapped[str | None] = mapped_column(String(30))
    accepted_status: Mapped[str | None] = mapped_column(String(30))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_email: Mapped[str] = mapped_column(String(254), default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
