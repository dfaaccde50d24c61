"""The inbox card's form: one post per news item. Its fields are per suggestion (accept-ID, status-ID,
note-ID), so they are read here into an ItemDecision rather than declared as WTForms fields; the CSRF
token is checked for every POST by CSRFProtect."""
from flask_babel import gettext as _

from tracker.errors import InvalidInput
from tracker.matching.review import KEEP_STATUS, AcceptChoice, ItemDecision
from tracker.recommendations import statuses

MAX_NOTE = 5000
ACTIONS = ("accept", "dismiss")


def _suggestion_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise InvalidInput(_("The form refers to a suggestion that does not exist. Reload the inbox and try again."))
    return int(raw)


def item_decision_from_form(entry_id: int, form) -> ItemDecision:
    """form: the request's MultiDict. Raises InvalidInput naming the field at fault."""
    action = form.get("action", "")
    if action not in ACTIONS:
        raise InvalidInput(_("Choose “Accept selected” or “Dismiss item”."))
    shown = tuple(_suggestion_id(v) for v in form.getlist("shown"))
    if action == "dismiss":
        return ItemDecision(entry_id=entry_id, shown=shown)
    ticked = [_suggestion_id(v) for v in form.getlist("accept")]
    if not ticked:
        raise InvalidInput(_("Tick the recommendations to accept, or dismiss the whole item."))
    choices = []
    for sid in ticked:
        status = form.get(f"status-{sid}")  # absent: as proposed; empty: keep the current status
        if status is not None and status != KEEP_STATUS and status not in statuses.VALUES:
            raise InvalidInput(_("Unknown status “%(s)s”.", s=status[:40]), f"status-{sid}")
        note = form.get(f"note-{sid}", "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(_("Note is too long (at most %(n)s characters).", n=MAX_NOTE), f"note-{sid}")
        if "\x00" in note:
            raise InvalidInput(_("The note contains a character that cannot be stored (NUL)."), f"note-{sid}")
        choices.append(AcceptChoice(suggestion_id=sid, status=status, note=note or None))
    return ItemDecision(entry_id=entry_id, shown=shown, accept=tuple(choices))
