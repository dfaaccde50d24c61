import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation, StatusChange


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def suggestion(seeded):
    feed = Feed(name="Dawn", url="https://www.dawn.com/feeds/latest-news/", kind="news")
    db.session.add(feed)
    db.session.flush()
    entry = Entry(feed_id=feed.id, dedup_key="guid:1", guid="1", link="https://www.dawn.com/news/1",
                  title="Senate passes child online abuse bill", text="The Senate passed the bill.",
                  content_hash="x", published=utcnow())
    db.session.add(entry)
    db.session.flush()
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    s = Suggestion(entry_id=entry.id, recommendation_id=rec.id, score=0.93, proposed_status="in_progress",
                   stage="passed_second_house", rationale="Bill title and 'Senate passed'", highlights="4:10")
    db.session.add(s)
    db.session.commit()
    return s.id


def test_list_suggestions_shape(client, suggestion, tokens):
    data = client.get("/api/v1/suggestions?state=pending", headers=bearer(tokens["editor"])).get_json()
    [s] = data["suggestions"]
    assert set(s) >= {"id", "state", "score", "proposed_status", "rationale", "recommendation", "entry"}
    assert s["recommendation"]["code"] == "LEG-01"
    assert set(s["entry"]) >= {"title", "link", "published", "feed"} and s["entry"]["feed"] == "Dawn"


def test_suggestions_need_staff(client, suggestion, tokens):
    assert client.get("/api/v1/suggestions").status_code == 401
    assert client.post(f"/api/v1/suggestions/{suggestion}/accept",
                       headers=bearer(tokens["viewer"])).status_code == 403
    bad = client.get("/api/v1/suggestions?state=maybe", headers=bearer(tokens["editor"]))
    assert bad.status_code == 400 and "Unknown state" in bad.get_json()["error"]


def test_accept_records_change_with_entry_as_evidence(client, suggestion, tokens):
    response = client.post(f"/api/v1/suggestions/{suggestion}/accept", headers=bearer(tokens["editor"]))
    assert response.status_code == 200 and response.get_json()["state"] == "accepted"
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    db.session.refresh(rec)
    change = db.session.scalar(select(StatusChange).where(StatusChange.origin == "suggestion"))
    assert rec.status == "in_progress"
    assert change.evidence_url == "https://www.dawn.com/news/1" and "Senate passes" in change.note
    again = client.post(f"/api/v1/suggestions/{suggestion}/accept", headers=bearer(tokens["editor"]))
    assert again.status_code == 409 and "already accepted" in again.get_json()["error"]


def test_accept_with_edited_status_and_note(client, suggestion, tokens):
    response = client.post(f"/api/v1/suggestions/{suggestion}/accept", headers=bearer(tokens["editor"]),
                           json={"status": "partially_implemented", "note": "Checked the Senate record."})
    assert response.status_code == 200
    change = db.session.scalar(select(StatusChange).where(StatusChange.origin == "suggestion"))
    assert (change.to_status, change.note) == ("partially_implemented", "Checked the Senate record.")


def test_bad_accept_input_changes_nothing(client, suggestion, tokens):
    before = db.session.scalar(select(func.count(StatusChange.id)))
    bad = client.post(f"/api/v1/suggestions/{suggestion}/accept", headers=bearer(tokens["editor"]),
                      json={"status": "done"})
    assert bad.status_code == 400 and "Unknown status" in bad.get_json()["error"]
    missing = client.post("/api/v1/suggestions/9999/accept", headers=bearer(tokens["editor"]))
    assert missing.status_code == 404
    assert db.session.scalar(select(func.count(StatusChange.id))) == before
    assert db.session.get(Suggestion, suggestion).state == "pending"


def test_dismiss(client, suggestion, tokens):
    response = client.post(f"/api/v1/suggestions/{suggestion}/dismiss", headers=bearer(tokens["editor"]))
    assert response.status_code == 200 and response.get_json()["state"] == "dismissed"
    listed = client.get("/api/v1/suggestions?state=dismissed", headers=bearer(tokens["editor"])).get_json()
    assert [s["id"] for s in listed["suggestions"]] == [suggestion]
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    assert rec.status == "stalled"


def test_inbox_page_accept_and_dismiss(client, auth, suggestion):
    auth.login("editor")
    html = client.get("/staff/inbox").get_data(as_text=True)
    assert "Senate passes child online abuse bill" in html and "<mark>Senate</mark>" in html
    assert "Would move to: In progress" in html
    token = csrf_from(html)
    entry_id = db.session.get(Suggestion, suggestion).entry_id
    response = client.post(f"/staff/inbox/items/{entry_id}",
                           data={"csrf_token": token, "action": "dismiss", "shown": suggestion},
                           follow_redirects=True)
    assert "Dismissed" in response.get_data(as_text=True)
    assert "Nothing to review" in response.get_data(as_text=True)
    assert client.post(f"/staff/inbox/items/{entry_id}").status_code == 400  # no CSRF token
