"""Poll feeds: fetch (concurrently, no database) → parse → store → match, one commit per feed.

One bad feed never stops the others: every failure is recorded on its own feed and the loop goes on.
"""
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker import leases
from tracker.db import utcnow
from tracker.feeds.fetching import FetchResult, fetch_feed, make_client
from tracker.feeds.models import Entry, Feed
from tracker.feeds.analysis import Analysis, Document, PrecomputedMatcher, analyse, analyse_all
from tracker.feeds.parsing import ParsedEntry
from tracker.feeds.schedule import next_poll_at
from tracker.matching.matcher import Matcher
from tracker.matching.operations import matcher_profiles, suggest_for_entries
from tracker.recommendations.models import Recommendation

log = logging.getLogger(__name__)
POLL_LEASE = "feeds:poll"
POLL_LEASE_SECONDS = 15 * 60
FETCH_THREADS = 16


@dataclass
class PollReport:
    feed_id: int
    name: str
    outcome: str
    fetched: int = 0      # entries in the document
    stored: int = 0       # new entries
    updated: int = 0      # entries whose content changed
    suggested: int = 0    # new suggestions
    error: str | None = None


@dataclass
class RunReport:
    feeds: list[PollReport] = field(default_factory=list)
    skipped_reason: str | None = None


def due_feed_ids(session: Session, now: datetime) -> list[int]:
    return list(session.scalars(select(Feed.id).where(
        Feed.active.is_(True), Feed.gone.is_(False),
        (Feed.next_poll_at.is_(None)) | (Feed.next_poll_at <= now)).order_by(Feed.next_poll_at, Feed.id)))


def poll_due_feeds(session: Session, *, now: datetime | None = None) -> RunReport:
    return poll_feeds(session, due_feed_ids(session, now or utcnow()), now=now)


def poll_feeds(session: Session, feed_ids: list[int], *, now: datetime | None = None) -> RunReport:
    """Poll these feeds under the poll lease; a concurrent run (scheduler or CLI) makes this one skip.

    Takes ids, not Feed objects: every object a run holds is expired again at each per-feed commit."""
    with leases.held(session, POLL_LEASE, POLL_LEASE_SECONDS) as got:
        if not got:
            return RunReport(skipped_reason="another poll is running (scheduler or a manual `feeds poll`); "
                                            "nothing was done")
        return _poll_under_lease(session, feed_ids, now)


def _poll_under_lease(session: Session, feed_ids: list[int], now: datetime | None) -> RunReport:
    report = RunReport()
    if not feed_ids:
        return report
    allow_private = current_app.config["TRACKER_ALLOW_PRIVATE_FEEDS"]
    rows = session.execute(select(Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.kind)
                           .where(Feed.id.in_(feed_ids))).all()
    targets = {r.id: (r.url, r.etag, r.last_modified) for r in rows}
    kinds = {r.id: r.kind for r in rows}
    session.commit()  # no transaction stays open while the network is slow
    results = _fetch_all(targets, allow_private)
    profiles = matcher_profiles(session)
    matcher = Matcher(*profiles)
    ids_by_code = dict(session.execute(select(Recommendation.code, Recommendation.id)).all())
    docs = [Document(feed_id, r.body, r.content_type, r.final_url, kinds[feed_id])
            for feed_id, r in results.items() if r.outcome == "ok"]
    analysed = {}
    # Feeds with nothing to parse first, then each document's feed as soon as its analysis is ready.
    pending = [feed_id for feed_id in feed_ids if feed_id in results and results[feed_id].outcome != "ok"]
    for analysis in _chain(pending, analyse_all(docs, now or utcnow(), matcher, profiles,
                                                current_app.config.get("TRACKER_PARSE_PROCESSES"))):
        feed_id = analysis if isinstance(analysis, int) else analysis.feed_id
        if not isinstance(analysis, int):
            analysed[feed_id] = analysis
        report.feeds.append(_store_one(session, feed_id, results[feed_id], analysed.get(feed_id), matcher, now,
                                       ids_by_code))
    return report


def _chain(first: list[int], rest):
    yield from first
    yield from rest


def _store_one(session: Session, feed_id: int, result: FetchResult, analysis: Analysis | None, matcher,
               now: datetime | None, ids_by_code: dict[str, int]) -> PollReport:
    feed = session.get(Feed, feed_id)
    try:
        poll_report = apply_fetch_result(session, feed, result, matcher=matcher, now=now, analysis=analysis,
                                         ids_by_code=ids_by_code)
        session.commit()
    except Exception as exc:  # a bug on one feed's data must not stop the others
        session.rollback()
        log.exception("feed %s failed while storing", feed_id)
        poll_report = _record_failure(session, feed_id, f"internal error while storing entries: {exc}")
    return poll_report


def _fetch_all(targets: dict[int, tuple], allow_private: bool) -> dict[int, FetchResult]:
    # Network waits overlap, so one hung server costs its own timeout, not everyone's.
    with make_client(allow_private=allow_private) as client, ThreadPoolExecutor(max_workers=FETCH_THREADS) as pool:
        futures = {feed_id: pool.submit(fetch_feed, url, etag=etag, last_modified=lm,
                                        allow_private=allow_private, client=client)
                   for feed_id, (url, etag, lm) in targets.items()}
        return {feed_id: _result_of(future, targets[feed_id][0]) for feed_id, future in futures.items()}


def _result_of(future, url: str) -> FetchResult:
    try:
        return future.result()
    except Exception as exc:  # fetch_feed does not raise; if it ever does, only this source fails
        log.exception("fetching %s raised", url)
        return FetchResult("error", url, url, None, None, error=f"internal error while fetching: {exc}"[:500])


def _record_failure(session: Session, feed_id: int, message: str) -> PollReport:
    feed = session.get(Feed, feed_id)
    now = utcnow()
    feed.error_count += 1
    feed.last_error = message
    feed.last_polled_at = now
    feed.next_poll_at = next_poll_at(now, feed.interval_minutes, error_count=feed.error_count)
    session.commit()
    return PollReport(feed.id, feed.name, "error", error=message)


def apply_fetch_result(session: Session, feed: Feed, result: FetchResult, *, matcher,
                       now: datetime | None = None, analysis: Analysis | None = None,
                       ids_by_code: dict[str, int] | None = None) -> PollReport:
    now = now or utcnow()
    feed.last_polled_at = now
    report = PollReport(feed.id, feed.name, result.outcome)
    if result.outcome == "gone":
        feed.gone = True
        feed.last_error = "The server says this feed is gone for good (HTTP 410); it will not be polled again."
        report.error = feed.last_error
        return report
    if result.outcome in ("error", "retry_later"):
        feed.error_count += 1
        feed.last_error = result.error or f"HTTP {result.status_code}"
        feed.next_poll_at = next_poll_at(now, feed.interval_minutes, ttl_minutes=feed.ttl_minutes,
                                         retry_after_seconds=result.retry_after, error_count=feed.error_count)
        report.error = feed.last_error
        return report

    if result.outcome == "ok":
        if analysis is None:
            analysis = analyse(Document(feed.id, result.body, result.content_type, result.final_url, feed.kind),
                               now, matcher)
        parsed = analysis.parsed
        report.fetched = len(parsed.entries)
        if parsed.error and not parsed.entries:
            feed.error_count += 1
            feed.last_error = parsed.error
            feed.next_poll_at = next_poll_at(now, feed.interval_minutes, error_count=feed.error_count)
            report.outcome, report.error = "error", parsed.error
            return report
        new, changed = store_entries(session, feed, parsed.entries, now)
        report.stored, report.updated = len(new), len(changed)
        known = PrecomputedMatcher(analysis.matches, matcher)
        report.suggested = (
            suggest_for_entries(session, known, new, feed_kind=feed.kind, fresh=True, ids_by_code=ids_by_code)
            + suggest_for_entries(session, known, changed, feed_kind=feed.kind, ids_by_code=ids_by_code))
        feed.ttl_minutes = parsed.ttl_minutes
        feed.etag, feed.last_modified = result.etag, result.last_modified
        feed.last_error = parsed.warning  # kept entries, but say what was odd about the document
        if result.permanent_url and result.permanent_url != feed.url and not session.scalar(
                select(Feed.id).where(Feed.url == result.permanent_url)):
            feed.url = result.permanent_url
    else:  # not_modified: nothing to parse
        feed.last_error = None
    feed.error_count = 0
    feed.last_success_at = now
    feed.next_poll_at = next_poll_at(now, feed.interval_minutes, ttl_minutes=feed.ttl_minutes,
                                     max_age_seconds=result.max_age)
    return report


@dataclass(frozen=True)
class StoredEntry:
    """What matching needs of an entry just stored (new rows are bulk-inserted, not ORM objects)."""
    id: int
    link: str | None
    title: str
    text: str


def store_entries(session: Session, feed: Feed, parsed: list[ParsedEntry],
                  now: datetime) -> tuple[list[StoredEntry], list[StoredEntry]]:
    """Insert new entries, update edited ones; returns (new, changed).

    One query finds what is known; new rows go in as one multi-row INSERT … RETURNING, because a poll
    of a busy feed adds dozens of rows and the ORM's per-object bookkeeping was a third of the time.
    """
    keys = [p.dedup_key for p in parsed]
    known = {row.dedup_key: row for row in session.execute(
        select(Entry.id, Entry.dedup_key, Entry.content_hash)
        .where(Entry.feed_id == feed.id, Entry.dedup_key.in_(keys)))} if keys else {}
    rows, changed = [], []
    for p in parsed:
        row = known.get(p.dedup_key)
        if row is None:
            rows.append({"feed_id": feed.id, "dedup_key": p.dedup_key, "fetched_at": now, **_columns(p, now)})
        elif row.content_hash != p.content_hash:
            session.execute(update(Entry).where(Entry.id == row.id).values(**_columns(p, now)))
            changed.append(StoredEntry(row.id, p.link, p.title, p.text))
    new = []
    if rows:
        ids = dict(session.execute(insert(Entry).returning(Entry.dedup_key, Entry.id), rows).all())
        new = [StoredEntry(ids[r["dedup_key"]], r["link"], r["title"], r["text"]) for r in rows]
    return new, changed


def _columns(p: ParsedEntry, now: datetime) -> dict:
    return {
        "guid": p.guid[:1000] if p.guid else None,
        "link": p.link[:2000] if p.link else None,
        "title": p.title[:500],
        "summary_html": p.summary_html,
        "text": p.text,
        "content_hash": p.content_hash,
        "published": p.published or now,
        "published_is_estimated": p.published is None or p.published_is_estimated,
    }
