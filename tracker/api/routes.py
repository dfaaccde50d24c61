"""/api/v1: parse, call a domain query or operation, serialise. No logic of its own."""
from flask import Blueprint, g, jsonify, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.api import serialise
from tracker.api.openapi import openapi_document
from tracker.auth.decorators import api_error, api_staff_required
from tracker.extensions import csrf, db
from tracker.matching.models import SUGGESTION_STATES
from tracker.matching.operations import SuggestionError
from tracker.matching.review import accept_and_record, dismiss_and_record
from tracker.matching.queries import suggestions_in_state
from tracker.recommendations import queries, statuses
from tracker.recommendations.operations import ChangeRequest, InvalidChange, StaleVersion, change_status
from tracker.recommendations.queries import RecommendationFilter
from tracker.scorecard.caching import not_modified_or
from tracker.scorecard.queries import scorecard

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token clients; session clients are checked in api_staff_required


@bp.errorhandler(HTTPException)
def json_http_error(exc: HTTPException):
    return api_error(exc.description or exc.name, exc.code or 500)


def _filter_from_args() -> RecommendationFilter | tuple:
    stakeholder = request.args.get("stakeholder") or None
    status = request.args.get("status") or None
    if status and status not in statuses.VALUES:
        return api_error(f"Unknown status '{status[:40]}'. Use one of: {', '.join(statuses.VALUES)}.", 400)
    if stakeholder and stakeholder not in {s.slug for s in queries.stakeholders(db.session)}:
        return api_error(f"Unknown stakeholder '{stakeholder[:40]}'.", 400)
    return RecommendationFilter(stakeholder=stakeholder, status=status, q=(request.args.get("q") or None))


@bp.get("/recommendations")
def list_recommendations():
    f = _filter_from_args()
    if not isinstance(f, RecommendationFilter):
        return f

    def render():
        recs, total = queries.list_recommendations(db.session, f)
        return jsonify(count=total, recommendations=[serialise.recommendation(r) for r in recs])
    return not_modified_or(render)


@bp.get("/recommendations/<code>")
def get_recommendation(code: str):
    rec = queries.get_by_code(db.session, code)
    if rec is None or not rec.in_register:
        return api_error(f"No recommendation with code '{code[:20]}'.", 404)

    def render():
        data = serialise.recommendation(rec, full=True)
        data["history"] = [serialise.status_change(c) for c in queries.history_of(db.session, rec)]
        return jsonify(data)
    return not_modified_or(render)


@bp.get("/scorecard")
def get_scorecard():
    def render():
        card = scorecard(db.session)
        return jsonify(
            overall=serialise.tally(card.overall),
            stakeholders=[{"slug": s.slug, "name": s.name, **serialise.tally(t)} for s, t in card.by_stakeholder],
            statuses=[{"value": s.value, "label": str(s.label), "definition": str(s.definition),
                       "weight": s.weight} for s in statuses.STATUSES],
        )
    return not_modified_or(render)


@bp.post("/recommendations/<code>/status")
@api_staff_required("edit")
def post_status(code: str):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error("Send a JSON object: {\"status\", \"note\", \"evidence_url\", \"version\"}.", 400)
    rec = queries.get_by_code(db.session, code)
    if rec is None or not rec.in_register:
        return api_error(f"No recommendation with code '{code[:20]}'.", 404)
    req = ChangeRequest(status=body.get("status"), note=body.get("note"),
                        evidence_url=body.get("evidence_url"), version=body.get("version"))
    try:
        change_status(db.session, rec, req, author_id=g.api_user.id)
        db.session.commit()
    except InvalidChange as exc:
        db.session.rollback()
        return api_error(str(exc), 400)
    except (StaleVersion, StaleDataError) as exc:
        db.session.rollback()
        message = str(exc) if isinstance(exc, StaleVersion) else \
            "This recommendation was changed by someone else at the same moment. Reload and try again."
        return api_error(message, 409)
    return jsonify(serialise.recommendation(rec))


@bp.get("/suggestions")
@api_staff_required("review")
def list_suggestions():
    state = request.args.get("state", "pending")
    if state not in SUGGESTION_STATES:
        return api_error(f"Unknown state '{state[:20]}'. Use one of: {', '.join(SUGGESTION_STATES)}.", 400)
    return jsonify(suggestions=[serialise.suggestion(s) for s in suggestions_in_state(db.session, state)])


def _decide(decision):
    try:
        suggestion = decision()
        db.session.commit()
    except SuggestionError as exc:
        db.session.rollback()
        return api_error(str(exc), exc.status)
    except StaleDataError:
        db.session.rollback()
        return api_error("The recommendation was changed by someone else at the same moment; try again.", 409)
    return jsonify(serialise.suggestion(suggestion))


@bp.post("/suggestions/<int:suggestion_id>/accept")
@api_staff_required("review")
def accept(suggestion_id: int):
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        return api_error("Send a JSON object, optionally with \"status\" and \"note\".", 400)
    status, note = body.get("status"), body.get("note")
    if status is not None and status not in statuses.VALUES:
        return api_error(f"Unknown status '{str(status)[:40]}'. Use one of: {', '.join(statuses.VALUES)}.", 400)
    if note is not None and not isinstance(note, str):
        return api_error("note must be text.", 400)
    return _decide(lambda: accept_and_record(db.session, suggestion_id, user=g.api_user, status=status, note=note))


@bp.post("/suggestions/<int:suggestion_id>/dismiss")
@api_staff_required("review")
def dismiss(suggestion_id: int):
    return _decide(lambda: dismiss_and_record(db.session, suggestion_id, user=g.api_user))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
