import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.recommendations.models import Recommendation, StatusChange

CONTRACT_FIELDS = {"code", "title", "source_text", "stakeholder", "responsible_bodies", "status",
                   "status_label", "updated_at", "version"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def snapshot():
    return ([(r.code, r.status, r.version) for r in db.session.scalars(select(Recommendation))],
            db.session.scalar(select(func.count(StatusChange.id))))


def test_list_and_filters(client, seeded):
    data = client.get("/api/v1/recommendations").get_json()
    assert data["count"] == len(data["recommendations"]) >= 55
    assert CONTRACT_FIELDS <= set(data["recommendations"][0])
    legislature = client.get("/api/v1/recommendations?stakeholder=legislature").get_json()
    assert legislature["count"] > 0
    assert {r["stakeholder"]["slug"] for r in legislature["recommendations"]} == {"legislature"}
    stalled = client.get("/api/v1/recommendations?status=stalled").get_json()
    assert "LEG-01" in {r["code"] for r in stalled["recommendations"]}
    interpol = client.get("/api/v1/recommendations?q=interpol").get_json()
    assert interpol["count"] > 0
    assert all("interpol" in (r["title"] + r["source_text"]).lower() for r in interpol["recommendations"])


@pytest.mark.parametrize("query, words", [("status=finished", "Unknown status"),
                                          ("stakeholder=aliens", "Unknown stakeholder")])
def test_bad_filters_get_400(client, seeded, query, words):
    response = client.get(f"/api/v1/recommendations?{query}")
    assert response.status_code == 400
    assert words in response.get_json()["error"]


def test_one_recommendation_with_history(client, seeded):
    data = client.get("/api/v1/recommendations/leg-01").get_json()
    assert data["code"] == "LEG-01" and data["status"] == "stalled"
    assert data["history"][0]["to_status"] == "stalled"
    assert client.get("/api/v1/recommendations/NOPE-99").status_code == 404


def test_scorecard_json(client, seeded):
    data = client.get("/api/v1/scorecard").get_json()
    assert data["overall"]["total"] == sum(s["total"] for s in data["stakeholders"])
    assert len(data["stakeholders"]) == 9
    assert {s["value"] for s in data["statuses"]} == {
        "not_assessed", "not_started", "in_progress", "stalled", "partially_implemented", "implemented",
        "superseded"}


def test_editor_changes_status_with_token(client, seeded, tokens):
    response = client.post("/api/v1/recommendations/GOV-01/status", headers=bearer(tokens["editor"]),
                           json={"status": "in_progress", "note": "Budget raised", "version": 1,
                                 "evidence_url": "https://example.org/x"})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert (data["status"], data["version"], data["status_label"]) == ("in_progress", 2, "In progress")
    public = client.get("/api/v1/recommendations/GOV-01").get_json()
    assert public["history"][0]["note"] == "Budget raised"
    assert public["history"][0]["evidence_url"] == "https://example.org/x"


@pytest.mark.parametrize("headers, body, status, words", [
    ({}, {"status": "implemented", "note": "x", "version": 1}, 401, "Authentication required"),
    ({"Authorization": "Bearer nope"}, {"status": "implemented", "note": "x", "version": 1}, 401, "invalid"),
    ({"Authorization": "Basic abc"}, {"status": "implemented", "note": "x", "version": 1}, 401, "Bearer"),
    ("viewer", {"status": "implemented", "note": "x", "version": 1}, 403, "viewer"),
    ("editor", {"status": "finished", "note": "x", "version": 1}, 400, "Unknown status"),
    ("editor", {"status": "implemented", "note": "", "version": 1}, 400, "note is required"),
    ("editor", {"status": "implemented", "note": "x", "version": 1, "evidence_url": "file:///etc/passwd"},
     400, "http"),
    ("editor", {"status": "implemented", "note": "x" * 5001, "version": 1}, 400, "too long"),
    ("editor", {"status": "implemented", "note": "x", "version": 7}, 409, "changed by someone else"),
    ("editor", {"status": "implemented", "note": "x"}, 400, "version"),
    ("editor", ["not", "an", "object"], 400, "JSON object"),
])
def test_bad_requests_change_nothing(client, seeded, tokens, headers, body, status, words):
    if isinstance(headers, str):
        headers = bearer(tokens[headers])
    else:
        tokens  # noqa: B018  (accounts exist, so a 401 is about the credentials)
    before = snapshot()
    response = client.post("/api/v1/recommendations/GOV-01/status", headers=headers, json=body)
    assert response.status_code == status
    assert words.lower() in response.get_json()["error"].lower()
    assert snapshot() == before


def test_malformed_json_and_unknown_code(client, seeded, tokens):
    before = snapshot()
    bad = client.post("/api/v1/recommendations/GOV-01/status", data="{not json",
                      headers={**bearer(tokens["editor"]), "Content-Type": "application/json"})
    assert bad.status_code == 400 and "JSON object" in bad.get_json()["error"]
    missing = client.post("/api/v1/recommendations/ZZZ-01/status", headers=bearer(tokens["editor"]),
                          json={"status": "implemented", "note": "x", "version": 1})
    assert missing.status_code == 404 and "ZZZ-01" in missing.get_json()["error"]
    assert snapshot() == before


def test_session_clients_need_the_csrf_header(client, seeded, auth):
    auth.login("editor")
    body = {"status": "implemented", "note": "x", "version": 1}
    refused = client.post("/api/v1/recommendations/GOV-01/status", json=body)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_json()["error"]
    from tests.conftest import csrf_from
    token = csrf_from(client.get("/staff/recommendations/GOV-01").get_data(as_text=True))
    ok = client.post("/api/v1/recommendations/GOV-01/status", json=body, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


def test_concurrent_writers_cannot_both_win(app, seeded, users):
    """Two requests read version 1; the versioned UPDATE lets only the first commit."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from tracker.recommendations.operations import ChangeRequest, change_status
    with Session(db.engine) as first, Session(db.engine) as second:
        rec1 = first.scalar(select(Recommendation).where(Recommendation.code == "GOV-03"))
        rec2 = second.scalar(select(Recommendation).where(Recommendation.code == "GOV-03"))
        change_status(first, rec1, ChangeRequest("in_progress", "one", None, 1), author_id=users["editor"].id)
        first.commit()
        with pytest.raises(StaleDataError):
            change_status(second, rec2, ChangeRequest("implemented", "two", None, 1), author_id=users["admin"].id)
        second.rollback()
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-03"))
    assert (rec.status, rec.version) == ("in_progress", 2)


def test_openapi_describes_the_contract_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/recommendations", "/api/v1/recommendations/{code}",
                 "/api/v1/recommendations/{code}/status", "/api/v1/scorecard", "/api/v1/suggestions"):
        assert path in doc["paths"]


def test_openapi_document_has_what_the_answers_have(client):
    """The drift the hand-written document had: the generated one names every field the API sends."""
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert {"stage", "created_at"} <= set(schemas["Suggestion"]["required"])
    assert {"context_text", "themes", "instruments", "bill", "history"} <= set(
        schemas["RecommendationDetail"]["required"])
    assert set(schemas["Scorecard"]["required"]) == {"overall", "stakeholders", "statuses"}
    assert schemas["Error"]["required"] == ["error"]


def test_stakeholder_vocabulary_matches_the_register(client, seeded):
    from tracker.api.schemas import STAKEHOLDER_SLUGS
    from tracker.recommendations.queries import stakeholders
    assert {s.slug for s in stakeholders(db.session)} == set(STAKEHOLDER_SLUGS)
