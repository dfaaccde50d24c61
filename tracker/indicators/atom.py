"""The Atom feed of indicator data points, built with feedgen (valid Atom 1.0, escaping handled for us)."""
from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from tracker.indicators.models import Indicator, IndicatorPoint


def points_feed(points: list[IndicatorPoint], *, base_url: str, self_path: str, title: str, subtitle: str,
                alternate_path: str, fmt, updated_fallback) -> bytes:
    fg = FeedGenerator()
    fg.id(base_url + self_path)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": _("National Commission on the Rights of Child (NCRC)")})
    fg.link(href=base_url + self_path, rel="self", type="application/atom+xml")
    fg.link(href=base_url + alternate_path, rel="alternate", type="text/html")
    fg.language("en")
    fg.updated(points[0].updated_at if points else updated_fallback)
    for point in reversed(points):  # feedgen prepends: add oldest first so the newest comes first
        fg.add_entry(_entry(point, base_url, fmt), order="prepend")
    return fg.atom_str(pretty=True)


def _entry(point: IndicatorPoint, base_url: str, fmt):
    from feedgen.entry import FeedEntry
    ind: Indicator = point.indicator
    link = f"{base_url}/indicators/{ind.slug}"
    entry = FeedEntry()
    # The point's identity: stable across corrections (a correction updates the same entry).
    entry.id(f"{link}#point-{point.id}")
    value = fmt(point.value) + (f" / {fmt(point.alt_value)}" if point.alt_value is not None else "")
    entry.title(f"{ind.name}, {point.period}: {value} {ind.unit}")
    entry.link(href=link, rel="alternate", type="text/html")
    entry.published(point.created_at)
    entry.updated(point.updated_at)
    source = ", ".join(p for p in (point.source_title, point.source_publisher) if p)
    lines = [f"{ind.name} ({point.period}): {value} {ind.unit}.", _("Source: %(source)s.", source=source)]
    if point.source_url:
        lines.append(point.source_url)
    if point.note:
        lines.append(point.note)
    if point.revisions:
        lines.append(_("Corrected; earlier values: %(values)s.",
                       values=", ".join(fmt(r.value) for r in point.revisions)))
    entry.content("\n".join(lines), type="text")
    return entry
