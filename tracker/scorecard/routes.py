import csv
import io

from flask import Blueprint, Response, make_response, render_template, request, url_for
from flask_babel import gettext as _

from tracker.api.schemas import RecommendationSchema
from tracker.db import utcnow
from tracker.errors import InvalidInput, NotFound
from tracker.extensions import db
from tracker.glossary import glossary
from tracker.i18n import localized
from tracker.recommendations import queries, statuses
from tracker.recommendations.queries import RecommendationFilter
from tracker.scorecard import atom, brief
from tracker.legislation.queries import stage_history
from tracker.scorecard.caching import not_modified_or
from tracker.scorecard.charts import timeline
from tracker.scorecard.queries import recommendation_ids_for_body, scorecard, status_events, tally_of

bp = Blueprint("scorecard", __name__)

FILTER_NAMES = {"stakeholder": "stakeholder", "status": "status", "body": "responsible body"}


def public_filter(stakeholders=None) -> tuple[RecommendationFilter, list[tuple[str, str]]]:
    """The public filters, and the values among them that name nothing (for a message that names them).
    An unknown value is dropped from the filter, so the page still lists something useful."""
    raw_status = request.args.get("status") or None
    f = RecommendationFilter(stakeholder=request.args.get("stakeholder") or None, status=raw_status,
                             q=(request.args.get("q") or "")[:200] or None)
    if stakeholders is None:
        stakeholders = queries.stakeholders(db.session)
    unknown = queries.unknown_filter_values(f, raw_status, [s.slug for s in stakeholders])
    if unknown:
        bad = {name for name, _v in unknown}
        f = RecommendationFilter(stakeholder=None if "stakeholder" in bad else f.stakeholder,
                                 status=None if "status" in bad else f.status, q=f.q)
    return f, unknown


def unknown_filter_messages(unknown: list[tuple[str, str]], *, left_out: bool = True) -> list[str]:
    labels = {"stakeholder": _("stakeholder"), "status": _("status"), "body": _("responsible body")}
    if left_out:
        return [_("There is no %(what)s “%(value)s”; that filter was left out.", what=labels[name],
                  value=value[:60]) for name, value in unknown]
    return [_("There is no %(what)s “%(value)s”.", what=labels[name], value=value[:60]) for name, value in unknown]


def _chart(**scope):
    ids, events, start = status_events(db.session, **scope)
    return timeline(ids, events, start, utcnow().date())


@bp.get("/")
def index():
    def render():
        stakeholders = queries.stakeholders(db.session)
        f, unknown = public_filter(stakeholders)
        recs, total = queries.list_recommendations(db.session, f)
        return render_template("scorecard/index.html", card=scorecard(db.session), recs=recs, total=total,
                               f=f, statuses=statuses.STATUSES, warnings=unknown_filter_messages(unknown),
                               stakeholders=stakeholders, chart=_chart()), \
            400 if unknown else 200
    return not_modified_or(render)


@bp.get("/stakeholders/<slug>")
def stakeholder(slug: str):
    def render():
        st = queries.stakeholder_by_slug(db.session, slug)
        if st is None:
            raise NotFound(_("There is no stakeholder “%(slug)s”.", slug=slug[:40]))
        recs, total = queries.list_recommendations(db.session, RecommendationFilter(stakeholder=st.slug))
        return render_template("scorecard/group.html", kind="stakeholder", name=st.name, name_ur=st.name_ur, slug=st.slug,
                               tally=tally_of(db.session, [r.id for r in recs]), recs=recs, total=total,
                               statuses=statuses.STATUSES, chart=_chart(stakeholder_id=st.id),
                               feed_url=url_for("scorecard.stakeholder_feed", slug=st.slug))
    return not_modified_or(render)


@bp.get("/bodies/<slug>")
def body(slug: str):
    def render():
        found = queries.bodies_by_slug(db.session).get(slug)
        if found is None:
            raise NotFound(_("There is no responsible body “%(slug)s”.", slug=slug[:40]))
        recs, total = queries.list_recommendations(db.session, RecommendationFilter(body=found.name))
        ids = [r.id for r in recs]
        return render_template("scorecard/group.html", kind="body", name=found.name, name_ur=found.name_ur, slug=slug,
                               tally=tally_of(db.session, ids), recs=recs, total=total,
                               statuses=statuses.STATUSES,
                               chart=_chart(recommendation_ids=recommendation_ids_for_body(db.session, found.id)),
                               feed_url=None)
    return not_modified_or(render)


@bp.get("/bodies")
def bodies():
    def render():
        return render_template("scorecard/bodies.html", bodies=queries.bodies_by_slug(db.session))
    return not_modified_or(render)


@bp.get("/recommendations/<code>")
def recommendation(code: str):
    def render():
        rec = queries.get_by_code(db.session, code)
        # A retired item that was split keeps its page (old links, its history), which names its parts.
        if rec is None or not (rec.in_register or rec.split_parts):
            raise NotFound(_("There is no recommendation with code “%(code)s”.", code=code[:20]))
        return render_template("scorecard/recommendation.html", rec=rec,
                               history=queries.history_of(db.session, rec), statuses=statuses,
                               body_slug=queries.body_slug,
                               bill_stages=stage_history(db.session, rec.bill_id) if rec.bill_id else [])
    return not_modified_or(render)


def _atom(render_feed) -> Response:
    def render():
        response = make_response(render_feed())
        response.mimetype = "application/atom+xml"
        return response
    return not_modified_or(render)


@bp.get("/feed.atom")
def feed():
    return _atom(lambda: atom.atom_feed(atom.recent_changes(db.session), title=_("NCRC recommendations: all changes"),
                                        self_path=url_for("scorecard.feed"), page_path=url_for("scorecard.index")))


@bp.get("/stakeholders/<slug>/feed.atom")
def stakeholder_feed(slug: str):
    st = queries.stakeholder_by_slug(db.session, slug)
    if st is None:
        raise NotFound(_("There is no stakeholder “%(slug)s”.", slug=slug[:40]))
    return _atom(lambda: atom.atom_feed(
        atom.recent_changes(db.session, stakeholder_id=st.id), title=_("NCRC recommendations: %(name)s", name=localized(st.name, st.name_ur)),
        self_path=url_for("scorecard.stakeholder_feed", slug=st.slug),
        page_path=url_for("scorecard.stakeholder", slug=st.slug)))


@bp.get("/recommendations/<code>/feed.atom")
def recommendation_feed(code: str):
    rec = queries.get_by_code(db.session, code)
    if rec is None or not rec.in_register:
        raise NotFound(_("There is no recommendation with code “%(code)s”.", code=code[:20]))
    return _atom(lambda: atom.atom_feed(
        atom.recent_changes(db.session, recommendation_id=rec.id), title=f"{rec.code} {localized(rec.title, rec.title_ur)}",
        self_path=url_for("scorecard.recommendation_feed", code=rec.code),
        page_path=url_for("scorecard.recommendation", code=rec.code)))


CSV_COLUMNS = ("code", "title", "stakeholder", "status", "status_label", "responsible_bodies", "updated_at",
               "source_text")


def _download_filter() -> RecommendationFilter:
    f, unknown = public_filter()
    if unknown:
        raise InvalidInput(" ".join(unknown_filter_messages(unknown, left_out=False)))
    return f


@bp.get("/recommendations.csv")
def recommendations_csv():
    f = _download_filter()

    def render():
        recs, _total = queries.list_recommendations(db.session, f)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for rec in recs:
            data = RecommendationSchema().dump(rec)  # the API's shape, so CSV and JSON agree
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


@bp.get("/about/brief")
def about_brief():
    def render():
        recs, _total = queries.list_recommendations(db.session, RecommendationFilter())
        return render_template("scorecard/brief.html", brief=brief.SOURCE_BRIEF, glossary=glossary(),
                               stakeholders=queries.stakeholders(db.session), recs=recs)
    return not_modified_or(render)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico whatever the page says; answer with the SVG rather than a 404 per visit.
    return make_response("", 308, {"Location": url_for("static", filename="favicon.svg")})
