"""Evidence a reader can trust: the title and publisher of a link an editor typed, looked up in the background.

The save never waits for a web page. After the transaction that recorded a change commits, a thread fetches
the link through the guarded feed client (every redirect hop checked, size and time capped) and fills in the
title; the scheduler's job does the same for any link a thread did not get to (the process stopped). Each
link is tried once: a page that cannot be read leaves the change showing its address.
"""
import logging
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.feeds.fetching import FetchResult, fetch_feed
from tracker.recommendations.models import StatusChange

log = logging.getLogger(__name__)
PENDING_KEY = "tracker_evidence_to_describe"
MAX_PAGE_BYTES = 512 * 1024


@dataclass(frozen=True)
class PageDescription:
    title: str | None
    publisher: str | None


class _HeadParser(HTMLParser):
    """Reads <title> and the Open Graph title and site name from a page's head."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title_parts: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag == "meta":
            attrs = {k.lower(): (v or "") for k, v in attrs}
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key in ("og:title", "og:site_name", "twitter:title") and key not in self.meta:
                self.meta[key] = attrs.get("content", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)


def _clean(text: str | None, limit: int) -> str | None:
    text = " ".join("".join(c for c in (text or "") if ord(c) >= 32).split())
    return text[:limit] or None


def describe_page(body: bytes, content_type: str | None = None) -> PageDescription:
    """The page's title (its Open Graph title first) and publisher (og:site_name); pure, no network."""
    charset = "utf-8"
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[-1].split(";")[0].strip() or "utf-8"
    try:
        html = body.decode(charset, errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    parser = _HeadParser()
    parser.feed(html[:MAX_PAGE_BYTES])
    title = parser.meta.get("og:title") or parser.meta.get("twitter:title") or "".join(parser.title_parts)
    return PageDescription(_clean(title, 500), _clean(parser.meta.get("og:site_name"), 200))


def needs_description(change: StatusChange) -> bool:
    return bool(change.evidence_url and not change.evidence_title and change.evidence_checked_at is None)


def remember_to_describe(session: Session, change: StatusChange) -> None:
    """Notes the change for a lookup once its transaction commits (nothing happens on rollback)."""
    if needs_description(change):
        session.info.setdefault(PENDING_KEY, []).append(change.id)


def describe_evidence(session: Session, change_ids: list[int] | None = None, *, allow_private: bool = False,
                      fetch: Callable[..., FetchResult] = fetch_feed, limit: int = 20) -> int:
    """Looks up titles for changes whose typed link has none yet; returns how many were described. Flushes."""
    stmt = select(StatusChange).where(StatusChange.evidence_url.is_not(None), StatusChange.evidence_title.is_(None),
                                      StatusChange.evidence_checked_at.is_(None))
    if change_ids is not None:
        stmt = stmt.where(StatusChange.id.in_(change_ids))
    described = 0
    for change in session.scalars(stmt.order_by(StatusChange.id).limit(limit)):
        result = fetch(change.evidence_url, allow_private=allow_private, total_timeout=15, max_bytes=MAX_PAGE_BYTES)
        change.evidence_checked_at = utcnow()
        if result.outcome == "ok" and "html" in (result.content_type or "text/html").lower():
            page = describe_page(result.body, result.content_type)
            change.evidence_title = page.title
            change.evidence_publisher = change.evidence_publisher or page.publisher
            described += bool(page.title)
        else:
            log.info("evidence link %s not described: %s", change.evidence_url, result.error or result.outcome)
    session.flush()
    return described


def publisher_from_url(url: str | None) -> str | None:
    """Until (or unless) the page names its publisher, its host says who published it."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.") or None


def _describe_in_background(app: Flask, change_ids: list[int]) -> None:
    from tracker.extensions import db
    with app.app_context():
        try:
            describe_evidence(db.session, change_ids, allow_private=app.config.get("TRACKER_ALLOW_PRIVATE_FEEDS", False))
            db.session.commit()
        except Exception:  # a lookup is a nicety: it must never take anything down
            log.exception("looking up evidence titles failed")
            db.session.rollback()
        finally:
            db.session.remove()


def _after_commit(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    if not ids or not has_app_context():
        return
    app = current_app._get_current_object()
    if not app.config.get("TRACKER_EVIDENCE_TITLES", not app.testing):
        return
    thread = threading.Thread(target=_describe_in_background, args=(app, ids), daemon=True,
                              name="evidence-titles")
    thread.start()
    # Kept (the live ones) so tests and a graceful shutdown can wait for them.
    threads = [t for t in app.extensions.get("tracker_evidence_threads", []) if t.is_alive()]
    app.extensions["tracker_evidence_threads"] = threads + [thread]


def _after_rollback(session: Session, _transaction=None) -> None:
    session.info.pop(PENDING_KEY, None)


def init_app(app: Flask) -> None:
    from tracker.extensions import db
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)


def job() -> None:
    from tracker.extensions import db
    n = describe_evidence(db.session, allow_private=current_app.config.get("TRACKER_ALLOW_PRIVATE_FEEDS", False))
    db.session.commit()
    if n:
        log.info("described %s evidence links", n)


def jobs(app: Flask) -> list:
    from tracker.scheduler import Job, every
    # A backstop for lookups a web process did not finish (it stopped, or the setting is off there).
    return [Job("recommendations.describe_evidence", job, every(10))]
