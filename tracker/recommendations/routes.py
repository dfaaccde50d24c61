from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.decorators import staff_required
from tracker.edge import int_arg
from tracker.errors import DomainError, Forbidden, NotFound, attach_to_form
from tracker.extensions import db
from tracker.recommendations import queries, statuses
from tracker.recommendations.forms import StatusForm
from tracker.recommendations.operations import ChangeRequest, change_status
from tracker.recommendations.queries import RecommendationFilter
from tracker.settings import MAX_STALE_DAYS

bp = Blueprint("staff", __name__, url_prefix="/staff")
PER_PAGE = 50
MAX_PAGE = 10**6  # far beyond the register; keeps OFFSET a sensible number on every database


@bp.get("/recommendations")
@staff_required("view_staff")
def recommendations():
    status = request.args.get("status") or None
    f = RecommendationFilter(
        stakeholder=request.args.get("stakeholder") or None,
        status=status if status in statuses.VALUES else None,
        body=request.args.get("body") or None,
        q=(request.args.get("q") or "")[:200] or None,
        stale_days=int_arg("stale_days", None, high=MAX_STALE_DAYS),
    )
    page = int_arg("page", 1, high=MAX_PAGE)
    recs, total = queries.list_recommendations(db.session, f, page=page, per_page=PER_PAGE)
    return render_template("staff/recommendations.html", recs=recs, total=total, f=f, page=page,
                           per_page=PER_PAGE, stakeholders=queries.stakeholders(db.session),
                           bodies=queries.body_names(db.session), statuses=statuses.STATUSES,
                           days_since=queries.days_since)


@bp.route("/recommendations/<code>", methods=["GET", "POST"])
@staff_required("view_staff")
def edit(code: str):
    rec = queries.get_by_code(db.session, code)
    if rec is None:
        raise NotFound(_("There is no recommendation with code “%(code)s”.", code=code[:20]))
    form = StatusForm()
    status_code = 200
    if request.method == "POST":
        if not current_user.can("edit"):
            raise Forbidden(_("Your role may view but not change statuses."))
        status_code = 400
        if form.validate_on_submit():
            try:
                # Refusals (bad input, a stale version) are raised before anything is written, so the page
                # can be shown again from this session; a lost race at the write is the app's 409.
                change_status(db.session, rec, ChangeRequest(form.status.data, form.note.data,
                                                             form.evidence_url.data, form.version.data),
                              author_id=current_user.id)
            except DomainError as exc:
                attach_to_form(form, exc, "status")
                status_code = exc.status
            else:
                flash(_("Status of %(code)s saved.", code=rec.code))
                return redirect(url_for("staff.edit", code=rec.code))
    else:
        form.status.data = rec.status
        form.version.data = str(rec.version)
    return render_template("staff/edit.html", rec=rec, form=form, statuses=statuses,
                           history=queries.history_of(db.session, rec),
                           days=queries.days_since(rec.updated_at)), status_code
