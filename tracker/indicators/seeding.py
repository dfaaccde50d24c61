"""Load feeds/indicators.yaml, validated, into the database: idempotent, and never over a staff correction."""
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.indicators.models import KINDS, Indicator, IndicatorPoint, IndicatorPointRevision
from tracker.indicators.operations import PERIOD_RE
from tracker.recommendations.models import Recommendation

INDICATORS_FILE = Path(__file__).resolve().parents[2] / "feeds" / "indicators.yaml"
SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
INDICATOR_KEYS = {"slug", "name", "measures", "unit", "source_organisation", "kind", "can_tell", "cannot_tell",
                  "caution_quote", "recommendations", "other_figures", "points"}
REQUIRED = ("slug", "name", "measures", "unit", "source_organisation", "kind", "can_tell", "cannot_tell")
POINT_KEYS = {"period", "value", "alt_value", "alt_quote", "source_title", "source_publisher", "source_url",
              "source_page", "quote", "note"}
FIGURE_KEYS = {"label", "value", "source_page", "quote", "note"}


class IndicatorDataError(ValueError):
    """The indicators file is wrong; the message names the file and the entry."""


@dataclass
class IndicatorSeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    points_added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.points_added or self.retired)


def load_indicators_file(path: Path = INDICATORS_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorDataError(f"cannot read indicators file {path}: {exc}") from exc
    validate_indicators(data, path.name)
    return data


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_indicators(data, name: str) -> None:
    import re
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise IndicatorDataError(f"{name}: needs a list 'indicators'")
    seen = set()
    for n, row in enumerate(data["indicators"], 1):
        where = f"{name}, indicator {row.get('slug') if isinstance(row, dict) else '#' + str(n)}"
        if not isinstance(row, dict):
            raise IndicatorDataError(f"{where}: must be a mapping")
        if unknown := set(row) - INDICATOR_KEYS:
            raise IndicatorDataError(f"{where}: unknown keys {sorted(unknown)}")
        for key in REQUIRED:
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise IndicatorDataError(f"{where}: '{key}' is required text")
        if not re.match(SLUG_RE, row["slug"]) or row["slug"] in seen:
            raise IndicatorDataError(f"{where}: slug must be unique lower-case words joined by hyphens")
        seen.add(row["slug"])
        if row["kind"] not in KINDS:
            raise IndicatorDataError(f"{where}: kind must be one of {', '.join(KINDS)}")
        codes = row.get("recommendations") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise IndicatorDataError(f"{where}: 'recommendations' must be a list of codes")
        for fig in row.get("other_figures") or []:
            if not isinstance(fig, dict) or set(fig) - FIGURE_KEYS or not fig.get("label") \
                    or not _is_number(fig.get("value")) or not fig.get("quote"):
                raise IndicatorDataError(f"{where}: each of other_figures needs label, a number value and quote "
                                         f"(and only {sorted(FIGURE_KEYS)})")
        periods = set()
        for point in row.get("points") or []:
            at = f"{where}, point {point.get('period') if isinstance(point, dict) else '?'}"
            if not isinstance(point, dict):
                raise IndicatorDataError(f"{at}: must be a mapping")
            if unknown := set(point) - POINT_KEYS:
                raise IndicatorDataError(f"{at}: unknown keys {sorted(unknown)}")
            if not isinstance(point.get("period"), str) or not PERIOD_RE.match(point["period"]):
                raise IndicatorDataError(f"{at}: period must be a quoted year \"2021\" or month \"2021-06\"")
            if point["period"] in periods:
                raise IndicatorDataError(f"{at}: period listed twice")
            periods.add(point["period"])
            if not _is_number(point.get("value")):
                raise IndicatorDataError(f"{at}: value must be a number")
            if "alt_value" in point and not (_is_number(point["alt_value"]) and point.get("alt_quote")):
                raise IndicatorDataError(f"{at}: alt_value must be a number, with alt_quote")
            if not point.get("source_title") or not (point.get("source_url") or point.get("source_page")):
                raise IndicatorDataError(f"{at}: a source is required (source_title and source_url or source_page)")
            if not point.get("quote"):
                raise IndicatorDataError(f"{at}: quote the brief's sentence the figure comes from")


def _norm(text) -> str:
    return " ".join(str(text or "").split())


def seed_indicators(session: Session, data: dict) -> IndicatorSeedReport:
    report = IndicatorSeedReport()
    existing = {i.slug: i for i in session.scalars(select(Indicator))}
    codes = {r.code: r for r in session.scalars(select(Recommendation))}
    now = utcnow()
    listed = set()
    for position, row in enumerate(data["indicators"]):
        slug = row["slug"]
        listed.add(slug)
        try:
            recs = sorted((codes[c] for c in row.get("recommendations") or ()), key=lambda r: r.position)
        except KeyError as exc:
            raise IndicatorDataError(f"indicators.yaml, indicator {slug}: unknown recommendation {exc}") from None
        values = {"name": _norm(row["name"]), "measures": _norm(row["measures"]), "unit": row["unit"],
                  "source_organisation": row["source_organisation"], "kind": row["kind"],
                  "can_tell": _norm(row["can_tell"]), "cannot_tell": _norm(row["cannot_tell"]),
                  "caution_quote": _norm(row.get("caution_quote")) or None,
                  "other_figures": [{k: (_norm(v) if isinstance(v, str) else v) for k, v in fig.items()}
                                    for fig in row.get("other_figures") or []],
                  "position": position, "in_register": True}
        ind = existing.get(slug)
        if ind is None:
            ind = Indicator(slug=slug, recommendations=recs, **values)
            session.add(ind)
            session.flush()
            report.created.append(slug)
        else:
            changed = False
            for key, value in values.items():
                if getattr(ind, key) != value:
                    setattr(ind, key, value)
                    changed = True
            if {r.id for r in ind.recommendations} != {r.id for r in recs}:
                ind.recommendations = recs
                changed = True
            if changed:
                report.updated.append(slug)
        _seed_points(session, ind, row.get("points") or [], now, report)
    for slug, ind in existing.items():
        if slug not in listed and ind.in_register:
            ind.in_register = False
            report.retired.append(slug)
    session.flush()
    return report


def _seed_points(session: Session, ind: Indicator, rows: list[dict], now, report: IndicatorSeedReport) -> None:
    points = {p.period: p for p in session.scalars(select(IndicatorPoint)
                                                   .where(IndicatorPoint.indicator_id == ind.id))}
    for row in rows:
        values = {"value": float(row["value"]),
                  "alt_value": float(row["alt_value"]) if "alt_value" in row else None,
                  "source_title": row["source_title"], "source_publisher": row.get("source_publisher") or "",
                  "source_url": row.get("source_url"), "source_page": row.get("source_page"),
                  "quote": _norm(row["quote"]), "note": _norm(row.get("note"))}
        point = points.get(row["period"])
        if point is None:
            session.add(IndicatorPoint(indicator_id=ind.id, period=row["period"], from_brief=True, created_at=now,
                                       updated_at=now, **values))
            report.points_added.append(f"{ind.slug} {row['period']}")
            continue
        if not point.from_brief:
            continue  # staff recorded or corrected this period: the file never overrides them
        if any(getattr(point, k) != v for k, v in values.items()):
            if point.value != values["value"] or point.alt_value != values["alt_value"]:
                session.add(IndicatorPointRevision(
                    point_id=point.id, value=point.value, alt_value=point.alt_value, source_title=point.source_title,
                    source_url=point.source_url, note=point.note, reason="The indicators file was corrected.",
                    created_at=now))
            for key, value in values.items():
                setattr(point, key, value)
            point.updated_at = now
            report.updated.append(f"{ind.slug} {row['period']}")
