"""Writes about tracked bills: the register's stages seeded, a stage recorded, an identity confirmed.
Operations only flush; the request or job commits."""
from __future__ import annotations

import json
import re

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.errors import InvalidInput
from tracker.legislation.models import BillIdentity, BillStage
from tracker.matching.bills import STAGES, TERMINAL
from tracker.recommendations.models import Bill

_DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def seed_bill_state(session: Session, bill: Bill, row: dict) -> None:
    """The register's stages and title for this bill (idempotent: register-origin rows are replaced, stages
    recorded since from suggestions or by staff are kept)."""
    session.execute(delete(BillStage).where(BillStage.bill_id == bill.id, BillStage.origin == "register"))
    passage = 1
    for position, stage in enumerate(row.get("stages") or ()):
        name = stage.get("stage")
        if name not in STAGES:
            raise InvalidInput(f"bill {bill.slug}: unknown stage {name!r}")
        when = str(stage["date"]) if stage.get("date") not in (None, "") else None
        if when is not None and not _DATE_RE.fullmatch(when):
            raise InvalidInput(f"bill {bill.slug}: stage {name}: date must be YYYY, YYYY-MM or YYYY-MM-DD")
        session.add(BillStage(bill_id=bill.id, stage=name, occurred_on=when, house=stage.get("house"),
                              passage=passage, note=(stage.get("evidence_text") or "").strip(),
                              origin="register", position=position))
        if name in TERMINAL and stage.get("reintroduced"):
            passage += 1
    year = next(iter(re.findall(r"(?:19|20)\d\d", bill.title)), None)
    known = session.scalars(select(BillIdentity).where(BillIdentity.bill_id == bill.id,
                                                       BillIdentity.origin == "register")).first()
    if known is None:
        session.add(BillIdentity(bill_id=bill.id, title=bill.title, year=year, confirmed=True, origin="register"))
    else:
        known.title, known.year, known.confirmed = bill.title, year, True
    session.flush()


def _check_date(when: str | None) -> str | None:
    if when in (None, ""):
        return None
    if not _DATE_RE.fullmatch(str(when)):
        raise InvalidInput(_("A stage date is YYYY, YYYY-MM or YYYY-MM-DD."))
    return str(when)


def record_bill_stage(session: Session, bill: Bill, stage: str, *, occurred_on: str | None = None,
                      house: str | None = None, note: str = "", evidence_url: str | None = None,
                      origin: str = "staff", suggestion_id: int | None = None) -> BillStage:
    """Records a stage. After a lapse or withdrawal, a new introduction starts the next passage."""
    if stage not in STAGES:
        raise InvalidInput(_("Unknown stage “%(stage)s”.", stage=str(stage)[:40]))
    occurred_on = _check_date(occurred_on)
    stages = list(session.scalars(select(BillStage).where(BillStage.bill_id == bill.id)))
    passage = max((s.passage for s in stages), default=1)
    current = [s for s in stages if s.passage == passage]
    if any(s.stage in TERMINAL for s in current) and stage not in TERMINAL:
        passage += 1  # a lapsed bill re-tabled: each of its stages is news again
    if suggestion_id is not None and any(s.suggestion_id == suggestion_id for s in stages):
        return next(s for s in stages if s.suggestion_id == suggestion_id)  # accepting twice records once
    row = BillStage(bill_id=bill.id, stage=stage, occurred_on=occurred_on, house=house, passage=passage,
                    note=note, evidence_url=evidence_url, origin=origin, suggestion_id=suggestion_id,
                    position=max((s.position for s in stages), default=-1) + 1)
    session.add(row)
    session.flush()
    return row


def stage_from_suggestion(session: Session, suggestion) -> BillStage | None:
    """Records the stage a bill suggestion proposed (called when a person accepts it); None when it has none."""
    if not suggestion.stage or not suggestion.bill_slug:
        return None
    bill = session.scalars(select(Bill).where(Bill.slug == suggestion.bill_slug)).first()
    if bill is None:
        return None
    entry = suggestion.entry
    when = entry.published.date().isoformat() if entry is not None and entry.published else None
    return record_bill_stage(session, bill, suggestion.stage, occurred_on=when,
                             note=entry.title if entry is not None else "", origin="suggestion",
                             evidence_url=entry.link if entry is not None else None, suggestion_id=suggestion.id)


def confirm_bill_identity(session: Session, suggestion) -> BillIdentity:
    """A person confirmed that a title-only listing is the tracked bill: remember its identity (year, bill or
    Act number) so the next item about it matches with confidence. Idempotent for the same identity."""
    if not suggestion.bill_slug or not suggestion.identity:
        raise InvalidInput(_("This suggestion carries no bill identity to confirm."))
    try:
        found = json.loads(suggestion.identity)
    except ValueError:
        raise InvalidInput(_("The suggestion's bill identity is unreadable.")) from None
    bill = session.scalars(select(Bill).where(Bill.slug == suggestion.bill_slug)).first()
    if bill is None:
        raise InvalidInput(_("No tracked bill “%(slug)s”.", slug=suggestion.bill_slug))
    values = {k: (str(found[k]) if found.get(k) else None) for k in ("year", "bill_number", "act_number")}
    for known in session.scalars(select(BillIdentity).where(BillIdentity.bill_id == bill.id)):
        if all(getattr(known, k) == v for k, v in values.items()):
            known.confirmed = True
            session.flush()
            return known
    identity = BillIdentity(bill_id=bill.id, title=str(found.get("title") or bill.title)[:300], confirmed=True,
                            origin="suggestion", suggestion_id=suggestion.id, **values)
    session.add(identity)
    flags = [f for f in (suggestion.flags or "").split(",") if f and f != "same_title_unconfirmed"]
    suggestion.flags = ",".join(flags)
    session.flush()
    return identity
