"""Presentation of stored values: UTC in storage, Asia/Karachi on screen."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape


# CLDR patterns per language: month names and separators from Babel (Urdu: "5 نومبر 2026، 15:03").
DATE_TIME_PATTERNS = {"en": "dd MMM y, HH:mm", "ur": "d MMMM y، HH:mm"}


def _language() -> str:
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside an app context
        return "en"


def local_time(value: datetime | None, fmt: str | None = None) -> str:
    """A stored UTC time in Pakistan time (TRACKER_DISPLAY_TZ), written for the current language with Babel.
    An explicit strftime `fmt` (CLI tables) is language-neutral and kept as given."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
    suffix = (" " + gettext("PKT")) if zone.key == "Asia/Karachi" else ""
    if fmt is not None:
        return value.astimezone(zone).strftime(fmt) + (" PKT" if suffix else "")
    lang = _language()
    pattern = DATE_TIME_PATTERNS.get(lang.split("_")[0], DATE_TIME_PATTERNS["en"])
    return format_datetime(value, pattern, tzinfo=zone, locale=lang) + suffix


def number(value) -> str:
    """A count or share written for the current language (grouping, decimal sign)."""
    return format_decimal(value, locale=_language())


def highlight(text: str, spans) -> Markup:
    """Escape text and wrap the matched spans in <mark>; spans are (start, end) offsets into text."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”"


def _split_trailing(url: str) -> tuple[str, str]:
    """Punctuation that ends a sentence is not part of the link ("see https://x.org/a.")."""
    end = len(url)
    while end and url[end - 1] in _TRAILING:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break  # a balanced parenthesis belongs to the address (Wikipedia-style)
        end -= 1
    return url[:end], url[end:]


def linkify(text: str | None) -> Markup:
    """Escape a note and make its http(s) addresses links that pass no trust (rel nofollow ugc noopener).

    Line breaks are kept by the stylesheet (white-space: pre-line), so nothing else is inserted."""
    text = text or ""
    out, pos = [], 0
    for match in _URL.finditer(text):
        url, rest = _split_trailing(match.group(0))
        if len(url) <= len("https://"):
            continue
        out.append(escape(text[pos:match.start()]))
        out.append(Markup('<a href="{0}" rel="nofollow ugc noopener">{0}</a>').format(url))
        out.append(escape(rest))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def as_quote(text: str | None) -> str:
    """A quotation that starts mid-sentence (lower case) is shown as such: "…educate children"."""
    text = (text or "").strip()
    return "…" + text if text[:1].islower() else text


DATE_FORMAT = "%d %b %Y"
DATE_PATTERNS = {"ur": "d MMMM y"}  # English keeps DATE_FORMAT ("05 Nov 2026")


def local_date(value: date | datetime | str | None, fmt: str = DATE_FORMAT) -> str:
    """A date (a stored UTC time in Pakistan time) written for the current language: "5 نومبر 2026" in Urdu.
    A date stored as text (YYYY-MM-DD) is read; other text is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        zone = ZoneInfo(current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
        value = value.astimezone(zone).date()
    pattern = DATE_PATTERNS.get(_language().split("_")[0]) if fmt == DATE_FORMAT else None
    if pattern:
        return format_date(value, pattern, locale=_language())
    return value.strftime(fmt)
