"""Good manners toward the servers we read: one request at a time per host, a User-Agent that names the
service and a contact address, and robots.txt honoured for pages and the documents they link to.

Government servers are small; a poll run of many sources must never hit one of them in parallel. robots.txt
is read with protego (the parser Scrapy uses: RFC 9309, wildcards, Allow/Disallow precedence) once per host
per run. RFC 9309: a robots.txt that is missing (4xx) or unusable (too large, a redirect loop) allows
everything; one the server cannot deliver (5xx, 429, network trouble) means "do not crawl" until it can.
"""
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import current_app
from protego import Protego

from tracker.feeds.fetching import FEED_ACCEPT, PAGE_ACCEPT, SERVICE_NAME, FetchResult, Resolver, fetch_feed, \
    make_client

ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_AGENT = SERVICE_NAME.split("/")[0]


class PoliteClient:
    def __init__(self, *, allow_private: bool, contact_url: str | None, resolver: Resolver | None = None,
                 timeout: float = 30, connect_timeout: float = 10, max_bytes: int = 5 * 1024 * 1024):
        self.allow_private = allow_private
        self.client = make_client(allow_private=allow_private, resolver=resolver, contact_url=contact_url)
        self.timeout, self.connect_timeout, self.max_bytes = timeout, connect_timeout, max_bytes
        self._hosts: dict[str, threading.Lock] = {}
        self._robots: dict[str, Protego | str | None] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def _host_lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._hosts.setdefault(key, threading.Lock())

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None, page: bool = False,
              max_bytes: int | None = None) -> FetchResult:
        """A feed, or (page=True) a page or linked document, which robots.txt must allow."""
        host = _host_key(url)
        with self._host_lock(host):
            if page:
                refusal = self._robots_refusal(url, host)
                if refusal:
                    return FetchResult("error", url, url, None, None, error=refusal)
            return fetch_feed(url, etag=etag, last_modified=last_modified, allow_private=self.allow_private,
                              client=self.client, total_timeout=self.timeout, connect_timeout=self.connect_timeout,
                              max_bytes=max_bytes or self.max_bytes, accept=PAGE_ACCEPT if page else FEED_ACCEPT)

    def _robots_refusal(self, url: str, host: str) -> str | None:
        """Called with the host's lock held, so robots.txt is fetched once per host per run."""
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        rules = self._robots[host]
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(url, ROBOTS_AGENT):
            return (f"robots.txt of {urlsplit(url).hostname} does not allow automated reading of "
                    f"{urlsplit(url).path or '/'}; ask the site to allow {ROBOTS_AGENT}, or remove this source")
        return None

    def _read_robots(self, host: str) -> Protego | str | None:
        result = fetch_feed(f"{host}/robots.txt", allow_private=self.allow_private, client=self.client,
                            total_timeout=self.timeout, connect_timeout=self.connect_timeout,
                            max_bytes=ROBOTS_MAX_BYTES, accept="text/plain, */*;q=0.5")
        if result.outcome == "ok":
            try:
                return Protego.parse(result.body.decode("utf-8", "replace"))
            except Exception:
                return None  # unreadable rules are no rules
        status = result.status_code
        if status is not None and status < 500 and status != 429:
            return None  # missing (4xx), oversized or redirected away: no usable rules, everything allowed
        return (f"robots.txt could not be read ({result.error or result.outcome}); the site is not read until "
                f"it can be (RFC 9309)")


def _host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc.lower()}"
    except ValueError:
        return url


def contact_url() -> str | None:
    config = current_app.config
    return config.get("TRACKER_CONTACT_URL") or config.get("TRACKER_BASE_URL")


@contextmanager
def polite_client(resolver: Resolver | None = None):
    web = PoliteClient(allow_private=current_app.config["TRACKER_ALLOW_PRIVATE_FEEDS"], contact_url=contact_url(),
                       resolver=resolver)
    try:
        yield web
    finally:
        web.close()
