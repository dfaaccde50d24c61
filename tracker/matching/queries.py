from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.feeds.models import Entry, Feed
from tracker.matching.models import Suggestion

INBOX_PAGE_SIZE = 20  # items (cards) per inbox page: a flood of news never makes one huge page


def suggestions_in_state(session: Session, state: str, *, limit: int = 500) -> list[Suggestion]:
    return list(session.scalars(
        select(Suggestion).where(Suggestion.state == state)
        .options(joinedload(Suggestion.entry).joinedload(Entry.feed), joinedload(Suggestion.recommendation))
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(limit)))


def highlight_spans(suggestion: Suggestion) -> list[tuple[int, int]]:
    spans = []
    for pair in filter(None, (suggestion.highlights or "").split(",")):
        start, _, end = pair.partition(":")
        if start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return sorted(spans)


@dataclass
class InboxCard:
    """One news item and every recommendation it may bear on, strongest first."""
    entry: Entry
    suggestions: list[Suggestion]

    @property
    def spans(self) -> list[tuple[int, int]]:
        return sorted({span for s in self.suggestions for span in highlight_spans(s)})


@dataclass
class Waiting:
    items: int
    suggestions: int


@dataclass
class InboxPage:
    cards: list[InboxCard]
    page: int
    pages: int
    waiting: Waiting


def waiting_for_review(session: Session) -> Waiting:
    items, suggestions = session.execute(
        select(func.count(func.distinct(Suggestion.entry_id)), func.count(Suggestion.id))
        .where(Suggestion.state == "pending")).one()
    return Waiting(items=items or 0, suggestions=suggestions or 0)


def inbox_page(session: Session, page: int = 1, per_page: int = INBOX_PAGE_SIZE) -> InboxPage:
    """Items with suggestions waiting, newest first (by publication, else by when they were fetched).
    A page past the end shows the last page."""
    waiting = waiting_for_review(session)
    pages = max(1, -(-waiting.items // per_page))
    page = min(max(1, page), pages)
    newest = func.coalesce(Entry.published, Entry.fetched_at)
    entry_ids = list(session.scalars(
        select(Entry.id).where(Entry.id.in_(select(Suggestion.entry_id).where(Suggestion.state == "pending")))
        .order_by(newest.desc(), Entry.id.desc()).limit(per_page).offset((page - 1) * per_page)))
    suggestions = session.scalars(
        select(Suggestion).where(Suggestion.entry_id.in_(entry_ids), Suggestion.state == "pending")
        .options(selectinload(Suggestion.entry).selectinload(Entry.feed), selectinload(Suggestion.recommendation)))
    by_entry: dict[int, list[Suggestion]] = {}
    for s in suggestions:
        by_entry.setdefault(s.entry_id, []).append(s)
    cards = [InboxCard(entry=group[0].entry,
                       suggestions=sorted(group, key=lambda s: (-s.score, s.recommendation.position, s.id)))
             for group in (by_entry.get(i) for i in entry_ids) if group]
    return InboxPage(cards=cards, page=page, pages=pages, waiting=waiting)


def failing_feeds(session: Session) -> list[Feed]:
    """Active feeds whose last poll failed: items from them may be missing from the inbox."""
    return list(session.scalars(select(Feed).where(Feed.active.is_(True), Feed.gone.is_(False),
                                                   Feed.error_count > 0)
                                .order_by(Feed.error_count.desc(), Feed.name)))
