"""Indicators and their points as plain data, for JSON and CSV exports (one shape for both)."""
from tracker.indicators.formatting import plain_value
from tracker.indicators.models import Indicator, IndicatorPoint


def point(p: IndicatorPoint) -> dict:
    return {
        "period": p.period, "value": plain_value(p.value), "alt_value": plain_value(p.alt_value),
        "source_title": p.source_title, "source_publisher": p.source_publisher, "source_url": p.source_url,
        "source_page": p.source_page, "note": p.note, "from_brief": p.from_brief, "quote": p.quote,
        "recorded_at": p.created_at.isoformat(), "updated_at": p.updated_at.isoformat(), "version": p.version,
        "corrections": [{"value": plain_value(r.value), "alt_value": plain_value(r.alt_value),
                         "source_title": r.source_title, "source_url": r.source_url, "note": r.note,
                         "reason": r.reason, "replaced_at": r.created_at.isoformat()} for r in p.revisions],
    }


def indicator(ind: Indicator, *, with_points: bool = True) -> dict:
    data = {
        "slug": ind.slug, "name": ind.name, "measures": ind.measures, "unit": ind.unit,
        "source_organisation": ind.source_organisation, "kind": ind.kind, "can_tell": ind.can_tell,
        "cannot_tell": ind.cannot_tell, "caution_quote": ind.caution_quote,
        "other_figures": ind.other_figures or [],
        "recommendations": [{"code": r.code, "title": r.title} for r in ind.recommendations if r.in_register],
    }
    if with_points:
        data["points"] = [point(p) for p in sorted(ind.points, key=lambda p: p.period)]
    return data


CSV_COLUMNS = ("indicator", "name", "unit", "period", "value", "alt_value", "source_title", "source_publisher",
               "source_url", "source_page", "note", "from_brief", "corrected")


def csv_rows(indicators: list[Indicator]):
    for ind in indicators:
        for p in sorted(ind.points, key=lambda p: p.period):
            yield [ind.slug, ind.name, ind.unit, p.period, plain_value(p.value), plain_value(p.alt_value),
                   p.source_title, p.source_publisher, p.source_url or "", p.source_page or "", p.note,
                   "yes" if p.from_brief else "no", "yes" if p.revisions else "no"]
