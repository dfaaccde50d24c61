"""Reads for digests. Never writes. Each loads a whole batch at once: the number of statements per run
does not depend on the number of recipients (only on the batch count)."""
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from tracker.auth.models import User
from tracker.digests.compose import ChangeItem, FeedErrorItem, PointItem, Recipient, StaleItem, SuggestionItem
from tracker.digests.models import OutboxMessage, Subscription
from tracker.feeds.models import Entry, Feed
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation, Stakeholder, StatusChange

STAFF_ROLES = ("admin", "editor")
UNDELIVERED = ("pending", "sending", "failed", "uncertain")
DONE_STATUSES = ("implemented", "superseded")  # nothing left for staff to chase


def _header_safe(name: str | None) -> str:
    return "" if not name or any(ord(c) < 32 or ord(c) == 127 for c in name) else name


def _recipient(sub: Subscription, user_email: str | None, user_name: str | None, role: str | None) -> Recipient:
    return Recipient(
        subscription_id=sub.id, email=user_email or sub.email or "",
        name=_header_safe(user_name if sub.user_id else sub.name), frequency=sub.frequency,
        stakeholders=frozenset(sub.stakeholder_slugs), locale=sub.locale or "en",
        staff_role=role if sub.user_id else None, last_change_id=sub.last_change_id or 0,
        last_suggestion_id=sub.last_suggestion_id or 0, last_point_id=sub.last_point_id or 0,
        stale_cutoff=sub.stale_cutoff,
        feed_streaks=frozenset(s for s in (sub.feed_streaks or "").split(",") if s))


def _recipients_stmt():
    return (select(Subscription, User.email, User.name, User.role)
            .outerjoin(User, User.id == Subscription.user_id)
            .where(Subscription.state == "active")
            .where((Subscription.user_id.is_(None)) | (User.active.is_(True) & User.role.in_(STAFF_ROLES))))


def due_recipients(session: Session, frequency: str, period: str, *, after_id: int = 0,
                   limit: int = 500) -> list[Recipient]:
    """Active recipients of this frequency without a message for this period yet, by subscription id."""
    already = select(OutboxMessage.id).where(OutboxMessage.subscription_id == Subscription.id,
                                             OutboxMessage.period == period).exists()
    stmt = (_recipients_stmt().where(Subscription.frequency == frequency, Subscription.id > after_id, ~already)
            .order_by(Subscription.id).limit(limit))
    return [_recipient(*row) for row in session.execute(stmt)]


def recipient_for(session: Session, *, subscription_id: int | None = None,
                  user_id: int | None = None) -> Recipient | None:
    """One recipient for the admin preview (any state: an admin may look at a paused subscription)."""
    stmt = (select(Subscription, User.email, User.name, User.role)
            .outerjoin(User, User.id == Subscription.user_id))
    stmt = stmt.where(Subscription.id == subscription_id) if subscription_id is not None \
        else stmt.where(Subscription.user_id == user_id)
    row = session.execute(stmt).first()
    return _recipient(*row) if row else None


def changes_after(session: Session, after_id: int, until: datetime) -> list[ChangeItem]:
    """Public status changes with id > after_id recorded up to `until`, oldest first."""
    rows = session.execute(
        select(StatusChange.id, Recommendation.code, Recommendation.title, Stakeholder.slug, Stakeholder.name,
               StatusChange.from_status, StatusChange.to_status, StatusChange.note, StatusChange.evidence_url,
               StatusChange.created_at)
        .join(Recommendation, Recommendation.id == StatusChange.recommendation_id)
        .join(Stakeholder, Stakeholder.id == Recommendation.stakeholder_id)
        .where(StatusChange.id > after_id, StatusChange.created_at <= until,
               StatusChange.origin != "seed", Recommendation.in_register.is_(True))
        .order_by(StatusChange.id))
    return [ChangeItem(*row) for row in rows]


def latest_change_id(session: Session) -> int:
    return session.scalar(select(func.max(StatusChange.id))) or 0


def points_after(session: Session, after_id: int, until: datetime) -> list[PointItem]:
    """Data points staff added (not the brief's own) with id > after_id up to `until`, oldest first, each with
    the stakeholders of the recommendations its indicator bears on."""
    from tracker.indicators.models import Indicator, IndicatorPoint, indicator_recommendations
    rows = session.execute(
        select(IndicatorPoint.id, Indicator.slug, Indicator.name, Indicator.unit, IndicatorPoint.period,
               IndicatorPoint.value, IndicatorPoint.source_title, IndicatorPoint.source_url,
               IndicatorPoint.created_at, Indicator.id)
        .join(Indicator, Indicator.id == IndicatorPoint.indicator_id)
        .where(IndicatorPoint.id > after_id, IndicatorPoint.created_at <= until,
               IndicatorPoint.from_brief.is_(False), Indicator.in_register.is_(True))
        .order_by(IndicatorPoint.id)).all()
    if not rows:
        return []
    slugs: dict[int, set[str]] = {}
    for indicator_id, slug in session.execute(
            select(indicator_recommendations.c.indicator_id, Stakeholder.slug)
            .join(Recommendation, Recommendation.id == indicator_recommendations.c.recommendation_id)
            .join(Stakeholder, Stakeholder.id == Recommendation.stakeholder_id)
            .where(indicator_recommendations.c.indicator_id.in_({r[-1] for r in rows}))):
        slugs.setdefault(indicator_id, set()).add(slug)
    return [PointItem(*row[:-1], stakeholder_slugs=frozenset(slugs.get(row[-1], ()))) for row in rows]


def latest_point_id(session: Session) -> int:
    from tracker.indicators.models import IndicatorPoint
    return session.scalar(select(func.max(IndicatorPoint.id))) or 0


def pending_suggestions_after(session: Session, after_id: int, until: datetime) -> list[SuggestionItem]:
    rows = session.execute(
        select(Suggestion.id, Recommendation.code, Recommendation.title, Entry.title, Entry.link, Feed.name,
               Suggestion.proposed_status, Suggestion.created_at)
        .join(Recommendation, Recommendation.id == Suggestion.recommendation_id)
        .join(Entry, Entry.id == Suggestion.entry_id)
        .join(Feed, Feed.id == Entry.feed_id)
        .where(Suggestion.state == "pending", Suggestion.id > after_id, Suggestion.created_at <= until)
        .order_by(Suggestion.id))
    return [SuggestionItem(*row) for row in rows]


def pending_suggestion_count(session: Session) -> int:
    return session.scalar(select(func.count(Suggestion.id)).where(Suggestion.state == "pending")) or 0


def _stale_filter(cutoff: datetime):
    return and_(Recommendation.in_register.is_(True), Recommendation.status.not_in(DONE_STATUSES),
                Recommendation.updated_at < cutoff)


def stale_recommendations(session: Session, cutoff: datetime, since: datetime | None) -> list[StaleItem]:
    """Not updated since `cutoff`, and (when `since` is given) updated at or after `since`."""
    stmt = select(Recommendation.code, Recommendation.title, Recommendation.status, Recommendation.updated_at) \
        .where(_stale_filter(cutoff))
    if since is not None:
        stmt = stmt.where(Recommendation.updated_at >= since)
    return [StaleItem(*row) for row in session.execute(stmt.order_by(Recommendation.updated_at,
                                                                      Recommendation.position))]


def stale_count(session: Session, cutoff: datetime) -> int:
    return session.scalar(select(func.count(Recommendation.id)).where(_stale_filter(cutoff))) or 0


def failing_feeds(session: Session) -> list[FeedErrorItem]:
    rows = session.execute(select(Feed.id, Feed.name, Feed.error_count, Feed.last_error, Feed.last_success_at)
                           .where(Feed.active.is_(True), Feed.gone.is_(False), Feed.error_count > 0)
                           .order_by(Feed.name))
    return [FeedErrorItem(id=i, name=name, error_count=count, last_error=(error or "")[:500],
                          streak=f"{i}@{ok.isoformat() if ok else 'never'}")
            for i, name, count, error, ok in rows]


WRITTEN_TO_LOG = "logged"  # how /admin/outbox counts a 'sent' message that only went to the log


def outbox_needing_attention(session: Session, limit: int = 200, logged: int = 20) -> list[OutboxMessage]:
    """Undelivered messages, then the latest ones written to the log (no relay: nobody received them, so
    an admin can read them here, confirmation links included)."""
    waiting = list(session.scalars(select(OutboxMessage).where(OutboxMessage.state.in_(UNDELIVERED))
                                   .order_by(OutboxMessage.state, OutboxMessage.next_attempt_at, OutboxMessage.id)
                                   .limit(limit)))
    written = list(session.scalars(select(OutboxMessage).where(OutboxMessage.state == "sent",
                                                               OutboxMessage.delivered_via == "log")
                                   .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(logged)))
    return waiting + written


def outbox_counts(session: Session) -> dict[str, int]:
    """Messages by state; 'sent' counts only what a relay took, WRITTEN_TO_LOG what went to the log."""
    counts: dict[str, int] = {}
    rows = session.execute(select(OutboxMessage.state, OutboxMessage.delivered_via, func.count(OutboxMessage.id))
                           .group_by(OutboxMessage.state, OutboxMessage.delivered_via))
    for state, via, n in rows:
        key = WRITTEN_TO_LOG if state == "sent" and via == "log" else state
        counts[key] = counts.get(key, 0) + n
    return counts
