"""A person's review of the machine's suggestions: one news item at a time, every decision kept as data.

The accept and dismiss of one suggestion are `accept_suggestion`/`dismiss_suggestion` (operations.py); this
module wraps them so every path (the inbox, the API) also records the decision (decisions.py) and tells the
legislation package what an accepted bill suggestion means (identity confirmed, stage recorded). `decide_item` decides a whole inbox card in one
transaction: all of it or, when someone else got there first, none of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.models import User
from tracker.display import local_time
from tracker.errors import Conflict, DomainError, InvalidInput, NotFound
from tracker.feeds.models import Entry
from tracker.legislation.models import BillStage
from tracker.legislation.operations import confirm_bill_identity, stage_from_suggestion
from tracker.matching.bills import SAME_TITLE_FLAG  # a listing that names the bill only by a shared title
from tracker.matching.decisions import record_decision, suggestion_flags
from tracker.matching.models import Suggestion
from tracker.matching.operations import accept_suggestion, dismiss_suggestion

KEEP_STATUS = ""  # the reviewer chose to keep the recommendation's status: the item is evidence only


@dataclass(frozen=True)
class AcceptChoice:
    suggestion_id: int
    status: str | None = None  # None: as proposed; KEEP_STATUS: keep the current status
    note: str | None = None


@dataclass(frozen=True)
class ItemDecision:
    """What a reviewer submitted for one card: the suggestions it showed and those ticked for acceptance.
    Every shown suggestion that is not accepted is dismissed; no accepts dismisses the whole item."""
    entry_id: int
    shown: tuple[int, ...]
    accept: tuple[AcceptChoice, ...] = ()


@dataclass
class ItemOutcome:
    entry: Entry
    accepted: list[Suggestion] = field(default_factory=list)
    dismissed: list[Suggestion] = field(default_factory=list)


def accept_and_record(session: Session, suggestion_id: int, *, user, status: str | None = None,
                      note: str | None = None) -> Suggestion:
    """accept_suggestion, then what accepting means for a tracked bill (its identity confirmed, its stage
    recorded) and the decision record, all in the caller's transaction."""
    suggestion = accept_suggestion(session, suggestion_id, user_id=user.id, status=status, note=note)
    proposed_flags = suggestion_flags(suggestion)  # before confirming clears the same-title flag
    confirm_same_bill_if_flagged(session, suggestion)
    decision = record_decision(session, suggestion, user=user, status_before=None, flags=proposed_flags)
    if decision.accepted_status == suggestion.proposed_status:
        record_bill_stage_once(session, suggestion)
    return suggestion


def dismiss_and_record(session: Session, suggestion_id: int, *, user) -> Suggestion:
    suggestion = dismiss_suggestion(session, suggestion_id, user_id=user.id)
    record_decision(session, suggestion, user=user, status_before=suggestion.recommendation.status)
    return suggestion


def confirm_same_bill_if_flagged(session: Session, suggestion: Suggestion) -> None:
    """Accepting a "same title as the tracked bill" suggestion is a person confirming it is the same bill:
    the legislation package remembers that identity (year, bill or Act number) for the next item."""
    if SAME_TITLE_FLAG in suggestion_flags(suggestion):
        confirm_bill_identity(session, suggestion)


def record_bill_stage_once(session: Session, suggestion: Suggestion) -> None:
    """An accepted stage proposal (the person agreed with the status it implies) becomes one of the bill's
    recorded stages, so the next item is read against it. One news item proposes the same stage for every
    recommendation that tracks the bill: the stage is recorded once per item."""
    if not suggestion.stage or not suggestion.bill_slug:
        return
    same_item = select(Suggestion.id).where(Suggestion.entry_id == suggestion.entry_id)
    if session.scalar(select(BillStage.id).where(BillStage.suggestion_id.in_(same_item),
                                                 BillStage.stage == suggestion.stage).limit(1)) is None:
        stage_from_suggestion(session, suggestion)


def decide_item(session: Session, decision: ItemDecision, *, user) -> ItemOutcome:
    """Accepts the chosen suggestions of one item and dismisses the others, all in the caller's transaction.
    Raises Conflict before changing anything when the card is out of date (a suggestion decided by someone
    else, or a new one added); a Conflict raised half-way means the caller must roll back (the request does:
    an error response is never committed)."""
    suggestions = _suggestions_of_item(session, decision.entry_id)
    by_id = {s.id: s for s in suggestions}
    unknown = [i for i in (*decision.shown, *(c.suggestion_id for c in decision.accept)) if i not in by_id]
    if unknown:
        raise InvalidInput(_("Suggestion %(id)s is not part of this item.", id=unknown[0]))
    accepted_ids = [c.suggestion_id for c in decision.accept]
    if len(set(accepted_ids)) != len(accepted_ids) or not set(accepted_ids) <= set(decision.shown):
        raise InvalidInput(_("Each recommendation can be accepted once, and only from the card that shows it."))
    _refuse_if_card_is_stale(session, suggestions, set(decision.shown))

    outcome = ItemOutcome(entry=suggestions[0].entry)
    choices = {c.suggestion_id: c for c in decision.accept}
    try:
        for s in sorted(suggestions, key=lambda s: s.id):
            if s.state != "pending":
                continue
            choice = choices.get(s.id)
            if choice is None:
                outcome.dismissed.append(dismiss_and_record(session, s.id, user=user))
                continue
            status = s.recommendation.status if choice.status == KEEP_STATUS else choice.status
            try:
                outcome.accepted.append(accept_and_record(session, s.id, user=user, status=status,
                                                          note=choice.note))
            except DomainError as exc:
                if exc.status == 409 or exc.field is None:
                    raise
                # Bad input for this recommendation: say which one, on its own field.
                raise InvalidInput(f"{s.recommendation.code}: {exc.message}", f"{exc.field}-{s.id}") from None
    except StaleDataError:
        raise Conflict(_("Someone else changed one of these recommendations at the same moment. Nothing was "
                         "recorded for this item; it is shown below as it is now.")) from None
    except DomainError as exc:
        if exc.status != 409:
            raise
        raise Conflict(_("Someone else decided on this item at the same moment (%(detail)s). Nothing was "
                         "recorded for it; it is shown below as it is now.", detail=exc.message)) from None
    return outcome


def _suggestions_of_item(session: Session, entry_id: int) -> list[Suggestion]:
    # FOR UPDATE (PostgreSQL): two reviewers deciding the same card queue up instead of interleaving.
    suggestions = list(session.scalars(
        select(Suggestion).where(Suggestion.entry_id == entry_id)
        .options(selectinload(Suggestion.entry).selectinload(Entry.feed),
                 selectinload(Suggestion.recommendation))
        .with_for_update(of=Suggestion).execution_options(populate_existing=True)))
    if not suggestions:
        raise NotFound(_("There is no item %(id)s in the inbox.", id=entry_id))
    return suggestions


def _refuse_if_card_is_stale(session: Session, suggestions: list[Suggestion], shown: set[int]) -> None:
    if not shown:
        raise InvalidInput(_("The form did not say which recommendations it showed. Reload the inbox and try again."))
    for s in suggestions:
        if s.id in shown and s.state != "pending":
            decider = session.get(User, s.decided_by_id) if s.decided_by_id else None
            who = decider.email if decider is not None else _("someone else")
            when = local_time(s.decided_at) if s.decided_at else ""
            state = _("accepted") if s.state == "accepted" else _("dismissed")
            raise Conflict(_("%(code)s on this item was already %(state)s by %(who)s (%(when)s). Nothing was "
                             "recorded for this item; it is shown below as it is now.",
                             code=s.recommendation.code, state=state, who=who, when=when).replace(" ()", ""))
    new = [s for s in suggestions if s.state == "pending" and s.id not in shown]
    if new:
        raise Conflict(_("%(code)s was added to this item after you opened it. Nothing was recorded; check the "
                         "card below and decide again.", code=new[0].recommendation.code))
