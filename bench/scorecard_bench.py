"""Scorecard and staff-list benchmark (run by hand: `.venv/bin/python bench/scorecard_bench.py`).

1. The public scorecard with the real register, under concurrent load (wrk) against gunicorn, compared
   with a static file served by the same gunicorn in the same run (the reference), plus the 304
   revalidation path.
2. The staff list with 5,000 synthetic recommendations and 50,000 history rows: latency under load and
   SQL statements per page (which must not grow with the number of rows shown).
Prints ratios, p50/p99 and query counts. Needs Debian's `wrk`.
"""
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
PASSWORD = "benchmark-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_database(url: str, synthetic: int, history: int) -> None:
    from alembic import command
    from sqlalchemy import insert, select

    from tracker import create_app
    from tracker.auth.operations import create_user
    from tracker.db import utcnow
    from tracker.extensions import db
    from tracker.recommendations.models import Recommendation, Stakeholder, StatusChange
    from tracker.recommendations.seeding import load_register_file, seed_register
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
        seed_register(db.session, load_register_file())
        create_user(db.session, "viewer@bench.example.org", PASSWORD, "viewer")
        db.session.commit()
        if not synthetic:
            return
        groups = list(db.session.scalars(select(Stakeholder.id)))
        now = utcnow()
        rng = random.Random(7)
        statuses = ["not_assessed", "not_started", "in_progress", "stalled", "implemented"]
        db.session.execute(insert(Recommendation), [
            {"code": f"SYN-{i:05d}", "position": 1000 + i, "title": f"Synthetic recommendation {i}",
             "source_text": f"Synthetic source text number {i} about child online protection.",
             "keywords": "", "stakeholder_id": rng.choice(groups), "status": rng.choice(statuses),
             "in_register": True, "created_at": now, "updated_at": now - timedelta(days=rng.randint(0, 400)),
             "version": 1} for i in range(synthetic)])
        ids = list(db.session.scalars(select(Recommendation.id)))
        db.session.execute(insert(StatusChange), [
            {"recommendation_id": rng.choice(ids), "from_status": "not_assessed", "to_status": "in_progress",
             "note": f"history row {i}", "origin": "manual", "created_at": now} for i in range(history)])
        db.session.commit()


def staff_query_counts(url: str) -> tuple[int, int]:
    """SQL statements for a staff-list page showing 50 rows and one showing few rows."""
    from sqlalchemy import event

    from tracker import create_app
    from tracker.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"email": "viewer@bench.example.org", "password": PASSWORD})
    counts = []
    with app.app_context():
        engine = db.engine
    # Each request outside any shared app context, as in production: nothing carried between them.
    for path in ("/staff/recommendations", "/staff/recommendations?q=SYN-00001"):
        statements = []
        listener = lambda *a: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.status_code
        counts.append(len(statements))
    return counts[0], counts[1]


@contextmanager
def gunicorn_serving(url: str):
    """The app on a free loopback port against database `url`; yields its base URL."""
    port = free_port()
    env = dict(os.environ, TRACKER_DATABASE_URL=url, TRACKER_SECRET_KEY="bench", TRACKER_RATELIMIT_STORAGE="memory://")
    # One JSON log line per request would drown the figures: the server's output goes to bench/out/.
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    log = open(ROOT / "bench" / "out" / "gunicorn.log", "a")
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", WORKERS, "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "tracker:create_app()"], cwd=ROOT, env=env,
                            stdout=log, stderr=log)
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait()
        log.close()


def _wait_for_port(port: int) -> None:
    """Until the app answers /healthz: an open port only means gunicorn's master is up, and measuring while
    its workers still boot counts their start-up as latency (or, in a short run, nothing at all)."""
    import httpx
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, *headers: str) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def login_cookie(base: str) -> str:
    import httpx
    with httpx.Client(base_url=base) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": "viewer@bench.example.org", "password": PASSWORD, "csrf_token": token})
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def etag_of(base: str, path: str) -> str:
    import httpx
    return httpx.get(base + path).headers["ETag"]


def first_load_bytes(base: str) -> dict[str, int]:
    """What a first visit to the scorecard transfers: the HTML (charts are inline SVG), the CSS, the favicon."""
    import httpx
    html = httpx.get(base + "/")
    sizes = {"html (with inline SVG charts)": len(html.content)}
    for ref in re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html.text):
        sizes[ref] = len(httpx.get(base + ref).content)
    return sizes


def line(name: str, r: dict, ref: dict | None = None) -> str:
    ratio = f"  {r['rps'] / ref['rps']:.2f}x of static" if ref else ""
    return f"{name:<40} {r['rps']:>9.0f} req/s  p50 {r['p50']:>7.2f} ms  p99 {r['p99']:>7.2f} ms{ratio}" + \
        (f"  NON-2xx: {r['errors']}" if r["errors"] else "")


def main() -> None:
    import logging
    logging.getLogger("tracker.request").setLevel(logging.WARNING)  # in-process query counts: no access log
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp())
    real = f"sqlite:///{tmp / 'real.sqlite3'}"
    big = f"sqlite:///{tmp / 'big.sqlite3'}"
    make_database(real, 0, 0)
    make_database(big, 5000, 50000)
    print(f"wrk: {CONNECTIONS} connections, {DURATION}, gunicorn {WORKERS} sync workers, SQLite")
    with gunicorn_serving(real) as base:
        static = wrk(base + "/static/app.css")
        print(line("static file (reference)", static))
        print(line("scorecard / (real register)", wrk(base + "/"), static))
        print(line("scorecard / revalidated (304)", wrk(base + "/", f"If-None-Match: {etag_of(base, '/')}"), static))
        print(line("GET /api/v1/scorecard", wrk(base + "/api/v1/scorecard"), static))
        print(line("stakeholder page (with chart)", wrk(base + "/stakeholders/government"), static))
        print(line("recommendation page", wrk(base + "/recommendations/LEG-01"), static))
        sizes = first_load_bytes(base)
        total = sum(sizes.values())
        print("scorecard first load: " + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sizes.items())
              + f"; total {total / 1024:.1f} KB ({'under' if total < 60 * 1024 else 'OVER'} the 60 KB budget)")
    with gunicorn_serving(big) as base:
        static = wrk(base + "/static/app.css")
        print(line("static file (reference, big db)", static))
        cookie = login_cookie(base)
        print(line("staff list, 5,000 recs / 50,000 history", wrk(base + "/staff/recommendations",
                                                               f"Cookie: {cookie}"), static))
        print(line("staff list, filtered + page 40", wrk(base + "/staff/recommendations?status=stalled&page=20",
                                                      f"Cookie: {cookie}"), static))
    many, few = staff_query_counts(big)
    print(f"SQL statements per staff-list page: {many} (50 rows shown), {few} (1 row shown)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
