"""The Urdu scorecard's first load and repeat visit, in bytes (run by hand:
`.venv/bin/python bench/urdu_first_load.py`, after `make install` has built the web font).

The app runs under gunicorn on loopback (as in production) with the real register. A first visit fetches
`/?lang=ur`, every stylesheet it links, and the Nastaliq font named in the font's stylesheet (counted
whether or not a given page has Urdu text: the upper bound). A repeat visit is what a browser sends given
the Cache-Control each answer carried: nothing for an answer still fresh, a conditional request (304) for
one that must be revalidated, the full page otherwise.

Assumption about compression: gunicorn sends bodies uncompressed; production sits behind a TLS reverse
proxy that gzips text (nginx `gzip on; gzip_types text/css …`, its default level 1). The figures count
each response's header bytes plus its body gzipped at level 1 for text/html and text/css, and the body as
is for the font (woff2 is already Brotli-compressed; proxies leave it alone). The budget: 250 KB
(250,000 bytes) for the first load.
"""
import gzip
import os
import re
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET = 250_000
COMPRESSED_TYPES = ("text/html", "text/css")


def urdu_app():
    """The app with Urdu among its languages even before its catalogue lands (gunicorn calls this)."""
    import tracker
    if "ur" not in tracker.SUPPORTED_LANGUAGES:
        tracker.SUPPORTED_LANGUAGES.append("ur")
    return tracker.create_app()


@contextmanager
def serving(database_url: str):
    from scorecard_bench import _wait_for_port, free_port
    port = free_port()
    env = dict(os.environ, TRACKER_DATABASE_URL=database_url, TRACKER_SECRET_KEY="bench",
               TRACKER_RATELIMIT_STORAGE="memory://", PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}")
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    with open(ROOT / "bench" / "out" / "gunicorn-urdu.log", "a") as log:
        proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                                 "--log-level", "warning", "urdu_first_load:urdu_app()"], cwd=ROOT, env=env,
                                stdout=log, stderr=log)
        try:
            _wait_for_port(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait()


def header_bytes(response: httpx.Response) -> int:
    status_line = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    return len(status_line) + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2


def wire_bytes(response: httpx.Response) -> tuple[int, int]:
    """(headers, body) as the gzip-ing proxy would send them."""
    body = response.content
    media = response.headers.get("content-type", "").split(";")[0]
    if media in COMPRESSED_TYPES and body:
        body = gzip.compress(body, compresslevel=1)
    return header_bytes(response), len(body)


def linked_resources(base: str, page: httpx.Response) -> list[str]:
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    return [urljoin(str(page.url), s) for s in sheets]


def preloaded_fonts(page: httpx.Response) -> list[str]:
    return [urljoin(str(page.url), u) for u in
            re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page.text)]


def fonts_in(sheet: httpx.Response) -> list[str]:
    return [urljoin(str(sheet.url), u) for u in re.findall(r'url\("([^"]+\.woff2)"\)', sheet.text)]


def fresh_for_a_year(response: httpx.Response) -> bool:
    cc = response.headers.get("cache-control", "")
    match = re.search(r"max-age=(\d+)", cc)
    return bool(match) and int(match.group(1)) >= 365 * 24 * 3600 and "no-cache" not in cc


def repeat_request(client: httpx.Client, url: str, first: httpx.Response) -> tuple[str, int]:
    """What a browser sends on the repeat visit for `url`, and the bytes it costs."""
    if fresh_for_a_year(first):
        return "from cache, no request", 0
    conditional = {}
    if first.headers.get("etag"):
        conditional["If-None-Match"] = first.headers["etag"]
    if first.headers.get("last-modified"):
        conditional["If-Modified-Since"] = first.headers["last-modified"]
    again = client.get(url, headers=conditional)
    head, body = wire_bytes(again)
    return f"{again.status_code} {again.reason_phrase}", head + body


def main() -> None:
    from scorecard_bench import make_database
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/urdu.sqlite3"
        make_database(url, synthetic=0, history=0)
        with serving(url) as base, httpx.Client(headers={"Accept-Language": "ur",
                                                         "Accept-Encoding": "gzip"}) as client:
            page = client.get(base + "/?lang=ur")
            page.raise_for_status()
            lang = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', page.text)
            print(f"Urdu scorecard: {base}/?lang=ur → <html lang={lang.group(1)} dir={lang.group(2)}>")
            first: list[tuple[str, httpx.Response]] = [("HTML /?lang=ur", page)]
            # The page preloads the font it sets its text in: one request, shared with the stylesheet's url().
            preloads = preloaded_fonts(page)
            for font_url in preloads:
                font = client.get(font_url)
                font.raise_for_status()
                first.append((f"font {font_url.removeprefix(base)}", font))
            for sheet_url in linked_resources(base, page):
                sheet = client.get(sheet_url)
                sheet.raise_for_status()
                first.append((f"CSS {sheet_url.removeprefix(base)}", sheet))
                for font_url in fonts_in(sheet):
                    if any(name == f"font {font_url.removeprefix(base)}" for name, _ in first):
                        continue  # preloaded already: the browser uses that copy
                    font = client.get(font_url)
                    font.raise_for_status()
                    first.append((f"font {font_url.removeprefix(base)}", font))
            if not any(name.startswith("font") for name, _ in first):
                print("NOTE: no web font linked (not built: run `make install`); the figures are without it.")
            elif preloads:
                sheets_fonts = {u for n, r in first if n.startswith("CSS") for u in fonts_in(r)}
                shared = set(preloads) <= sheets_fonts
                print(f"Preloaded: {', '.join(u.removeprefix(base) for u in preloads)} "
                      f"({'the URL the stylesheet names: one download' if shared else 'NOT the stylesheet URL: TWO downloads'})")

            print(f"\nFirst visit (headers + body; text gzipped at level 1 as the proxy would):")
            total = 0
            for name, r in first:
                head, body = wire_bytes(r)
                total += head + body
                print(f"  {name:<62} {head:>5} + {body:>8,} B   raw {len(r.content):>8,} B   "
                      f"Cache-Control: {r.headers.get('cache-control', '-')}")
            verdict = "under" if total < BUDGET else "OVER"
            print(f"  {'total':<62} {total:>17,} B   {verdict} the {BUDGET:,} B budget "
                  f"({100 * total / BUDGET:.0f}% of it)")

            print("\nRepeat visit:")
            repeat_total, beyond_html = 0, 0
            for name, r in first:
                if name.startswith("HTML"):
                    again = client.get(str(r.url))
                    head, body = wire_bytes(again)
                    how, cost = f"{again.status_code} (the page itself)", head + body
                else:
                    how, cost = repeat_request(client, str(r.url), r)
                repeat_total += cost
                beyond_html += 0 if name.startswith("HTML") else cost
                print(f"  {name:<62} {cost:>8,} B   {how}")
            # Only the HTML: nothing else is requested (its own size differs from the first visit's by the
            # Set-Cookie header that ?lang=ur sent once).
            html_only = beyond_html == 0
            print(f"  {'total':<62} {repeat_total:>8,} B   "
                  f"{'only the HTML' if html_only else 'MORE than the HTML'}")
            # A browser that revalidates anyway (a reload) gets 304s for the static files, not their bodies.
            print("\nReload (the browser revalidates everything it has):")
            for name, r in first[1:]:
                again = client.get(str(r.url), headers={"If-None-Match": r.headers.get("etag", "")})
                head, body = wire_bytes(again)
                print(f"  {name:<62} {head + body:>8,} B   {again.status_code} {again.reason_phrase}")


if __name__ == "__main__":
    main()
