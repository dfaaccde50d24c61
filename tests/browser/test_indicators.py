"""The indicator chart in Chromium at 1280 and 390 px (screenshots kept), and axe-core on the pages."""
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tracker.extensions import db
from tracker.indicators.seeding import load_indicators_file, seed_indicators

pytestmark = pytest.mark.browser
PAGES = ["/indicators", "/indicators/fia-local-ocsea-complaints", "/indicators/cybertipline-reports-pakistan",
         "/recommendations/GOV-01"]


@pytest.fixture
def site(seeded, users, live_server):
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    return live_server


@pytest.fixture
def shots(tmp_path) -> Path:
    """Screenshots go to TRACKER_SCREENSHOTS when set (to look at them), else the test's own folder."""
    folder = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chart_geometry(p):
    """The chart's box on screen, and every label's box inside the SVG's own drawing area."""
    return p.evaluate("""() => {
        const svg = document.querySelector('svg.ind-chart-svg');
        const box = svg.getBoundingClientRect();
        const vb = svg.viewBox.baseVal;
        const texts = [...svg.querySelectorAll('text')].map(t => {
            const b = t.getBBox(); const r = t.getBoundingClientRect();
            return {text: t.textContent, x: b.x, right: b.x + b.width, px: r.height};
        });
        return {width: box.width, left: box.left, right: box.right, vbWidth: vb.width, texts,
                bars: svg.querySelectorAll('rect.bar').length,
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
    }""")


def check_chart(p, viewport_width):
    g = chart_geometry(p)
    assert g["bars"] == 2
    assert g["overflow"] <= 1, "the page scrolls sideways"
    assert 0 <= g["left"] and g["right"] <= viewport_width
    for t in g["texts"]:  # no label is cut off by the edge of the drawing
        assert t["x"] >= -0.5 and t["right"] <= g["vbWidth"] + 0.5, t
        assert t["px"] >= 10, f"label {t['text']!r} is too small to read at {viewport_width} px"
    values = [t["text"] for t in g["texts"]]
    assert "113 / 133" in values and "187" in values


def test_chart_at_1280(page, site, shots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/indicators/fia-local-ocsea-complaints")
    chart = page.get_by_role("img", name="Local complaints of online child sexual exploitation and abuse to the FIA")
    assert chart.is_visible()
    check_chart(page, 1280)
    page.screenshot(path=str(shots / "indicator-1280.png"), full_page=True)


def test_chart_at_390(phone, site, shots):
    phone.goto(site + "/indicators/fia-local-ocsea-complaints")
    check_chart(phone, 390)
    assert phone.get_by_role("table").is_visible()
    phone.screenshot(path=str(shots / "indicator-390.png"), full_page=True)
    phone.goto(site + "/indicators")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    phone.screenshot(path=str(shots / "indicators-index-390.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violations(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)  # to inject axe
    try:
        p = context.new_page()
        axe = Axe()
        for path in PAGES:
            p.goto(site + path)
            results = axe.run(p)
            assert results.violations_count == 0, f"{path} at {width} px:\n{results.generate_report()}"
    finally:
        context.close()


def test_staff_adds_a_point_with_the_keyboard_form(page, site):
    from tests.conftest import PASSWORD
    page.goto(site + "/login")
    page.get_by_label("E-mail").fill("editor@ncrc.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/indicators/fia-ocsea-firs")
    page.get_by_role("link", name="Add a data point").click()
    page.get_by_label("Period").fill("2023")
    page.get_by_label("Value").fill("seventy")
    page.get_by_label("Source title").fill("FIA annual report 2023")
    page.get_by_label("Source link").fill("https://www.fia.gov.pk/report")
    page.get_by_role("button", name="Add data point").click()
    assert page.get_by_role("alert").filter(has_text="must be a number").is_visible()
    page.get_by_label("Value").fill("71")
    page.get_by_role("button", name="Add data point").click()
    assert page.get_by_text("Recorded 2023: 71.").is_visible()
    assert page.locator("svg.ind-chart-svg rect.bar").count() == 3
