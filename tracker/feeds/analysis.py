"""Parse and match fetched documents, in worker processes when there are many.

Parsing (feedparser) and matching are pure CPU work in Python; threads would queue on the GIL. Worker
processes do it beside the main process, which stays the only database writer and stores each feed as
its analysis arrives. Workers get plain data (bytes, profiles) and return plain data.
"""
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime

from tracker.feeds.pages import PageSpec, parse_page
from tracker.feeds.parsing import ParsedFeed, parse_feed
from tracker.matching.matcher import BillProfile, Match, Matcher, RecommendationProfile

POOL_THRESHOLD = 4  # fewer documents than this are analysed in-process: a pool costs more than it saves


@dataclass(frozen=True)
class Document:
    feed_id: int
    body: bytes
    content_type: str | None
    base_url: str
    feed_kind: str
    page: PageSpec | None = None  # a page source: read with these selectors instead of as a feed


@dataclass(frozen=True)
class Analysis:
    feed_id: int
    parsed: ParsedFeed
    matches: dict[tuple[str, str], list[Match]]  # (title, text) -> matches


class PrecomputedMatcher:
    """Answers from an analysis; anything not analysed (never expected) goes to the real matcher."""

    def __init__(self, matches: dict[tuple[str, str], list[Match]], fallback: Matcher):
        self._matches, self._fallback = matches, fallback

    def match(self, title: str, text: str, *, feed_kind: str = "news", published=None) -> list[Match]:
        found = self._matches.get((title, text))
        return found if found is not None else self._fallback.match(title, text, feed_kind=feed_kind,
                                                                    published=published)


_worker_matcher: Matcher | None = None


def _init_worker(recs: Sequence[RecommendationProfile], bills: Sequence[BillProfile]) -> None:
    global _worker_matcher
    _worker_matcher = Matcher(recs, bills)


def analyse(doc: Document, now: datetime, matcher: Matcher | None = None) -> Analysis:
    """Never raises: a document that breaks the parser or the matcher becomes that source's error."""
    matcher = matcher or _worker_matcher
    try:
        if doc.page is not None:
            parsed = parse_page(doc.body, doc.page, content_type=doc.content_type, base_url=doc.base_url, now=now)
        else:
            parsed = parse_feed(doc.body, content_type=doc.content_type, base_url=doc.base_url, now=now)
        matches = {(e.title, e.text): matcher.match(e.title, e.text, feed_kind=doc.feed_kind, published=e.published)
                   for e in parsed.entries}
    except Exception as exc:
        return Analysis(doc.feed_id, ParsedFeed(None, None, None, [], error=f"internal error while reading the "
                                                f"document: {exc.__class__.__name__}: {exc}"[:300]), {})
    return Analysis(doc.feed_id, parsed, matches)


def analyse_all(docs: list[Document], now: datetime, matcher: Matcher, profiles,
                processes: int | None = None) -> Iterator[Analysis]:
    """Yields analyses as they finish (any order)."""
    processes = min(processes if processes is not None else (os.cpu_count() or 1), len(docs))
    if processes < 2 or len(docs) < POOL_THRESHOLD:
        for doc in docs:
            yield analyse(doc, now, matcher)
        return
    # forkserver: children come from a clean single-threaded server, never from this process, whose
    # other threads (scheduler, HTTP pool) may hold locks at the moment of a plain fork.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tracker.feeds.analysis"])
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_init_worker,
                             initargs=profiles) as pool:
        futures = [pool.submit(analyse, doc, now) for doc in docs]
        for future in as_completed(futures):
            yield future.result()
