"""Choosing the language: ?lang= (kept in a cookie), the cookie, Accept-Language; and the scorecard cache
never serving one language's rendering to a reader of the other."""
import re
from datetime import datetime, timezone

from flask_babel import refresh

from tracker.display import local_time
from tracker.extensions import db
from tracker.recommendations.models import Recommendation


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_english_by_default(client, seeded):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en" dir="ltr"' in html_tag(page)


def test_lang_parameter_sets_the_language_and_a_cookie_keeps_it(client, seeded):
    first = client.get("/?lang=ur")
    assert 'lang="ur" dir="rtl"' in html_tag(first.get_data(as_text=True))
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("lang=ur") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # A response that sets a cookie is the reader's own: never in a shared cache.
    assert "private" in first.headers["Cache-Control"] and "public" not in first.headers["Cache-Control"]
    # Any other page, no parameter: the cookie decides.
    other = client.get("/about/statuses").get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in html_tag(other) and "جائزہ نہیں لیا گیا" in other
    back = client.get("/recommendations/GOV-03?lang=en")
    assert 'lang="en" dir="ltr"' in html_tag(back.get_data(as_text=True))
    assert 'lang="en" dir="ltr"' in html_tag(client.get("/").get_data(as_text=True))


def test_accept_language_decides_a_first_visit_only(client, seeded):
    page = client.get("/", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in html_tag(page)
    page = client.get("/", headers={"Accept-Language": "fr, en;q=0.5"}).get_data(as_text=True)
    assert 'lang="en"' in html_tag(page)
    client.get("/?lang=en")  # a chosen language outweighs the browser's
    page = client.get("/", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert 'lang="en"' in html_tag(page)


def test_an_unknown_language_is_ignored(client, seeded):
    response = client.get("/?lang=xx")
    assert response.status_code == 200 and 'lang="en"' in html_tag(response.get_data(as_text=True))
    assert "Set-Cookie" not in response.headers
    client.set_cookie("lang", "klingon")
    assert 'lang="en"' in html_tag(client.get("/").get_data(as_text=True))


def test_the_cache_keeps_languages_apart(app, seeded):
    english_reader, urdu_reader = app.test_client(), app.test_client()
    english = english_reader.get("/")
    urdu_reader.set_cookie("lang", "ur")
    urdu = urdu_reader.get("/")  # same URL, same Accept-Language, after the English rendering was cached
    assert 'lang="ur"' in html_tag(urdu.get_data(as_text=True))
    assert 'lang="en"' in html_tag(english_reader.get("/").get_data(as_text=True))  # and the reverse
    assert english.headers["ETag"] != urdu.headers["ETag"]
    for response in (english, urdu):
        vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
        assert {"cookie", "accept-language"} <= vary
    # Revalidating the English copy as an Urdu reader is not a 304: the Urdu page comes back.
    again = urdu_reader.get("/", headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 200 and 'lang="ur"' in html_tag(again.get_data(as_text=True))
    assert urdu_reader.get("/", headers={"If-None-Match": urdu.headers["ETag"]}).status_code == 304
    by_header = app.test_client().get("/", headers={"Accept-Language": "ur"})
    assert 'lang="ur"' in html_tag(by_header.get_data(as_text=True))
    assert app.test_client().get("/recommendations/GOV-03", headers={"Accept-Language": "ur"}).headers["ETag"] != \
        app.test_client().get("/recommendations/GOV-03").headers["ETag"]


def test_dates_in_pakistan_time_for_the_language(app, client):
    moment = datetime(2026, 11, 5, 10, 3, tzinfo=timezone.utc)  # 15:03 in Karachi
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context outlives this request context: choose again
        assert local_time(moment) == "05 Nov 2026, 15:03 PKT"
    with app.test_request_context("/?lang=ur"):
        refresh()
        assert local_time(moment) == "5 نومبر 2026، 15:03 پاکستانی وقت"
    with app.test_request_context("/"):
        refresh()
        assert local_time(moment, "%Y-%m-%d %H:%M") == "2026-11-05 15:03 PKT"  # CLI tables: as given


def test_recommendation_page_in_urdu_marks_the_translation_and_quotes_the_brief(client, seeded):
    rec = db.session.scalar(db.select(Recommendation).where(Recommendation.code == "GOV-18"))
    page = client.get("/recommendations/GOV-18?lang=ur").get_data(as_text=True)
    h1 = re.search(r"<h1>.*?</h1>", page, re.S).group(0)
    assert rec.title_ur in h1 and 'class="translation" lang="ur">ترجمہ<' in h1 and rec.title not in h1
    assert f"<title>GOV-18 {rec.title_ur}" in page
    quote = re.search(r'<blockquote class="source"[^>]*>', page).group(0)
    assert 'lang="en"' in quote and 'dir="ltr"' in quote
    assert "پالیسی بریف انگریزی میں شائع ہوا تھا" in page
    assert rec.stakeholder.name_ur in page
    english = client.get("/recommendations/GOV-18?lang=en").get_data(as_text=True)
    assert rec.title in english and rec.title_ur not in english and "ترجمہ" not in english


def test_scorecard_in_urdu_lists_urdu_titles_and_stakeholders(client, seeded):
    page = client.get("/?lang=ur").get_data(as_text=True)
    for code in ("GOV-18", "GOV-19", "GOV-20", "GOV-21", "GOV-22", "INT-06"):
        rec = db.session.scalar(db.select(Recommendation).where(Recommendation.code == code))
        assert rec.title_ur and rec.title_ur in page
    assert "حکومت اور قانون نافذ کرنے والے ادارے" in page
