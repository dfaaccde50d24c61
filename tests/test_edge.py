"""The edge: text the database cannot store, too-deep JSON, too-large numbers and hostile query strings are
a clear 4xx on every route (anonymous ones included), and a database error never breaks the error page.

On PostgreSQL these were 500s (it refuses NUL and lone surrogates that SQLite stores); every test here runs on
both databases and checks that nothing stored changed.
"""
import json

import pytest
from sqlalchemy import func, select, text

from tests.conftest import csrf_from
from tracker.auth.models import User
from tracker.digests.models import OutboxMessage, Subscription
from tracker.edge import MAX_JSON_DEPTH, json_depth
from tracker.extensions import db
from tracker.feeds.models import Feed
from tracker.recommendations.models import Recommendation, StatusChange


def stored() -> tuple:
    return (db.session.scalar(select(func.count(StatusChange.id))),
            [(r.code, r.status, r.version) for r in db.session.scalars(select(Recommendation)
                                                                     .order_by(Recommendation.id))],
            db.session.scalar(select(func.count(Feed.id))),
            db.session.scalar(select(func.count(Subscription.id))))


def refused(response, what: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    body = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
    assert "cannot be stored" in body and what in body


@pytest.mark.parametrize("url, where", [
    ("/?q=%00", "query parameter"),
    ("/?q=a%00b&status=stalled", "query parameter"),
    ("/recommendations/%00", "address"),
    ("/recommendations.csv?stakeholder=%00", "query parameter"),
    ("/api/v1/recommendations?q=%00", "query parameter"),
    ("/api/v1/recommendations/LEG%0001", "address"),
    ("/subscribe?stakeholder=%00", "query parameter"),
    ("/login?next=/%00", "query parameter"),
    ("/no-such-page/%00", "address"),
])
def test_nul_in_anonymous_requests_is_a_clear_400(client, seeded, url, where):
    before = stored()
    refused(client.get(url), where)
    assert stored() == before


def test_api_json_with_nul_or_a_lone_surrogate_is_refused(client, seeded, tokens):
    before = stored()
    headers = {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/json"}
    for note, what in (("a\x00b", "NUL"), ("a\ud800b", "surrogate")):
        # json.dumps escapes both (\u0000, \ud800): the body is valid JSON that decodes to unstorable text.
        body = json.dumps({"status": "in_progress", "note": note, "version": 1})
        response = client.post("/api/v1/recommendations/LEG-01/status", data=body, headers=headers)
        refused(response, what)
        assert response.is_json
    body = json.dumps({"status": "in_progress", "note": "fine", "evidence_url": "https://x.example/\u0000",
                       "version": 1})
    refused(client.post("/api/v1/recommendations/LEG-01/status", data=body, headers=headers), "evidence_url")
    assert stored() == before


def test_deeply_nested_json_is_a_400_not_a_recursion_error(client, seeded, tokens):
    headers = {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/json"}
    body = '{"status": "in_progress", "note": ' + "[" * 100_000 + "]" * 100_000 + ', "version": 1}'
    before = stored()
    response = client.post("/api/v1/recommendations/LEG-01/status", data=body, headers=headers)
    assert response.status_code == 400 and "nests more than" in response.get_json()["error"]
    assert stored() == before


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[[[", "b": [1, {"c": "\\"]]"}]}') == 3
    assert json_depth("[" * (MAX_JSON_DEPTH + 1)) == MAX_JSON_DEPTH + 1
    # An unterminated string runs to the end (the scan never restarts inside it: linear, not quadratic).
    assert json_depth('[{"a": "' + '\\"[' * 100_000) == 2


def test_staff_forms_with_nul_are_refused_and_store_nothing(client, seeded, auth):
    auth.login("admin")
    before = stored()
    page = client.get("/staff/recommendations/LEG-01")
    token = csrf_from(page.get_data(as_text=True))
    for field, value in (("note", "Gazetted\x00"), ("evidence_url", "https://gazette.example/\x00x")):
        data = {"status": "in_progress", "note": "Gazetted", "evidence_url": "", "version": "1",
                "csrf_token": token, field: value}
        refused(client.post("/staff/recommendations/LEG-01", data=data), field)
    feeds = client.get("/admin/feeds")
    data = {"url": "https://news.example/feed\x00.xml", "name": "News", "kind": "news", "interval_minutes": "60",
            "csrf_token": csrf_from(feeds.get_data(as_text=True))}
    refused(client.post("/admin/feeds", data=data), "url")
    assert stored() == before


def test_subscribe_form_with_nul_is_refused(client, seeded):
    before = stored()
    token = csrf_from(client.get("/subscribe").get_data(as_text=True))
    response = client.post("/subscribe", data={"email": "a@example.org", "name": "A\x00", "frequency": "daily",
                                                "csrf_token": token})
    refused(response, "name")
    assert stored() == before


def test_a_database_error_is_rolled_back_before_the_error_page_renders(app, client, users, auth):
    def broken():
        db.session.execute(text("SELECT no_such_column FROM no_such_table"))
        return "unreachable"
    app.add_url_rule("/staff/broken", "broken", broken)
    app.add_url_rule("/api/v1/broken", "api_broken", broken)
    auth.login("editor")  # the page then loads the signed-in user: on an aborted transaction that fails
    page = client.get("/staff/broken")
    assert page.status_code == 500
    html = page.get_data(as_text=True)
    assert "request id" in html and page.headers["X-Request-ID"] in html
    assert "editor@ncrc.example.org" in html or "Log out" in html  # the page rendered with the user loaded
    api = client.get("/api/v1/broken")
    assert api.status_code == 500 and "request id" in api.get_json()["error"]
    assert db.session.scalar(select(func.count(User.id))) == 3


@pytest.mark.parametrize("url", [
    "/staff/recommendations?page=99999999999999999999",
    "/staff/recommendations?page=9223372036854775808",
    "/staff/recommendations?stale_days=99999999999",
    "/staff/recommendations?stale_days=0",
    "/admin/digests/preview?subscription=99999999999",
    "/admin/digests/preview?user=-1",
])
def test_integers_too_large_for_the_database_are_a_400(client, seeded, auth, url):
    auth.login("admin")
    response = client.get(url)
    assert response.status_code == 400
    assert "must be a whole number from" in response.get_data(as_text=True)


@pytest.mark.parametrize("method, url", [
    ("post", "/admin/outbox/99999999999/retry"),
    ("post", "/admin/feeds/99999999999/toggle"),
    ("post", "/staff/inbox/99999999999/accept"),
    ("post", "/api/v1/suggestions/99999999999/accept"),
    ("post", "/api/v1/suggestions/2147483648/dismiss"),
])
def test_ids_too_large_for_the_database_are_not_found(client, seeded, tokens, auth, method, url):
    auth.login("admin")
    headers = {"Authorization": f"Bearer {tokens['admin']}"} if url.startswith("/api/") else {}
    response = getattr(client, method)(url, headers=headers)
    assert response.status_code == 404


def test_pages_that_rebuild_their_url_ignore_url_for_keywords_in_the_query(client, seeded, auth, users):
    for query in ("_method=DELETE", "_anchor=x", "_external=1", "endpoint=x", "_scheme=javascript"):
        home = client.get(f"/?{query}&status=stalled")
        assert home.status_code == 200
        # The download link carries the filters on screen and nothing else from the query.
        assert "/recommendations.csv?status=stalled" in home.get_data(as_text=True)
    auth.login("admin")
    listing = client.get("/staff/recommendations?_method=DELETE")
    assert listing.status_code == 200 and "page=2" in listing.get_data(as_text=True)
    preview = client.get(f"/admin/digests/preview?user={users['editor'].id}&_method=DELETE")
    assert preview.status_code == 200


def test_outbox_retry_of_a_sent_message_is_refused_on_the_page(client, seeded, auth):
    sub = Subscription(email="s@example.org", frequency="daily", stakeholders="", state="active", locale="en",
                       name="", last_change_id=0, last_suggestion_id=0, feed_streaks="")
    db.session.add(sub)
    db.session.flush()
    from tracker.db import utcnow
    msg = OutboxMessage(subscription_id=sub.id, kind="digest", period="daily:2026-01-01", recipient=sub.email,
                        subject="s", message="x", message_id="<m@x>", state="sent", next_attempt_at=utcnow(),
                        created_at=utcnow())
    db.session.add(msg)
    db.session.commit()
    auth.login("admin")
    token = csrf_from(client.get("/admin/outbox").get_data(as_text=True))
    response = client.post(f"/admin/outbox/{msg.id}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "Only failed or uncertain messages can be sent again." in response.get_data(as_text=True)
    assert db.session.get(OutboxMessage, msg.id).state == "sent"
