""""Test this source": fetch it now and show what a poll would store, storing nothing."""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from tracker.db import utcnow
from tracker.feeds.models import Feed
from tracker.feeds.pages import PageSpec, parse_page
from tracker.feeds.parsing import ParsedEntry, parse_feed
from tracker.feeds.politeness import polite_client


@dataclass(frozen=True)
class Trial:
    items: list[ParsedEntry]
    error: str | None = None
    warning: str | None = None
    fetched_at: datetime | None = None


def try_source(feed: Feed, spec: PageSpec | None = None, url: str | None = None) -> Trial:
    """Reads the source (or an unsaved variant of it: other selectors, another address) without
    conditional headers, so the whole current page is shown, and writes nothing."""
    url = url or feed.url
    if spec is None and feed.is_page:
        spec = PageSpec(feed.item_selector, feed.title_selector, feed.link_selector, feed.date_selector,
                        feed.summary_selector)
    now = utcnow()
    with polite_client() as web:
        result = web.fetch(url, page=spec is not None)
    if result.outcome != "ok":
        return Trial([], error=result.error or f"HTTP {result.status_code}", fetched_at=now)
    if spec is not None:
        parsed = parse_page(result.body, spec, content_type=result.content_type, base_url=result.final_url, now=now,
                            tz=current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
    else:
        parsed = parse_feed(result.body, content_type=result.content_type, base_url=result.final_url, now=now)
    return Trial(parsed.entries, error=parsed.error, warning=parsed.warning, fetched_at=now)
