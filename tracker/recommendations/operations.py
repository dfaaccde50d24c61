"""Writes to the register. Operations flush; the request or job commits once."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.recommendations import statuses
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.errors import Conflict, InvalidInput
from tracker.web_addresses import validate_web_address

MAX_NOTE = 5000
MAX_URL = 2000


class InvalidChange(InvalidInput):
    """Bad input for a status change: the message is for a person."""

class StaleVersion(Conflict):
    def __init__(self, current: Recommendation):
        super().__init__(_("This recommendation was changed by someone else after you opened it "
                           "(now version %(v)s, status “%(s)s”). Reload it, check their change, then try again.",
                           v=current.version, s=statuses.status_label(current.status)), "version")
        self.current = current


@dataclass(frozen=True)
class ChangeRequest:
    status: object
    note: object
    evidence_url: object = None
    version: object = None


def validate_evidence_url(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:  # the same validator as feed and page sources: a port of 99999 or a NUL is refused here too
        return validate_web_address(raw, field="evidence_url", what=_("Evidence link"))
    except InvalidInput as exc:
        raise InvalidChange(exc.message, "evidence_url") from None


def validate_change(req: ChangeRequest) -> tuple[str, str, str | None, int]:
    if not isinstance(req.status, str) or req.status not in statuses.VALUES:
        raise InvalidChange(_("Unknown status “%(s)s”. Choose one of: %(all)s.",
                              s=str(req.status)[:40], all=", ".join(statuses.VALUES)), "status")
    if not isinstance(req.note, str) or not req.note.strip():
        raise InvalidChange(_("A note is required: say what changed and how you know."), "note")
    note = req.note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidChange(_("Note is too long (at most %(n)s characters).", n=MAX_NOTE), "note")
    evidence = validate_evidence_url(req.evidence_url)
    if isinstance(req.version, bool) or not isinstance(req.version, int):
        try:
            version = int(str(req.version))
        except ValueError:
            raise InvalidChange(_("The version you edited is missing or not a whole number."), "version") from None
    else:
        version = req.version
    return req.status, note, evidence, version


def change_status(session: Session, rec: Recommendation, req: ChangeRequest, *, author_id: int | None,
                  origin: str = "manual", suggestion_id: int | None = None) -> StatusChange:
    status, note, evidence, version = validate_change(req)
    if not rec.in_register:
        parts = ", ".join(p.code for p in rec.split_parts)
        raise InvalidChange(_("%(code)s is no longer in the register (split into %(parts)s): change those instead.",
                              code=rec.code, parts=parts) if parts else
                            _("%(code)s is no longer in the register.", code=rec.code), "status")
    if version != rec.version:
        raise StaleVersion(rec)
    change = StatusChange(recommendation_id=rec.id, from_status=rec.status, to_status=status, note=note,
                          evidence_url=evidence, author_id=author_id, origin=origin,
                          suggestion_id=suggestion_id, created_at=utcnow())
    rec.status = status
    rec.updated_at = change.created_at
    session.add(change)
    session.flush()  # the versioned UPDATE runs here; a concurrent writer gets StaleDataError
    return change
