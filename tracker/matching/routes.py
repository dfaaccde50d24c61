"""The review inbox: one card per news item, decided in one post. Routes parse, call one operation and
redirect; the request commits (tracker/transactions.py) and a refused decision is rolled back."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.decorators import staff_required
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.matching import presentation, queries, review
from tracker.matching.decisions import suggestion_flags
from tracker.matching.forms import item_decision_from_form
from tracker.recommendations import statuses

bp = Blueprint("inbox", __name__, url_prefix="/staff/inbox")


@bp.get("")
@staff_required("review")
def index():
    return _render_inbox(page=request.args.get("page", 1, type=int))


@bp.post("/items/<int:entry_id>")
@staff_required("review")
def decide(entry_id: int):
    decision = item_decision_from_form(entry_id, request.form)
    outcome = review.decide_item(db.session, decision, user=current_user._get_current_object())
    if outcome.accepted:
        flash(_("Recorded on %(codes)s with “%(title)s” as evidence.",
                codes=", ".join(s.recommendation.code for s in outcome.accepted), title=outcome.entry.title)
              + (" " + ngettext("%(num)d other recommendation dismissed for this item.",
                                "%(num)d other recommendations dismissed for this item.", len(outcome.dismissed))
                 if outcome.dismissed else ""))
    else:
        flash(_("Dismissed “%(title)s”: it will not be suggested for these recommendations again.",
                title=outcome.entry.title))
    return redirect(url_for("inbox.index", page=request.form.get("page", 1, type=int)))


@bp.errorhandler(DomainError)
def decision_refused(exc: DomainError):
    """The inbox again, as it now is, with the reason on the card: nothing of the refused decision is kept."""
    db.session.rollback()  # discard any half-made decision before reading the inbox to show it
    return _render_inbox(page=request.form.get("page", 1, type=int), error=exc,
                         error_entry=(request.view_args or {}).get("entry_id")), exc.status


def _render_inbox(page: int, error: DomainError | None = None, error_entry: int | None = None):
    inbox = queries.inbox_page(db.session, page)
    return render_template("matching/inbox.html", inbox=inbox, failing_feeds=queries.failing_feeds(db.session),
                           all_statuses=statuses.STATUSES, present=presentation, flags=suggestion_flags,
                           same_title_flag=review.SAME_TITLE_FLAG, error=error, error_entry=error_entry)


@bp.app_context_processor
def waiting_count_in_navigation():
    """`nav_count(endpoint)` for the staff navigation: how many items wait in the inbox. Called only where
    the link is shown (staff who may review), so other pages run no query."""
    def nav_count(endpoint: str) -> int | None:
        if endpoint != "inbox.index":
            return None
        return queries.waiting_for_review(db.session).items
    return {"nav_count": nav_count}
