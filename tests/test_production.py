"""Running it in production: probes, request logs with ids, security headers, the client address behind
TRACKER_PROXIES proxies (rate limits), and shared rate-limit storage required in production."""
import io
import json
import logging

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.conftest import make_app
from tracker.extensions import db
from tracker.request_log import json_handler


def test_healthz_answers_without_a_database(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_the_schema_is_at_the_migrations_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "reachable", "migrations": "current"}


def test_readyz_is_unavailable_when_migrations_are_behind(app, client):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision

    def record(revision):  # the schema is unchanged: only the recorded revision moves
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    record(previous)
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        data = response.get_json()
        assert data["migrations"] == "behind" and data["expected"] == [head] and data["current"] != [head]
    finally:
        record(head)


def test_readyz_is_unavailable_when_the_database_is_unreachable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"


@pytest.fixture
def request_log():
    stream = io.StringIO()
    handler = json_handler(stream)
    logger = logging.getLogger("tracker.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_one_json_log_line_per_request_with_the_request_id(client, seeded, request_log):
    response = client.get("/?status=stalled", headers={"X-Request-ID": "lb-7f3a.1"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.1"
    generated = client.get("/recommendations/NOPE-1", headers={"X-Request-ID": "bad id <script>"})
    assert generated.status_code == 404
    new_id = generated.headers["X-Request-ID"]
    assert new_id != "bad id <script>" and len(new_id) == 32 and new_id.isalnum()
    refused = client.get("/?q=%00", headers={"X-Request-ID": "refused-1"})  # refused at the edge: still logged
    assert refused.status_code == 400 and refused.headers["X-Request-ID"] == "refused-1"
    lines = request_log()
    assert [(entry["request_id"], entry["method"], entry["path"], entry["status"]) for entry in lines] == [
        ("lb-7f3a.1", "GET", "/", 200), (new_id, "GET", "/recommendations/NOPE-1", 404),
        ("refused-1", "GET", "/", 400)]
    assert all(entry["message"] == "request" and entry["duration_ms"] >= 0 for entry in lines)


def test_security_headers_and_hsts_only_for_an_https_base_url(database_url):
    plain = make_app(database_url).test_client().get("/healthz")
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert plain.headers["Referrer-Policy"] == "same-origin"
    csp = plain.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(database_url, TRACKER_BASE_URL="https://tracker.example.org").test_client().get("/healthz")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _limited_app(database_url, proxies: int):
    return make_app(database_url, RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, TRACKER_PROXIES=proxies,
                    TRACKER_SUBSCRIBE_RATE_LIMIT="2 per minute")


def _subscribe(client, n: int, forwarded_for: str) -> int:
    return client.post("/subscribe", data={"email": f"p{n}@example.org", "frequency": "daily"},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_rate_limits_count_each_client_behind_the_trusted_proxy(database_url, seeded, request_log):
    client = _limited_app(database_url, proxies=1).test_client()
    first = [_subscribe(client, i, "203.0.113.1") for i in range(3)]
    other = _subscribe(client, 9, "203.0.113.2")
    assert first == [200, 200, 429] and other == 200
    assert [entry["remote_addr"] for entry in request_log()] == ["203.0.113.1"] * 3 + ["203.0.113.2"]


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(database_url, seeded):
    client = _limited_app(database_url, proxies=0).test_client()
    codes = [_subscribe(client, i, f"198.51.100.{i}") for i in range(3)]
    assert codes == [200, 200, 429]
