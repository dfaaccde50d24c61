"""Issue 13's last gaps: the Atom feeds in Urdu, the CSV downloads (the same bytes in every language), the
e-mail validator's reason in Urdu and English, and the brief's own status notes on Urdu pages."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import feedparser
import pytest
from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from sqlalchemy import select

from tests.conftest import csrf_from
from tests.i18n.test_every_route_urdu import english_left, feed_text_left
from tracker.email_reasons import GENERAL, REASONS, refusal_reason
from tracker.extensions import db
from tracker.indicators.seeding import load_indicators_file, seed_indicators
from tracker.indicators.urdu import indicator_urdu
from tracker.recommendations.models import Recommendation, StatusChange, Stakeholder
from tracker.recommendations.operations import ChangeRequest, change_status
from tracker.recommendations.seeding import SEED_NOTE, quoted_from_brief
from tracker.recommendations.statuses import status_label

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def changed(seeded, users):
    """GOV-01 moved by an editor, with an English note, the date it happened and titled evidence."""
    seed_indicators(db.session, load_indicators_file())
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-01"))
    change_status(db.session, rec, ChangeRequest(status="in_progress", note="Budget for the cyber wing approved",
                                                 evidence_url="https://www.fia.gov.pk/budget", version=rec.version,
                                                 occurred_on=date(2024, 6, 1), evidence_title="FIA budget 2024"),
                  author_id=users["editor"].id)
    db.session.commit()
    return rec


def atom(client, path: str, lang: str) -> ET.Element:
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return ET.fromstring(response.data)


def test_status_feeds_in_urdu_carry_the_catalogue_and_register_urdu(client, changed):
    stakeholder = db.session.scalar(select(Stakeholder).where(Stakeholder.slug == "government"))
    for path, title in (("/feed.atom", "این سی آر سی کی سفارشات"),
                        ("/stakeholders/government/feed.atom", stakeholder.name_ur),
                        ("/recommendations/GOV-01/feed.atom", changed.title_ur)):
        root = atom(client, path, "ur")
        assert root.get(XML_LANG) == "ur"
        assert title in root.find(f"{ATOM}title").text
        entry = root.find(f"{ATOM}entry")
        with force_locale("ur"):
            moved = (status_label("not_assessed"), status_label("in_progress"))
        # (the catalogue's arrow points the way an Urdu line reads)
        assert re.fullmatch(f"GOV-01: {moved[0]} [→←] {moved[1]}", entry.find(f"{ATOM}title").text)
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "xhtml"
        paragraphs = content.find(f"{XHTML}div").findall(f"{XHTML}p")
        # The editor's note as written, marked English; the date in Urdu; the evidence's title and address
        # marked English inside an Urdu paragraph.
        assert paragraphs[0].get(XML_LANG) == "en" and paragraphs[0].text == "Budget for the cyber wing approved"
        assert paragraphs[1].get(XML_LANG) is None and "2024-06-01" in paragraphs[1].text
        spans = paragraphs[2].findall(f"{XHTML}span")
        assert [s.text for s in spans] == ["FIA budget 2024", "https://www.fia.gov.pk/budget"]
        assert all(s.get(XML_LANG) == "en" for s in spans) and paragraphs[2].text.startswith("ثبوت")
        assert feed_text_left(root) == [], path


def test_status_feeds_in_english_are_unchanged(client, changed):
    root = atom(client, "/recommendations/GOV-01/feed.atom", "en")
    assert root.get(XML_LANG) == "en"
    assert root.find(f"{ATOM}title").text == f"GOV-01 {changed.title}"
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "GOV-01: Not assessed → In progress"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "text"
    assert content.text == ("Budget for the cyber wing approved\n\nHappened on 2024-06-01.\n\n"
                            "Evidence: FIA budget 2024 https://www.fia.gov.pk/budget")


def test_the_cookie_chooses_the_feeds_language_too(client, changed):
    client.set_cookie("lang", "ur")
    response = client.get("/feed.atom")
    assert ET.fromstring(response.data).get(XML_LANG) == "ur"
    assert "Cookie" in response.headers.get("Vary", "")  # a shared cache keeps one copy per language


def test_an_urdu_note_in_an_english_feed_is_marked_urdu(client, changed):
    change_status(db.session, changed, ChangeRequest(status="in_progress", note="بجٹ منظور ہو گیا",
                                                     version=changed.version), author_id=None)
    db.session.commit()
    entry = atom(client, "/recommendations/GOV-01/feed.atom", "en").find(f"{ATOM}entry")
    paragraph = entry.find(f"{ATOM}content/{XHTML}div/{XHTML}p")
    assert paragraph.get(XML_LANG) == "ur" and paragraph.get("dir") == "rtl"


def test_indicator_feeds_in_urdu(client, changed):
    slug = "fia-ocsea-firs"
    for path in ("/indicators/feed.atom", f"/indicators/{slug}/feed.atom"):
        root = atom(client, path, "ur")
        assert root.get(XML_LANG) == "ur"
        assert feed_text_left(root) == [], path
    root = atom(client, f"/indicators/{slug}/feed.atom", "ur")
    assert indicator_urdu(slug, "name") in root.find(f"{ATOM}title").text
    entry = root.find(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title").text
    assert indicator_urdu(slug, "name") in title and indicator_urdu(slug, "unit") in title
    paragraphs = entry.find(f"{ATOM}content/{XHTML}div").findall(f"{XHTML}p")
    assert paragraphs[1].text.startswith("ماخذ") and paragraphs[1].find(f"{XHTML}span").get(XML_LANG) == "en"
    english = atom(client, f"/indicators/{slug}/feed.atom", "en")
    assert english.get(XML_LANG) == "en"
    assert english.find(f"{ATOM}entry/{ATOM}content").get("type") == "text"
    assert "Source: " in english.find(f"{ATOM}entry/{ATOM}content").text


@pytest.mark.parametrize("path", ["/recommendations.csv", "/recommendations.csv?stakeholder=government",
                                  "/indicators.csv", "/indicators/fia-ocsea-firs/points.csv"])
def test_csv_downloads_are_the_same_bytes_in_every_language(client, changed, path):
    """Column names and cell values (status values and labels, stakeholder slugs, names) are the download's
    interface: the English register's, whatever the page language (docs/urdu.md, "Downloads")."""
    joiner = "&" if "?" in path else "?"
    english = client.get(f"{path}{joiner}lang=en")
    urdu = client.get(f"{path}{joiner}lang=ur")
    assert english.status_code == urdu.status_code == 200 and urdu.mimetype == "text/csv"
    assert urdu.data == english.data
    assert not re.search("[\u0600-\u06ff]", urdu.get_data(as_text=True))


# ---------------------------------------------------------------- the e-mail validator's reason

BAD_ADDRESSES = {
    "not-an-address": "@ sign between",
    "@example.org": "name before the @",
    "reader@": "domain after the @ sign",
    "reader@example": "must have a period",
    "read..er@example.org": "period or a hyphen",
    "reader@localhost.invalid": "cannot receive",
    "ریڈر@example.org": "Latin letters",
    "read er@example.org": "a space or a comma",
    "Reader <reader@example.org>": "alone",
    "reader@[127.0.0.1]": "bare IP",
    "reader@" + "d" * 250 + ".org": "too long",
    "reader@" + "d" * 64 + ".org": "too long",
}


@pytest.mark.parametrize("address, reason", BAD_ADDRESSES.items())
def test_each_kind_of_refusal_has_its_reason_in_english_and_urdu(app, address, reason):
    with pytest.raises(EmailNotValidError) as refused:
        validate_email(address, check_deliverability=False, allow_smtputf8=False)
    with force_locale("en"):
        assert reason in refusal_reason(refused.value), str(refused.value)
    with force_locale("ur"):
        urdu = refusal_reason(refused.value)
    assert re.search("[\u0600-\u06ff]", urdu) and not re.search("[A-Za-z]", urdu), urdu


def test_every_reason_is_translated(app):
    with force_locale("ur"):
        reasons = [str(reason) for _pattern, reason in REASONS] + [str(GENERAL)]
    assert all(re.search("[\u0600-\u06ff]", r) and not re.search("[A-Za-z]", r) for r in reasons), reasons


def test_subscribe_shows_the_reason_in_urdu_and_english(client, seeded):
    for lang, expected in (("ur", "یہ درست ای میل پتا نہیں ہے: @ سے پہلے نام ہونا چاہیے۔"),
                           ("en", "That is not a valid e-mail address: there must be a name before the @ sign.")):
        page = client.get(f"/subscribe?lang={lang}").get_data(as_text=True)
        response = client.post("/subscribe", data={"email": "@example.org", "frequency": "daily",
                                                   "csrf_token": csrf_from(page)})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and expected in html, lang
        assert "There must be something before" not in html  # the library's own English is never shown
        if lang == "ur":
            assert english_left(html) == []


def test_admin_new_account_form_shows_the_reason(client, users, auth):
    auth.login("admin")
    for lang, expected in (("ur", "@ کے بعد ڈومین ہونا چاہیے۔"), ("en", "there must be a domain after the @ sign")):
        page = client.get(f"/admin/users?lang={lang}").get_data(as_text=True)
        response = client.post("/admin/users", data={"email": "someone@", "name": "", "role": "viewer",
                                                     "password": "a long enough password",
                                                     "csrf_token": csrf_from(page)})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and expected in html, (lang, html[-3000:])
        if lang == "ur":
            assert english_left(html) == []


# ---------------------------------------------------------------- the brief's own status notes

def test_the_briefs_status_note_is_a_marked_quotation_on_urdu_pages(client, seeded, users, auth):
    seed = db.session.scalar(select(StatusChange).join(StatusChange.recommendation)
                             .where(Recommendation.code == "LEG-01", StatusChange.origin == "seed"))
    quote = quoted_from_brief(seed)
    assert quote and quote.startswith("The Bill was passed by the National Assembly")
    assert seed.note == SEED_NOTE.format(quote)  # stored as before: the API's history is unchanged
    pages = ["/recommendations/LEG-01"]
    auth.login("editor")
    pages.append("/staff/recommendations/LEG-01")
    for path in pages:
        html = client.get(f"{path}?lang=ur").get_data(as_text=True)
        item = re.search(r'<li id="change-%d">.*?</li>' % seed.id, html, re.S).group(0)
        assert "جیسا کہ این سی آر سی کے پالیسی بریف میں درج ہے:" in item
        assert f'<blockquote class="brief-quote" lang="en" dir="ltr"><p>{quote}</p></blockquote>' in item
        assert "The policy brief was published in English" not in item and "brief-language" in item
        assert "As stated in" not in item
        assert english_left(html) == [], path
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        item = re.search(r'<li id="change-%d">.*?</li>' % seed.id, english, re.S).group(0)
        assert re.search(r'As stated in the NCRC policy brief:</p>\s*<blockquote class="brief-quote" lang="en" '
                         r'dir="ltr"><p>' + re.escape(quote), item)
        assert "brief-language" not in item


def test_only_an_untouched_seed_note_is_read_as_a_quotation():
    assert quoted_from_brief(StatusChange(origin="seed", note=SEED_NOTE.format("Its words."))) == "Its words."
    assert quoted_from_brief(StatusChange(origin="manual", note=SEED_NOTE.format("Its words."))) is None
    assert quoted_from_brief(StatusChange(origin="seed", note="Something else")) is None
