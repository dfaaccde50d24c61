from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.feeds.models import Entry
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation


def suggestions_in_state(session: Session, state: str, *, limit: int = 500) -> list[Suggestion]:
    return list(session.scalars(
        select(Suggestion).where(Suggestion.state == state)
        .options(joinedload(Suggestion.entry).joinedload(Entry.feed), joinedload(Suggestion.recommendation))
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(limit)))


def pending_suggestions_by_recommendation(session: Session) -> "OrderedDict[Recommendation, list[Suggestion]]":
    """Grouped by recommendation; groups ordered by their newest item, items newest first."""
    groups: OrderedDict = OrderedDict()
    for s in sorted(suggestions_in_state(session, "pending"),
                    key=lambda s: (s.entry.published or s.created_at), reverse=True):
        groups.setdefault(s.recommendation, []).append(s)
    return groups


def highlight_spans(suggestion: Suggestion) -> list[tuple[int, int]]:
    spans = []
    for pair in filter(None, (suggestion.highlights or "").split(",")):
        start, _, end = pair.partition(":")
        if start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return sorted(spans)
