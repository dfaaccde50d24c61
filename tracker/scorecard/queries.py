"""Read-only aggregates for the public scorecard."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.recommendations import statuses
from tracker.recommendations.models import Recommendation, Stakeholder


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
