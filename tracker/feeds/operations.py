"""Adding, changing and removing sources (RSS/Atom feeds and HTML pages read with CSS selectors)."""
from dataclasses import dataclass, fields
from pathlib import Path

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feeds.models import FEED_KINDS, Feed
from tracker.feeds.pages import selector_problem
from tracker.web_addresses import validate_web_address

SOURCES_FILE = Path(__file__).resolve().parents[2] / "feeds" / "sources.yaml"


class FeedError(InvalidInput):
    pass


@dataclass
class SourceInput:
    """What a person gives for a source, from the CLI, the form or sources.yaml; validated by `validated`."""
    url: object
    name: object
    kind: object = "news"
    interval_minutes: object = 60
    page: object = None      # the item selector: set for a page source
    title: object = None
    link: object = None
    date: object = None
    summary: object = None
    follow: object = False
    needs_check: object = False


def validate_feed_url(url: object) -> str:
    return validate_web_address(url, field="url", what=_("Feed address"))


def _selector(value: object, field: str, label: str, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FeedError(_("A page source needs a %(label)s selector.", label=label), field)
        return None
    if not isinstance(value, str):
        raise FeedError(_("The %(label)s selector must be text.", label=label), field)
    problem = selector_problem(value.strip())
    if problem:
        raise FeedError(_("The %(label)s selector cannot be used: %(problem)s.", label=label, problem=problem), field)
    return value.strip()


def validated(data: SourceInput) -> dict:
    """Column values for a Feed; raises FeedError naming the field at fault."""
    url = validate_feed_url(data.url)
    if data.kind not in FEED_KINDS:
        raise FeedError(_("Unknown kind %(kind)s: use one of %(all)s.", kind=repr(data.kind),
                          all=", ".join(FEED_KINDS)), "kind")
    name = data.name.strip() if isinstance(data.name, str) else ""
    if not name or len(name) > 120 or any(ord(c) < 32 for c in name):
        raise FeedError(_("A source needs a name of 1 to 120 characters."), "name")
    try:
        interval = int(data.interval_minutes)
    except (TypeError, ValueError):
        interval = 0
    if not 5 <= interval <= 24 * 60 or isinstance(data.interval_minutes, bool):
        raise FeedError(_("Interval must be between 5 and 1440 minutes."), "interval_minutes")
    values = {"url": url, "name": name, "kind": data.kind, "interval_minutes": interval}
    is_page = data.page is not None and not (isinstance(data.page, str) and not data.page.strip())
    if is_page:
        values.update(source_type="page",
                      item_selector=_selector(data.page, "page", _("item"), True),
                      title_selector=_selector(data.title, "title", _("title"), True),
                      link_selector=_selector(data.link, "link", _("link"), True),
                      date_selector=_selector(data.date, "date", _("date"), False),
                      summary_selector=_selector(data.summary, "summary", _("summary"), False),
                      follow=bool(data.follow))
    else:
        for name_, value in (("title", data.title), ("link", data.link), ("date", data.date),
                             ("summary", data.summary)):
            if value:
                raise FeedError(_("Selectors need --page (the item selector): an RSS or Atom feed has none."),
                                name_)
        if data.follow:
            raise FeedError(_("Following links is for page sources (give --page and its selectors)."), "follow")
        values.update(source_type="feed", item_selector=None, title_selector=None, link_selector=None,
                      date_selector=None, summary_selector=None, follow=False)
    values["needs_check"] = bool(data.needs_check)
    return values


def add_source(session: Session, data: SourceInput) -> Feed:
    values = validated(data)
    if session.scalar(select(Feed.id).where(Feed.url == values["url"])):
        raise FeedError(_("A source with address %(url)s already exists.", url=values["url"]), "url")
    feed = Feed(**values)
    session.add(feed)
    session.flush()
    return feed


def add_feed(session: Session, url: str, name: str, kind: str, interval_minutes: int = 60) -> Feed:
    return add_source(session, SourceInput(url, name, kind, interval_minutes))


def get_source(session: Session, feed_id: int) -> Feed:
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise NotFound(_("No source with id %(id)s.", id=feed_id))
    return feed


def edit_source(session: Session, feed_id: int, data: SourceInput) -> Feed:
    feed = get_source(session, feed_id)
    values = validated(data)
    if session.scalar(select(Feed.id).where(Feed.url == values["url"], Feed.id != feed.id)):
        raise FeedError(_("A source with address %(url)s already exists.", url=values["url"]), "url")
    reading_changed = any(getattr(feed, k) != v for k, v in values.items()
                          if k in ("url", "source_type", "item_selector", "title_selector", "link_selector",
                                   "date_selector", "summary_selector"))
    for key, value in values.items():
        setattr(feed, key, value)
    if reading_changed:  # read it afresh at the next poll, with the new address or selectors
        feed.etag = feed.last_modified = feed.page_hash = None
        feed.next_poll_at = None
        feed.error_count = 0
    session.flush()
    return feed


def delete_source(session: Session, feed_id: int) -> str:
    """Deletes the source with its entries and their suggestions; a decision already taken keeps its
    status change (the history names the source in its note)."""
    feed = get_source(session, feed_id)
    name = feed.name
    session.delete(feed)
    session.flush()
    return name


def source_input_from(feed: Feed) -> SourceInput:
    return SourceInput(feed.url, feed.name, feed.kind, feed.interval_minutes, feed.item_selector,
                       feed.title_selector, feed.link_selector, feed.date_selector, feed.summary_selector,
                       feed.follow, feed.needs_check)


# ---- the sources file ------------------------------------------------------------------------------
KNOWN_KEYS = {f.name for f in fields(SourceInput)} - {"needs_check"} | {"needs_check", "selectors", "language"}
SOURCE_LANGUAGES = ("en", "ur")  # the language of a source's items (the matcher reads both; docs/matching.md)


class SourcesFileError(InvalidInput):
    pass


def load_sources_file(path: Path = SOURCES_FILE) -> list[SourceInput]:
    """Every entry validated before any is used; an error names the file and the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SourcesFileError(f"{path}: not valid YAML: {exc}") from None
    rows = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise SourcesFileError(f"{path}: expected a top-level `sources:` list")
    out, urls = [], set()
    for number, row in enumerate(rows, 1):
        where = f"{path}, entry {number}" + (f" ({row.get('name')})" if isinstance(row, dict) and
                                             row.get("name") else "")
        if not isinstance(row, dict):
            raise SourcesFileError(f"{where}: each entry must be a mapping (name:, url:, kind: …)")
        unknown = set(row) - KNOWN_KEYS
        if unknown:
            raise SourcesFileError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        if row.get("language", "en") not in SOURCE_LANGUAGES:
            raise SourcesFileError(f"{where}: language must be one of {', '.join(SOURCE_LANGUAGES)}, "
                                   f"got {row.get('language')!r}")
        selectors = row.get("selectors") or {}
        if not isinstance(selectors, dict):
            raise SourcesFileError(f"{where}: `selectors` must be a mapping (item:, title:, link:, date:, summary:)")
        bad = set(selectors) - {"item", "title", "link", "date", "summary"}
        if bad:
            raise SourcesFileError(f"{where}: unknown selector(s) {', '.join(sorted(map(str, bad)))}")
        source = SourceInput(row.get("url"), row.get("name"), row.get("kind", "news"),
                             row.get("interval_minutes", 60), selectors.get("item", row.get("page")),
                             selectors.get("title", row.get("title")), selectors.get("link", row.get("link")),
                             selectors.get("date", row.get("date")), selectors.get("summary", row.get("summary")),
                             bool(row.get("follow", False)), bool(row.get("needs_check", False)))
        try:
            values = validated(source)
        except InvalidInput as exc:
            raise SourcesFileError(f"{where}: {exc.message}" + (f" (field {exc.field})" if exc.field else "")) \
                from None
        if values["url"] in urls:
            raise SourcesFileError(f"{where}: the address {values['url']} is listed twice")
        urls.add(values["url"])
        out.append(source)
    return out


def seed_sources(session: Session, path: Path = SOURCES_FILE) -> int:
    """Adds the file's sources that are not there yet; returns how many were added."""
    sources = load_sources_file(path)
    known = set(session.scalars(select(Feed.url)))
    added = 0
    for source in sources:
        if validate_feed_url(source.url) not in known:
            add_source(session, source)
            added += 1
    return added


def set_active(session: Session, feed: Feed, active: bool) -> None:
    feed.active = active
    if active:
        feed.next_poll_at = None  # due at once
    session.flush()


def make_due(session: Session, feed_id: int) -> Feed:
    """"Poll now": due at once (the scheduler takes it within a minute)."""
    feed = get_source(session, feed_id)
    feed.next_poll_at = None
    session.flush()
    return feed
