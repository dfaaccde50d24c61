"""Presentation of stored values: UTC in storage, Asia/Karachi on screen."""
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
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
