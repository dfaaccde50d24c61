"""Public indicator pages, exports, the Atom feed, the staff forms and the recommendation page's partial."""
import csv
import io
import re
import xml.etree.ElementTree as ET

import feedparser
from sqlalchemy import select

from tests.conftest import csrf_from
from tracker.extensions import db
from tracker.indicators.models import IndicatorPoint

ATOM = "{http://www.w3.org/2005/Atom}"


def test_index_lists_every_indicator_with_its_latest_figure(client, indicators):
    html = client.get("/indicators").get_data(as_text=True)
    assert html.count('href="/indicators/') >= 10
    assert "2,030,801" in html and "187" in html and "(2022)" in html and "82.9" in html
    assert "<script" not in html


def test_detail_page_has_chart_table_sources_caution_and_recommendations(client, indicators):
    html = client.get("/indicators/cybertipline-reports-pakistan").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and svg.count('class="bar"') == 3
    assert "<script" not in html and " style=" not in html
    # The brief's own caution on CyberTipline counts.
    assert "These figures are not indicative of the extent of child sexual abuse in any particular country." in html
    for figure in ("1,158,390", "1,288,513", "2,030,801"):
        assert figure in html
    assert "from the brief" in html and "CyberTipline" in html
    assert 'href="/recommendations/ESP-05"' in html and 'href="/recommendations/LEG-03"' in html
    assert 'href="/indicators/cybertipline-reports-pakistan/points.csv"' in html


def test_discrepancy_is_drawn_and_said(client, indicators):
    html = client.get("/indicators/fia-local-ocsea-complaints").get_data(as_text=True)
    assert 'class="bar-alt"' in html and "also given:" in html and "disagrees with itself" in html
    assert "343" in html and "five years" in html


def test_unknown_indicator_is_404_page(client, indicators):
    response = client.get("/indicators/nope")
    assert response.status_code == 404 and "nope" in response.get_data(as_text=True)


def test_recommendation_page_shows_its_indicators(client, indicators):
    html = client.get("/recommendations/GOV-01").get_data(as_text=True)
    assert 'href="/indicators/fia-ocsea-firs"' in html and 'href="/indicators/fia-local-ocsea-complaints"' in html
    # A split part shows the indicators of the item it came from, too (none for GOV-02 here).
    assert client.get("/recommendations/GOV-19").status_code == 200


def test_csv_export(client, indicators):
    response = client.get("/indicators.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 17
    row = next(r for r in rows if r["indicator"] == "fia-local-ocsea-complaints" and r["period"] == "2021")
    assert (row["value"], row["alt_value"], row["from_brief"]) == ("113", "133", "yes")
    one = client.get("/indicators/fia-ocsea-firs/points.csv").get_data(as_text=True)
    assert [r["value"] for r in csv.DictReader(io.StringIO(one))] == ["53", "65"]


def test_atom_feed_is_valid_and_gets_an_entry_when_a_point_is_added(client, indicators, tokens):
    client.post("/api/v1/indicators/fia-ocsea-firs/points", headers={"Authorization": f"Bearer {tokens['editor']}"},
                json={"period": "2023", "value": 80, "source_title": "FIA report",
                      "source_url": "https://www.fia.gov.pk/r"})
    response = client.get("/indicators/feed.atom")
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    newest = parsed.entries[0]
    assert "2023" in newest.title and "80" in newest.title and newest.link == "http://tracker.test/indicators/fia-ocsea-firs"
    # RFC 4287: feed id, title, updated, author; each entry id, title, updated.
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 18
    for entry in entries:
        assert all(entry.find(f"{ATOM}{t}") is not None for t in ("id", "title", "updated"))
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 18
    one = feedparser.parse(client.get("/indicators/fia-ocsea-firs/feed.atom").data)
    assert not one.bozo and len(one.entries) == 3


def test_staff_form_adds_and_corrects_with_history(client, indicators, auth):
    auth.login("editor")
    page = client.get("/staff/indicators/fia-ocsea-firs/points/new")
    token = csrf_from(page.get_data(as_text=True))
    bad = client.post("/staff/indicators/fia-ocsea-firs/points/new",
                      data={"csrf_token": token, "period": "2023", "value": "lots", "source_title": "R",
                            "source_url": "https://fia.gov.pk/r"})
    assert bad.status_code == 400 and "must be a number" in bad.get_data(as_text=True)
    ok = client.post("/staff/indicators/fia-ocsea-firs/points/new",
                     data={"csrf_token": token, "period": "2023", "value": "1,071", "source_title": "R",
                           "source_url": "https://fia.gov.pk/r"})
    assert ok.status_code == 302
    form = client.get("/staff/indicators/fia-ocsea-firs/points/2023/correct").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    no_reason = client.post("/staff/indicators/fia-ocsea-firs/points/2023/correct",
                            data={"csrf_token": token, "period": "2023", "value": "1,017", "source_title": "R",
                                  "source_url": "https://fia.gov.pk/r", "version": version})
    assert no_reason.status_code == 400 and "why" in no_reason.get_data(as_text=True).lower()
    fixed = client.post("/staff/indicators/fia-ocsea-firs/points/2023/correct",
                        data={"csrf_token": token, "period": "2023", "value": "1,017", "source_title": "R2",
                              "source_url": "https://fia.gov.pk/r2", "version": version, "reason": "typo"})
    assert fixed.status_code == 302
    point = db.session.scalar(select(IndicatorPoint).where(IndicatorPoint.period == "2023"))
    assert point.value == 1017 and [r.value for r in point.revisions] == [1071]
    html = client.get("/indicators/fia-ocsea-firs").get_data(as_text=True)
    assert "Corrected (1 earlier values)" in html and "1,071" in html and "typo" in html


def test_staff_forms_need_an_editor(client, indicators, auth):
    assert client.get("/staff/indicators/fia-ocsea-firs/points/new").status_code == 302  # to log in
    auth.login("viewer")
    assert client.get("/staff/indicators/fia-ocsea-firs/points/new").status_code == 403


def test_adding_a_point_changes_the_cached_pages(client, indicators, tokens):
    first = client.get("/recommendations/GOV-01")
    etag = first.headers["ETag"]
    client.post("/api/v1/indicators/fia-ocsea-firs/points", headers={"Authorization": f"Bearer {tokens['editor']}"},
                json={"period": "2025", "value": 90, "source_title": "FIA", "source_url": "https://fia.gov.pk/x"})
    again = client.get("/recommendations/GOV-01", headers={"If-None-Match": etag})
    assert again.status_code == 200 and "(2025)" in again.get_data(as_text=True)
