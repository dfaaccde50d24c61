"""Presentation of stored values: UTC in storage, Asia/Karachi on screen."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup, escape


def local_time(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
    return value.astimezone(zone).strftime(fmt) + (" PKT" if zone.key == "Asia/Karachi" else "")


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


def local_date(value: date | datetime | None, fmt: str = "%d %b %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        zone = ZoneInfo(current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
        value = value.astimezone(zone).date()
    return value.strftime(fmt)
