"""The Urdu edition's layout in Chromium at 1280 and 390 px: right to left, no sideways scroll, the navigation
starting at the right, the language switch, mirrored charts, and no serious axe-core finding. Screenshots go
to TRACKER_SCREENSHOTS when set (to look at them).

Urdu is chosen by Accept-Language with "ur" among the supported languages of this test's app, so these tests
do not depend on the catalogue: they check the layout, not the words. Elements are found by structure
(names, classes), not by English labels, for the same reason."""
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.indicators.seeding import load_indicators_file, seed_indicators

pytestmark = pytest.mark.browser
PUBLIC = ["/", "/recommendations/GOV-01", "/indicators/fia-local-ocsea-complaints"]
STAFF = ["/staff/recommendations", "/staff/recommendations/GOV-01"]
WIDTHS = [1280, 390]


@pytest.fixture
def site(seeded, users, live_server, monkeypatch):
    import tracker
    if "ur" not in tracker.SUPPORTED_LANGUAGES:
        monkeypatch.setattr(tracker, "SUPPORTED_LANGUAGES", [*tracker.SUPPORTED_LANGUAGES, "ur"])
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    return live_server


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def urdu_context(browser, width):
    phone = width < 600
    return browser.new_context(viewport={"width": width, "height": 900 if not phone else 844},
                               is_mobile=phone, has_touch=phone, bypass_csp=True,  # bypass: to inject axe
                               extra_http_headers={"Accept-Language": "ur"})


def log_in(p, site):
    p.goto(site + "/login")
    p.locator("input[name=email]").fill("editor@ncrc.example.org")
    p.locator("input[name=password]").fill(PASSWORD)
    p.locator("main form button[type=submit]").click()
    p.wait_for_url("**/staff/**")


def layout(p):
    return p.evaluate("""() => {
        const rect = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top}; };
        const items = [...document.querySelectorAll('header.site nav:not(.lang-switch) > ul > li')].map(rect);
        const sw = document.querySelector('nav.lang-switch');
        return {
            dir: document.documentElement.dir, lang: document.documentElement.lang,
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            width: document.documentElement.clientWidth,
            brand: rect(document.querySelector('header.site .brand')), items,
            switchLinks: sw ? [...sw.querySelectorAll('a')].map(a => ({lang: a.lang, text: a.textContent,
                current: a.getAttribute('aria-current'), href: a.getAttribute('href')})) : [],
            tableAlign: [...document.querySelectorAll('main th')].slice(0, 1).map(
                th => getComputedStyle(th).textAlign),
        };
    }""")


def check_rtl_layout(p, path, width):
    g = layout(p)
    assert (g["dir"], g["lang"]) == ("rtl", "ur"), path
    assert g["overflow"] <= 1, f"{path} scrolls sideways at {width} px"
    # The brand and the navigation start at the right edge, and the first item is the rightmost of its row.
    assert g["brand"]["right"] > g["width"] - 40, (path, g["brand"])
    first = g["items"][0]
    same_row = [i for i in g["items"] if abs(i["top"] - first["top"]) < 2]
    assert first["right"] >= max(i["right"] for i in same_row) - 0.5, (path, g["items"])
    assert first["right"] > g["width"] / 2, (path, first)
    # The switch: both languages, each marked with its language, the active one (Urdu) marked as current.
    links = {link["lang"]: link for link in g["switchLinks"]}
    assert set(links) == {"en", "ur"} and links["ur"]["text"] == "اردو", g["switchLinks"]
    assert links["ur"]["current"] == "true" and links["en"]["current"] is None
    assert all(t == "start" for t in g["tableAlign"])  # logical: start is the right in RTL


@pytest.mark.parametrize("width", WIDTHS)
def test_urdu_pages_are_right_to_left_without_overflow_or_axe_findings(browser, site, shots, width):
    context = urdu_context(browser, width)
    try:
        p = context.new_page()
        axe = Axe()
        for path in PUBLIC + ["/login"] + STAFF:
            if path == STAFF[0]:
                log_in(p, site)
            p.goto(site + path)
            check_rtl_layout(p, path, width)
            name = path.strip("/").replace("/", "-") or "scorecard"
            p.screenshot(path=str(shots / f"rtl-{name}-{width}.png"), full_page=True)
            p.screenshot(path=str(shots / f"rtl-{name}-{width}-top.png"))
            results = axe.run(p, options={"resultTypes": ["violations"]})
            serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
            assert not serious, f"{path} at {width} px:\n{results.generate_report()}"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_language_switch_keeps_the_page_and_its_arguments(browser, site, width):
    context = urdu_context(browser, width)
    try:
        p = context.new_page()
        p.goto(site + "/?stakeholder=judiciary")
        english = p.locator("nav.lang-switch a[lang=en]")
        assert english.is_visible()
        english.click()
        p.wait_for_url("**/?stakeholder=judiciary&lang=en")
        urdu = p.locator("nav.lang-switch a[lang=ur]")
        assert urdu.get_attribute("href") == "/?stakeholder=judiciary&lang=ur"
        urdu.click()
        p.wait_for_url("**/?stakeholder=judiciary&lang=ur")
        assert p.locator("html").get_attribute("dir") == "rtl"
    finally:
        context.close()


def test_skip_link_is_first_and_appears_at_the_right(browser, site):
    context = urdu_context(browser, 1280)
    try:
        p = context.new_page()
        p.goto(site + "/")
        p.keyboard.press("Tab")
        box = p.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
            return {cls: a.className, left: r.left, right: r.right, width: document.documentElement.clientWidth}; }""")
        assert box["cls"] == "skip"
        assert box["left"] > box["width"] / 2 and box["right"] <= box["width"], box
        # Then the brand, then the navigation: focus order follows the reading order, right to left.
        p.keyboard.press("Tab")
        assert p.evaluate("document.activeElement.className") == "brand"
    finally:
        context.close()


def test_charts_are_mirrored_and_their_labels_readable(browser, site, shots):
    context = urdu_context(browser, 1280)
    try:
        p = context.new_page()
        p.goto(site + "/")
        transform = p.evaluate("getComputedStyle(document.querySelector('svg.bar')).transform")
        assert transform.startswith("matrix(-1, 0, 0, 1"), transform
        p.goto(site + "/recommendations/GOV-01")  # "← Scorecard" points right, towards the start, in RTL
        arrow = p.evaluate("getComputedStyle(document.querySelector('main .arrow')).transform")
        assert arrow.startswith("matrix(-1, 0, 0, 1"), arrow
        p.goto(site + "/indicators/fia-local-ocsea-complaints")
        g = p.evaluate("""() => {
            const svg = document.querySelector('svg.ind-chart-svg'); const box = svg.getBoundingClientRect();
            const r = el => el.getBoundingClientRect();
            return {left: box.left, right: box.right,
                    bars: [...svg.querySelectorAll('rect.bar')].map(b => ({left: r(b).left, right: r(b).right})),
                    periods: [...svg.querySelectorAll('text.period')].map(t => ({left: r(t).left, right: r(t).right})),
                    values: [...svg.querySelectorAll('text.value')].map(t => ({left: r(t).left, right: r(t).right,
                                                                               text: t.textContent}))};
        }""")
        p.locator("figure.ind-chart").screenshot(path=str(shots / "rtl-indicator-chart-1280.png"))
        for bar, period, value in zip(g["bars"], g["periods"], g["values"]):
            # Bars grow leftwards from the right, the period to their right, the value to their left.
            assert bar["right"] > (g["left"] + g["right"]) / 2
            assert period["left"] >= bar["right"] - 0.5 and period["right"] <= g["right"] + 0.5, (period, bar)
            assert value["right"] <= bar["left"] + 0.5 and value["left"] >= g["left"] - 0.5, (value, bar)
    finally:
        context.close()


def test_urdu_text_is_set_in_the_served_nastaliq_font(browser, site, shots):
    from tracker import typeface
    built = Path(typeface.__file__).resolve().parents[1] / "static" / typeface.FONT_STYLESHEET
    if not built.exists():
        pytest.skip("the web font is not built (make install needs npm): pages use system fonts")
    context = urdu_context(browser, 1280)
    try:
        p = context.new_page()
        fetched = []
        p.on("response", lambda r: fetched.append((r.url, r.headers.get("cache-control"))))
        p.goto(site + "/login")
        p.evaluate("""() => { const s = document.createElement('p'); s.id = 'sample';
            s.textContent = 'بچوں کے آن لائن تحفظ کی سفارشات: ۷۳ میں سے ۲ کا جائزہ لیا گیا۔';
            document.querySelector('main').prepend(s); return document.fonts.ready.then(() => true); }""")
        p.wait_for_function("[...document.fonts].some(f => f.family.includes('Tracker Nastaliq') && f.status === 'loaded')")
        p.locator("#sample").screenshot(path=str(shots / "rtl-nastaliq-sample.png"))
        fonts = [(url, cc) for url, cc in fetched if url.endswith(".woff2")]
        assert len(fonts) == 1 and "/static/fonts/noto-nastaliq-urdu." in fonts[0][0]
        assert "immutable" in fonts[0][1] and "max-age=31536000" in fonts[0][1]
        # The line is tall enough for Nastaliq.
        ratio = p.evaluate("""() => { const s = getComputedStyle(document.getElementById('sample'));
            return parseFloat(s.lineHeight) / parseFloat(s.fontSize); }""")
        assert ratio >= 1.9
    finally:
        context.close()
