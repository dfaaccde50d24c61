"""Bad input to /api/v1 gets a specific 4xx `{"error": ...}` and changes nothing, on SQLite and PostgreSQL
(which refuses NUL characters and integers beyond its `integer` that SQLite would have stored)."""
import json

from sqlalchemy import func, select

from tests.api.test_suggestions_api import bearer, suggestion  # noqa: F401
from tracker.extensions import db
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation, StatusChange

GOOD = {"status": "implemented", "note": "Gazetted", "version": 1}
HUGE = 2**63  # beyond PostgreSQL's bigint, let alone its integer


def state():
    return ([(r.code, r.status, r.version) for r in db.session.scalars(select(Recommendation))],
            db.session.scalar(select(func.count(StatusChange.id))),
            sorted(db.session.scalars(select(Suggestion.state))))


STATUS_BODIES = [
    ({**GOOD, "version": HUGE}, "version: must be a whole number from 0 to 2147483647"),
    ({**GOOD, "version": -1}, "version: must be a whole number"),
    ({**GOOD, "version": "1"}, "version: Not a valid integer"),
    ({**GOOD, "version": True}, "version: Not a valid integer"),
    ({**GOOD, "version": 1.5}, "version: Not a valid integer"),
    ({**GOOD, "status": 7}, "status: Not a valid string"),
    ({**GOOD, "status": "done\x00"}, "NUL"),
    ({**GOOD, "note": ["a"]}, "note: Not a valid string"),
    ({**GOOD, "note": "a\x00b"}, "NUL"),
    ({**GOOD, "note": "a\ud800b"}, "unpaired surrogate"),
    ({**GOOD, "evidence_url": "https://example.org/\x00"}, "NUL"),
    ({**GOOD, "evidence_url": 5}, "evidence_url: Not a valid string"),
    ({"note": "x", "version": 1}, "status: Missing data for required field"),
    ({"status": "implemented", "version": 1}, "note: Missing data for required field"),
    ("a string", "Send a JSON object"),
    (None, "Send a JSON object"),
    (42, "Send a JSON object"),
]


# One test per group, its cases in a loop: the register is seeded once per group, not once per case.
def test_bad_status_change_bodies_are_400(client, seeded, tokens):
    before = state()
    for body, words in STATUS_BODIES:
        response = client.post("/api/v1/recommendations/GOV-01/status", headers=bearer(tokens["editor"]),
                               data=json.dumps(body), content_type="application/json")
        assert response.status_code == 400, (body, response.get_json())
        assert words in response.get_json()["error"], body
    assert state() == before


UNPARSEABLE = [
    ("{not json", "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "levels deep"),
    (b'{"note": "\xff"}', "not valid JSON"),
]


def test_unparseable_bodies_are_400(client, seeded, tokens):
    before = state()
    for raw, words in UNPARSEABLE:
        response = client.post("/api/v1/recommendations/GOV-01/status", headers=bearer(tokens["editor"]),
                               data=raw, content_type="application/json")
        assert response.status_code == 400, raw[:20]
        assert words in response.get_json()["error"], raw[:20]
    assert state() == before


BAD_READS = [
    ("/api/v1/recommendations/%00", 400, "NUL"),
    ("/api/v1/recommendations/LEG-01%00", 400, "NUL"),
    ("/api/v1/recommendations?q=%00", 400, "NUL"),
    ("/api/v1/recommendations?q=" + "x" * 201, 400, "q: too long"),
    ("/api/v1/recommendations?status=%00", 400, "NUL"),
    ("/api/v1/recommendations/" + "A" * 5000, 404, "No recommendation"),
]


def test_bad_reads_are_4xx(client, seeded):
    for url, status, words in BAD_READS:
        response = client.get(url)
        assert response.status_code == status, url[:60]
        assert words in response.get_json()["error"], url[:60]


IMPOSSIBLE_IDS = [
    f"/api/v1/suggestions/{HUGE}/accept", f"/api/v1/suggestions/{2**31}/dismiss", "/api/v1/suggestions/0/accept",
    "/api/v1/suggestions/-1/dismiss", "/api/v1/suggestions/9999/accept", "/api/v1/suggestions/x/accept",
]


def test_suggestion_ids_that_cannot_exist_are_404(client, suggestion, tokens):  # noqa: F811
    before = state()
    for url in IMPOSSIBLE_IDS:
        response = client.post(url, headers=bearer(tokens["editor"]))
        assert response.status_code == 404, url
        assert response.get_json()["error"], url
    assert state() == before


ACCEPT_BODIES = [
    ({"status": "done"}, "Unknown status 'done'"),
    ({"note": 5}, "note: Not a valid string"),
    ({"note": "\x00"}, "NUL"),
    (["accept"], "Send a JSON object"),
]


def test_bad_accept_bodies_are_400(client, suggestion, tokens):  # noqa: F811
    before = state()
    for body, words in ACCEPT_BODIES:
        response = client.post(f"/api/v1/suggestions/{suggestion}/accept", headers=bearer(tokens["editor"]),
                               json=body)
        assert response.status_code == 400, body
        assert words in response.get_json()["error"], body
    assert state() == before


def test_suggestion_state_filter_refuses_nul(client, suggestion, tokens):  # noqa: F811
    response = client.get("/api/v1/suggestions?state=pending%00", headers=bearer(tokens["editor"]))
    assert response.status_code == 400 and "NUL" in response.get_json()["error"]  # refused at the edge


def test_a_body_that_is_not_sent_as_json_is_400(client, seeded, tokens):
    response = client.post("/api/v1/recommendations/GOV-01/status", headers=bearer(tokens["editor"]),
                           data={"status": "implemented", "note": "x", "version": "1"})
    assert response.status_code == 400 and "Content-Type: application/json" in response.get_json()["error"]


def test_unknown_body_keys_are_ignored_as_before(client, seeded, tokens):
    response = client.post("/api/v1/recommendations/GOV-01/status", headers=bearer(tokens["editor"]),
                           json={**GOOD, "comment": "extra"})
    assert response.status_code == 200 and response.get_json()["status"] == "implemented"


def test_empty_filters_mean_any(client, seeded):
    everything = client.get("/api/v1/recommendations").get_json()["count"]
    assert client.get("/api/v1/recommendations?status=&stakeholder=&q=").get_json()["count"] == everything
