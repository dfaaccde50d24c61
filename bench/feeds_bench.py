"""Feed polling benchmark (run by hand: `.venv/bin/python bench/feeds_bench.py`).

200 feeds × 50 entries served on loopback (20 addresses). In the same run, three ways to read them:
  floor  — bare fetch (same 16-thread concurrency) + feedparser.parse of the same bodies, nothing stored
  reader — the `reader` library (PyPI) updating the same feeds into its own SQLite file
  ours   — tracker's poll: fetch, parse, sanitise, dedupe, store, match against the register, suggest
each on a first poll and on a second, unchanged poll (conditional GET: 304s). Then matcher throughput with
the real register and with 100× as many synthetic recommendations. Prints times and ratios.

The floor and reader parse on threads in one process (the GIL makes that one core); the tracker parses and
matches in TRACKER_PARSE_PROCESSES worker processes (default one per core) while its main process stores.
`TRACKER_PARSE_PROCESSES=1 .venv/bin/python bench/feeds_bench.py` measures it on one core.
"""
import os
import random
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.loopback import HOSTS, LoopbackServers, timed  # noqa: E402

FEEDS = int(os.environ.get("BENCH_FEEDS", "200"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "50"))
# A general news feed: most items have nothing to do with the register; about 5% do.
GENERIC = [
    "The Senate standing committee on interior met in Islamabad on Tuesday.",
    "Prices of petrol were raised by Rs5 per litre, the finance ministry said.",
    "PTA blocked 1,200 websites over blasphemous content, officials told the committee.",
    "Pakistan beat Sri Lanka by six wickets in the third ODI at the Gaddafi Stadium.",
    "The State Bank kept its policy rate unchanged at 11 percent.",
    "Heavy rain lashed Karachi, flooding roads in several districts.",
    "The FIA arrested two men for running a fake investment scheme on social media.",
    "The National Assembly passed the Finance (Supplementary) Bill after a heated debate.",
    "The Lahore High Court sought a reply from the provincial government on smog.",
    "Wheat procurement targets were revised for Punjab and Sindh.",
    "Schools in Islamabad will remain closed on Friday due to the holiday.",
    "The prime minister inaugurated a motorway section near Sialkot.",
]
RELEVANT = [
    "The FIA Cyber Crime Wing arrested a suspect for sharing child sexual abuse material online.",
    "The National Assembly passed the Criminal Laws (Amendment) Bill on online child sexual exploitation.",
    "Judicial academy trainers held a workshop on child-friendly justice for sessions judges.",
    "A helpline for children, 1991, will be linked to provincial child protection units.",
]
SENTENCES = GENERIC + RELEVANT


def story(rng: random.Random) -> str:
    sentences = [rng.choice(GENERIC) for _ in range(4)]
    if rng.random() < 0.05:
        sentences[0] = rng.choice(RELEVANT)
    return " ".join(sentences)


def feed_document(i: int) -> bytes:
    rng = random.Random(i)
    items = []
    for j in range(ENTRIES):
        text = story(rng)
        when = format_datetime(__import__("datetime").datetime(2026, 11, 1, tzinfo=__import__("datetime").timezone.utc)
                               + timedelta(minutes=i * 60 + j))
        items.append(f"<item><guid isPermaLink='false'>feed{i}-item{j}</guid><title>Story {j} of feed {i}: "
                     f"{rng.choice(GENERIC)}</title><link>https://news.example.org/{i}/{j}</link>"
                     f"<pubDate>{when}</pubDate><description>&lt;p&gt;{text}&lt;/p&gt;</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {i}</title>"
            f"<link>https://news.example.org/{i}</link>{''.join(items)}</channel></rss>").encode()


def floor(urls: list[str], etags: dict) -> dict:
    import feedparser
    import httpx

    def one(client, url):
        headers = {"If-None-Match": etags[url]} if url in etags else {}
        r = client.get(url, headers=headers)
        if r.status_code == 200:
            etags[url] = r.headers.get("ETag")
            return len(feedparser.parse(r.content).entries)
        return 0
    with httpx.Client() as client, ThreadPoolExecutor(16) as pool:
        return sum(pool.map(lambda u: one(client, u), urls))


def run_reader(urls: list[str], tmp: Path):
    from reader import make_reader
    r = make_reader(str(tmp / "reader.sqlite"))
    for url in urls:
        r.add_feed(url)
    # scheduled=False: update every feed now, as our second poll does, rather than skip "not due" ones.
    first, _ = timed(lambda: r.update_feeds(workers=16, scheduled=False))
    second, _ = timed(lambda: r.update_feeds(workers=16, scheduled=False))
    entries = r.get_entry_counts().total
    r.close()
    return first, second, entries


def run_ours(urls: list[str], tmp: Path):
    from alembic import command
    from sqlalchemy import func, select, update

    from tracker import create_app
    from tracker.db import utcnow
    from tracker.extensions import db
    from tracker.feeds.models import Entry, Feed
    from tracker.feeds.operations import add_feed
    from tracker.feeds.polling import poll_due_feeds
    from tracker.matching.models import Suggestion
    from tracker.recommendations.seeding import load_register_file, seed_register
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'ours.sqlite3'}",
                      "TRACKER_ALLOW_PRIVATE_FEEDS": True})
    with app.app_context():
        command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
        seed_register(db.session, load_register_file())
        for i, url in enumerate(urls):
            add_feed(db.session, url, f"Feed {i}", "news")
        db.session.commit()
        first, report = timed(lambda: poll_due_feeds(db.session))
        errors = [r.error for r in report.feeds if r.error]
        db.session.execute(update(Feed).values(next_poll_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        second, report2 = timed(lambda: poll_due_feeds(db.session))
        entries = db.session.scalar(select(func.count(Entry.id)))
        suggestions = db.session.scalar(select(func.count(Suggestion.id)))
        outcomes = {r.outcome for r in report2.feeds}
    return first, second, entries, suggestions, errors, outcomes


def matcher_throughput():
    from tracker.matching.matcher import Matcher, profiles_from_register
    from tracker.recommendations.seeding import load_register_file
    recs, bills = profiles_from_register(load_register_file())
    rng = random.Random(3)
    texts = [(f"Story {i}", story(rng)) for i in range(2000)]
    rows = []
    for scale in (1, 100):
        many = list(recs)
        if scale > 1:
            from dataclasses import replace
            words = sorted({w for r in recs for w in r.title.split() if len(w) > 4})
            for k in range(len(recs) * (scale - 1)):
                base = recs[k % len(recs)]
                many.append(replace(base, code=f"SYN-{k:05d}", bill=None,
                                    title=f"{base.title} {rng.choice(words)} {k}",
                                    keywords=tuple(f"{kw} {rng.choice(words)}" for kw in base.keywords)))
        build, matcher = timed(lambda: Matcher(many, bills))
        elapsed, _ = timed(lambda: [matcher.match(t, x) for t, x in texts])
        rows.append((len(many), build, len(texts) / elapsed))
    return rows


def feed_server() -> tuple[LoopbackServers, list[str]]:
    """The feeds on HOSTS loopback addresses, with ETags, so the second poll is all 304s."""
    docs = {f"/feed/{i}.xml": ("application/rss+xml; charset=utf-8", feed_document(i)) for i in range(FEEDS)}
    server = LoopbackServers(docs, conditional=True)
    return server, [server.url(i, f"/feed/{i}.xml") for i in range(FEEDS)]


def main():
    server, urls = feed_server()
    tmp = Path(tempfile.mkdtemp())
    try:
        etags: dict = {}
        f1, n1 = timed(lambda: floor(urls, etags))
        f2, _ = timed(lambda: floor(urls, etags))
        r1, r2, reader_entries = run_reader(urls, tmp)
        o1, o2, entries, suggestions, errors, outcomes = run_ours(urls, tmp)
    finally:
        server.close()
    print(f"{FEEDS} feeds × {ENTRIES} entries on loopback ({HOSTS} hosts; {n1} entries parsed by the floor)")
    print(f"tracker parse processes: {os.environ.get('TRACKER_PARSE_PROCESSES') or os.cpu_count()} "
          f"(TRACKER_PARSE_PROCESSES; default one per core, {os.cpu_count()} here)")
    print(f"{'':<34}{'first poll':>12}{'second (304)':>14}")
    print(f"{'floor: fetch + feedparser.parse':<34}{f1:>11.2f}s{f2:>13.3f}s")
    print(f"{'reader ' + __import__('reader').__version__:<34}{r1:>11.2f}s{r2:>13.3f}s   ({reader_entries} entries)")
    print(f"{'tracker poll (store+match)':<34}{o1:>11.2f}s{o2:>13.3f}s   ({entries} entries, "
          f"{suggestions} suggestions, {len(errors)} feed errors; second poll outcomes {sorted(outcomes)})")
    print(f"ratio tracker / reader:  first {o1 / r1:.2f}x   second {o2 / r2:.2f}x")
    print(f"ratio tracker / floor:   first {o1 / f1:.2f}x   second {o2 / f2:.2f}x")
    for count, build, per_sec in matcher_throughput():
        print(f"matcher with {count:>5} recommendations: index built in {build:.2f}s, {per_sec:,.0f} items/s")


if __name__ == "__main__":
    main()
