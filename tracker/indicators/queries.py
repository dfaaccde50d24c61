"""Reads for indicators. Never writes."""
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.indicators.models import Indicator, IndicatorPoint, indicator_recommendations
from tracker.recommendations.models import Recommendation


def public_indicators(session: Session) -> list[Indicator]:
    return list(session.scalars(select(Indicator).where(Indicator.in_register.is_(True))
                                .options(selectinload(Indicator.points), selectinload(Indicator.recommendations))
                                .order_by(Indicator.position)))


def indicator_by_slug(session: Session, slug: str) -> Indicator | None:
    return session.scalar(select(Indicator).where(Indicator.slug == slug, Indicator.in_register.is_(True))
                          .options(selectinload(Indicator.points).selectinload(IndicatorPoint.revisions),
                                   selectinload(Indicator.recommendations)))


def indicators_for_recommendation(session: Session, rec: Recommendation) -> list[Indicator]:
    """The indicators that bear on a recommendation (on a split part: those of the item it came from too)."""
    ids = [rec.id] + ([rec.split_from_id] if rec.split_from_id else [])
    related = select(indicator_recommendations.c.indicator_id).where(
        indicator_recommendations.c.recommendation_id.in_(ids))
    return list(session.scalars(
        select(Indicator).where(Indicator.id.in_(related), Indicator.in_register.is_(True))
        .options(selectinload(Indicator.points)).order_by(Indicator.position)))


def recent_points(session: Session, limit: int = 50, indicator: Indicator | None = None) -> list[IndicatorPoint]:
    """Newest first (by when recorded or last corrected), for the Atom feed."""
    stmt = (select(IndicatorPoint).join(Indicator).where(Indicator.in_register.is_(True))
            .options(selectinload(IndicatorPoint.indicator))
            .order_by(IndicatorPoint.updated_at.desc(), IndicatorPoint.id.desc()).limit(limit))
    if indicator is not None:
        stmt = stmt.where(IndicatorPoint.indicator_id == indicator.id)
    return list(session.scalars(stmt))


def latest_point(indicator: Indicator) -> IndicatorPoint | None:
    return max(indicator.points, key=lambda p: p.period) if indicator.points else None
