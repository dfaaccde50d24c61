"""Issue 12 in the browser: what a person sees, at 1280 and 390 px, and axe-core on every page."""
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("TRACKER_SCREENSHOTS", "")) if os.environ.get("TRACKER_SCREENSHOTS") else None

PUBLIC_PAGES = ["/", "/stakeholders/legislature", "/bodies", "/recommendations/LEG-01", "/recommendations/GOV-01",
                "/about/statuses", "/about/brief", "/subscribe", "/login", "/?stakeholder=aliens"]
STAFF_PAGES = ["/staff/recommendations", "/staff/recommendations/GOV-01", "/staff/inbox", "/admin/feeds",
               "/admin/users", "/account", "/admin/outbox"]


def _login(page, base, role="admin"):
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(f"{role}@ncrc.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def _shot(page, name):
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))  # the first screen, what a reader sees first


def test_axe_finds_no_serious_violation_on_public_pages(page, live_server):
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server + path)
        if found := _serious(page):
            problems[path] = found
    assert not problems, problems


def test_axe_finds_no_serious_violation_on_staff_pages(page, live_server):
    _login(page, live_server)
    problems = {}
    for path in STAFF_PAGES:
        response = page.goto(live_server + path)
        assert response.status < 400, path
        if found := _serious(page):
            problems[path] = found
    assert not problems, problems


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(x)) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str):
    return [float(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_focus_ring_has_three_to_one_contrast(page, live_server):
    page.goto(live_server + "/")
    for selector, background in (("main a", "main"), ("header.site a", "header.site")):
        page.focus(selector)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
        bg = page.evaluate(f"""(() => {{ let e = document.querySelector('{background}');
            while (e && getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)') e = e.parentElement;
            return e ? getComputedStyle(e).backgroundColor : 'rgb(255, 255, 255)'; }})()""")
        assert width >= 2, selector
        assert _contrast(_rgb(ring), _rgb(bg)) >= 3, (selector, ring, bg)


def test_scorecard_headline_history_and_chart(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    assert page.get_by_text("of 69").first.is_visible()
    assert page.locator("figure.timeline svg").is_visible()
    _shot(page, "scorecard-1280")
    page.locator("#by-stakeholder").scroll_into_view_if_needed()
    _shot(page, "scorecard-table-1280")
    page.get_by_role("link", name="Legislative Bodies: Parliament and Provincial Assemblies").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Legislative Bodies")
    assert page.locator("figure.timeline").count() == 1
    _shot(page, "stakeholder-1280")
    page.goto(live_server + "/recommendations/LEG-01")
    assert page.get_by_text("From the brief").first.is_visible()
    _shot(page, "recommendation-1280")


def test_phone_keeps_counts_and_status_column(phone, live_server):
    phone.goto(live_server + "/")
    assert phone.locator("table.scorecard ul.counts").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    _shot(phone, "scorecard-390")
    phone.locator("#by-stakeholder").scroll_into_view_if_needed()
    _shot(phone, "scorecard-table-390")
    phone.goto(live_server + "/stakeholders/legislature")
    _shot(phone, "stakeholder-390")
    phone.goto(live_server + "/recommendations/LEG-01")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    _shot(phone, "recommendation-390")
    _login(phone, live_server, "viewer")
    phone.goto(live_server + "/staff/recommendations")
    assert phone.get_by_role("columnheader", name="Status").is_visible()
    assert phone.evaluate("(() => { const t = document.querySelector('table.staff-list');"
                          " return t.scrollWidth - t.parentElement.clientWidth; })()") <= 1  # no sideways scroll
    _shot(phone, "staff-list-390")
    phone.goto(live_server + "/staff/recommendations/GOV-01")
    _shot(phone, "staff-edit-390")


def test_editor_saves_and_moves_to_the_next(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, "editor")
    _shot(page, "staff-list-1280")
    page.goto(live_server + "/staff/recommendations/GOV-01")
    assert page.get_by_role("link", name="Next").is_visible()
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Note (required)").fill("Cabinet approved posts.\nSee https://example.org/decision for details.")
    page.get_by_label("When it happened").fill("2024-05-02")
    page.get_by_role("button", name="Save and next").click()
    assert "GOV-02" in page.url
    assert page.get_by_text("Status of GOV-01 saved").is_visible()
    _shot(page, "staff-edit-1280")
    page.goto(live_server + "/recommendations/GOV-01")
    assert page.get_by_role("link", name="Edit").is_visible()
    link = page.get_by_role("link", name="https://example.org/decision")
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    assert page.locator(".history .note").first.inner_text().count("\n") >= 1  # the line break is kept
    assert page.get_by_text("Happened").first.is_visible()


def test_unknown_filter_named_and_clear_filters(page, live_server):
    page.goto(live_server + "/?stakeholder=aliens")
    assert page.get_by_text("There is no stakeholder “aliens”").is_visible()
    page.goto(live_server + "/?q=zzzzzz")
    page.get_by_role("link", name="Clear filters").first.click()
    assert page.locator("p.result-line").inner_text().startswith("69 recommendations")
