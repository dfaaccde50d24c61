"""/api/v1: parse with a schema, call a domain query or operation, serialise with a schema. No logic of its own.

Routes never commit or roll back (tracker/transactions.py ends the request's transaction) and never build an
error by hand: they raise a tracker.errors.DomainError, which the app answers as `{"error": ...}`.
"""
from dataclasses import dataclass

from flask import g, jsonify
from werkzeug.exceptions import HTTPException

from tracker.api import schemas
from tracker.api.openapi import SECURITY, TrackerBlueprint, openapi_document, validation_message
from tracker.auth.decorators import api_error, api_staff_required
from tracker.errors import InvalidInput, NotFound
from tracker.extensions import csrf, db
from tracker.matching.review import accept_and_record, dismiss_and_record
from tracker.matching.queries import suggestions_in_state
from tracker.recommendations import queries, statuses
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.recommendations.operations import ChangeRequest, change_status
from tracker.recommendations.queries import RecommendationFilter
from tracker.scorecard.caching import not_modified_or
from tracker.scorecard.queries import scorecard

bp = TrackerBlueprint("api", __name__, url_prefix="/api/v1",
                      description="Recommendations, their status and evidence, and the feeds' suggestions.")
csrf.exempt(bp)  # token clients; session clients are checked in api_staff_required
# Werkzeug's int converter takes any number of digits; ids beyond the column's range cannot exist.
SUGGESTION_ID = f"<int(min=1, max={schemas.MAX_DB_INTEGER}):suggestion_id>"


def json_http_error(exc: HTTPException):
    messages = (getattr(exc, "data", None) or {}).get("messages")  # webargs' validation errors
    return api_error(validation_message(messages) if messages else (exc.description or exc.name), exc.code or 500)


# Flask prefers the app's handler for a status code over a blueprint's handler for a class, so the codes too.
bp.register_error_handler(HTTPException, json_http_error)
for _code in (400, 404, 405, 413, 415, 422):
    bp.register_error_handler(_code, json_http_error)


def _as_json(schema: type, obj):
    """For answers built inside not_modified_or (which needs a response): the same schema dumps them."""
    return jsonify(schema().dump(obj))


def _recommendation(code: str) -> Recommendation:
    if "\x00" in code:
        raise InvalidInput("A recommendation code must not contain NUL characters.")
    rec = queries.get_by_code(db.session, code)
    if rec is None or not rec.in_register:
        raise NotFound(f"No recommendation with code '{code[:20]}'.")
    return rec


@dataclass
class _WithHistory:
    """A recommendation plus its public history, for RecommendationDetailSchema."""
    recommendation: Recommendation
    history: list[StatusChange]

    def __getattr__(self, name):
        return getattr(self.recommendation, name)


@bp.get("/recommendations")
@bp.arguments(schemas.RecommendationFilterArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.RecommendationListSchema)
@bp.alt_response(304, description="Not modified since the ETag or date sent")
@bp.errors(400)
def list_recommendations(stakeholder=None, status=None, q=None):
    """List the register's recommendations, optionally filtered."""
    f = RecommendationFilter(stakeholder=stakeholder or None, status=status or None, q=q or None)

    def render():
        recs, total = queries.list_recommendations(db.session, f)
        return _as_json(schemas.RecommendationListSchema, {"count": total, "recommendations": recs})
    return not_modified_or(render)


@bp.get("/recommendations/<code>")
@bp.response(200, schemas.RecommendationDetailSchema)
@bp.alt_response(304, description="Not modified since the ETag or date sent")
@bp.errors(400, 404)
def get_recommendation(code: str):
    """One recommendation with its context, themes, instruments, bill and public history (newest first)."""
    rec = _recommendation(code)

    def render():
        return _as_json(schemas.RecommendationDetailSchema, _WithHistory(rec, queries.history_of(db.session, rec)))
    return not_modified_or(render)


@bp.get("/scorecard")
@bp.response(200, schemas.ScorecardSchema)
@bp.alt_response(304, description="Not modified since the ETag or date sent")
def get_scorecard():
    """Progress overall and per stakeholder, and the statuses with their weights."""
    def render():
        card = scorecard(db.session)
        return _as_json(schemas.ScorecardSchema, {
            "overall": card.overall,
            "stakeholders": [{"slug": s.slug, "name": s.name, "counts": t.counts, "total": t.total,
                              "progress": t.progress, "assessed": t.assessed,
                              "progress_among_assessed": t.progress_among_assessed}
                             for s, t in card.by_stakeholder],
            "statuses": statuses.STATUSES})
    return not_modified_or(render)


@bp.post("/recommendations/<code>/status")
@api_staff_required("edit")
@bp.arguments(schemas.StatusChangeRequest)
@bp.response(200, schemas.RecommendationSchema)
@bp.errors(400, 401, 403, 404, 409)
@bp.doc(security=SECURITY)
def post_status(body: dict, code: str):
    """Change a recommendation's status (editors, admins): appended to its history."""
    rec = _recommendation(code)
    change_status(db.session, rec, ChangeRequest(status=body["status"], note=body["note"],
                                                 evidence_url=body.get("evidence_url"), version=body["version"],
                                                 occurred_on=body.get("occurred_on"),
                                                 evidence_title=body.get("evidence_title"),
                                                 evidence_publisher=body.get("evidence_publisher"),
                                                 evidence_published_on=body.get("evidence_published_on")),
                  author_id=g.api_user.id)
    return rec


@bp.get("/suggestions")
@api_staff_required("review")
@bp.arguments(schemas.SuggestionStateArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.SuggestionListSchema)
@bp.errors(400, 401, 403)
@bp.doc(security=SECURITY)
def list_suggestions(state: str):
    """Suggestions the feeds made, newest first (pending unless `state` says otherwise)."""
    return {"suggestions": suggestions_in_state(db.session, state)}


@bp.post(f"/suggestions/{SUGGESTION_ID}/accept")
@api_staff_required("review")
@bp.arguments(schemas.AcceptRequest, required=False)
@bp.response(200, schemas.SuggestionSchema)
@bp.errors(400, 401, 403, 404, 409)
@bp.doc(security=SECURITY)
def accept(body: dict, suggestion_id: int):
    """Accept: records the status change with the feed item as evidence."""
    return accept_and_record(db.session, suggestion_id, user=g.api_user,
                             status=body.get("status"), note=body.get("note"))


@bp.post(f"/suggestions/{SUGGESTION_ID}/dismiss")
@api_staff_required("review")
@bp.response(200, schemas.SuggestionSchema)
@bp.errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def dismiss(suggestion_id: int):
    """Dismiss: remembered, so never suggested again."""
    return dismiss_and_record(db.session, suggestion_id, user=g.api_user)


@bp.get("/openapi.json")
def openapi():
    from tracker.indicators.openapi import indicator_paths
    document = openapi_document()
    document["paths"].update(indicator_paths())
    return jsonify(document)
