"""Writes for indicators: add a data point, correct one (the earlier value kept), seed the brief's points.

Operations validate and flush; the request, the CLI command or the job commits once.
"""
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.errors import Conflict, InvalidInput
from tracker.indicators.models import Indicator, IndicatorPoint, IndicatorPointRevision
from tracker.recommendations.operations import validate_evidence_url

PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
MAX_TITLE = 300
MAX_PUBLISHER = 200
MAX_PAGE = 300
MAX_NOTE = 2000
MAX_ABS_VALUE = 1e15  # far above any count; keeps floats exact for whole numbers


class InvalidPoint(InvalidInput):
    """Bad input for a data point: the message is for a person, `field` names the input."""


@dataclass(frozen=True)
class PointInput:
    """What a person sent, unchecked (JSON values or form strings)."""
    period: object
    value: object
    source_title: object
    source_url: object = None
    note: object = None
    source_publisher: object = None
    source_page: object = None
    value_is_json: bool = False  # from the API: the value must be a JSON number, not text


@dataclass(frozen=True)
class CleanPoint:
    period: str
    value: float
    source_title: str
    source_url: str | None
    note: str
    source_publisher: str
    source_page: str | None


def parse_period(raw: object, today: date) -> str:
    """A year "2024" or a month "2024-06", not after the current one."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidPoint(_("A period is required: a year like 2024 or a month like 2024-06."), "period")
    match = PERIOD_RE.match(raw.strip())
    if not match:
        raise InvalidPoint(_("“%(p)s” is not a period: write a year like 2024 or a month like 2024-06.",
                             p=raw.strip()[:20]), "period")
    year, month = int(match.group(1)), match.group(2)
    if year < 1900:
        raise InvalidPoint(_("The year must be 1900 or later."), "period")
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidPoint(_("The month must be between 01 and 12."), "period")
    if (year, int(month or 1)) > (today.year, today.month) or year > today.year:
        raise InvalidPoint(_("The period %(p)s is in the future: record a figure once it is published.",
                             p=match.group(0)), "period")
    return match.group(0)


def parse_value(raw: object, *, json_number: bool = False) -> float:
    """A JSON number, or (from a form) text such as "2,030,801" or "82.90"."""
    if isinstance(raw, bool) or (json_number and raw is not None and not isinstance(raw, (int, float))):
        raise InvalidPoint(_("The value must be a number (a JSON number such as 187 or 82.9, not text)."),
                           "value")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        try:
            raw = float(text) if text else None
        except ValueError:
            raise InvalidPoint(_("The value must be a number, like 187 or 82.9."), "value") from None
    if raw is None:
        raise InvalidPoint(_("A value is required."), "value")
    if not isinstance(raw, (int, float)):
        raise InvalidPoint(_("The value must be a number, like 187 or 82.9."), "value")
    value = float(raw)
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise InvalidPoint(_("The value must be a finite number below a thousand trillion."), "value")
    return value


def clean_text(raw: object, field: str, limit: int, *, required: bool = False, message: str | None = None,
               multiline: bool = False) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise InvalidPoint(message or _("This field is required."), field)
        return ""
    if not isinstance(raw, str):
        raise InvalidPoint(_("%(f)s must be text.", f=field), field)
    allowed = "\n\t\r" if multiline else ""
    # PostgreSQL refuses NUL bytes; no control character belongs in a source or a note.
    if any((ord(c) < 32 and c not in allowed) or ord(c) == 127 for c in raw):
        raise InvalidPoint(_("%(f)s contains a control character.", f=field), field)
    text = raw.strip()
    if len(text) > limit:
        raise InvalidPoint(_("%(f)s is too long (at most %(n)s characters).", f=field, n=limit), field)
    return text


def validate_point(inp: PointInput, today: date) -> CleanPoint:
    period = parse_period(inp.period, today)
    value = parse_value(inp.value, json_number=inp.value_is_json)
    title = clean_text(inp.source_title, "source_title", MAX_TITLE, required=True,
                       message=_("A source is required: give the title of the publication the figure is from."))
    try:
        url = validate_evidence_url(inp.source_url)
    except InvalidInput as exc:
        raise InvalidPoint(_("The source link must be a complete http:// or https:// address."),
                           "source_url") from exc
    page = clean_text(inp.source_page, "source_page", MAX_PAGE) or None
    if url is None and page is None:
        raise InvalidPoint(_("A source is required: give a link to it (or the page it is on)."), "source_url")
    return CleanPoint(period=period, value=value, source_title=title, source_url=url,
                      note=clean_text(inp.note, "note", MAX_NOTE, multiline=True),
                      source_publisher=clean_text(inp.source_publisher, "source_publisher", MAX_PUBLISHER),
                      source_page=page)


def point_for(session: Session, indicator: Indicator, period: str) -> IndicatorPoint | None:
    return session.scalar(select(IndicatorPoint).where(IndicatorPoint.indicator_id == indicator.id,
                                                       IndicatorPoint.period == period))


def _today(now: datetime | None) -> date:
    return (now or utcnow()).date()


def add_point(session: Session, indicator: Indicator, inp: PointInput, *, author_id: int | None,
              now: datetime | None = None) -> IndicatorPoint:
    """A new figure for a period not yet recorded (a different figure for a recorded one is a correction)."""
    now = now or utcnow()
    clean = validate_point(inp, _today(now))
    if point_for(session, indicator, clean.period) is not None:
        raise InvalidPoint(_("%(p)s is already recorded for this indicator: correct that value instead of "
                             "adding another.", p=clean.period), "period")
    point = IndicatorPoint(indicator_id=indicator.id, period=clean.period, value=clean.value,
                           source_title=clean.source_title, source_publisher=clean.source_publisher,
                           source_url=clean.source_url, source_page=clean.source_page, note=clean.note,
                           from_brief=False, author_id=author_id, created_at=now, updated_at=now)
    try:
        with session.begin_nested():  # two people adding the same period at once: one gets this error
            session.add(point)
            session.flush()
    except IntegrityError:
        raise InvalidPoint(_("%(p)s is already recorded for this indicator.", p=clean.period), "period") from None
    return point


def correct_point(session: Session, point: IndicatorPoint, inp: PointInput, *, reason: object,
                  author_id: int | None, version: object = None, now: datetime | None = None) -> IndicatorPoint:
    """Replace a point's value and source; what it said before is kept as a revision, with the reason."""
    now = now or utcnow()
    clean = validate_point(PointInput(point.period, inp.value, inp.source_title, inp.source_url, inp.note,
                                      inp.source_publisher, inp.source_page), _today(now))
    why = clean_text(reason, "reason", MAX_NOTE, required=True, multiline=True,
                     message=_("Say why the value is corrected (for example, the publisher revised it)."))
    if version is not None and str(version) != str(point.version):
        raise Conflict(_("This value was corrected by someone else after you opened it. Reload and try again."))
    session.add(IndicatorPointRevision(point_id=point.id, value=point.value, alt_value=point.alt_value,
                                       source_title=point.source_title,
                                       source_url=point.source_url, note=point.note, reason=why,
                                       author_id=author_id, created_at=now))
    point.value, point.alt_value = clean.value, None
    point.source_title, point.source_url = clean.source_title, clean.source_url
    point.source_publisher, point.source_page = clean.source_publisher, clean.source_page
    point.note, point.updated_at, point.from_brief = clean.note, now, False
    session.flush()
    return point
