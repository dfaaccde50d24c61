"""A tracked bill's identities and recorded stages (the Bill itself is in tracker.recommendations.models)."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow
from tracker.recommendations.models import Bill

STAGE_ORIGINS = ("register", "suggestion", "staff")


class BillIdentity(Base):
    """A title, year, bill number or Act number under which the bill appears. The register's title is
    confirmed; an identity found in a title-only listing is confirmed by a person (confirm_bill_identity)."""
    __tablename__ = "bill_identities"
    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[str | None] = mapped_column(String(4))
    bill_number: Mapped[str | None] = mapped_column(String(40))
    act_number: Mapped[str | None] = mapped_column(String(40))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20), default="register")
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bill: Mapped[Bill] = relationship()


class BillStage(Base):
    """A stage the bill reached, with its date at the precision known ("2022", "2022-05", "2022-05-10").
    passage counts the bill's passages: a lapsed or withdrawn bill that is re-tabled starts the next one."""
    __tablename__ = "bill_stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[str | None] = mapped_column(String(10))
    house: Mapped[str | None] = mapped_column(String(60))
    passage: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    origin: Mapped[str] = mapped_column(String(20), default="register")
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the register for undated stages
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bill: Mapped[Bill] = relationship()
