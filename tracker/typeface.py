"""The Urdu typeface: a Nastaliq web font built by `make install` and served by the service itself.

Building: the OFL-licensed Noto Nastaliq Urdu comes from the Fontsource package on the npm registry
(`npm pack`, no CDN at run time), is subset with fontTools to the Urdu ranges below and written as
`static/fonts/noto-nastaliq-urdu.<hash>.woff2` beside a small stylesheet holding its `@font-face`. Both are
built files (git-ignored). When npm or fontTools is missing the build says why and stops without failing:
the pages then use the reader's own Nastaliq font if it has one (Android ships Noto Nastaliq Urdu), else
the system's Arabic-script font.

Serving: every static URL the templates ask for through `asset_url` carries `?v=<content hash>`, and a
versioned or hashed request is answered with a one-year immutable Cache-Control, so a repeat visit fetches
only the HTML and a new build changes the URL.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from flask import Flask, request, url_for

FONT_PACKAGE = "@fontsource/noto-nastaliq-urdu"
FONT_FAMILY = "Tracker Nastaliq"  # our own name, so local() below is the only way to reach an installed copy
FONT_SOURCE_FILE = "package/files/noto-nastaliq-urdu-arabic-400-normal.woff2"
FONT_STYLESHEET = "fonts/urdu-font.css"
ONE_YEAR = 365 * 24 * 3600

# The whole Arabic-script repertoire Urdu text uses, rather than the characters of a catalogue: letters,
# Urdu (extended Arabic-Indic) digits, Arabic comma/semicolon/question mark/full stop (U+060C, 061B, 061F,
# 06D4), diacritics, the Arabic Supplement letters, the joiners and direction marks (U+200C–200F), the
# ornate parentheses and the honorific ligatures. Latin text on an Urdu page keeps the system font.
URDU_UNICODE_RANGES = [
    (0x0020, 0x0020), (0x00A0, 0x00A0), (0x0600, 0x06FF), (0x0750, 0x077F), (0x200C, 0x200F),
    (0x2010, 0x2011), (0x25CC, 0x25CC), (0xFD3E, 0xFD3F), (0xFDF2, 0xFDF2), (0xFDFA, 0xFDFD),
]


def unicode_range_css() -> str:
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in URDU_UNICODE_RANGES)


def _codepoints() -> list[int]:
    return [cp for a, b in URDU_UNICODE_RANGES for cp in range(a, b + 1)]


def subset_font(source: Path, target: Path) -> None:
    """Keep every layout feature: Nastaliq's cascading joins and dot placement live in GSUB/GPOS lookups
    beyond the default feature list, and dropping them breaks the script's shape."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.hinting = False  # Nastaliq is not hinted for small sizes anyway; saves bytes
    options.name_IDs = ["*"]  # keep the copyright and OFL licence notice the licence asks us to carry
    options.notdef_outline = True
    with subset.load_font(str(source), options) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_codepoints())
        subsetter.subset(font)
        subset.save_font(font, str(target), options)


def font_face_css(font_file: str) -> str:
    return (f"/* Built by `make install` (python -m tracker.typeface build): Noto Nastaliq Urdu, SIL Open "
            f"Font Licence 1.1, subset to Urdu. */\n"
            f"@font-face {{\n  font-family: \"{FONT_FAMILY}\";\n  font-style: normal;\n  font-weight: 400;\n"
            f"  font-display: swap;\n"
            f"  src: local(\"Noto Nastaliq Urdu\"), local(\"NotoNastaliqUrdu-Regular\"), "
            f"url(\"{font_file}\") format(\"woff2\");\n"
            f"  unicode-range: {unicode_range_css()};\n}}\n")


def write_font(source: Path, fonts_dir: Path) -> Path:
    """Subset `source` into fonts_dir under a content-hashed name and write the @font-face stylesheet."""
    fonts_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "font.woff2"
        subset_font(source, built)
        digest = hashlib.sha256(built.read_bytes()).hexdigest()[:12]
        target = fonts_dir / f"noto-nastaliq-urdu.{digest}.woff2"
        for old in fonts_dir.glob("noto-nastaliq-urdu.*.woff2"):
            if old != target:
                old.unlink()
        shutil.copyfile(built, target)
    (fonts_dir / Path(FONT_STYLESHEET).name).write_text(font_face_css(target.name), encoding="utf-8")
    return target


def fetch_with_npm(cache_dir: Path) -> Path | None:
    """The Fontsource tarball, packed by npm into cache_dir (kept, so a second build needs no network)."""
    source = cache_dir / "noto-nastaliq-urdu-arabic-400-normal.woff2"
    if source.exists():
        return source
    npm = shutil.which("npm")
    if not npm:
        print("typeface: npm not found, so the Nastaliq web font is not built; Urdu pages use the reader's "
              "own fonts (install npm and run `make install` again).", file=sys.stderr)
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        packed = subprocess.run([npm, "pack", FONT_PACKAGE, "--silent", "--pack-destination", str(cache_dir)],
                                check=True, capture_output=True, text=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"typeface: `npm pack {FONT_PACKAGE}` failed ({exc}); the web font is not built.",
              file=sys.stderr)
        return None
    tarball = cache_dir / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(FONT_SOURCE_FILE)
        if member is None:
            print(f"typeface: {tarball.name} has no {FONT_SOURCE_FILE}; the web font is not built.",
                  file=sys.stderr)
            return None
        source.write_bytes(member.read())
    tarball.unlink()
    return source


def build(root: Path) -> Path | None:
    try:
        import fontTools  # noqa: F401
        import brotli  # noqa: F401
    except ImportError as exc:
        print(f"typeface: {exc.name} is not installed (pip install 'fonttools[woff]'); the web font is not "
              f"built.", file=sys.stderr)
        return None
    source = fetch_with_npm(root / "build" / "fonts")
    if source is None:
        return None
    target = write_font(source, root / "static" / "fonts")
    print(f"typeface: built static/fonts/{target.name} ({target.stat().st_size:,} bytes, from "
          f"{source.stat().st_size:,})")
    return target


# --- serving ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _content_version(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str | None:
    """The static URL with `?v=<content hash>`, or None when the (built) file does not exist."""
    from flask import current_app

    path = Path(current_app.static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    return url_for("static", filename=filename, v=_content_version(str(path), stat.st_mtime_ns, stat.st_size))


FONT_LANGUAGES = {"ur"}  # pages in these languages are set in the font: worth fetching it before the CSS asks


@lru_cache(maxsize=8)
def _font_file_named_in(path: str, mtime_ns: int, size: int) -> str | None:
    match = re.search(r'url\("([^"/]+\.woff2)"\)', Path(path).read_text(encoding="utf-8"))
    return match.group(1) if match else None


def font_preload_url() -> str | None:
    """On a page set in the font (Urdu), the built font's URL exactly as urdu-font.css names it, so the
    preload and the stylesheet share one download (and its year-long cache); None on other pages or
    without the built font."""
    from flask import current_app
    from tracker.i18n import current_language

    if current_language() not in FONT_LANGUAGES:
        return None
    sheet = Path(current_app.static_folder) / FONT_STYLESHEET
    try:
        stat = sheet.stat()
    except OSError:
        return None
    name = _font_file_named_in(str(sheet), stat.st_mtime_ns, stat.st_size)
    if name is None or not (sheet.parent / name).exists():
        return None
    return url_for("static", filename=f"{Path(FONT_STYLESHEET).parent}/{name}")


def _cache_versioned_assets(response):
    """Versioned static URLs (the `v` argument, or a hashed font file name) never change: cache for a
    year. Unversioned ones keep Flask's revalidation (ETag, 304)."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    filename = (request.view_args or {}).get("filename", "")
    if request.args.get("v") or (filename.startswith("fonts/") and filename.endswith(".woff2")):
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def init_app(app: Flask) -> None:
    app.after_request(_cache_versioned_assets)
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["font_stylesheet"] = lambda: asset_url(FONT_STYLESHEET)
    app.jinja_env.globals["font_preload_url"] = font_preload_url
    from tracker.language_switch import language_links
    app.jinja_env.globals["language_links"] = language_links


if __name__ == "__main__":
    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m tracker.typeface build")
    build(Path(__file__).resolve().parent.parent)
