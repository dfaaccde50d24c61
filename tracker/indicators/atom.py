"""The Atom feed of indicator data points, built with feedgen (valid Atom 1.0, escaping handled for us)."""
from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from tracker.i18n import Written, current_language, feed_content
from tracker.indicators.models import Indicator, IndicatorPoint
from tracker.indicators.setup import indicator_plain


def points_feed(points: list[IndicatorPoint], *, base_url: str, self_path: str, title: str, subtitle: str,
                alternate_path: str, fmt, updated_fallback) -> bytes:
    fg = FeedGenerator()
    fg.id(base_url + self_path)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": _("National Commission on the Rights of Child (NCRC)")})
    fg.link(href=base_url + self_path, rel="self", type="application/atom+xml")
    fg.link(href=base_url + alternate_path, rel="alternate", type="text/html")
    fg.language(current_language())  # xml:lang: the indicators' names and units are in the feed's language
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
    name, unit = indicator_plain(ind, "name"), indicator_plain(ind, "unit")
    entry.title(f"{name}, {point.period}: {value} {unit}")
    entry.link(href=link, rel="alternate", type="text/html")
    entry.published(point.created_at)
    entry.updated(point.updated_at)
    content, kind = feed_content(point_paragraphs(point, name, value, unit, fmt), separator="\n")
    entry.content(content, type=kind)
    return entry


def point_paragraphs(point: IndicatorPoint, name: str, value: str, unit: str, fmt) -> list[list[str]]:
    """The entry's text: the figure in the feed's language; the source's title and publisher (names), its
    address and the note as written (the brief's words stay English, marked so in an Urdu feed)."""
    paragraphs = [[f"{name} ({point.period}): {value} {unit}."]]
    source = ", ".join(p for p in (point.source_title, point.source_publisher) if p)
    before, _sep, after = _("Source: %(source)s.", source="\0").partition("\0")
    paragraphs.append([before, Written(source), after])
    if point.source_url:
        paragraphs.append([Written(point.source_url)])
    if point.note:
        paragraphs.append([Written(point.note)])
    if point.revisions:
        paragraphs.append([_("Corrected; earlier values: %(values)s.",
                             values=", ".join(fmt(r.value) for r in point.revisions))])
    return paragraphs
