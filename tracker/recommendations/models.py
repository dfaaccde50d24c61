from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from tracker.auth.models import User

recommendation_bodies = Table(
    "recommendation_bodies", Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("body_id", ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True),
)
recommendation_themes = Table(
    "recommendation_themes", Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)
recommendation_instruments = Table(
    "recommendation_instruments", Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("instrument_id", ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True),
)


class Stakeholder(Base):
    __tablename__ = "stakeholders"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    code_prefix: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Body(Base):
    """A responsible body the brief names (FIA, PTA, MoITT, NCRC ...)."""
    __tablename__ = "bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)


class Theme(Base):
    """A WeProtect Model National Response domain."""
    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)


class Instrument(Base):
    """An international instrument, with Pakistan's status as the seeds state it."""
    __tablename__ = "instruments"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(60))
    binding: Mapped[bool] = mapped_column(Boolean, default=True)
    pakistan_status: Mapped[str] = mapped_column(String(30))
    ratified_on: Mapped[str | None] = mapped_column(String(20))
    status_text: Mapped[str | None] = mapped_column(Text)
    reporting_text: Mapped[str | None] = mapped_column(Text)
    reservations: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Bill(Base):
    """A bill the register tracks through Parliament."""
    __tablename__ = "bills"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[str] = mapped_column(Text, default="")  # one per line
    subject_keywords: Mapped[str] = mapped_column(Text, default="")  # one per line


class Recommendation(Base):
    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    title: Mapped[str] = mapped_column(String(200))
    source_text: Mapped[str] = mapped_column(Text)
    context_text: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")  # one per line, for the matcher
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    status: Mapped[str] = mapped_column(String(30), default="not_assessed", index=True)
    # False when the register file no longer lists it: kept, with its history, but hidden.
    in_register: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whom the item addresses without being its actor (e.g. schools for CSO-01), one per line.
    audiences: Mapped[str] = mapped_column(Text, default="")
    # Set on the parts of a split item: their history before the split is the old item's, shown, not copied.
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When a person (or an accepted monitored item) last recorded a change or a note: the "not updated for
    # N days" clock. None until then: set-up and register edits are not changes anyone made.
    last_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    stakeholder: Mapped[Stakeholder] = relationship(lazy="joined", innerjoin=True)
    bill: Mapped[Bill | None] = relationship()
    bodies: Mapped[list[Body]] = relationship(secondary=recommendation_bodies, order_by=Body.name)
    themes: Mapped[list[Theme]] = relationship(secondary=recommendation_themes, order_by=Theme.id)
    instruments: Mapped[list[Instrument]] = relationship(
        secondary=recommendation_instruments, order_by=Instrument.position)
    split_from: Mapped["Recommendation | None"] = relationship(remote_side=[id], back_populates="split_parts")
    split_parts: Mapped[list["Recommendation"]] = relationship(back_populates="split_from",
                                                               order_by="Recommendation.code")
    # No order_by here: a relationship's order_by comes first in every query built from it and would
    # override the "newest first" that each reader asks for.
    history: WriteOnlyMapped["StatusChange"] = relationship(back_populates="recommendation")

    # The UPDATE carries "WHERE version = :old", so two concurrent writers cannot both win.
    __mapper_args__ = {"version_id_col": version}


class StatusChange(Base):
    """Append-only: one row per status change (or note) with its evidence."""
    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # manual | suggestion | seed | split
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # when recorded
    # When it happened, as the editor says (a bill passed last week, recorded today); optional.
    occurred_on: Mapped[date | None] = mapped_column(Date)
    evidence_title: Mapped[str | None] = mapped_column(String(500))
    evidence_publisher: Mapped[str | None] = mapped_column(String(200))
    evidence_published_on: Mapped[date | None] = mapped_column(Date)
    # The monitored item's own text, kept so the evidence survives the article's removal.
    evidence_text: Mapped[str | None] = mapped_column(Text)
    # When the title of a typed link was looked up (successfully or not): it is tried once.
    evidence_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    recommendation: Mapped[Recommendation] = relationship(back_populates="history")

    @property
    def is_note(self) -> bool:
        """A note or evidence added without changing the status."""
        return self.from_status == self.to_status
    author: Mapped["User"] = relationship()
