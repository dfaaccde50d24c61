"""Writes to the register. Operations flush; the request or job commits once."""
from dataclasses import dataclass
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.recommendations import statuses
from tracker.recommendations.evidence import remember_to_describe
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.errors import Conflict, InvalidInput
from tracker.web_addresses import validate_web_address

MAX_NOTE = 5000
MAX_URL = 2000
MAX_TITLE = 500
MAX_PUBLISHER = 200
EARLIEST_DATE = date(2000, 1, 1)


class InvalidChange(InvalidInput):
    """Bad input for a status change: the message is for a person."""

class StaleVersion(Conflict):
    def __init__(self, current: Recommendation):
        super().__init__(_("This recommendation was changed by someone else after you opened it "
                           "(its status is now “%(s)s”). Reload it, check their change, then try again.",
                           s=statuses.status_label(current.status)))
        self.current = current


@dataclass(frozen=True)
class ChangeRequest:
    status: object
    note: object
    evidence_url: object = None
    version: object = None
    occurred_on: object = None  # the date it happened, as the editor says; optional
    evidence_title: object = None
    evidence_publisher: object = None
    evidence_published_on: object = None


@dataclass(frozen=True)
class ValidChange:
    status: str
    note: str
    evidence_url: str | None
    version: int
    occurred_on: date | None = None
    evidence_title: str | None = None
    evidence_publisher: str | None = None
    evidence_published_on: date | None = None


def _no_control_characters(text: str, field: str, label: str) -> str:
    # PostgreSQL refuses NUL in text; other control characters (but line breaks and tabs) are noise.
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise InvalidChange(_("%(label)s contains control characters; remove them and try again.", label=label),
                            field)
    return text


def validate_optional_text(raw: object, field: str, label: str, limit: int) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise InvalidChange(_("%(label)s must be text.", label=label), field)
    text = " ".join(raw.split())
    if len(text) > limit:
        raise InvalidChange(_("%(label)s is too long (at most %(n)s characters).", label=label, n=limit), field)
    return _no_control_characters(text, field, label)


def validate_date(raw: object, field: str, label: str, today: date | None = None) -> date | None:
    """A calendar date (YYYY-MM-DD), not in the future and not before 2000."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, date):
        value = raw
    elif isinstance(raw, str):
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError:
            raise InvalidChange(_("%(label)s must be a date written as YYYY-MM-DD, not “%(v)s”.",
                                  label=label, v=raw.strip()[:20]), field) from None
    else:
        raise InvalidChange(_("%(label)s must be a date written as YYYY-MM-DD.", label=label), field)
    if value > (today or utcnow().date()):
        raise InvalidChange(_("%(label)s cannot be in the future.", label=label), field)
    if value < EARLIEST_DATE:
        raise InvalidChange(_("%(label)s cannot be before 2000.", label=label), field)
    return value


def validate_evidence_url(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:  # the same validator as feed and page sources: a port of 99999 or a NUL is refused here too
        return validate_web_address(raw, field="evidence_url", what=_("Evidence link"))
    except InvalidInput as exc:
        raise InvalidChange(exc.message, "evidence_url") from None


def has_visible_text(text: str) -> bool:
    """True when something in it can be read: a note of only spaces, zero-width or other format characters
    (a zero-width space, a direction mark) says nothing, though str.strip() keeps them."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs", "Zl", "Zp") for c in text)


def validate_change(req: ChangeRequest) -> ValidChange:
    if not isinstance(req.status, str) or req.status not in statuses.VALUES:
        raise InvalidChange(_("Unknown status “%(s)s”. Choose one of: %(all)s.",
                              s=str(req.status)[:40], all=", ".join(statuses.VALUES)), "status")
    if not isinstance(req.note, str) or not has_visible_text(req.note):
        raise InvalidChange(_("A note is required: say what changed and how you know."), "note")
    note = req.note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidChange(_("Note is too long (at most %(n)s characters).", n=MAX_NOTE), "note")
    _no_control_characters(note, "note", _("The note"))
    evidence = validate_evidence_url(req.evidence_url)
    if isinstance(req.version, bool) or not isinstance(req.version, int):
        try:
            version = int(str(req.version))
        except ValueError:
            raise InvalidChange(_("The version you edited is missing or not a whole number."), "version") from None
    else:
        version = req.version
    return ValidChange(
        req.status, note, evidence, version,
        occurred_on=validate_date(req.occurred_on, "occurred_on", _("The date it happened")),
        evidence_title=validate_optional_text(req.evidence_title, "evidence_title", _("Evidence title"),
                                              MAX_TITLE),
        evidence_publisher=validate_optional_text(req.evidence_publisher, "evidence_publisher",
                                                  _("Evidence publisher"), MAX_PUBLISHER),
        evidence_published_on=validate_date(req.evidence_published_on, "evidence_published_on",
                                            _("Evidence date")))


def change_status(session: Session, rec: Recommendation, req: ChangeRequest, *, author_id: int | None,
                  origin: str = "manual", suggestion_id: int | None = None,
                  evidence_text: str | None = None) -> StatusChange:
    """Records a change (or, with the same status, a note) in the append-only history.

    evidence_text: the monitored item's text, kept with the change so the evidence outlives the article."""
    valid = validate_change(req)
    if not rec.in_register:
        parts = ", ".join(p.code for p in rec.split_parts)
        raise InvalidChange(_("%(code)s is no longer in the register (split into %(parts)s): change those instead.",
                              code=rec.code, parts=parts) if parts else
                            _("%(code)s is no longer in the register.", code=rec.code), "status")
    if valid.version != rec.version:
        raise StaleVersion(rec)
    change = StatusChange(recommendation_id=rec.id, from_status=rec.status, to_status=valid.status,
                          note=valid.note, evidence_url=valid.evidence_url, author_id=author_id, origin=origin,
                          suggestion_id=suggestion_id, created_at=utcnow(), occurred_on=valid.occurred_on,
                          evidence_title=valid.evidence_title, evidence_publisher=valid.evidence_publisher,
                          evidence_published_on=valid.evidence_published_on, evidence_text=evidence_text)
    rec.status = valid.status
    rec.updated_at = change.created_at
    if origin != "seed":
        rec.last_changed_at = change.created_at
    session.add(change)
    session.flush()  # the versioned UPDATE runs here; a concurrent writer gets StaleDataError
    remember_to_describe(session, change)  # a typed link's title is looked up after the commit
    return change
