"""Issue 12: what staff and the public met. Each test names the item it proves."""
import csv
import io
import re
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
from sqlalchemy import select

from tests.conftest import csrf_from
from tracker.db import utcnow
from tracker.display import as_quote, linkify
from tracker.extensions import db
from tracker.glossary import load_glossary, mark_abbreviations
from tracker.recommendations import queries
from tracker.recommendations.evidence import describe_evidence, describe_page
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.recommendations.operations import ChangeRequest, InvalidChange, change_status
from tracker.scorecard.charts import status_counts_over_time, timeline
from tracker.scorecard.queries import StatusEvent, Tally


def _rec(code: str) -> Recommendation:
    return db.session.scalar(select(Recommendation).where(Recommendation.code == code))


def _change(code: str, status: str, note: str, **kw) -> StatusChange:
    rec = _rec(code)
    change = change_status(db.session, rec, ChangeRequest(status, note, version=rec.version, **kw), author_id=None)
    db.session.commit()
    return change


# 1. History newest first, numbers that match
def test_history_is_newest_first_with_three_changes(client, seeded, auth):
    for status, note in (("not_started", "first"), ("in_progress", "second"), ("implemented", "third")):
        _change("GOV-01", status, note)
    history = queries.history_of(db.session, _rec("GOV-01"))
    assert [c.note for c in history] == ["third", "second", "first"]
    public = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert public.index("third") < public.index("second") < public.index("first")
    assert '<ol class="history" reversed>' in public  # the newest is numbered 3
    auth.login("viewer")
    staff = client.get("/staff/recommendations/GOV-01").get_data(as_text=True)
    assert staff.index("third") < staff.index("second") < staff.index("first")


# 2. Coverage first, "—" where nothing is assessed
def test_tally_leads_with_coverage_and_dashes_when_nothing_assessed():
    t = Tally()
    t.counts.update(not_assessed=67, implemented=1, in_progress=1)
    assert (t.assessed, t.total) == (2, 69)
    assert t.progress_among_assessed == 62.5  # (1 + .25) / 2
    empty = Tally()
    empty.counts.update(not_assessed=5)
    assert empty.progress_among_assessed is None
    superseded_only = Tally()
    superseded_only.counts.update(superseded=2, not_assessed=1)
    assert superseded_only.assessed == 2 and superseded_only.progress_among_assessed is None


def test_scorecard_headline_and_dash(client, seeded):
    html = client.get("/").get_data(as_text=True)
    card_assessed = db.session.scalar(select(db.func.count()).select_from(Recommendation)
                                      .where(Recommendation.status != "not_assessed",
                                             Recommendation.in_register.is_(True)))
    in_register = db.session.scalar(select(db.func.count()).select_from(Recommendation)
                                    .where(Recommendation.in_register.is_(True)))
    assert f"{card_assessed} of {in_register}" in html and "assessed" in html
    assert "does not mean nothing was done" in html
    judiciary = client.get("/stakeholders/judiciary").get_data(as_text=True)
    assert "0 of" in judiciary and "—" in judiciary


# 3. Dates
def test_dates_not_yet_assessed_brief_and_event(client, seeded):
    html = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert "Not yet assessed" in html and "Last updated" not in html
    seeded_rec = client.get("/recommendations/LEG-01").get_data(as_text=True)
    assert "Status as stated in the brief" in seeded_rec and "From the brief" in seeded_rec
    assert _rec("LEG-01").last_changed_at is None  # set-up is not a change anyone made
    happened = date.today() - timedelta(days=10)
    _change("GOV-01", "in_progress", "Bill passed", occurred_on=happened.isoformat())
    html = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert f'<time datetime="{happened.isoformat()}">' in html and "recorded" in html
    assert _rec("GOV-01").last_changed_at is not None


@pytest.mark.parametrize("value, words", [("2999-01-01", "future"), ("yesterday", "YYYY-MM-DD"),
                                          ("1990-01-01", "before 2000")])
def test_event_date_bad_input_is_specific(seeded, value, words):
    rec = _rec("GOV-01")
    with pytest.raises(InvalidChange, match=words):
        change_status(db.session, rec, ChangeRequest("in_progress", "x", version=rec.version, occurred_on=value),
                      author_id=None)


def test_api_takes_event_date_and_refuses_nul(client, seeded, tokens):
    headers = {"Authorization": f"Bearer {tokens['editor']}"}
    bad = client.post("/api/v1/recommendations/GOV-01/status", headers=headers,
                      json={"status": "in_progress", "note": "a\x00b", "version": 1})
    assert bad.status_code == 400 and "NUL character" in bad.get_json()["error"]  # refused at the edge
    bad_date = client.post("/api/v1/recommendations/GOV-01/status", headers=headers,
                           json={"status": "in_progress", "note": "x", "version": 1, "occurred_on": "31/12/2024"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.get_json()["error"]
    ok = client.post("/api/v1/recommendations/GOV-01/status", headers=headers,
                     json={"status": "in_progress", "note": "x", "version": 1, "occurred_on": "2024-05-02"})
    assert ok.status_code == 200
    history = client.get("/api/v1/recommendations/GOV-01").get_json()["history"]
    assert history[0]["occurred_on"] == "2024-05-02"


def test_stale_clock_starts_at_last_real_change(client, auth, seeded):
    auth.login("viewer")
    rec = _rec("JUD-01")
    rec.last_changed_at = utcnow() - timedelta(days=120)
    rec.updated_at = utcnow()  # a register edit today does not reset the clock
    db.session.commit()
    html = client.get("/staff/recommendations?stale_days=100").get_data(as_text=True)
    assert "JUD-01" in html and "not updated for 120 days" in html


# 4 and 5. Pages of their own, with a chart from the history
def test_stakeholder_and_body_pages(client, seeded):
    _change("JUD-01", "in_progress", "Judges trained")
    html = client.get("/stakeholders/judiciary").get_data(as_text=True)
    assert "<h1>Judicial Bodies</h1>" in html and "JUD-01" in html and 'class="timeline"' in html
    assert client.get("/stakeholders/nobody").status_code == 404
    scorecard = client.get("/").get_data(as_text=True)
    assert 'href="/stakeholders/judiciary"' in scorecard
    rec_page = client.get("/recommendations/GOV-01").get_data(as_text=True)
    body_link = re.search(r'href="(/bodies/[a-z0-9-]+)"', rec_page).group(1)
    body_page = client.get(body_link)
    assert body_page.status_code == 200 and "GOV-01" in body_page.get_data(as_text=True)
    assert client.get("/bodies/no-such-body").status_code == 404


def test_chart_counts_follow_the_history():
    start, today = date(2024, 1, 1), date(2024, 3, 1)
    events = [StatusEvent(1, "stalled", None), StatusEvent(2, "in_progress", date(2024, 2, 1)),
              StatusEvent(2, "implemented", date(2024, 2, 15))]
    points = status_counts_over_time([1, 2, 3], events, start, today)
    assert [p.on for p in points] == [start, date(2024, 2, 1), date(2024, 2, 15), today]
    assert points[0].counts["stalled"] == 1 and points[0].counts["not_assessed"] == 2
    assert points[1].counts["in_progress"] == 1 and points[-1].counts["implemented"] == 1
    chart = timeline([1, 2, 3], events, start, today)
    assert {b.status for b in chart.bands} >= {"stalled", "implemented", "not_assessed"}
    assert all(b.path.startswith("M") and b.path.endswith("Z") for b in chart.bands)


# 6. Evidence
def test_notes_keep_breaks_and_links_are_safe():
    html = str(linkify("Line one\nsee https://example.org/a_(b). <b>x</b>"))
    assert '<a href="https://example.org/a_(b)" rel="nofollow ugc noopener">' in html
    assert "</a>. &lt;b&gt;" in html and "\n" in html
    assert "<a" not in str(linkify("javascript:alert(1) and data:text/html,x"))


def test_describe_page_reads_title_and_publisher():
    page = describe_page(b'<html><head><title> A  title </title><meta property="og:site_name" content="Dawn">'
                         b'</head></html>', "text/html; charset=utf-8")
    assert (page.title, page.publisher) == ("A title", "Dawn")


class _Page(BaseHTTPRequestHandler):
    release = threading.Event()  # the page answers once the test says so: no race, no sleep

    def do_GET(self):
        self.release.wait(timeout=20)
        body = b"<html><head><title>Cabinet approves CCW posts</title></head><body>x</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_page():
    _Page.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/decision"
    _Page.release.set()
    server.shutdown()
    server.server_close()


def test_typed_link_title_is_fetched_in_the_background(client, seeded, tokens, app, loopback_page):
    app.config.update(TRACKER_EVIDENCE_TITLES=True, TRACKER_ALLOW_PRIVATE_FEEDS=True)
    response = client.post("/api/v1/recommendations/GOV-01/status",
                           headers={"Authorization": f"Bearer {tokens['editor']}"},
                           json={"status": "in_progress", "note": "x", "version": 1, "evidence_url": loopback_page})
    assert response.status_code == 200  # answered without waiting for the page
    before = client.get("/recommendations/GOV-01")  # rendered (and cached) before the title is known
    assert "Cabinet approves" not in before.get_data(as_text=True)
    _Page.release.set()
    for thread in app.extensions.get("tracker_evidence_threads", []):
        thread.join(timeout=20)
    db.session.expire_all()
    change = db.session.scalar(select(StatusChange).where(StatusChange.evidence_url == loopback_page))
    assert change.evidence_title == "Cabinet approves CCW posts" and change.evidence_checked_at
    after = client.get("/recommendations/GOV-01", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]  # the cache moved on
    html = after.get_data(as_text=True)
    assert "Cabinet approves CCW posts" in html and "127.0.0.1" in html


def test_describe_evidence_refuses_loopback_without_the_setting(seeded, loopback_page):
    _Page.release.set()
    change = _change("GOV-01", "in_progress", "x", evidence_url=loopback_page)
    assert describe_evidence(db.session, [change.id], allow_private=False) == 0
    assert change.evidence_title is None and change.evidence_checked_at is not None  # tried once


# 7. Atom feeds
@pytest.mark.parametrize("path", ["/feed.atom", "/stakeholders/government/feed.atom",
                                  "/recommendations/GOV-01/feed.atom"])
def test_atom_feeds_are_valid_and_newest_first(client, seeded, path):
    _change("GOV-01", "not_started", "older")
    _change("GOV-01", "in_progress", "newer")
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id and parsed.feed.title and parsed.feed.updated
    assert [e.title for e in parsed.entries][:2] == ["GOV-01: Not started → In progress",
                                                    "GOV-01: Not assessed → Not started"]
    assert all(e.id and e.updated and e.link for e in parsed.entries)
    assert "From the brief" not in response.get_data(as_text=True)


def test_feeds_are_advertised(client, seeded):
    for path, feed in (("/", "/feed.atom"), ("/stakeholders/judiciary", "/stakeholders/judiciary/feed.atom"),
                       ("/recommendations/GOV-01", "/recommendations/GOV-01/feed.atom")):
        html = client.get(path).get_data(as_text=True)
        assert f'rel="alternate" type="application/atom+xml"' in html and f'href="{feed}"' in html
    assert client.get("/stakeholders/nobody/feed.atom").status_code == 404


# 8. Filters and export
def test_unknown_filter_values_are_named(client, seeded, auth):
    page = client.get("/?stakeholder=aliens&status=done")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "There is no stakeholder “aliens”" in html and "There is no status “done”" in html
    csv_response = client.get("/recommendations.csv?stakeholder=aliens")
    assert csv_response.status_code == 400
    api = client.get("/api/v1/recommendations?status=done")
    assert api.status_code == 400 and "done" in api.get_json()["error"]
    auth.login("viewer")
    staff = client.get("/staff/recommendations?body=Nobody")
    assert staff.status_code == 400 and "There is no responsible body “Nobody”" in staff.get_data(as_text=True)


def test_empty_result_offers_clear_filters_and_plurals(client, seeded):
    html = client.get("/?q=zzzzzz").get_data(as_text=True)
    assert "0 recommendations" in html and "Clear filters" in html
    one = client.get("/?q=LEG-01").get_data(as_text=True)
    assert "1 recommendation<" in one.replace("\n", "").replace(" ", "") or "1 recommendation\n" in one


def test_downloads_honour_the_filters_on_screen(client, seeded):
    html = client.get("/?stakeholder=judiciary&status=not_assessed").get_data(as_text=True)
    csv_link = re.search(r'href="(/recommendations\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    json_link = re.search(r'href="(/api/v1/recommendations\?[^"]+)"', html).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).get_data(as_text=True))))
    assert rows and {(r["stakeholder"], r["status"]) for r in rows} == {("judiciary", "not_assessed")}
    data = client.get(json_link).get_json()
    assert data["count"] == len(rows)


def test_staff_search_finds_words_in_notes_and_page_past_end(client, seeded, auth):
    _change("GOV-01", "in_progress", "Spoke with the zanzibarite desk")
    auth.login("viewer")
    html = client.get("/staff/recommendations?q=zanzibarite").get_data(as_text=True)
    assert "GOV-01" in html and "1 recommendation" in html
    public = client.get("/?q=zanzibarite").get_data(as_text=True)
    assert "GOV-01</span>" not in public  # notes are searched by staff only
    past = client.get("/staff/recommendations?page=999")
    assert past.status_code == 302 and past.headers["Location"].endswith("page=2")


# 9. The brief, glossary, quotes
def test_brief_page_glossary_and_quotes(client, seeded):
    html = client.get("/about/brief").get_data(as_text=True)
    assert "Child Online Protection" in html and "National Commission on the Rights of Child" in html
    assert "states no publication date" in html
    for abbr in ("OCSEA", "CSAM", "CCW", "PECA", "PTA", "FIR", "NHRI"):
        assert f'id="abbr-{abbr.lower()}"' in html
    assert 'id="CHI-01"' in html
    rec = client.get("/recommendations/CHI-01").get_data(as_text=True)
    assert 'href="/about/brief#CHI-01"' in rec
    assert "…educate children about online risks" in rec


def test_abbr_on_first_use_only_and_quotes():
    seen: set[str] = set()
    first = str(mark_abbreviations("The FIA and PTA; then FIA again", seen))
    assert first.count("<abbr") == 2 and 'title="Federal Investigation Agency"' in first
    assert "<abbr" not in str(mark_abbreviations("FIA", seen))
    assert str(mark_abbreviations("two FIRs", set())).startswith("two <abbr title=\"First Information Report")
    assert as_quote("educate children") == "…educate children" and as_quote("Parents should") == "Parents should"
    assert len(load_glossary()) >= 7


# 10. Share and print
def test_meta_tags_favicon_and_print(client, seeded):
    html = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert '<meta name="description" content="GOV-01:' in html
    assert 'property="og:title"' in html and 'name="twitter:card"' in html
    assert 'rel="icon" href="/static/favicon.svg"' in html
    with client.get("/static/favicon.svg") as favicon:
        assert favicon.status_code == 200
    assert client.get("/favicon.ico").status_code == 308
    with client.get("/static/app.css") as css:
        assert "@media print" in css.get_data(as_text=True)


# 13. Staff: working through the list
def test_save_and_next_prev_next_and_note_only(client, seeded, auth):
    auth.login("editor")
    page = client.get("/staff/recommendations/GOV-01").get_data(as_text=True)
    before, after = queries.neighbours(db.session, _rec("GOV-01"))
    assert before and after and f'href="/staff/recommendations/{after}"' in page
    assert "version" not in re.sub(r'<input[^>]*>', "", page).lower()
    response = client.post("/staff/recommendations/GOV-01", data={
        "status": "not_assessed", "note": "Asked the FIA; no answer yet", "version": "1", "then": "next",
        "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/recommendations/{after}")
    public = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert "Not assessed → Not assessed" not in public and "status stays Not assessed" in public


def test_edit_link_for_signed_in_staff_only(client, seeded, auth):
    assert 'class="staff-edit"' not in client.get("/recommendations/GOV-01").get_data(as_text=True)
    auth.login("viewer")
    assert 'class="staff-edit" href="/staff/recommendations/GOV-01"' in \
        client.get("/recommendations/GOV-01").get_data(as_text=True)


def test_accepted_suggestion_keeps_the_items_text(seeded, users):
    from tracker.feeds.models import Entry, Feed
    from tracker.matching.models import Suggestion
    from tracker.matching.operations import accept_suggestion
    feed = Feed(name="Dawn", url="https://feeds.example.org/dawn", kind="news")
    db.session.add(feed)
    db.session.flush()
    entry = Entry(feed_id=feed.id, dedup_key="k1", link="https://example.org/story", title="FIA cyber wing expands",
                  text="The full text of the story.", content_hash="h", published=utcnow() - timedelta(days=2))
    db.session.add(entry)
    db.session.flush()
    suggestion = Suggestion(entry_id=entry.id, recommendation_id=_rec("GOV-01").id, score=1.0,
                            proposed_status="in_progress", rationale="r")
    db.session.add(suggestion)
    db.session.flush()
    accept_suggestion(db.session, suggestion.id, user_id=users["editor"].id)
    db.session.commit()
    change = queries.history_of(db.session, _rec("GOV-01"))[0]
    assert (change.evidence_title, change.evidence_publisher) == ("FIA cyber wing expands", "Dawn")
    assert change.evidence_text == "The full text of the story." and change.evidence_published_on
