"""Indicators and their points as CSV rows (the JSON shapes are tracker.indicators.schemas)."""
from tracker.indicators.formatting import plain_value
from tracker.indicators.models import Indicator


CSV_COLUMNS = ("indicator", "name", "unit", "period", "value", "alt_value", "source_title", "source_publisher",
               "source_url", "source_page", "note", "from_brief", "corrected")


def csv_rows(indicators: list[Indicator]):
    for ind in indicators:
        for p in sorted(ind.points, key=lambda p: p.period):
            yield [ind.slug, ind.name, ind.unit, p.period, plain_value(p.value), plain_value(p.alt_value),
                   p.source_title, p.source_publisher, p.source_url or "", p.source_page or "", p.note,
                   "yes" if p.from_brief else "no", "yes" if p.revisions else "no"]
