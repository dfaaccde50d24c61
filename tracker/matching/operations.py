"""Turn matches into suggestions, and a person's decision into a status change."""
import json

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.db import utcnow
from tracker.feeds.models import Entry
from tracker.matching.matcher import BillProfile, Matcher, RecommendationProfile
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation
from tracker.recommendations.operations import ChangeRequest, InvalidChange, change_status
from tracker.errors import DomainError

MIN_SCORE = 0.0  # the matcher already applies its own threshold; kept here for clarity of intent


class SuggestionError(DomainError):
    """A decision that cannot be made; the message is for a person."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message, status=status)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (text or "").splitlines() if line.strip())


def matcher_profiles(session: Session) -> tuple[list[RecommendationProfile], list[BillProfile]]:
    """Plain data (picklable), so worker processes can build the same matcher."""
    recs = session.scalars(select(Recommendation).where(Recommendation.in_register.is_(True))
                           .options(selectinload(Recommendation.bodies), selectinload(Recommendation.bill)))
    profiles = [RecommendationProfile(code=r.code, title=r.title, source_text=r.source_text,
                                      keywords=_lines(r.keywords), responsible_bodies=tuple(b.name for b in r.bodies),
                                      bill=r.bill.slug if r.bill else None, status=r.status) for r in recs]
    from tracker.legislation.queries import bill_profiles  # legislation imports matching: import here
    return profiles, bill_profiles(session)


def suggest_for_entries(session: Session, matcher: Matcher, entries, *, feed_kind: str = "news",
                        fresh: bool = False, ids_by_code: dict[str, int] | None = None,
                        check_syndication: bool = True) -> int:
    """Stores the suggestions for these entries and returns how many were made.

    entries: anything with id, link, title and text (ORM entries or the poller's StoredEntry).
    fresh: the entries were inserted just now, so none can have a suggestion yet.
    check_syndication: False for a page source's update entries, which share their item's link on purpose.
    Matching comes first and the database is asked only about entries that matched: most news
    matches nothing, and a poll run must not spend three queries per feed to learn that."""
    matched = [(e, ms) for e in entries
               if (ms := matcher.match(e.title, e.text, feed_kind=feed_kind, published=getattr(e, "published", None)))]
    if not matched:
        return 0
    if ids_by_code is None:
        codes = {m.code for _e, ms in matched for m in ms}
        ids_by_code = dict(session.execute(select(Recommendation.code, Recommendation.id)
                                           .where(Recommendation.code.in_(codes))).all())
    seen = set() if fresh else set(session.execute(
        select(Suggestion.entry_id, Suggestion.recommendation_id)
        .where(Suggestion.entry_id.in_([e.id for e, _ms in matched]))).all())
    # The same article syndicated in two feeds is suggested once: the first copy stored wins.
    links = [e.link for e, _ms in matched if e.link] if check_syndication else []
    elsewhere = set(session.scalars(select(Entry.link).where(
        Entry.link.in_(links), Entry.id.not_in([e.id for e in entries])))) if links else set()
    rows, now = [], utcnow()
    for entry, matches in matched:
        if entry.link and entry.link in elsewhere:
            continue
        for match in matches:
            rec_id = ids_by_code.get(match.code)
            if rec_id is None or (entry.id, rec_id) in seen or match.score < MIN_SCORE:
                continue
            rows.append({"entry_id": entry.id, "recommendation_id": rec_id, "state": "pending",
                         "score": round(match.score, 3), "proposed_status": match.proposed_status,
                         "stage": match.stage, "rationale": match.rationale, "created_at": now,
                         "highlights": ",".join(f"{a}:{b}" for a, b in match.highlights),
                         "flags": ",".join(match.flags), "bill_slug": match.bill,
                         "identity": _identity_json(match.identity)})
            seen.add((entry.id, rec_id))
    if rows:
        session.execute(insert(Suggestion), rows)  # one multi-row INSERT, not an ORM object per row
    return len(rows)


def _identity_json(identity) -> str | None:
    if identity is None:
        return None
    return json.dumps({"title": identity.title, "year": identity.year, "bill_number": identity.bill_number,
                       "act_number": identity.act_number}, ensure_ascii=False)


def _printable(text: str | None) -> str:
    return "".join(c for c in (text or "") if ord(c) >= 32 or c in "\n\t")


def _decide(session: Session, suggestion_id: int, state: str, user_id: int) -> Suggestion:
    """Takes the decision in one conditional UPDATE (still pending?), so of two racing decisions exactly one
    changes the row; the other finds it decided (PostgreSQL re-reads the row after the winner commits)."""
    claimed = session.execute(
        update(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.state == "pending")
        .values(state=state, decided_at=utcnow(), decided_by_id=user_id)
        .execution_options(synchronize_session=False))
    suggestion = session.get(Suggestion, suggestion_id, populate_existing=True)
    if suggestion is None:
        raise SuggestionError(f"No suggestion with id {suggestion_id}.", 404)
    if claimed.rowcount != 1:
        raise SuggestionError(f"Suggestion {suggestion_id} was already {suggestion.state}.", 409)
    return suggestion


def accept_suggestion(session: Session, suggestion_id: int, *, user_id: int, status: str | None = None,
                      note: str | None = None) -> Suggestion:
    """Records the status change with the entry as evidence. With no status proposed or chosen, the
    recommendation keeps its status and the item is added to its history as evidence."""
    suggestion = _decide(session, suggestion_id, "accepted", user_id)
    rec = suggestion.recommendation
    entry = suggestion.entry
    new_status = status or suggestion.proposed_status or rec.status
    default_note = f"{entry.feed.name}: “{entry.title}”" + (
        f" (published {entry.published:%d %b %Y})" if entry.published else "")
    try:
        # The item's title, feed and date are the evidence's; its text is kept with the change.
        change_status(session, rec, ChangeRequest(
            new_status, (note or "").strip() or default_note, entry.link, rec.version,
            evidence_title=_printable(entry.title)[:500] or None,
            evidence_publisher=_printable(entry.feed.name)[:200] or None,
            evidence_published_on=entry.published.date() if entry.published and entry.published <= utcnow()
            else None),
            author_id=user_id, origin="suggestion", suggestion_id=suggestion.id,
            evidence_text=entry.text or None)
    except InvalidChange as exc:  # the caller rolls back, and with it the claim above
        raise SuggestionError(str(exc)) from None
    return suggestion


def dismiss_suggestion(session: Session, suggestion_id: int, *, user_id: int) -> Suggestion:
    return _decide(session, suggestion_id, "dismissed", user_id)
