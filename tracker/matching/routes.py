from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.matching import queries
from tracker.matching.forms import AcceptForm, DismissForm
from tracker.matching.operations import SuggestionError, accept_suggestion, dismiss_suggestion
from tracker.recommendations import statuses

bp = Blueprint("inbox", __name__, url_prefix="/staff/inbox")


@bp.get("")
@staff_required("review")
def index():
    return render_template("matching/inbox.html", groups=queries.pending_suggestions_by_recommendation(db.session),
                           accept_form=AcceptForm(), dismiss_form=DismissForm(),
                           spans=queries.highlight_spans, all_statuses=statuses.STATUSES)


@bp.post("/<int:suggestion_id>/accept")
@staff_required("review")
def accept(suggestion_id: int):
    form = AcceptForm()
    if not form.validate_on_submit():
        flash(" ".join(sum(form.errors.values(), [])) or _("Invalid form."), "error")
        return redirect(url_for("inbox.index"))
    try:
        suggestion = accept_suggestion(db.session, suggestion_id, user_id=current_user.id,
                                       status=form.status.data or None, note=form.note.data)
        db.session.commit()
    except (SuggestionError, StaleDataError) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, SuggestionError) else _("Changed by someone else; try again."), "error")
    else:
        flash(_("Accepted: recorded on %(code)s with the item as evidence.", code=suggestion.recommendation.code))
    return redirect(url_for("inbox.index"))


@bp.post("/<int:suggestion_id>/dismiss")
@staff_required("review")
def dismiss(suggestion_id: int):
    if not DismissForm().validate_on_submit():
        flash(_("Invalid form."), "error")
        return redirect(url_for("inbox.index"))
    try:
        dismiss_suggestion(db.session, suggestion_id, user_id=current_user.id)
        db.session.commit()
    except SuggestionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Dismissed; this item will not be suggested for that recommendation again."))
    return redirect(url_for("inbox.index"))
