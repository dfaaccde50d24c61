"""Read-only views of the sources for the admin page."""
from dataclasses import dataclass
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.feeds.models import Entry, Feed


@dataclass(frozen=True)
class SourceRow:
    feed: Feed
    items: int
    updates: int


def sources_with_counts(session: Session) -> list[SourceRow]:
    counts = {row.feed_id: (row.items, row.updates) for row in session.execute(
        select(Entry.feed_id, func.count(Entry.id).label("items"),
               func.count(Entry.update_of_id).label("updates")).group_by(Entry.feed_id))}
    feeds = session.scalars(select(Feed).order_by(Feed.error_count.desc(), Feed.name)).all()
    return [SourceRow(f, *counts.get(f.id, (0, 0))) for f in feeds]
