"""The status vocabulary: one place for values, labels, definitions and scorecard weights."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Status:
    value: str
    label: object
    definition: object
    weight: float | None  # share of "done" it counts for; None = left out of the denominator
    colour: str


STATUSES: tuple[Status, ...] = (
    Status("not_assessed", _l("Not assessed"),
           _l("NCRC has not yet reviewed whether any action has been taken."), 0.0, "#6b7280"),
    Status("not_started", _l("Not started"),
           _l("Reviewed: no action has been taken yet."), 0.0, "#b91c1c"),
    Status("in_progress", _l("In progress"),
           _l("Concrete steps are under way (e.g. a bill introduced, a policy being drafted) but nothing is in force yet."),
           0.25, "#1d4ed8"),
    Status("stalled", _l("Stalled"),
           _l("Action began but has stopped or lapsed (e.g. a bill that lapsed) and needs to be restarted."),
           0.0, "#b45309"),
    Status("partially_implemented", _l("Partially implemented"),
           _l("Some of what the recommendation asks is in force or in place, but not all of it."), 0.5, "#0f766e"),
    Status("implemented", _l("Implemented"),
           _l("What the recommendation asks is in force or in place, with public evidence."), 1.0, "#15803d"),
    Status("superseded", _l("Superseded"),
           _l("Overtaken by events or replaced by another measure; no longer counted in progress."), None, "#581c87"),
)

BY_VALUE = {s.value: s for s in STATUSES}
VALUES = tuple(BY_VALUE)


def status_label(value: str) -> str:
    return str(BY_VALUE[value].label) if value in BY_VALUE else value
