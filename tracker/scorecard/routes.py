import csv
import io

from flask import Blueprint, Response, abort, make_response, render_template, request
from flask_babel import gettext as _

from tracker.api import serialise
from tracker.extensions import db
from tracker.recommendations import queries, statuses
from tracker.recommendations.queries import RecommendationFilter
from tracker.scorecard.caching import not_modified_or
from tracker.scorecard.queries import scorecard

bp = Blueprint("scorecard", __name__)


def public_filter() -> RecommendationFilter:
    """The public filters; unknown values are ignored here and reported in the page."""
    stakeholder = request.args.get("stakeholder") or None
    status = request.args.get("status") or None
    return RecommendationFilter(
        stakeholder=stakeholder,
        status=status if status in statuses.VALUES else None,
        q=(request.args.get("q") or "")[:200] or None,
    )


@bp.get("/")
def index():
    def render():
        f = public_filter()
        recs, total = queries.list_recommendations(db.session, f)
        return render_template("scorecard/index.html", card=scorecard(db.session), recs=recs, total=total,
                               f=f, statuses=statuses.STATUSES,
                               stakeholders=queries.stakeholders(db.session))
    return not_modified_or(render)


@bp.get("/recommendations/<code>")
def recommendation(code: str):
    def render():
        rec = queries.get_by_code(db.session, code)
        if rec is None or not rec.in_register:
            abort(404, description=_("There is no recommendation with code “%(code)s”.", code=code[:20]))
        from tracker.legislation.queries import stage_history
        return render_template("scorecard/recommendation.html", rec=rec,
                               history=queries.history_of(db.session, rec), statuses=statuses,
                               bill_stages=stage_history(db.session, rec.bill_id) if rec.bill_id else [])
    return not_modified_or(render)


CSV_COLUMNS = ("code", "title", "stakeholder", "status", "status_label", "responsible_bodies", "updated_at",
               "source_text")


@bp.get("/recommendations.csv")
def recommendations_csv():
    def render():
        recs, _total = queries.list_recommendations(db.session, public_filter())
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for rec in recs:
            data = serialise.recommendation(rec)
            writer.writerow([data["code"], data["title"], data["stakeholder"]["slug"], data["status"],
                             data["status_label"], "; ".join(data["responsible_bodies"]), data["updated_at"],
                             _csv_safe(data["source_text"])])
        response = make_response(out.getvalue())
        response.mimetype = "text/csv"
        response.headers["Content-Disposition"] = "attachment; filename=recommendations.csv"
        return response
    return not_modified_or(render)


def _csv_safe(text: str) -> str:
    # Spreadsheet formula injection: a cell must not start with = + - @.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.get("/about/statuses")
def status_definitions():
    return render_template("scorecard/statuses.html", statuses=statuses.STATUSES)
