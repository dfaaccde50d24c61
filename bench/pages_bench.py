"""Page-source benchmark (run by hand: `.venv/bin/python bench/pages_bench.py`).

Part 1 — 200 page sources × 50 items (an HTML table each) against the RSS poll of the same items, in the
same run and the same database: first poll and unchanged poll. The servers send no ETag, so the unchanged
page is recognised by its content hash and the unchanged feed by its entries' hashes. Sources are spread
over 20 loopback addresses (127.0.0.1–127.0.0.20), because the poller sends one request at a time per host.

Part 2 — 1,000 page sources polled by one process, then by two processes at once, on PostgreSQL
(BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test: a private database is made
and dropped). Throughput of each, and the proof that no source was polled twice: the servers count the
requests per source, and the pollers report the ids they polled.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.feeds_bench import story  # noqa: E402  (same generated news text as the feed bench)
from bench.loopback import HOSTS, LoopbackServers, timed  # noqa: E402

SOURCES = int(os.environ.get("BENCH_SOURCES", "200"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "50"))
CLAIM_SOURCES = int(os.environ.get("BENCH_CLAIM_SOURCES", "1000"))


def page_document(i: int, items: int) -> bytes:
    rng = random.Random(i)
    rows = []
    for j in range(items):
        text = story(rng)
        rows.append(f"<tr><td>{j}</td><td class='t'><a href='/p/{i}/{j}'>Item {j} of source {i}: "
                    f"{text[:80]}</a></td><td class='s'>{text}</td><td class='d'>{1 + j % 28:02d}-03-2024</td></tr>")
    return (f"<!doctype html><html><head><title>Source {i}</title></head><body><table class='list'><thead><tr>"
            f"<th>No.</th><th>Title</th><th>Summary</th><th>Date</th></tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table></body></html>").encode()


def feed_document(i: int, items: int) -> bytes:
    rng = random.Random(i)
    entries = []
    for j in range(items):
        text = story(rng)
        entries.append(f"<item><guid isPermaLink='false'>r{i}-{j}</guid><title>Item {j} of source {i}: "
                       f"{text[:80]}</title><link>https://feeds.example.org/r/{i}/{j}</link>"
                       f"<description>{text}</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {i}</title>"
            f"{''.join(entries)}</channel></rss>").encode()


def make_app(url: str):
    from tracker import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TRACKER_ALLOW_PRIVATE_FEEDS": True})


def prepare(app, sources):
    from alembic import command

    from tracker.extensions import db
    from tracker.feeds.operations import SourceInput, add_source
    from tracker.recommendations.seeding import load_register_file, seed_register
    with app.app_context():
        command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
        seed_register(db.session, load_register_file())
        for s in sources:
            add_source(db.session, s)
        db.session.commit()


def poll_pages_and_feeds(tmp: Path):
    from sqlalchemy import func, select, update

    from tracker.db import utcnow
    from tracker.extensions import db
    from tracker.feeds.models import Entry, Feed
    from tracker.feeds.operations import SourceInput
    from tracker.feeds.polling import poll_feeds
    docs = {}
    for i in range(SOURCES):
        docs[f"/page/{i}"] = ("text/html; charset=utf-8", page_document(i, ITEMS))
        docs[f"/feed/{i}.xml"] = ("application/rss+xml; charset=utf-8", feed_document(i, ITEMS))
    servers = LoopbackServers(docs)
    try:
        pages = [SourceInput(servers.url(i, f"/page/{i}"), f"Page {i}", "news", 60, "table.list tbody tr", "td.t",
                             "td.t a", "td.d", "td.s") for i in range(SOURCES)]
        feeds = [SourceInput(servers.url(i, f"/feed/{i}.xml"), f"Feed {i}", "news", 60) for i in range(SOURCES)]
        app = make_app(f"sqlite:///{tmp / 'pages.sqlite3'}")
        prepare(app, pages + feeds)
        rows = {}
        with app.app_context():
            for kind in ("feed", "page"):  # the reference first: it pays for starting the parse workers
                ids = list(db.session.scalars(select(Feed.id).where(Feed.source_type == kind)))
                db.session.commit()
                first, r1 = timed(lambda: poll_feeds(db.session, ids))
                db.session.execute(update(Feed).values(next_poll_at=utcnow() - timedelta(seconds=1)))
                db.session.commit()
                second, r2 = timed(lambda: poll_feeds(db.session, ids))
                stored = db.session.scalar(select(func.count(Entry.id)).join(Feed).where(Feed.source_type == kind))
                rows[kind] = (first, second, stored, sorted({r.outcome for r in r2.feeds}),
                              [r.error for r in r1.feeds + r2.feeds if r.error][:3])
    finally:
        servers.close()
    return rows


# ---- part 2: claims on PostgreSQL ------------------------------------------------------------------
def poller_process(url: str, holder: str) -> None:
    """Run in a child process: poll what is due, print the ids polled as JSON."""
    from tracker.extensions import db
    from tracker.feeds.polling import poll_due_feeds
    app = make_app(url)
    with app.app_context():
        report = poll_due_feeds(db.session, holder=holder)
        print(json.dumps([r.feed_id for r in report.feeds if r.outcome != "error"]))


def claims(server_url: str):
    from sqlalchemy import create_engine, make_url, text, update

    from tracker.db import utcnow
    from tracker.extensions import db
    from tracker.feeds.models import Feed
    from tracker.feeds.operations import SourceInput
    base = make_url(server_url)
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    docs = {f"/c/{i}": ("text/html", page_document(i, 10)) for i in range(CLAIM_SOURCES)}
    servers = LoopbackServers(docs)
    results = {}
    try:
        app = make_app(url)
        prepare(app, [SourceInput(servers.url(i, f"/c/{i}"), f"Claim {i}", "news", 60, "table.list tbody tr",
                                  "td.t", "td.t a", "td.d") for i in range(CLAIM_SOURCES)])
        for processes in (1, 2):
            with app.app_context():  # everything due again, nothing stored counts (the hash is reset)
                db.session.execute(update(Feed).values(next_poll_at=utcnow() - timedelta(seconds=1),
                                                       page_hash=None, claimed_by=None, claim_expires_at=None))
                db.session.commit()
            servers.counts.clear()
            start = time.perf_counter()
            # Pollers parse in-process: two cores, and the point is how two pollers share the sources.
            env = {**os.environ, "TRACKER_PARSE_PROCESSES": os.environ.get("BENCH_POLLER_PARSE_PROCESSES", "1")}
            children = [subprocess.Popen([sys.executable, __file__, "--poller", url, f"bench-{processes}-{k}"],
                                         stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
                        for k in range(processes)]
            polled = [json.loads(c.communicate()[0].strip().splitlines()[-1]) for c in children]
            elapsed = time.perf_counter() - start
            per_process = [len(p) for p in polled]
            all_ids = [i for p in polled for i in p]
            requests = Counter({path: n for path, n in servers.counts.items() if path.startswith("/c/")})
            results[processes] = (elapsed, per_process, len(all_ids), len(set(all_ids)),
                                  len(requests), max(requests.values()) if requests else 0)
    finally:
        servers.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return results


def main():
    tmp = Path(tempfile.mkdtemp())
    rows = poll_pages_and_feeds(tmp)
    print(f"Part 1: {SOURCES} sources × {ITEMS} items on loopback ({HOSTS} hosts), SQLite; parse processes: "
          f"{os.environ.get('TRACKER_PARSE_PROCESSES') or os.cpu_count()}")
    print(f"{'':<28}{'first poll':>12}{'unchanged':>12}")
    for kind, label in (("feed", "RSS feeds (reference)"), ("page", "HTML pages (selectors)")):
        first, second, stored, outcomes, errors = rows[kind]
        print(f"{label:<28}{first:>11.2f}s{second:>11.3f}s   ({stored} entries; unchanged outcomes {outcomes}"
              f"{'; errors ' + repr(errors) if errors else ''})")
    print(f"ratio pages / feeds:  first {rows['page'][0] / rows['feed'][0]:.2f}x   "
          f"unchanged {rows['page'][1] / rows['feed'][1]:.2f}x")
    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    results = claims(server_url)
    print(f"Part 2: {CLAIM_SOURCES} page sources × 10 items, PostgreSQL row claims (each poller parses in-process; "
          f"{os.cpu_count()} cores)")
    for processes, (elapsed, per_process, total, distinct, paths, most) in results.items():
        print(f"  {processes} process(es): {elapsed:6.2f}s  {CLAIM_SOURCES / elapsed:7.1f} sources/s   polled per "
              f"process {per_process}; {total} polls of {distinct} distinct sources; server saw {paths} sources, "
              f"at most {most} request(s) each")
    one, two = results[1][0], results[2][0]
    print(f"ratio two processes / one: {two / one:.2f}x the time ({one / two:.2f}x the throughput)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--poller":
        poller_process(sys.argv[2], sys.argv[3])
    else:
        main()
