"""An indicator is a measure (cases reported, FIRs registered ...) with data points by period.

Points are corrected, never overwritten silently: the value a correction replaces is kept in
`IndicatorPointRevision`, as status changes keep a recommendation's earlier statuses.
"""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow
from tracker.recommendations.models import Recommendation

if TYPE_CHECKING:
    from tracker.auth.models import User

KINDS = ("outcome", "context")  # context: describes the setting (internet users), not a result

indicator_recommendations = Table(
    "indicator_recommendations", Base.metadata,
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
)


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    measures: Mapped[str] = mapped_column(Text)          # what it counts, in a sentence
    unit: Mapped[str] = mapped_column(String(60))        # "cases", "reports", "million users"
    source_organisation: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="outcome")
    can_tell: Mapped[str] = mapped_column(Text, default="")
    cannot_tell: Mapped[str] = mapped_column(Text, default="")
    # The brief's own caution, verbatim, when it gives one.
    caution_quote: Mapped[str | None] = mapped_column(Text)
    # Figures the brief gives for no single year or month (e.g. "343 in five years"): label, value, quote.
    other_figures: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    in_register: Mapped[bool] = mapped_column(Boolean, default=True)

    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=indicator_recommendations, order_by=Recommendation.position)
    points: Mapped[list["IndicatorPoint"]] = relationship(
        back_populates="indicator", order_by="IndicatorPoint.period", cascade="all, delete-orphan")


class IndicatorPoint(Base):
    """One value for one period ("2021" or "2021-06"), with its source."""
    __tablename__ = "indicator_points"
    __table_args__ = (UniqueConstraint("indicator_id", "period", name="uq_indicator_points_indicator_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column(Float(precision=53))
    # A second figure the source gives for the same period (the brief's text and table disagree): kept, not
    # chosen between silently; `note` says why.
    alt_value: Mapped[float | None] = mapped_column(Float(precision=53))
    source_title: Mapped[str] = mapped_column(String(300))
    source_publisher: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_page: Mapped[str | None] = mapped_column(String(300))  # where in the brief, or a page number
    quote: Mapped[str | None] = mapped_column(Text)               # the brief's sentence, for its points
    note: Mapped[str] = mapped_column(Text, default="")
    from_brief: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    indicator: Mapped[Indicator] = relationship(back_populates="points")
    author: Mapped["User | None"] = relationship()
    revisions: Mapped[list["IndicatorPointRevision"]] = relationship(
        back_populates="point", order_by="IndicatorPointRevision.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class IndicatorPointRevision(Base):
    """Append-only: what a point said before a correction, and why it was corrected."""
    __tablename__ = "indicator_point_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("indicator_points.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(Float(precision=53))
    alt_value: Mapped[float | None] = mapped_column(Float(precision=53))
    source_title: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)      # why the correction was made
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # when it was replaced

    point: Mapped[IndicatorPoint] = relationship(back_populates="revisions")
    author: Mapped["User | None"] = relationship()
