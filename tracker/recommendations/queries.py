"""Reads of the register. Never writes."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.db import utcnow
from tracker.recommendations.models import (Body, Recommendation, Stakeholder, StatusChange,
                                            recommendation_bodies)


@dataclass(frozen=True)
class RecommendationFilter:
    stakeholder: str | None = None
    status: str | None = None
    body: str | None = None
    q: str | None = None
    stale_days: int | None = None  # only those whose last recorded change is this many days old
    search_notes: bool = False  # staff: the words may also be in a change's note

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (for downloads and links that keep it)."""
        args = {"stakeholder": self.stakeholder, "status": self.status, "body": self.body, "q": self.q,
                "stale_days": str(self.stale_days) if self.stale_days else None}
        return {k: v for k, v in args.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def _filtered(f: RecommendationFilter) -> Select:
    stmt = select(Recommendation).where(Recommendation.in_register.is_(True))
    if f.stakeholder:
        stmt = stmt.join(Recommendation.stakeholder).where(Stakeholder.slug == f.stakeholder)
    if f.status:
        stmt = stmt.where(Recommendation.status == f.status)
    if f.body:
        stmt = stmt.where(Recommendation.id.in_(
            select(recommendation_bodies.c.recommendation_id).join(Body).where(Body.name == f.body)))
    if f.q:
        like = f"%{f.q.strip().lower()}%"
        matches = [func.lower(Recommendation.title).like(like), func.lower(Recommendation.source_text).like(like),
                   func.lower(Recommendation.code).like(like)]
        if f.search_notes:
            matches.append(exists().where(StatusChange.recommendation_id == Recommendation.id,
                                          func.lower(StatusChange.note).like(like)))
        stmt = stmt.where(or_(*matches))
    if f.stale_days:
        # The clock starts at the last change a person recorded. Never-assessed ones have no clock: the
        # status filter "Not assessed" finds them.
        stmt = stmt.where(Recommendation.last_changed_at < utcnow() - timedelta(days=f.stale_days))
    return stmt


def list_recommendations(session: Session, f: RecommendationFilter, *, page: int | None = None,
                         per_page: int = 50) -> tuple[list[Recommendation], int]:
    """One query for the rows, one for the count, one for all their bodies: constant per page."""
    stmt = _filtered(f)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    stmt = stmt.options(selectinload(Recommendation.bodies)).order_by(Recommendation.position, Recommendation.id)
    if page is not None:
        stmt = stmt.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return list(session.scalars(stmt).unique()), total


def get_by_code(session: Session, code: str) -> Recommendation | None:
    return session.scalar(select(Recommendation).where(Recommendation.code == code.upper())
                          .options(selectinload(Recommendation.bodies), selectinload(Recommendation.themes),
                                   selectinload(Recommendation.instruments)))


def history_of(session: Session, rec: Recommendation) -> list[StatusChange]:
    """Newest first (order_by(None) first: nothing inherited may come before it)."""
    return list(session.scalars(rec.history.select().options(selectinload(StatusChange.author))
                                .order_by(None).order_by(StatusChange.created_at.desc(), StatusChange.id.desc())))


def unknown_filter_values(f: RecommendationFilter, raw_status: str | None, stakeholder_slugs,
                          body_names_known=()) -> list[tuple[str, str]]:
    """(filter name, value) for each value that names nothing, so a page can say which. Pure: the caller
    passes the stakeholders and bodies it loads anyway for the filter form."""
    from tracker.recommendations.statuses import VALUES
    unknown = []
    if f.stakeholder and f.stakeholder not in set(stakeholder_slugs):
        unknown.append(("stakeholder", f.stakeholder))
    if raw_status and raw_status not in VALUES:
        unknown.append(("status", raw_status))
    if f.body and f.body not in set(body_names_known):
        unknown.append(("body", f.body))
    return unknown


def neighbours(session: Session, rec: Recommendation) -> tuple[str | None, str | None]:
    """Codes of the recommendations before and after this one in the register's order."""
    base = select(Recommendation.code).where(Recommendation.in_register.is_(True))
    earlier = or_(Recommendation.position < rec.position,
                  (Recommendation.position == rec.position) & (Recommendation.id < rec.id))
    later = or_(Recommendation.position > rec.position,
                (Recommendation.position == rec.position) & (Recommendation.id > rec.id))
    before = session.scalar(base.where(earlier)
                            .order_by(Recommendation.position.desc(), Recommendation.id.desc()).limit(1))
    after = session.scalar(base.where(later).order_by(Recommendation.position, Recommendation.id).limit(1))
    return before, after


def body_slug(name: str) -> str:
    """A stable address for a body's page, from its name ("Ministry of IT & Telecom" -> "ministry-of-it-telecom")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "body"


def bodies_by_slug(session: Session) -> dict[str, Body]:
    return {body_slug(b.name): b for b in session.scalars(select(Body).order_by(Body.name))}


def stakeholder_by_slug(session: Session, slug: str) -> Stakeholder | None:
    return session.scalar(select(Stakeholder).where(Stakeholder.slug == slug))


def stakeholders(session: Session) -> list[Stakeholder]:
    return list(session.scalars(select(Stakeholder).order_by(Stakeholder.position)))


def body_names(session: Session) -> list[str]:
    return list(session.scalars(select(Body.name).order_by(Body.name)))


def body_names_ur(session: Session) -> dict[str, str | None]:
    """Each body's Urdu name (feeds/register.ur.yaml), keyed by its English name, for lists of names."""
    return {name: name_ur for name, name_ur in session.execute(select(Body.name, Body.name_ur))}


def last_change_at(session: Session) -> datetime | None:
    """For ETag/Last-Modified: the register's newest change of any kind."""
    return session.scalar(select(func.max(Recommendation.updated_at)))


def days_since(when: datetime | None, now: datetime | None = None) -> int | None:
    if when is None:
        return None
    return ((now or utcnow()) - when).days
