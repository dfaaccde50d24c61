"""Adding and changing feed sources."""
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.feeds.models import FEED_KINDS, Feed
from tracker.errors import InvalidInput

SOURCES_FILE = Path(__file__).resolve().parents[2] / "feeds" / "sources.yaml"


class FeedError(InvalidInput):
    pass


def validate_feed_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise FeedError(f"Feed address must be a complete http:// or https:// URL, not {url[:80]!r}.")
    if len(url) > 2000:
        raise FeedError("Feed address is too long (at most 2000 characters).")
    return url


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


SOURCE_LANGUAGES = ("en", "ur")
_SOURCE_FIELDS = {"name", "url", "kind", "interval_minutes", "language", "check_on_first_poll", "note"}


def load_sources(path: Path = SOURCES_FILE) -> list[dict]:
    """The sources file's rows, validated: an error names the file and the entry. `language` (en | ur,
    default en) says which language the feed's items are in; `check_on_first_poll: true` marks an address
    written from what the outlet is expected to publish, not yet fetched from here."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = data.get("sources") or []
    if not isinstance(rows, list):
        raise FeedError(f"{path}: sources: expected a list")
    for i, row in enumerate(rows):
        where = f"{path}: sources[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("url"), str) or not isinstance(row.get("name"), str):
            raise FeedError(f"{where}: name and url are required")
        where = f"{where} ({row['name']})"
        unknown = set(row) - _SOURCE_FIELDS
        if unknown:
            raise FeedError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        if row.get("language", "en") not in SOURCE_LANGUAGES:
            raise FeedError(f"{where}: language must be one of {', '.join(SOURCE_LANGUAGES)}, "
                            f"got {row.get('language')!r}")
        if not isinstance(row.get("check_on_first_poll", False), bool):
            raise FeedError(f"{where}: check_on_first_poll must be true or false")
    return rows


def seed_sources(session: Session, path: Path = SOURCES_FILE) -> int:
    """Adds the file's feeds that are not there yet; returns how many were added."""
    known = set(session.scalars(select(Feed.url)))
    added = 0
    for row in load_sources(path):
        if row["url"] not in known:
            add_feed(session, row["url"], row["name"], row.get("kind", "news"), row.get("interval_minutes", 60))
            added += 1
    return added


def set_active(session: Session, feed: Feed, active: bool) -> None:
    feed.active = active
    if active:
        feed.next_poll_at = None  # due at once
    session.flush()
