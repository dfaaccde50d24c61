from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, UTCDateTime, utcnow

FEED_KINDS = ("news", "gazette", "parliament")
# How pages name each kind (lazy: translated when shown).
FEED_KIND_LABELS = {"news": _l("news"), "gazette": _l("gazette"), "parliament": _l("parliament")}
SOURCE_TYPES = ("feed", "page")  # RSS/Atom, or an HTML page read with CSS selectors


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
    # Page sources: one selector picks each item, the others are read inside it.
    source_type: Mapped[str] = mapped_column(String(10), default="feed", server_default="feed")
    item_selector: Mapped[str | None] = mapped_column(String(500))
    title_selector: Mapped[str | None] = mapped_column(String(500))
    link_selector: Mapped[str | None] = mapped_column(String(500))
    date_selector: Mapped[str | None] = mapped_column(String(500))
    summary_selector: Mapped[str | None] = mapped_column(String(500))
    follow: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    page_hash: Mapped[str | None] = mapped_column(String(64))  # unchanged page, no conditional GET: no work
    needs_check: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    last_change_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Row claims let several pollers share due sources on PostgreSQL; a dead holder's claim expires.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_page(self) -> bool:
        return self.source_type == "page"

    @property
    def state(self) -> str:
        if self.gone:
            return "gone"
        if not self.active:
            return "paused"
        if self.error_count:
            return "failing"
        if self.needs_check and self.last_success_at is None:
            return "unchecked"
        if self.last_polled_at is None:  # nothing is known yet: not "working" until a poll says so
            return "unpolled"
        return "ok"


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
    # Page items: the labelled cells ({"Status": "Introduced", ...}) that a later poll compares.
    fields: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An update entry says what changed inside a known item ("Status: Introduced → Passed …").
    update_of_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    change_summary: Mapped[str | None] = mapped_column(Text)
    document_note: Mapped[str | None] = mapped_column(Text)  # about a followed document (scanned, unreadable)

    feed: Mapped[Feed] = relationship()
