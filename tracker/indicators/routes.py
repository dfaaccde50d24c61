"""Indicator pages (public), staff forms, exports, the Atom feed and /api/v1/indicators.

Thin: parse, call a query or an operation, render. Never commit (tracker/transactions.py does, once).
"""
import csv
import io

from flask import Blueprint, current_app, flash, g, jsonify, make_response, redirect, render_template, request, \
    url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.api.openapi import SECURITY, TrackerBlueprint
from tracker.auth.decorators import api_staff_required, staff_required
from tracker.db import utcnow
from tracker.errors import DomainError, NotFound, attach_to_form
from tracker.extensions import csrf, db
from tracker.indicators import queries, schemas, serialise
from tracker.indicators.atom import points_feed
from tracker.indicators.chart import build_chart
from tracker.indicators.formatting import format_tick, format_value
from tracker.indicators.forms import CorrectionForm, PointForm
from tracker.indicators.models import Indicator
from tracker.indicators.operations import PointInput, add_point, correct_point, point_for
from tracker.indicators.setup import indicator_plain
from tracker.scorecard.caching import not_modified_or

bp = Blueprint("indicators", __name__)
# Registered with the flask-smorest Api (setup.py): its schemas validate, serialise and make /api/v1/openapi.json.
api_bp = TrackerBlueprint("indicators_api", __name__, url_prefix="/api/v1",
                          description="Indicators: figures that show whether the recommendations make a difference.")
csrf.exempt(api_bp)  # token clients; session clients are checked in api_staff_required


def _indicator_or_404(slug: str) -> Indicator:
    # A slug with a NUL names nothing (and PostgreSQL would refuse to compare it).
    ind = None if "\x00" in slug else queries.indicator_by_slug(db.session, slug)
    if ind is None:
        raise NotFound(_("There is no indicator “%(slug)s”.", slug=slug[:60]))
    return ind


def chart_for(ind: Indicator):
    points = [(p.period, p.value, p.alt_value) for p in sorted(ind.points, key=lambda p: p.period)]
    return build_chart(points, format_value, format_tick) if points else None


# ---------------------------------------------------------------- public pages

@bp.get("/indicators")
def index():
    def render():
        indicators = queries.public_indicators(db.session)
        return render_template("indicators/index.html", indicators=indicators, latest=queries.latest_point)
    return not_modified_or(render)


@bp.get("/indicators/<slug>")
def detail(slug: str):
    def render():
        ind = _indicator_or_404(slug)
        return render_template("indicators/detail.html", ind=ind, chart=chart_for(ind),
                               points=sorted(ind.points, key=lambda p: p.period, reverse=True))
    return not_modified_or(render)


def _csv_safe(value):
    # Spreadsheet formula injection: a text cell must not start with = + - @.
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _csv_response(indicators: list[Indicator], filename: str):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(serialise.CSV_COLUMNS)
    for row in serialise.csv_rows(indicators):
        writer.writerow([_csv_safe(v) for v in row])
    response = make_response(out.getvalue())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.get("/indicators.csv")
def all_csv():
    return not_modified_or(lambda: _csv_response(queries.public_indicators(db.session), "indicators.csv"))


@bp.get("/indicators/<slug>/points.csv")
def points_csv(slug: str):
    return not_modified_or(lambda: _csv_response([_indicator_or_404(slug)], f"{slug}.csv"))


def _atom(points, self_path: str, title: str, alternate_path: str):
    body = points_feed(points, base_url=current_app.config["TRACKER_BASE_URL"].rstrip("/"), self_path=self_path,
                       title=title, subtitle=_("New and corrected data points of the tracker's indicators"),
                       alternate_path=alternate_path, fmt=format_value, updated_fallback=utcnow())
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/indicators/feed.atom")
def feed():
    return not_modified_or(lambda: _atom(queries.recent_points(db.session), "/indicators/feed.atom",
                                         _("NCRC tracker: indicator data points"), "/indicators"))


@bp.get("/indicators/<slug>/feed.atom")
def indicator_feed(slug: str):
    def render():
        ind = _indicator_or_404(slug)
        return _atom(queries.recent_points(db.session, indicator=ind), f"/indicators/{slug}/feed.atom",
                     _("NCRC tracker: %(name)s", name=indicator_plain(ind, "name")), f"/indicators/{slug}")
    return not_modified_or(render)


# ---------------------------------------------------------------- staff

def _point_input(form) -> PointInput:
    return PointInput(period=form.period.data, value=form.value.data, source_title=form.source_title.data,
                      source_url=form.source_url.data, note=form.note.data,
                      source_publisher=form.source_publisher.data, source_page=form.source_page.data)


@bp.route("/staff/indicators/<slug>/points/new", methods=["GET", "POST"])
@staff_required("edit")
def new_point(slug: str):
    ind = _indicator_or_404(slug)
    form = PointForm()
    if form.validate_on_submit():
        try:
            point = add_point(db.session, ind, _point_input(form), author_id=current_user.id)
        except DomainError as exc:
            attach_to_form(form, exc, "period")
        else:
            flash(_("Recorded %(period)s: %(value)s.", period=point.period, value=format_value(point.value)))
            return redirect(url_for("indicators.detail", slug=slug))
    return render_template("indicators/point_form.html", ind=ind, form=form, point=None), \
        400 if form.errors or form.form_errors else 200


@bp.route("/staff/indicators/<slug>/points/<period>/correct", methods=["GET", "POST"])
@staff_required("edit")
def correct(slug: str, period: str):
    ind = _indicator_or_404(slug)
    point = point_for(db.session, ind, period)
    if point is None:
        raise NotFound(_("No value is recorded for %(period)s.", period=period[:20]))
    form = CorrectionForm()
    if request.method == "GET":
        form.period.data, form.value.data = point.period, format_value(point.value)
        form.source_title.data, form.source_url.data = point.source_title, point.source_url
        form.source_publisher.data, form.source_page.data = point.source_publisher, point.source_page
        form.note.data, form.version.data = point.note, str(point.version)
    elif form.validate_on_submit():
        try:
            correct_point(db.session, point, _point_input(form), reason=form.reason.data,
                          author_id=current_user.id, version=form.version.data or None)
        except DomainError as exc:
            attach_to_form(form, exc, "value")
        else:
            flash(_("Corrected %(period)s; the earlier value is kept in its history.", period=period))
            return redirect(url_for("indicators.detail", slug=slug))
    return render_template("indicators/point_form.html", ind=ind, form=form, point=point), \
        400 if form.errors or form.form_errors else 200


# ---------------------------------------------------------------- API

def _as_json(schema: type, obj):
    """For answers built inside not_modified_or (which needs a response): the same schema dumps them."""
    return jsonify(schema().dump(obj))


@api_bp.get("/indicators")
@api_bp.response(200, schemas.IndicatorListSchema)
@api_bp.alt_response(304, description="Not modified since the ETag or date sent")
def api_list():
    """Every public indicator with its data points, sources and corrections."""
    return not_modified_or(lambda: _as_json(schemas.IndicatorListSchema,
                                            {"indicators": queries.public_indicators(db.session)}))


@api_bp.get("/indicators/<slug>")
@api_bp.response(200, schemas.IndicatorSchema)
@api_bp.alt_response(304, description="Not modified since the ETag or date sent")
@api_bp.errors(404)
def api_detail(slug: str):
    """One indicator with its data points, sources and corrections."""
    return not_modified_or(lambda: _as_json(schemas.IndicatorSchema, _indicator_or_404(slug)))


@api_bp.post("/indicators/<slug>/points")
@api_staff_required("edit")
@api_bp.arguments(schemas.PointRequest)
@api_bp.response(201, schemas.RecordedPointSchema, description="Recorded", headers={"Location": {
    "description": "The indicator's page", "schema": {"type": "string"}}})
@api_bp.errors(400, 401, 403, 404)
@api_bp.doc(security=SECURITY)
def api_add_point(body: dict, slug: str):
    """Record a data point for a period not yet recorded (editors, admins).

    A recorded value is corrected on the indicator's staff page instead, which keeps the earlier one."""
    ind = _indicator_or_404(slug)
    point = add_point(db.session, ind, PointInput(
        period=body["period"], value=body["value"], source_title=body["source_title"],
        source_url=body["source_url"], note=body.get("note"), source_publisher=body.get("source_publisher"),
        source_page=body.get("source_page"), value_is_json=True), author_id=g.api_user.id)
    return point, 201, {"Location": url_for("indicators.detail", slug=ind.slug)}
