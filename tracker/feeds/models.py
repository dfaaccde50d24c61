from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow

FEED_KINDS = ("news", "gazette", "parliament")


class Feed(Base):
    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="news")
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    gone: Mapped[bool] = mapped_column(Boolean, default=False)  # HTTP 410: never polled again
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    ttl_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("feed_id", "dedup_key", name="uq_entries_feed_dedup"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    dedup_key: Mapped[str] = mapped_column(String(600))
    guid: Mapped[str | None] = mapped_column(String(1000))
    # Indexed: the poller looks up syndicated copies of an article by link in every run.
    link: Mapped[str | None] = mapped_column(String(2000), index=True)
    title: Mapped[str] = mapped_column(String(500))
    summary_html: Mapped[str] = mapped_column(Text, default="")  # sanitised with an allow-list
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    published_is_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    feed: Mapped[Feed] = relationship()
