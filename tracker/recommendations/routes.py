from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.recommendations import queries, statuses
from tracker.recommendations.forms import StatusForm
from tracker.recommendations.operations import ChangeRequest, InvalidChange, StaleVersion, change_status
from tracker.recommendations.queries import RecommendationFilter

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _int_arg(name: str, default: int | None) -> int | None:
    try:
        return max(int(request.args.get(name, "")), 1)
    except ValueError:
        return default


@bp.get("/recommendations")
@staff_required("view_staff")
def recommendations():
    status = request.args.get("status") or None
    f = RecommendationFilter(
        stakeholder=request.args.get("stakeholder") or None,
        status=status if status in statuses.VALUES else None,
        body=request.args.get("body") or None,
        q=(request.args.get("q") or "")[:200] or None,
        stale_days=_int_arg("stale_days", None),
    )
    page = _int_arg("page", 1)
    recs, total = queries.list_recommendations(db.session, f, page=page, per_page=50)
    return render_template("staff/recommendations.html", recs=recs, total=total, f=f, page=page, per_page=50,
                           stakeholders=queries.stakeholders(db.session), bodies=queries.body_names(db.session),
                           statuses=statuses.STATUSES, days_since=queries.days_since)


@bp.route("/recommendations/<code>", methods=["GET", "POST"])
@staff_required("view_staff")
def edit(code: str):
    rec = queries.get_by_code(db.session, code)
    if rec is None:
        return render_template("errors/error.html", code=404,
                               message=_("There is no recommendation with code “%(code)s”.", code=code[:20])), 404
    form = StatusForm()
    status_code = 200
    if request.method == "POST":
        if not current_user.can("edit"):
            return render_template("errors/error.html", code=403,
                                   message=_("Your role may view but not change statuses.")), 403
        status_code = 400
        if form.validate_on_submit():
            try:
                change_status(db.session, rec, ChangeRequest(form.status.data, form.note.data,
                                                             form.evidence_url.data, form.version.data),
                              author_id=current_user.id)
                db.session.commit()
            except InvalidChange as exc:
                db.session.rollback()
                getattr(form, exc.field or "status").errors.append(str(exc))
            except (StaleVersion, StaleDataError) as exc:
                db.session.rollback()
                rec = queries.get_by_code(db.session, code)
                form.version.errors.append(str(exc) if isinstance(exc, StaleVersion) else
                                           _("Someone else saved a change at the same moment. Reload and try again."))
                status_code = 409
            else:
                flash(_("Status of %(code)s saved.", code=rec.code))
                return redirect(url_for("staff.edit", code=rec.code))
    else:
        form.status.data = rec.status
        form.version.data = str(rec.version)
    return render_template("staff/edit.html", rec=rec, form=form, statuses=statuses,
                           history=queries.history_of(db.session, rec),
                           days=queries.days_since(rec.updated_at)), status_code
