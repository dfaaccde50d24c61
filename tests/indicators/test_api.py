"""POST /api/v1/indicators/<slug>/points and the JSON exports, on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tracker.extensions import db
from tracker.indicators.models import IndicatorPoint, IndicatorPointRevision

URL = "/api/v1/indicators/fia-ocsea-firs/points"
GOOD = {"period": "2023", "value": 71, "source_title": "FIA annual report 2023",
        "source_url": "https://www.fia.gov.pk/annual-report-2023", "note": "Table 4"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def stored():
    return [(p.indicator_id, p.period, p.value, p.source_title, p.note, p.version)
            for p in db.session.scalars(select(IndicatorPoint).order_by(IndicatorPoint.id))], \
        db.session.scalar(select(func.count(IndicatorPointRevision.id)))


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_add_a_point(client, indicators, tokens, role):
    response = client.post(URL, headers=bearer(tokens[role]), json=GOOD)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert (data["period"], data["value"], data["from_brief"], data["indicator"]) == ("2023", 71, False,
                                                                                      "fia-ocsea-firs")
    assert data["source_url"] == GOOD["source_url"] and data["note"] == "Table 4"
    assert response.headers["Location"].endswith("/indicators/fia-ocsea-firs")
    # Committed by the request (one commit per request): visible to the next one.
    periods = [p["period"] for p in client.get("/api/v1/indicators/fia-ocsea-firs").get_json()["points"]]
    assert periods == ["2021", "2022", "2023"]


def test_month_period_and_decimal_value(client, indicators, tokens):
    body = GOOD | {"period": "2024-06", "value": 12.5}
    assert client.post("/api/v1/indicators/internet-users/points", headers=bearer(tokens["editor"]),
                       json=body).status_code == 201


def test_without_credentials_401_and_viewer_403(client, indicators, tokens):
    before = stored()
    none = client.post(URL, json=GOOD)
    assert none.status_code == 401 and "error" in none.get_json()
    assert none.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post(URL, headers=bearer("not-a-token"), json=GOOD).status_code == 401
    viewer = client.post(URL, headers=bearer(tokens["viewer"]), json=GOOD)
    assert viewer.status_code == 403 and "viewer" in viewer.get_json()["error"]
    assert stored() == before


BAD = [
    ({"value": "seventy"}, "number"),
    ({"value": "71"}, "JSON number"),
    ({"value": True}, "number"),
    ({"value": None}, "required"),
    ({"period": "2999"}, "future"),
    ({"period": "2026-13"}, "month"),
    ({"period": "last year"}, "not a period"),
    ({"source_title": ""}, "source is required"),
    ({"source_title": None, "source_url": None}, "source is required"),
    ({"source_url": None}, "source is required"),
    ({"source_url": "javascript:alert(1)"}, "http"),
    ({"period": "2022"}, "already recorded"),
    ({"note": "nul\u0000byte"}, "NUL character"),  # refused at the edge
    ({"source_title": "x" * 301}, "too long"),
    ({"value": 1e300}, "finite"),
]


@pytest.mark.parametrize("change,words", BAD, ids=[w + str(i) for i, (_c, w) in enumerate(BAD)])
def test_bad_input_is_a_clear_400_and_nothing_changes(client, indicators, tokens, change, words):
    before = stored()
    response = client.post(URL, headers=bearer(tokens["editor"]), json=GOOD | change)
    assert response.status_code == 400
    assert words in response.get_json()["error"]
    assert stored() == before


def test_duplicate_period_after_a_first_post(client, indicators, tokens):
    assert client.post(URL, headers=bearer(tokens["editor"]), json=GOOD).status_code == 201
    before = stored()
    again = client.post(URL, headers=bearer(tokens["admin"]), json=GOOD | {"value": 72})
    assert again.status_code == 400 and "already recorded" in again.get_json()["error"]
    assert stored() == before


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null"])
def test_not_a_json_object(client, indicators, tokens, payload):
    response = client.post(URL, headers=bearer(tokens["editor"]) | {"Content-Type": "application/json"},
                           data=payload)
    assert response.status_code == 400 and "JSON object" in response.get_json()["error"]


def test_unknown_indicator_404(client, indicators, tokens):
    response = client.post("/api/v1/indicators/nope/points", headers=bearer(tokens["editor"]), json=GOOD)
    assert response.status_code == 404 and "nope" in response.get_json()["error"]
    assert client.get("/api/v1/indicators/nope").status_code == 404


def test_session_clients_need_the_csrf_header(client, indicators, auth):
    auth.login("editor")
    assert client.post(URL, json=GOOD).status_code == 400
    token = csrf_from(client.get("/staff/indicators/fia-ocsea-firs/points/new").get_data(as_text=True))
    assert client.post(URL, json=GOOD, headers={"X-CSRFToken": token}).status_code == 201


def test_json_export(client, indicators):
    data = client.get("/api/v1/indicators").get_json()["indicators"]
    assert len(data) == 10
    fia = next(i for i in data if i["slug"] == "fia-local-ocsea-complaints")
    p2021 = next(p for p in fia["points"] if p["period"] == "2021")
    assert (p2021["value"], p2021["alt_value"], p2021["from_brief"]) == (113, 133, True)
    assert "113 cases in year 2021" in p2021["quote"]
    assert fia["other_figures"][0]["value"] == 343
    assert {"GOV-01", "GOV-04"} <= {r["code"] for r in fia["recommendations"]}
    users = next(i for i in data if i["slug"] == "internet-users")
    assert users["points"][0]["value"] == 82.9 and users["kind"] == "context"


def test_openapi_describes_the_indicator_routes(client, app):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/indicators", "/api/v1/indicators/{slug}", "/api/v1/indicators/{slug}/points"} <= set(paths)
    assert paths["/api/v1/recommendations"]  # the rest is still there
