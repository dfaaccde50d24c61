"""Poll feeds: fetch (concurrently, no database) → parse → store → match, one commit per feed.

One bad feed never stops the others: every failure is recorded on its own feed and the loop goes on.
"""
import hashlib
import html
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker import leases
from tracker.db import utcnow
from tracker.feeds.documents import DocumentText, document_text
from tracker.feeds.fetching import FetchResult
from tracker.feeds.pages import PageSpec, describe_change
from tracker.feeds.politeness import PoliteClient, polite_client
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
CLAIM_BATCH = 50          # sources one poller claims at a time on PostgreSQL
CLAIM_SECONDS = 10 * 60   # a claim whose holder died is free again after this
MAX_DOCUMENTS = 10        # linked documents fetched per source per poll (--follow)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_ENTRY_TEXT = 60_000


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


def uses_row_claims(session: Session) -> bool:
    """PostgreSQL: several pollers share due sources through row claims. SQLite: the single lease."""
    return session.get_bind().dialect.name == "postgresql"


def poll_due_feeds(session: Session, *, now: datetime | None = None, holder: str = leases.PROCESS_ID) -> RunReport:
    if uses_row_claims(session):
        return _poll_claimed(session, now, ids=None, holder=holder)
    return poll_feeds(session, due_feed_ids(session, now or utcnow()), now=now)


def poll_feeds(session: Session, feed_ids: list[int], *, now: datetime | None = None) -> RunReport:
    """Poll these feeds. On SQLite under the poll lease (a concurrent run makes this one skip); on
    PostgreSQL each source is claimed first, so another poller skips exactly the sources this one holds.

    Takes ids, not Feed objects: every object a run holds is expired again at each per-feed commit."""
    if uses_row_claims(session):
        return _poll_claimed(session, now, ids=feed_ids)
    with leases.held(session, POLL_LEASE, POLL_LEASE_SECONDS) as got:
        if not got:
            return RunReport(skipped_reason="another poll is running (scheduler or a manual `feeds poll`); "
                                            "nothing was done")
        return _poll_under_lease(session, feed_ids, now)


def claim_feeds(session: Session, *, ids: list[int] | None, now: datetime, limit: int = CLAIM_BATCH,
                holder: str = leases.PROCESS_ID, seconds: float = CLAIM_SECONDS) -> list[int]:
    """Claims up to `limit` sources no one else holds (due ones, or these ids) and commits at once.

    FOR UPDATE SKIP LOCKED: a row another poller is claiming right now is passed over, not waited for;
    a claim whose holder died expires after `seconds`, and the source is claimed again."""
    clock = utcnow()
    free = Feed.claim_expires_at.is_(None) | (Feed.claim_expires_at < clock)
    candidates = select(Feed.id).where(free)
    if ids is None:
        candidates = candidates.where(Feed.active.is_(True), Feed.gone.is_(False),
                                      Feed.next_poll_at.is_(None) | (Feed.next_poll_at <= now))
    else:  # asked for by id ("poll now", `feeds poll --id`): polled even when paused, as on SQLite
        candidates = candidates.where(Feed.id.in_(ids))
    candidates = candidates.order_by(Feed.next_poll_at.asc().nulls_first(), Feed.id).limit(limit) \
        .with_for_update(skip_locked=True)
    claimed = list(session.scalars(update(Feed).where(Feed.id.in_(candidates.scalar_subquery()))
                                   .values(claimed_by=holder, claim_expires_at=clock + timedelta(seconds=seconds))
                                   .returning(Feed.id)))
    session.commit()
    return sorted(claimed)


def _poll_claimed(session: Session, now: datetime | None, ids: list[int] | None,
                  holder: str = leases.PROCESS_ID) -> RunReport:
    report = RunReport()
    while True:
        claimed = claim_feeds(session, ids=ids, now=now or utcnow(), holder=holder,
                              limit=CLAIM_BATCH if ids is None else max(1, len(ids)))
        if not claimed:
            return report
        try:
            report.feeds.extend(_poll_under_lease(session, claimed, now).feeds)
        finally:  # whatever happened, what this run held is free again (stored feeds cleared it already)
            session.rollback()
            session.execute(update(Feed).where(Feed.id.in_(claimed), Feed.claimed_by == holder)
                            .values(claimed_by=None, claim_expires_at=None))
            session.commit()
        if ids is not None:
            return report


@dataclass(frozen=True)
class Target:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    kind: str
    page: PageSpec | None
    follow: bool
    page_hash: str | None


def _targets(session: Session, feed_ids: list[int]) -> dict[int, Target]:
    rows = session.execute(select(Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.kind, Feed.source_type,
                                  Feed.item_selector, Feed.title_selector, Feed.link_selector,
                                  Feed.date_selector, Feed.summary_selector, Feed.follow, Feed.page_hash)
                           .where(Feed.id.in_(feed_ids))).all()
    return {r.id: Target(r.id, r.url, r.etag, r.last_modified, r.kind,
                         PageSpec(r.item_selector, r.title_selector, r.link_selector, r.date_selector,
                                  r.summary_selector) if r.source_type == "page" and r.item_selector else None,
                         bool(r.follow), r.page_hash) for r in rows}


def _poll_under_lease(session: Session, feed_ids: list[int], now: datetime | None) -> RunReport:
    report = RunReport()
    if not feed_ids:
        return report
    targets = _targets(session, feed_ids)
    session.commit()  # no transaction stays open while the network is slow
    with polite_client() as web:
        results = _fetch_all(targets, web)
        profiles = matcher_profiles(session)
        matcher = Matcher(*profiles)
        ids_by_code = dict(session.execute(select(Recommendation.code, Recommendation.id)).all())
        docs = [Document(feed_id, r.body, r.content_type, r.final_url, targets[feed_id].kind,
                         targets[feed_id].page)
                for feed_id, r in results.items() if r.outcome == "ok" and not _unchanged(targets[feed_id], r)]
        analysed = {}
        in_docs = {d.feed_id for d in docs}
        # Feeds with nothing to parse first, then each document's feed as soon as its analysis is ready.
        pending = [feed_id for feed_id in feed_ids if feed_id in results and feed_id not in in_docs]
        for analysis in _chain(pending, analyse_all(docs, now or utcnow(), matcher, profiles,
                                                    current_app.config.get("TRACKER_PARSE_PROCESSES"))):
            feed_id = analysis if isinstance(analysis, int) else analysis.feed_id
            if not isinstance(analysis, int):
                analysed[feed_id] = analysis
            report.feeds.append(_store_one(session, targets[feed_id], results[feed_id], analysed.get(feed_id),
                                           matcher, now, ids_by_code, web))
    return report


def _unchanged(target: Target, result: FetchResult) -> bool:
    return target.page is not None and target.page_hash is not None and page_hash(result.body) == target.page_hash


def page_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _chain(first: list[int], rest):
    yield from first
    yield from rest


def _store_one(session: Session, target: Target, result: FetchResult, analysis: Analysis | None, matcher,
               now: datetime | None, ids_by_code: dict[str, int], web: PoliteClient) -> PollReport:
    feed_id = target.id
    try:
        documents = {}
        if target.follow and analysis is not None and analysis.parsed.entries:
            documents = follow_new_items(session, feed_id, analysis.parsed.entries, web)
        feed = session.get(Feed, feed_id)
        poll_report = apply_fetch_result(session, feed, result, matcher=matcher, now=now, analysis=analysis,
                                         ids_by_code=ids_by_code, documents=documents)
        feed.claimed_by = feed.claim_expires_at = None
        session.commit()
    except Exception as exc:  # a bug on one feed's data must not stop the others
        session.rollback()
        log.exception("feed %s failed while storing", feed_id)
        poll_report = _record_failure(session, feed_id, f"internal error while storing entries: {exc}"[:1000])
    return poll_report


def _fetch_all(targets: dict[int, Target], web: PoliteClient) -> dict[int, FetchResult]:
    # Network waits overlap, so one hung server costs its own timeout, not everyone's; requests to the
    # same host still go one at a time (see PoliteClient).
    with ThreadPoolExecutor(max_workers=FETCH_THREADS) as pool:
        futures = {feed_id: pool.submit(web.fetch, t.url, etag=t.etag, last_modified=t.last_modified,
                                        page=t.page is not None)
                   for feed_id, t in targets.items()}
        return {feed_id: _result_of(future, targets[feed_id].url) for feed_id, future in futures.items()}


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
    feed.claimed_by = feed.claim_expires_at = None
    session.commit()
    return PollReport(feed.id, feed.name, "error", error=message)


def follow_new_items(session: Session, feed_id: int, entries: list[ParsedEntry],
                     web: PoliteClient) -> dict[str, DocumentText]:
    """Fetches the linked documents of items not stored yet (at most MAX_DOCUMENTS per source and poll)
    and returns their text by item key. The read transaction ends before the network is used."""
    keys = [e.dedup_key for e in entries if e.link]
    known = set(session.scalars(select(Entry.dedup_key).where(Entry.feed_id == feed_id,
                                                               Entry.dedup_key.in_(keys)))) if keys else set()
    session.commit()
    limit = current_app.config.get("TRACKER_FOLLOW_LIMIT") or MAX_DOCUMENTS
    todo = [e for e in entries if e.link and e.dedup_key not in known][:limit]
    found = {}
    for entry in todo:
        result = web.fetch(entry.link, page=True, max_bytes=MAX_DOCUMENT_BYTES)
        if result.outcome != "ok":
            found[entry.dedup_key] = DocumentText("", error=f"linked document {entry.link}: "
                                                            f"{result.error or result.outcome}")
            continue
        read = document_text(result.body, result.content_type)
        if read.error:
            read = DocumentText("", error=f"linked document {entry.link}: {read.error}")
        found[entry.dedup_key] = read
    return found


def apply_fetch_result(session: Session, feed: Feed, result: FetchResult, *, matcher,
                       now: datetime | None = None, analysis: Analysis | None = None,
                       ids_by_code: dict[str, int] | None = None,
                       documents: dict[str, DocumentText] | None = None) -> PollReport:
    now = now or utcnow()
    feed.last_polled_at = now
    report = PollReport(feed.id, feed.name, result.outcome)
    if result.outcome == "gone":
        feed.gone = True
        feed.last_error = "The server says this source is gone for good (HTTP 410); it will not be polled again."
        report.error = feed.last_error
        return report
    if result.outcome in ("error", "retry_later"):
        feed.error_count += 1
        feed.last_error = result.error or f"HTTP {result.status_code}"
        feed.next_poll_at = next_poll_at(now, feed.interval_minutes, ttl_minutes=feed.ttl_minutes,
                                         retry_after_seconds=result.retry_after, error_count=feed.error_count)
        report.error = feed.last_error
        return report

    if result.outcome == "ok" and feed.is_page and feed.page_hash == page_hash(result.body):
        report.outcome = "unchanged"  # the same bytes as last time: nothing to parse or store
        feed.last_error = None
    elif result.outcome == "ok":
        if analysis is None:
            analysis = analyse(Document(feed.id, result.body, result.content_type, result.final_url, feed.kind,
                                        _spec(feed)), now, matcher)
        parsed = analysis.parsed
        report.fetched = len(parsed.entries)
        if parsed.error and not parsed.entries:
            feed.error_count += 1
            feed.last_error = parsed.error
            feed.next_poll_at = next_poll_at(now, feed.interval_minutes, error_count=feed.error_count)
            report.outcome, report.error = "error", parsed.error
            return report
        entries = _with_documents(parsed.entries, documents or {})
        new, changed, updates = store_entries(session, feed, entries, now, documents=documents or {})
        report.stored, report.updated = len(new) + len(updates), len(changed)
        known = PrecomputedMatcher(analysis.matches, matcher)
        if feed.is_page:  # a change inside an item is news through its update entry, not the item itself
            report.suggested = (
                suggest_for_entries(session, known, new, feed_kind=feed.kind, fresh=True, ids_by_code=ids_by_code)
                + suggest_for_entries(session, known, updates, feed_kind=feed.kind, fresh=True,
                                      ids_by_code=ids_by_code, check_syndication=False))
        else:
            report.suggested = (
                suggest_for_entries(session, known, new, feed_kind=feed.kind, fresh=True, ids_by_code=ids_by_code)
                + suggest_for_entries(session, known, changed, feed_kind=feed.kind, ids_by_code=ids_by_code))
        if new or changed or updates:
            feed.last_change_at = now
        feed.ttl_minutes = parsed.ttl_minutes
        feed.etag, feed.last_modified = result.etag, result.last_modified
        if feed.is_page:
            feed.page_hash = page_hash(result.body)
        problems = [d.error for d in (documents or {}).values() if d.error]
        feed.last_error = "; ".join(([parsed.warning] if parsed.warning else []) + problems)[:4000] or None
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


def _spec(feed: Feed) -> PageSpec | None:
    if not feed.is_page or not feed.item_selector:
        return None
    return PageSpec(feed.item_selector, feed.title_selector, feed.link_selector, feed.date_selector,
                    feed.summary_selector)


def _with_documents(entries: list[ParsedEntry], documents: dict[str, DocumentText]) -> list[ParsedEntry]:
    """A followed document's text is what the matcher reads for its item (the listing's title kept)."""
    if not documents:
        return entries
    out = []
    for e in entries:
        doc = documents.get(e.dedup_key)
        if doc is not None and doc.text:
            e = replace(e, text=f"{e.text} {doc.text}"[:MAX_ENTRY_TEXT])
        out.append(e)
    return out


@dataclass(frozen=True)
class StoredEntry:
    """What matching needs of an entry just stored (new rows are bulk-inserted, not ORM objects)."""
    id: int
    link: str | None
    title: str
    text: str


def store_entries(session: Session, feed: Feed, parsed: list[ParsedEntry], now: datetime, *,
                  documents: dict[str, DocumentText] | None = None
                  ) -> tuple[list[StoredEntry], list[StoredEntry], list[StoredEntry]]:
    """Insert new entries, update edited ones; returns (new, changed, update entries).

    One query finds what is known; new rows go in as one multi-row INSERT … RETURNING, because a poll
    of a busy feed adds dozens of rows and the ORM's per-object bookkeeping was a third of the time.
    On a page source, an item whose labelled values changed also gets an update entry saying what changed
    ("Status: Introduced → Passed by the National Assembly"): that is the news the matcher reads.
    """
    keys = [p.dedup_key for p in parsed]
    known = {row.dedup_key: row for row in session.execute(
        select(Entry.id, Entry.dedup_key, Entry.content_hash, Entry.fields)
        .where(Entry.feed_id == feed.id, Entry.dedup_key.in_(keys)))} if keys else {}
    documents = documents or {}
    rows, changed, update_rows = [], [], []
    for p in parsed:
        row = known.get(p.dedup_key)
        if row is None:
            doc = documents.get(p.dedup_key)
            note = (doc.note or doc.error) if doc else None
            rows.append({"feed_id": feed.id, "dedup_key": p.dedup_key, "fetched_at": now, "document_note": note,
                         **_columns(p, now)})
        elif row.content_hash != p.content_hash:
            session.execute(update(Entry).where(Entry.id == row.id).values(**_columns(p, now)))
            changed.append(StoredEntry(row.id, p.link, p.title, p.text))
            summary = describe_change(row.fields, p.fields) if feed.is_page else None
            if summary:
                update_rows.append(_update_row(feed, row.id, p, summary, now))
    new = _insert(session, rows)
    updates = _insert(session, update_rows)
    return new, changed, updates


def _update_row(feed: Feed, entry_id: int, p: ParsedEntry, summary: str, now: datetime) -> dict:
    title = f"{p.title} — {summary}"[:500]
    text = f"{summary}. {p.text}"[:MAX_ENTRY_TEXT]
    return {"feed_id": feed.id, "dedup_key": f"update:{entry_id}:{now.isoformat()}:{p.content_hash[:16]}"[:600],
            "fetched_at": now, "guid": None, "link": p.link, "title": title,
            "summary_html": f"<p>{html.escape(summary)}</p>", "text": text,
            "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(), "published": now,
            "published_is_estimated": False, "fields": "", "update_of_id": entry_id, "change_summary": summary,
            "document_note": None}


def _insert(session: Session, rows: list[dict]) -> list[StoredEntry]:
    if not rows:
        return []
    ids = dict(session.execute(insert(Entry).returning(Entry.dedup_key, Entry.id), rows).all())
    return [StoredEntry(ids[r["dedup_key"]], r["link"], r["title"], r["text"]) for r in rows]


def _columns(p: ParsedEntry, now: datetime) -> dict:
    return {
        "guid": p.guid[:1000] if p.guid else None,
        "link": p.link,  # never cut: the parsers refuse an item whose link is too long
        "title": p.title[:500],
        "summary_html": p.summary_html,
        "text": p.text,
        "content_hash": p.content_hash,
        "published": p.published or now,
        "published_is_estimated": p.published is None or p.published_is_estimated,
        "fields": p.fields,
    }
