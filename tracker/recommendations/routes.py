from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.decorators import staff_required
from tracker.edge import int_arg
from tracker.errors import Conflict, DomainError, Forbidden, NotFound, attach_to_form
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
    raw_status = request.args.get("status") or None
    f = RecommendationFilter(
        stakeholder=request.args.get("stakeholder") or None,
        status=raw_status,
        body=request.args.get("body") or None,
        q=(request.args.get("q") or "")[:200] or None,
        stale_days=int_arg("stale_days", None, high=MAX_STALE_DAYS),
        search_notes=True,  # staff look for what they wrote as well as what the brief says
    )
    stakeholders = queries.stakeholders(db.session)
    bodies = queries.body_names(db.session)
    unknown = queries.unknown_filter_values(f, raw_status, [s.slug for s in stakeholders], bodies)
    if unknown:
        bad = {name for name, _v in unknown}
        f = RecommendationFilter(**{**f.__dict__, **{name: None for name in bad}})
    page = int_arg("page", 1, high=MAX_PAGE)
    recs, total = queries.list_recommendations(db.session, f, page=page, per_page=PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    if page > pages:  # a page past the end shows the last one, with an address that says so
        return redirect(url_for("staff.recommendations", **{**request.args.to_dict(), "page": pages}))
    from tracker.scorecard.routes import unknown_filter_messages
    return render_template("staff/recommendations.html", recs=recs, total=total, f=f, page=page, pages=pages,
                           stakeholders=stakeholders, bodies=bodies, bodies_ur=queries.body_names_ur(db.session),
                           statuses=statuses.STATUSES, days_since=queries.days_since,
                           warnings=unknown_filter_messages(unknown)), 400 if unknown else 200


def _save(rec, form: StatusForm) -> None:
    """Validates the form and records the change; raises a DomainError the form shows on its field."""
    if not current_user.can("edit"):
        raise Forbidden(_("Your role may view but not change statuses."))
    if not form.validate_on_submit():
        raise DomainError(_("Check the highlighted fields."))
    try:
        change_status(db.session, rec, ChangeRequest(
            form.status.data, form.note.data, form.evidence_url.data, form.version.data,
            occurred_on=form.occurred_on.data, evidence_title=form.evidence_title.data,
            evidence_publisher=form.evidence_publisher.data), author_id=current_user.id)
    except StaleDataError:
        raise Conflict(_("Someone else saved a change at the same moment. Reload and try again."),
                       "version") from None


@bp.route("/recommendations/<code>", methods=["GET", "POST"])
@staff_required("view_staff")
def edit(code: str):
    rec = queries.get_by_code(db.session, code)
    if rec is None:
        raise NotFound(_("There is no recommendation with code “%(code)s”.", code=code[:20]))
    before, after = queries.neighbours(db.session, rec)
    form = StatusForm()
    status_code = 200
    if request.method == "POST":
        try:
            _save(rec, form)
        except Forbidden:
            raise
        except DomainError as exc:
            db.session.rollback()  # the request answers 4xx, so nothing of this attempt is kept
            if exc.message != _("Check the highlighted fields."):
                attach_to_form(form, exc, "version" if isinstance(exc, Conflict) else "status")
            status_code = exc.status
            rec = queries.get_by_code(db.session, code)
        else:
            flash(_("Status of %(code)s saved.", code=rec.code))
            if request.form.get("then") == "next" and after:
                return redirect(url_for("staff.edit", code=after))
            return redirect(url_for("staff.edit", code=rec.code))
    else:
        form.status.data = rec.status
        form.version.data = str(rec.version)
    return render_template("staff/edit.html", rec=rec, form=form, statuses=statuses, before=before, after=after,
                           history=queries.history_of(db.session, rec),
                           days=queries.days_since(rec.last_changed_at)), status_code
