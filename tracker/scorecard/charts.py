"""Progress over time, drawn on the server: status counts at each date, as stacked step areas in SVG.

Pure: takes the recommendations in scope and their status events, returns numbers and SVG path data, so a
page needs no script and a test needs no browser.
"""
from dataclasses import dataclass, field
from datetime import date

from tracker.recommendations import statuses
from tracker.scorecard.queries import StatusEvent

WIDTH, HEIGHT = 600.0, 160.0
# Bottom to top: what is done sits on the axis, what is not yet assessed on top.
STACK_ORDER = ("implemented", "partially_implemented", "in_progress", "stalled", "not_started", "superseded",
               "not_assessed")


@dataclass(frozen=True)
class Point:
    on: date
    counts: dict[str, int]


@dataclass
class Band:
    status: str
    path: str


@dataclass
class Timeline:
    points: list[Point]
    total: int
    bands: list[Band] = field(default_factory=list)
    start: date | None = None
    end: date | None = None

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    def changed_statuses(self) -> list[str]:
        """Statuses whose count differs between the start and now (for the chart's text summary)."""
        if not self.points:
            return []
        return [s for s in statuses.VALUES if self.points[0].counts.get(s, 0) != self.points[-1].counts.get(s, 0)]


def status_counts_over_time(recommendation_ids: list[int], events: list[StatusEvent], start: date | None,
                            today: date) -> list[Point]:
    """Counts at the start (every recommendation as the brief left it) and after each day with changes."""
    if not recommendation_ids or start is None:
        return []
    current = {rid: "not_assessed" for rid in recommendation_ids}
    for e in events:
        if e.on is None:  # stated in the brief: in force from the start
            current[e.recommendation_id] = e.to_status
    dated = sorted((e for e in events if e.on is not None), key=lambda e: e.on)
    first_day = min([start] + [e.on for e in dated])
    points = [Point(first_day, _count(current))]
    for e in dated:
        current[e.recommendation_id] = e.to_status
        if points[-1].on == e.on:
            points[-1] = Point(e.on, _count(current))
        else:
            points.append(Point(e.on, _count(current)))
    if points[-1].on < today:
        points.append(Point(today, _count(current)))
    return points


def _count(current: dict[int, str]) -> dict[str, int]:
    counts = {s: 0 for s in statuses.VALUES}
    for status in current.values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def timeline(recommendation_ids: list[int], events: list[StatusEvent], start: date | None, today: date) -> Timeline:
    points = status_counts_over_time(recommendation_ids, events, start, today)
    total = len(recommendation_ids)
    result = Timeline(points=points, total=total)
    if not points or not total:
        return result
    result.start, result.end = points[0].on, max(points[-1].on, today)
    span = max((result.end - result.start).days, 1)

    def x(day: date) -> float:
        return round(WIDTH * (day - result.start).days / span, 1)

    def y(n: float) -> float:
        return round(HEIGHT - HEIGHT * n / total, 1)

    lower = [0] * len(points)
    for status in STACK_ORDER:
        upper = [lo + p.counts.get(status, 0) for lo, p in zip(lower, points)]
        if any(u != lo for u, lo in zip(upper, lower)):
            result.bands.append(Band(status, _band_path(points, lower, upper, x, y)))
        lower = upper
    return result


def _band_path(points, lower, upper, x, y) -> str:
    """A step area: each count holds until the next date, then steps."""
    xs = [x(p.on) for p in points] + [WIDTH]
    top = []
    for i, n in enumerate(upper):
        top += [(xs[i], y(n)), (xs[i + 1], y(n))]
    bottom = []
    for i in range(len(lower) - 1, -1, -1):
        bottom += [(xs[i + 1], y(lower[i])), (xs[i], y(lower[i]))]
    coords = top + bottom
    return "M" + " L".join(f"{a:g} {b:g}" for a, b in coords) + " Z"
