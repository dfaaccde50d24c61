"""News items with suggestions, for the inbox and decision tests (unit and browser)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation

BILL_TEXT = ("The Senate on Tuesday passed the Criminal Laws (Amendment) Bill, 2022, already passed by the National "
             "Assembly. The bill criminalises grooming and sextortion of children.")


def feed(name: str = "Dawn", kind: str = "news", *, error_count: int = 0, last_error: str | None = None) -> Feed:
    f = db.session.scalar(select(Feed).where(Feed.name == name))
    if f is None:
        f = Feed(name=name, url=f"https://feeds.example.org/{name.lower().replace(' ', '-')}.xml", kind=kind,
                 error_count=error_count, last_error=last_error)
        db.session.add(f)
        db.session.flush()
    return f


def _rationale(code: str, status: str | None) -> str:
    """As the matcher writes one: its reasons, then the status it proposes in the register's codes."""
    return f"Names what {code} asks for" + (f" → proposes {status}." if status else " (no change to propose).")


def item(title: str = "Senate passes child online abuse bill", text: str = BILL_TEXT, *,
         proposals=(("LEG-01", 0.93, "in_progress", "passed_second_house"),
                    ("LEG-02", 0.6, "in_progress", None),
                    ("CSO-02", 0.3, None, None)),
         source: Feed | None = None, link: str | None = "auto", published: datetime | None = None,
         highlights: str = "4:10") -> Entry:
    """An entry and one pending suggestion per (code, score, proposed_status, stage)."""
    source = source or feed()
    n = db.session.scalar(select(Entry.id).order_by(Entry.id.desc()).limit(1)) or 0
    entry = Entry(feed_id=source.id, dedup_key=f"guid:{n + 1}:{title[:20]}", guid=str(n + 1),
                  link=f"https://www.example.org/news/{n + 1}" if link == "auto" else link,
                  title=title, text=text, content_hash=f"h{n + 1}",
                  published=published or datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=n))
    db.session.add(entry)
    db.session.flush()
    for code, score, status, stage in proposals:
        rec = db.session.scalar(select(Recommendation).where(Recommendation.code == code))
        db.session.add(Suggestion(entry_id=entry.id, recommendation_id=rec.id, score=score, proposed_status=status,
                                  stage=stage, rationale=_rationale(code, status), highlights=highlights))
    db.session.flush()
    return entry


def suggestions_of(entry_id: int) -> dict[str, Suggestion]:
    rows = db.session.scalars(select(Suggestion).where(Suggestion.entry_id == entry_id))
    return {s.recommendation.code: s for s in rows}
