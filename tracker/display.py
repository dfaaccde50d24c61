"""Presentation of stored values: UTC in storage, Asia/Karachi on screen."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_time(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))
    return value.astimezone(zone).strftime(fmt) + (" PKT" if zone.key == "Asia/Karachi" else "")
