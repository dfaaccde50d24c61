import csv
import io

from sqlalchemy import select

from tests.conftest import csrf_from
from tracker.extensions import db
from tracker.recommendations.models import Recommendation


def test_scorecard_shows_register_and_progress(client, seeded):
    html = client.get("/").get_data(as_text=True)
    assert "Where things stand" in html and "How progress is weighted" in html
    assert "Legislative Bodies" in html and "LEG-01" in html
    assert "<svg" in html and "cdn" not in html.lower()
    assert 'dir="ltr"' in html


def test_recommendation_page_quotes_the_brief(client, seeded):
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    html = client.get("/recommendations/LEG-01").get_data(as_text=True)
    assert "Stalled" in html and "From the brief" in html
    assert client.get("/recommendations/NOPE-1").status_code == 404
    from markupsafe import escape
    assert str(escape(rec.source_text)) in html


def test_conditional_get_answers_304_until_something_changes(client, seeded, tokens):
    first = client.get("/")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    client.post("/api/v1/recommendations/GOV-01/status", headers={"Authorization": f"Bearer {tokens['editor']}"},
                json={"status": "in_progress", "note": "x", "version": 1})
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_csv_export(client, seeded):
    response = client.get("/recommendations.csv?stakeholder=judiciary")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows and {r["stakeholder"] for r in rows} == {"judiciary"}
    assert all(r["code"].startswith("JUD-") for r in rows)


def test_edit_flow_records_history(client, auth, seeded):
    auth.login("editor")
    page = client.get("/staff/recommendations/GOV-01").get_data(as_text=True)
    response = client.post("/staff/recommendations/GOV-01", data={
        "status": "in_progress", "note": "Cabinet approved posts", "evidence_url": "https://example.org/a",
        "version": "1", "csrf_token": csrf_from(page)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Status of GOV-01 saved" in html and "Cabinet approved posts" in html
    public = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert "Cabinet approved posts" in public and "https://example.org/a" in public


def test_edit_form_errors_are_specific_and_change_nothing(client, auth, seeded):
    auth.login("editor")
    token = csrf_from(client.get("/staff/recommendations/GOV-01").get_data(as_text=True))
    cases = [({"status": "in_progress", "note": ""}, 400, "A note is required"),
             ({"status": "bogus", "note": "x"}, 400, "Unknown status"),
             ({"status": "in_progress", "note": "x", "evidence_url": "javascript:alert(1)"}, 400, "http"),
             ({"status": "in_progress", "note": "x", "version": "9"}, 409, "changed by someone else")]
    for data, code, words in cases:
        response = client.post("/staff/recommendations/GOV-01",
                               data={"version": "1", "csrf_token": token, **data})
        assert response.status_code == code, data
        assert words in response.get_data(as_text=True)
    missing_csrf = client.post("/staff/recommendations/GOV-01", data={"status": "implemented", "note": "x",
                                                                      "version": "1"})
    assert missing_csrf.status_code == 400
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-01"))
    db.session.refresh(rec)
    assert (rec.status, rec.version) == ("not_assessed", 1)


def test_user_text_is_escaped(client, auth, seeded):
    auth.login("editor")
    token = csrf_from(client.get("/staff/recommendations/GOV-01").get_data(as_text=True))
    client.post("/staff/recommendations/GOV-01", data={
        "status": "in_progress", "note": "<script>alert('x')</script>", "version": "1", "csrf_token": token})
    html = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_staff_list_filters_and_stale_signal(client, auth, seeded):
    auth.login("viewer")
    html = client.get("/staff/recommendations?stakeholder=judiciary").get_data(as_text=True)
    assert "JUD-01" in html and "GOV-01" not in html
    from datetime import timedelta
    from tracker.db import utcnow
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "JUD-01"))
    rec.last_changed_at = utcnow() - timedelta(days=200)  # the clock runs from the last recorded change
    db.session.commit()
    stale = client.get("/staff/recommendations?stale_days=100").get_data(as_text=True)
    assert "JUD-01" in stale and "JUD-02" not in stale and "not updated for 200 days" in stale


def test_staff_list_query_count_does_not_grow_with_rows(client, auth, seeded, count_queries):
    auth.login("viewer")
    with count_queries() as few:
        client.get("/staff/recommendations?stakeholder=judiciary")
    with count_queries() as many:
        client.get("/staff/recommendations")
    assert few() == many()


def test_public_pages_are_shareable_staff_pages_are_private(client, auth, seeded):
    public = client.get("/")
    assert public.cache_control.public and public.cache_control.max_age == 60
    assert "Cookie" in public.headers["Vary"]
    again = client.get("/")
    assert again.get_data() == public.get_data()  # served from the render cache, same bytes
    auth.login("editor")
    staff = client.get("/")
    assert staff.cache_control.private and not staff.cache_control.public
    assert "editor@ncrc.example.org" in staff.get_data(as_text=True)
    assert staff.headers["ETag"] != public.headers["ETag"]
    auth.logout()
    after_logout = client.get("/")  # the flash is shown to this person, and not cached for anyone
    assert "You are logged out." in after_logout.get_data(as_text=True)
    assert "You are logged out." not in client.get("/").get_data(as_text=True)
    assert "editor@ncrc.example.org" not in client.get("/").get_data(as_text=True)
