"""Every page, with Urdu chosen, shows no English UI string.

The routes come from `app.url_map`, so a new route cannot be forgotten: each GET endpoint is either walked
here (with ids from seeded data, as a reader, as an editor and as an admin) or listed in SKIPPED with the
reason. POST-only endpoints are actions that redirect to a page walked here; the form errors they show are
walked by posting bad input.

A page is read as a person sees it: its visible text nodes and the attributes a reader meets (title,
aria-label, placeholder, alt, a button's value), leaving out what is marked `lang="en"` on purpose (the
brief's quotations, proper names and titles of English sources, URLs, e-mail addresses, staff notes).
Any run of Latin letters left is English, unless it is in the short ALLOWED list below.

The Atom feeds are walked too, as XML: the text elements a feed reader shows (titles, subtitle, author,
content), outside what carries `xml:lang="en"` (a staff note, a source's title, an address). The CSV
downloads are walked and must be the English download byte for byte: their column names and values are an
interface (docs/urdu.md, "Feeds and downloads").
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from tests.conftest import csrf_from
from tests.matching import factories
from tracker.db import utcnow
from tracker.digests.models import Subscription, Token
from tracker.digests.operations import hash_token
from tracker.extensions import db
from tracker.indicators.models import Indicator, IndicatorPoint
from tracker.indicators.seeding import load_indicators_file, seed_indicators
from tracker.recommendations.models import Recommendation
from tracker.recommendations.operations import ChangeRequest, change_status
from tracker.recommendations.queries import body_slug

# Acronyms and format names kept in Latin letters in Urdu text (as Urdu writers do), and nothing else.
ALLOWED = {
    "NCRC", "PECA", "PTA", "NCCIA", "FIA", "API", "RSS", "Atom", "CSV", "JSON", "HTML", "PDF", "CSS", "URL",
    "HTTP", "SMTP", "ID", "href", "http", "https", "YYYY", "MM", "DD",
}
# A recommendation's code (LEG-01), shown as is everywhere.
CODE = re.compile(r"^[A-Z]{2,4}-\d{2}$")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

# GET endpoints not walked, each with its reason.
SKIPPED = {
    "static": "files (CSS, fonts, the favicon)",
    "scorecard.favicon": "a file",
    "health.healthz": "a JSON probe for the load balancer",
    "health.readyz": "a JSON probe for the load balancer",
    "digests.preview_html": "an e-mail as its recipient gets it, in the recipient's language "
                            "(Urdu e-mails: tests/digests/test_urdu.py)",
}
# Walked as Atom XML (feed_text_left) and as CSV (the English bytes), not as HTML pages.
FEEDS = {"scorecard.feed", "scorecard.recommendation_feed", "scorecard.stakeholder_feed", "indicators.feed",
         "indicators.indicator_feed"}
DOWNLOADS = {"scorecard.recommendations_csv", "indicators.all_csv", "indicators.points_csv"}
SKIPPED_PREFIXES = {"api.": "the JSON API (its Urdu is `translations`, tests/i18n/test_api_urdu.py)",
                    "indicators_api.": "the JSON API"}


# A value quoted back to the reader in “…” (what they typed, a source's name) is theirs, not the UI's; a
# query parameter (?user=ID) is part of an address; <title> cannot mark an e-mail address as English.
QUOTED = re.compile(r"“[^”]*”")
QUERY_PARAMETER = re.compile(r"\?[a-z_]+=[A-Za-z0-9_]*")
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")


def english_left(html: str) -> list[str]:
    """Latin-letter runs a reader of the Urdu page would see, outside what is marked lang="en"."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, [lang=en], [hidden]"):
        node.decompose()
    found = []
    title = tree.head.css_first("title") if tree.head else None
    texts = [EMAIL.sub("", title.text())] if title else []
    texts += [n.text(deep=False) for n in tree.body.traverse(include_text=False)]
    for node in tree.body.traverse(include_text=False):
        texts += [node.attributes.get(a) or "" for a in VISIBLE_ATTRIBUTES]
        if node.tag == "input" and node.attributes.get("type") in ("submit", "button"):
            texts.append(node.attributes.get("value") or "")
    for text in texts:
        for run in LATIN_RUN.findall(QUERY_PARAMETER.sub("", QUOTED.sub("", text or ""))):
            if run.strip("-_") not in ALLOWED and not CODE.match(run):
                found.append(f"{run!r} in {(text or '').strip()[:90]!r}")
    return found


ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Atom elements whose text a feed reader shows (ids, dates, links and the generator are for machines).
ATOM_TEXT = {f"{{{ATOM_NS}}}{t}" for t in ("title", "subtitle", "summary", "content", "rights", "name")}


def feed_text_left(root: ET.Element) -> list[str]:
    """Latin-letter runs a reader of the Urdu feed would see, outside what carries xml:lang="en"."""
    texts: list[str] = []

    def visit(element: ET.Element, lang: str | None, shown: bool) -> None:
        lang = element.get(XML_LANG, lang)
        if lang == "en":
            return
        shown = shown or element.tag in ATOM_TEXT or element.tag.startswith(f"{{{XHTML_NS}}}")
        if shown:
            texts.append(element.text or "")
        for child in element:
            visit(child, lang, shown)
            if shown:
                texts.append(child.tail or "")

    visit(root, None, False)
    found = []
    for text in texts:
        for run in LATIN_RUN.findall(QUOTED.sub("", text)):
            if run.strip("-_") not in ALLOWED and not CODE.match(run):
                found.append(f"{run!r} in {text.strip()[:90]!r}")
    return found


@pytest.fixture
def world(seeded, users):
    """Seeded data every route with an id can be given: the register, the indicators, a news item with
    suggestions, a subscription with its links, an outbox message, a retired recommendation."""
    seed_indicators(db.session, load_indicators_file())
    entry = factories.item()
    now = utcnow()
    sub = Subscription(email="reader@example.org", frequency="daily", stakeholders="parents", state="active",
                       locale="ur", name="", created_at=now, last_change_id=0, last_suggestion_id=0,
                       feed_streaks="")
    db.session.add(sub)
    db.session.flush()
    tokens = {}
    for purpose in ("confirm", "unsubscribe"):
        raw = f"{purpose}-token-for-the-route-walk-0123456789"
        db.session.add(Token(subscription_id=sub.id, purpose=purpose, token_hash=hash_token(raw), created_at=now,
                             expires_at=now + timedelta(days=7), frequency="weekly", stakeholders="parents",
                             locale="ur"))
        tokens[purpose] = raw
    # A change the feeds carry: an English note, the date it happened, titled evidence.
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    change_status(db.session, rec, ChangeRequest(status="in_progress", note="Bill reintroduced in the NA",
                                                 evidence_url="https://na.gov.pk/bills/1", version=rec.version,
                                                 occurred_on=date(2024, 6, 1), evidence_title="Bills"),
                  author_id=users["editor"].id)
    db.session.commit()
    point = db.session.scalars(select(IndicatorPoint).join(Indicator).order_by(IndicatorPoint.id)).first()
    feed = factories.feed()
    return {"entry": entry.id, "subscription": sub.id, "tokens": tokens, "feed": feed.id,
            "indicator": point.indicator.slug, "period": point.period, "user": users["editor"].id}


def urls_for(app, world) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Every GET endpoint: the URLs walked for it, or the reason it is skipped."""
    values = {
        # LEG-01 (the bill's stages), GOV-02 (split: the retired page), GOV-18 (a part of it)
        "code": ["LEG-01", "GOV-02", "GOV-18"],
        "slug": None,  # depends on the endpoint, below
        "feed_id": [world["feed"]], "user_id": [world["user"]],
        "period": [world["period"]],
    }
    slugs = {"scorecard.stakeholder": ["parents"], "scorecard.body": [body_slug("PTA")],
             "scorecard.stakeholder_feed": ["legislature"],  # LEG-01 changed in `world`
             "indicators.detail": [world["indicator"]], "indicators.new_point": [world["indicator"]],
             "indicators.correct": [world["indicator"]], "indicators.indicator_feed": [world["indicator"]],
             "indicators.points_csv": [world["indicator"]]}
    extra_query = {"digests.preview": [f"?subscription={world['subscription']}", f"?user={world['user']}", ""],
                   "staff.recommendations": ["", "?status=not_started&stakeholder=parents"],
                   "scorecard.index": ["", "?status=nonsense"],
                   "inbox.index": [""]}
    walked, skipped = {}, {}
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint
        if "GET" not in rule.methods:
            continue
        reason = SKIPPED.get(endpoint) or next((r for p, r in SKIPPED_PREFIXES.items() if endpoint.startswith(p)),
                                               None)
        if reason:
            skipped[endpoint] = reason
            continue
        if endpoint == "digests.confirm":
            urls = [f"/subscribe/confirm/{world['tokens']['confirm']}", "/subscribe/confirm/not-a-valid-token"]
        elif endpoint == "digests.unsubscribe":
            urls = [f"/unsubscribe/{world['tokens']['unsubscribe']}"]
        else:
            args = {}
            for name in rule.arguments:
                args[name] = (slugs[endpoint] if name == "slug" else values[name])[0]
            base = rule.build(args, append_unknown=False)[1]
            urls = [base + q for q in extra_query.get(endpoint, [""])]
            if endpoint in ("scorecard.recommendation", "staff.edit"):
                urls += [rule.build({"code": code}, append_unknown=False)[1] for code in values["code"][1:]]
        walked[endpoint] = urls
    return walked, skipped


def check(client, url: str, problems: list[str], *, expect=(200,)) -> str:
    response = client.get(url, headers={"Accept-Language": "ur"})
    assert response.status_code in expect, f"{url}: {response.status_code}"
    html = response.get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html, url
    problems += [f"{url}: {p}" for p in english_left(html)]
    return html


def check_feed(client, url: str, problems: list[str]) -> None:
    response = client.get(url, headers={"Accept-Language": "ur"})
    assert response.status_code == 200 and response.mimetype == "application/atom+xml", url
    root = ET.fromstring(response.data)
    assert root.get(XML_LANG) == "ur", url
    assert root.find(f"{{{ATOM_NS}}}entry") is not None, f"{url}: no entry to read"
    problems += [f"{url}: {p}" for p in feed_text_left(root)]


def check_download(app, client, url: str) -> None:
    response = client.get(url, headers={"Accept-Language": "ur"})
    assert response.status_code == 200 and response.mimetype == "text/csv", url
    assert response.data == app.test_client().get(url).data, f"{url}: differs from the English download"


def report(problems: list[str]) -> None:
    assert not problems, "English left on Urdu pages:\n" + "\n".join(sorted(set(problems)))


def test_every_route_is_walked_or_skipped_with_a_reason(app, world):
    walked, skipped = urls_for(app, world)
    get_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert set(walked) | set(skipped) == get_endpoints
    assert all(skipped.values())
    # The pages the issue names are walked, not skipped.
    for endpoint in ("scorecard.index", "scorecard.recommendation", "digests.subscribe",
                     "scorecard.status_definitions", "staff.recommendations", "staff.edit", "inbox.index",
                     "auth.users", "feeds.index", "digests.outbox", *FEEDS, *DOWNLOADS):
        assert endpoint in walked


def test_every_page_is_in_urdu_for_readers_staff_and_admins(app, world, client, auth):
    walked, _ = urls_for(app, world)
    problems: list[str] = []
    staff_only = ("staff.", "inbox.", "auth.user", "auth.users", "feeds.", "digests.outbox", "digests.preview",
                  "digests.account", "auth.change_password", "indicators.new_point", "indicators.correct")
    public = {e: urls for e, urls in walked.items() if not e.startswith(staff_only)}
    staff = {e: urls for e, urls in walked.items() if e.startswith(staff_only)}
    client.set_cookie("lang", "ur")
    for endpoint, urls in public.items():
        for url in urls:
            if endpoint in FEEDS:
                check_feed(client, url, problems)
                continue
            if endpoint in DOWNLOADS:
                check_download(app, client, url)
                continue
            check(client, url, problems, expect=(404,) if "not-a-valid" in url else (400,) if "nonsense" in url
                  else (200,))
    # As staff: an editor (the admin pages refuse them, in Urdu), then an admin who sees everything.
    auth.login("editor")
    for endpoint, urls in staff.items():
        for url in urls:
            check(client, url, problems, expect=(200, 403, 400))
    auth.logout()
    auth.login("admin")
    for endpoint, urls in staff.items():
        for url in urls:
            check(client, url, problems, expect=(200, 400) if endpoint == "digests.preview" else (200,))
    # The public pages again, logged in: the staff navigation is Urdu too.
    for url in ("/", "/about/statuses"):
        check(client, url, problems)
    report(problems)


def test_error_pages_and_form_errors_are_in_urdu(app, world, client, auth):
    client.set_cookie("lang", "ur")
    problems: list[str] = []
    check(client, "/no-such-page", problems, expect=(404,))
    check(client, "/recommendations/XYZ-99", problems, expect=(404,))
    check(client, "/indicators/no-such-indicator", problems, expect=(404,))
    # Form errors: the subscribe form, the login form, a status change without a note, a new figure.
    page = client.get("/subscribe").get_data(as_text=True)
    for form in ({"email": "not an address", "frequency": "daily"}, {"email": "a@example.org", "frequency": "hourly"},
                 {"email": "", "frequency": "daily", "stakeholder": "nobody"}):
        response = client.post("/subscribe", data={**form, "csrf_token": csrf_from(page)})
        assert response.status_code == 400
        problems += [f"POST /subscribe {form}: {p}" for p in english_left(response.get_data(as_text=True))]
    response = client.post("/subscribe", data={"email": "a@example.org", "frequency": "daily"})  # no CSRF
    problems += [f"POST /subscribe without CSRF: {p}" for p in english_left(response.get_data(as_text=True))]
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": "editor@ncrc.example.org", "password": "wrong password!",
                                           "csrf_token": csrf_from(page)})
    problems += [f"POST /login: {p}" for p in english_left(response.get_data(as_text=True))]
    auth.login("viewer")
    check(client, "/admin/users", problems, expect=(403,))
    auth.logout()
    auth.login("editor")
    page = client.get("/staff/recommendations/LEG-01").get_data(as_text=True)
    response = client.post("/staff/recommendations/LEG-01",
                           data={"status": "in_progress", "note": "", "version": "1", "csrf_token": csrf_from(page)})
    assert response.status_code in (200, 400, 409)
    problems += [f"POST /staff/recommendations/LEG-01: {p}" for p in english_left(response.get_data(as_text=True))]
    page = client.get(f"/staff/indicators/{world['indicator']}/points/new").get_data(as_text=True)
    response = client.post(f"/staff/indicators/{world['indicator']}/points/new",
                           data={"period": "sometime", "value": "many", "csrf_token": csrf_from(page)})
    assert response.status_code in (200, 400)
    problems += [f"POST new point: {p}" for p in english_left(response.get_data(as_text=True))]
    report(problems)


def test_the_feed_checker_finds_english_and_spares_what_is_marked():
    feed = ET.fromstring(
        f'<feed xmlns="{ATOM_NS}" xml:lang="ur"><id>http://x/feed</id><title>سفارشات LEG-01</title>'
        f'<entry><title>Recommendation</title><content type="xhtml"><div xmlns="{XHTML_NS}">'
        f'<p xml:lang="en">A staff note</p><p>ثبوت: <span xml:lang="en">FIA report</span> Evidence</p>'
        f'</div></content></entry></feed>')
    left = " ".join(feed_text_left(feed))
    assert "'Recommendation'" in left and "'Evidence'" in left
    assert "staff" not in left and "FIA" not in left and "LEG" not in left and "http" not in left


def test_the_checker_finds_english_and_spares_what_is_marked():
    page = ('<html lang="ur"><head><title>Scorecard</title></head><body><p>اسکور کارڈ NCRC LEG-01</p>'
            '<blockquote lang="en">The brief says</blockquote><button aria-label="Close">x</button>'
            '<input type="submit" value="Save"><p>“Dawn” ?user=ID</p></body></html>')
    left = " ".join(english_left(page))
    assert "'Scorecard'" in left and "'Close'" in left and "'Save'" in left and "'x'" in left
    assert "NCRC" not in left and "LEG-01" not in left and "brief" not in left
    assert "Dawn" not in left and "user" not in left
