"""The Urdu edition's typeface and layout plumbing: the font build (on a tiny font made here, not the real
one, which takes minutes to subset), its serving and caching, the fallback without it, the language switch
and the mirrored indicator chart."""
import re
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from werkzeug.datastructures import MultiDict

from tracker import typeface
from tracker.language_switch import url_with_lang

URDU_LETTERS = {0x0627: "alef", 0x0628: "beh", 0x06BE: "hehDoachashmee", 0x06F7: "urduSeven", 0x06D4: "fullStop"}
OUTSIDE = {0x0041: "A", 0x0416: "cyrZhe"}  # Latin and Cyrillic: not Urdu, must be dropped


def tiny_font(path: Path) -> Path:
    glyphs = {cp: name for cp, name in {**URDU_LETTERS, **OUTSIDE}.items()}
    order = [".notdef", *glyphs.values()]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(glyphs)
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 500)); pen.lineTo((400, 500)); pen.closePath()
    box = pen.glyph()
    fb.setupGlyf({name: box for name in order})
    fb.setupHorizontalMetrics({name: (500, 100) for name in order})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny Test", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_build_subsets_to_urdu_under_a_hashed_name_with_its_stylesheet(tmp_path):
    fonts = tmp_path / "static" / "fonts"
    stale = fonts / "noto-nastaliq-urdu.000000000000.woff2"
    fonts.mkdir(parents=True)
    stale.write_bytes(b"old build")
    built = typeface.write_font(tiny_font(tmp_path / "tiny.ttf"), fonts)

    assert re.fullmatch(r"noto-nastaliq-urdu\.[0-9a-f]{12}\.woff2", built.name)
    assert not stale.exists(), "an older build is removed, so only the current URL is served"
    with TTFont(str(built)) as font:
        assert font.flavor == "woff2"
        assert set(font.getBestCmap()) == set(URDU_LETTERS)
    css = (fonts / "urdu-font.css").read_text()
    assert f'url("{built.name}") format("woff2")' in css
    assert "font-display: swap" in css and "unicode-range: U+0020, U+00A0, U+0600-06FF" in css
    assert 'local("Noto Nastaliq Urdu")' in css
    # The same input builds the same name: the URL changes only when the font does.
    assert typeface.write_font(tmp_path / "tiny.ttf", fonts) == built


def test_unicode_range_covers_urdu_letters_digits_and_punctuation():
    covered = set(typeface._codepoints())
    for text in ("پاکستان بچوں کا تحفظ", "۰۱۲۳۴۵۶۷۸۹", "،؛؟۔", "\u200c\u200f"):
        assert set(map(ord, text)) <= covered, text
    assert ord("A") not in covered  # Latin text on an Urdu page keeps the system font


def test_without_npm_the_build_says_why_and_does_not_fail(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(typeface.shutil, "which", lambda name: None)
    assert typeface.build(tmp_path) is None
    assert "npm not found" in capsys.readouterr().err
    assert not (tmp_path / "static" / "fonts").exists()


@pytest.fixture
def static_dir(app, tmp_path):
    """The app serving a static folder of the test's own, with app.css and a built font in it."""
    folder = tmp_path / "static"
    (folder / "fonts").mkdir(parents=True)
    (folder / "app.css").write_text("body { color: black; }")
    (folder / "favicon.svg").write_text("<svg/>")
    app.static_folder = str(folder)
    return folder


def with_font(folder: Path) -> str:
    name = "noto-nastaliq-urdu.0123456789ab.woff2"
    (folder / "fonts" / name).write_bytes(b"wOF2 test bytes")
    (folder / "fonts" / "urdu-font.css").write_text(typeface.font_face_css(name))
    return name


def test_pages_link_the_font_stylesheet_and_versioned_css_cached_for_a_year(client, static_dir):
    name = with_font(static_dir)
    html = client.get("/login").get_data(as_text=True)  # not "/": the scorecard is cached across apps
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(sheets) == 2 and all("?v=" in s for s in sheets), sheets
    for url in sheets + [f"/static/fonts/{name}"]:
        r = client.get(url)
        r.close()
        assert r.status_code == 200
        assert r.cache_control.max_age == 31536000 and r.cache_control.immutable and r.cache_control.public
    # A new build (other content) changes the URL.
    (static_dir / "app.css").write_text("body { color: darkblue; }")
    assert re.findall(r'href="(/static/app.css[^"]+)"', client.get("/login").get_data(as_text=True))[0] != sheets[0]


def test_unversioned_static_files_keep_revalidation(client, static_dir):
    r = client.get("/static/app.css")
    r.close()
    assert not r.cache_control.immutable and r.cache_control.max_age != 31536000
    again = client.get("/static/app.css", headers={"If-None-Match": r.headers["ETag"]})
    again.close()
    assert again.status_code == 304


def test_without_the_built_font_pages_render_with_system_fonts(client, static_dir):
    r = client.get("/login")
    assert r.status_code == 200
    assert "urdu-font.css" not in r.get_data(as_text=True), sorted(static_dir.rglob("*"))


def test_urdu_pages_preload_the_font_the_stylesheet_names(client, static_dir):
    name = with_font(static_dir)
    html = client.get("/login?lang=ur").get_data(as_text=True)
    preloads = re.findall(r'<link rel="preload"[^>]*>', html)
    # Exactly the URL urdu-font.css resolves to (no ?v=): one download shared by the preload and the @font-face.
    assert preloads == [f'<link rel="preload" href="/static/fonts/{name}" as="font" type="font/woff2" crossorigin>']
    assert html.index('rel="preload"') < html.index('rel="stylesheet"')
    r = client.get(f"/static/fonts/{name}")
    r.close()
    assert r.cache_control.immutable  # the preloaded copy is the one kept a year
    # English pages never fetch the font for the switch's one Urdu word.
    assert 'rel="preload"' not in client.get("/login?lang=en").get_data(as_text=True)


def test_no_preload_without_the_built_font(client, static_dir):
    assert 'rel="preload"' not in client.get("/login?lang=ur").get_data(as_text=True)
    (static_dir / "fonts" / "urdu-font.css").write_text(typeface.font_face_css("noto-nastaliq-urdu.gone.woff2"))
    assert 'rel="preload"' not in client.get("/login?lang=ur").get_data(as_text=True)  # a stale stylesheet


def test_urdu_font_stack_falls_back_to_system_nastaliq_then_naskh():
    css = (Path(__file__).resolve().parents[1] / "static" / "app.css").read_text(encoding="utf-8")
    rule = re.search(r'html:lang\(ur\) body, body \[lang="ur"\] \{ font-family: ([^;]+);', css).group(1)
    stack = [f.strip().strip('"') for f in rule.split(",")]
    assert stack[0] == typeface.FONT_FAMILY and stack[-1] == "sans-serif"
    nastaliq = ["Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting"]
    naskh = ["Noto Naskh Arabic", "Geeza Pro", "Tahoma"]
    assert all(f in stack for f in nastaliq + naskh), stack
    # Every Nastaliq before any Naskh, and every Arabic-script face before the generic ones.
    assert max(stack.index(f) for f in nastaliq) < min(stack.index(f) for f in naskh)
    assert max(stack.index(f) for f in naskh) < stack.index("system-ui")
    assert "font-display: swap" in typeface.font_face_css("x.woff2")


def test_switch_url_keeps_the_path_and_other_arguments():
    args = MultiDict([("stakeholder", "judiciary"), ("status", "stalled"), ("status", "in_progress"),
                      ("lang", "en")])
    assert url_with_lang("/recommendations", args, "ur") == \
        "/recommendations?stakeholder=judiciary&status=stalled&status=in_progress&lang=ur"
    assert url_with_lang("/", MultiDict(), "en") == "/?lang=en"


def test_every_page_has_the_switch_with_the_active_language_marked(client, seeded):
    html = client.get("/recommendations/GOV-01?x=1").get_data(as_text=True)
    switch = html[html.index('<nav class="lang-switch"'):]
    switch = switch[:switch.index("</nav>")]
    assert '<a href="/recommendations/GOV-01?x=1&amp;lang=en" lang="en" hreflang="en" aria-current="true">English' \
        in switch
    assert '<a href="/recommendations/GOV-01?x=1&amp;lang=ur" lang="ur" hreflang="ur">اردو</a>' in switch


@pytest.fixture
def urdu(monkeypatch):
    import tracker
    if "ur" not in tracker.SUPPORTED_LANGUAGES:
        monkeypatch.setattr(tracker, "SUPPORTED_LANGUAGES", [*tracker.SUPPORTED_LANGUAGES, "ur"])
    return {"Accept-Language": "ur"}


def test_urdu_page_is_right_to_left_with_urdu_marked_current(client, seeded, urdu):
    html = client.get("/", headers=urdu).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html
    assert 'lang="ur" hreflang="ur" aria-current="true">اردو' in html


def test_indicator_chart_mirrors_its_shapes_not_its_text(client, seeded, urdu):
    from tracker.extensions import db
    from tracker.indicators.seeding import load_indicators_file, seed_indicators
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    path = "/indicators/fia-local-ocsea-complaints"
    ltr = client.get(path).get_data(as_text=True)
    rtl = client.get(path, headers=urdu).get_data(as_text=True)
    assert "matrix(-1 0 0 1" not in ltr
    width = int(re.search(r'<svg viewBox="0 0 (\d+) ', rtl).group(1))
    assert f'<g transform="matrix(-1 0 0 1 {width} 0)">' in rtl
    ltr_x = [float(x) for x in re.findall(r'<text class="period" x="([\d.]+)"', ltr)]
    rtl_x = [float(x) for x in re.findall(r'<text class="period" x="([\d.]+)"', rtl)]
    assert ltr_x and rtl_x == [pytest.approx(width - x) for x in ltr_x]
    assert "transform" not in re.search(r"<text[^>]*>", rtl).group(0)  # text is placed, never flipped
