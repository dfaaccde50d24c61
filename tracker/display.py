"""Presentation of stored values: UTC in storage, Asia/Karachi on screen."""
from datetime import datetime
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
