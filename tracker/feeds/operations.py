"""Adding and changing feed sources."""
from pathlib import Path

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.feeds.models import FEED_KINDS, Feed
from tracker.errors import InvalidInput
from tracker.web_addresses import validate_web_address

SOURCES_FILE = Path(__file__).resolve().parents[2] / "feeds" / "sources.yaml"


class FeedError(InvalidInput):
    pass


def validate_feed_url(url: object) -> str:
    return validate_web_address(url, field="url", what=_("Feed address"))


def add_feed(session: Session, url: str, name: str, kind: str, interval_minutes: int = 60) -> Feed:
    url = validate_feed_url(url)
    if kind not in FEED_KINDS:
        raise FeedError(f"Unknown kind {kind!r}: use one of {', '.join(FEED_KINDS)}.")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise FeedError("A feed needs a name of 1 to 120 characters.")
    if not 5 <= int(interval_minutes) <= 24 * 60:
        raise FeedError("Interval must be between 5 and 1440 minutes.")
    if session.scalar(select(Feed.id).where(Feed.url == url)):
        raise FeedError(f"A feed with address {url} already exists.")
    feed = Feed(url=url, name=name, kind=kind, interval_minutes=int(interval_minutes))
    session.add(feed)
    session.flush()
    return feed


def seed_sources(session: Session, path: Path = SOURCES_FILE) -> int:
    """Adds the file's feeds that are not there yet; returns how many were added."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = set(session.scalars(select(Feed.url)))
    added = 0
    for row in data.get("sources") or ():
        if row["url"] not in known:
            add_feed(session, row["url"], row["name"], row.get("kind", "news"), row.get("interval_minutes", 60))
            added += 1
    return added


def set_active(session: Session, feed: Feed, active: bool) -> None:
    feed.active = active
    if active:
        feed.next_poll_at = None  # due at once
    session.flush()
