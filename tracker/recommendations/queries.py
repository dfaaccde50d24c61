"""Reads of the register. Never writes."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
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
    stale_days: int | None = None  # only those not updated for this many days


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
        stmt = stmt.where(or_(func.lower(Recommendation.title).like(like),
                              func.lower(Recommendation.source_text).like(like),
                              func.lower(Recommendation.code).like(like)))
    if f.stale_days:
        stmt = stmt.where(Recommendation.updated_at < utcnow() - timedelta(days=f.stale_days))
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
    return list(session.scalars(rec.history.select().options(selectinload(StatusChange.author))
                                .order_by(StatusChange.created_at.desc(), StatusChange.id.desc())))


def stakeholders(session: Session) -> list[Stakeholder]:
    return list(session.scalars(select(Stakeholder).order_by(Stakeholder.position)))


def body_names(session: Session) -> list[str]:
    return list(session.scalars(select(Body.name).order_by(Body.name)))


def last_change_at(session: Session) -> datetime | None:
    """For ETag/Last-Modified: the register's newest change of any kind."""
    return session.scalar(select(func.max(Recommendation.updated_at)))


def days_since(when: datetime | None, now: datetime | None = None) -> int | None:
    if when is None:
        return None
    return ((now or utcnow()) - when).days
