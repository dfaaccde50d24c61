"""Read-only aggregates for the public scorecard."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker.recommendations import statuses
from tracker.recommendations.models import Recommendation, Stakeholder, StatusChange, recommendation_bodies


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in statuses.VALUES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def counted(self) -> int:
        return sum(n for s, n in self.counts.items() if statuses.BY_VALUE[s].weight is not None)

    @property
    def progress(self) -> float:
        """Weighted share done, 0..100; superseded items are left out of the denominator."""
        if not self.counted:
            return 0.0
        done = sum(n * (statuses.BY_VALUE[s].weight or 0.0) for s, n in self.counts.items())
        return round(100.0 * done / self.counted, 1)

    @property
    def assessed(self) -> int:
        """How many NCRC has reviewed: everything but "not assessed"."""
        return self.total - self.counts.get("not_assessed", 0)

    @property
    def progress_among_assessed(self) -> float | None:
        """Weighted share done among the assessed (superseded left out); None when none is assessed,
        so a page shows "—" rather than a 0 % that reads as failure."""
        denominator = self.counted - self.counts.get("not_assessed", 0)
        if denominator <= 0:
            return None
        done = sum(n * (statuses.BY_VALUE[s].weight or 0.0) for s, n in self.counts.items())
        return round(100.0 * done / denominator, 1)

    def add(self, status: str, n: int = 1) -> None:
        self.counts[status] = self.counts.get(status, 0) + n

    def percent(self, status: str) -> float:
        return round(100.0 * self.counts[status] / self.total, 1) if self.total else 0.0


@dataclass
class Scorecard:
    overall: Tally
    by_stakeholder: list[tuple[Stakeholder, Tally]]


def scorecard(session: Session) -> Scorecard:
    rows = session.execute(
        select(Recommendation.stakeholder_id, Recommendation.status, func.count())
        .where(Recommendation.in_register.is_(True))
        .group_by(Recommendation.stakeholder_id, Recommendation.status)).all()
    groups = list(session.scalars(select(Stakeholder).order_by(Stakeholder.position)))
    tallies = {s.id: Tally() for s in groups}
    overall = Tally()
    for stakeholder_id, status, n in rows:
        tallies[stakeholder_id].counts[status] += n
        overall.counts[status] += n
    return Scorecard(overall=overall, by_stakeholder=[(s, tallies[s.id]) for s in groups])


def tally_of(session: Session, recommendation_ids: list[int]) -> Tally:
    tally = Tally()
    if recommendation_ids:
        for status, n in session.execute(select(Recommendation.status, func.count())
                                         .where(Recommendation.id.in_(recommendation_ids))
                                         .group_by(Recommendation.status)):
            tally.add(status, n)
    return tally


@dataclass(frozen=True)
class StatusEvent:
    """One change of status, for the chart: when it happened (None = as the brief states it)."""
    recommendation_id: int
    to_status: str
    on: date | None


def status_events(session: Session, *, stakeholder_id: int | None = None,
                  recommendation_ids: list[int] | None = None) -> tuple[list[int], list[StatusEvent], date | None]:
    """The recommendations in scope, their status changes (notes left out) and the register's set-up date."""
    recs = select(Recommendation.id, Recommendation.created_at).where(Recommendation.in_register.is_(True))
    if stakeholder_id is not None:
        recs = recs.where(Recommendation.stakeholder_id == stakeholder_id)
    if recommendation_ids is not None:
        recs = recs.where(Recommendation.id.in_(recommendation_ids))
    rows = session.execute(recs).all()
    ids = [r.id for r in rows]
    if not ids:
        return [], [], None
    changes = session.execute(
        select(StatusChange.recommendation_id, StatusChange.to_status, StatusChange.occurred_on,
               StatusChange.created_at, StatusChange.origin)
        .where(StatusChange.recommendation_id.in_(ids),
               or_(StatusChange.from_status.is_(None), StatusChange.from_status != StatusChange.to_status))
        .order_by(StatusChange.id)).all()
    events = [StatusEvent(c.recommendation_id, c.to_status,
                          None if c.origin == "seed" else (c.occurred_on or _day(c.created_at)))
              for c in changes]
    return ids, events, min(_day(r.created_at) for r in rows)


def _day(value: datetime) -> date:
    return value.date()


def recommendation_ids_for_body(session: Session, body_id: int) -> list[int]:
    return list(session.scalars(select(recommendation_bodies.c.recommendation_id)
                                .where(recommendation_bodies.c.body_id == body_id)))
