"""Our own feed client: every redirect hop checked, size capped while streaming, a hard deadline.

feedparser only ever sees bytes we fetched; it never touches the network.
"""
import email.utils
import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "NCRC-COP-Tracker/1.0 (+https://github.com/ncrc-pk; recommendations monitoring)"
PERMANENT = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchResult:
    outcome: Literal["ok", "not_modified", "gone", "retry_later", "error"]
    url: str
    final_url: str
    permanent_url: str | None
    status_code: int | None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    max_age: float | None = None
    error: str | None = None
    elapsed: float = 0.0


class _Refused(Exception):
    pass


def make_client(max_connections: int = 32) -> httpx.Client:
    """One client shared by a poll run, so connections to the same host are reused."""
    return httpx.Client(follow_redirects=False, trust_env=False, headers={"User-Agent": USER_AGENT},
                        limits=httpx.Limits(max_connections=max_connections,
                                            max_keepalive_connections=max_connections))


def address_problem(url: str, allow_private: bool) -> str | None:
    """Why this URL may not be fetched, or None. Checked on every hop, redirects included."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"only http and https feeds are fetched, not {parts.scheme or 'a relative address'!r}"
    if not parts.hostname:
        return "the feed address has no host"
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve host {parts.hostname}: {exc}"
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            return (f"address {ip} of {parts.hostname} is private, loopback or reserved; feeds there are refused "
                    f"unless TRACKER_ALLOW_PRIVATE_FEEDS=1")
    return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_dt = datetime.fromtimestamp(now if now is not None else time.time(), timezone.utc)
    return max(0.0, (when - now_dt).total_seconds())


def parse_max_age(cache_control: str | None) -> float | None:
    for part in (cache_control or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return float(value.strip())
    return None


def fetch_feed(url: str, *, etag: str | None = None, last_modified: str | None = None,
               allow_private: bool = False, connect_timeout: float = 10, total_timeout: float = 30,
               max_bytes: int = 5 * 1024 * 1024, max_redirects: int = 5,
               client: httpx.Client | None = None) -> FetchResult:
    """Never raises for network trouble: every failure is an outcome with a message for a person."""
    started = time.monotonic()
    own_client = client is None
    client = client or make_client(1)
    try:
        return _fetch(client, url, etag, last_modified, allow_private, connect_timeout,
                      started + total_timeout, total_timeout, max_bytes, max_redirects)
    finally:
        if own_client:
            client.close()


def _fetch(client, url, etag, last_modified, allow_private, connect_timeout, deadline, total_timeout,
           max_bytes, max_redirects) -> FetchResult:
    started = deadline - total_timeout
    current, seen, all_permanent = url, {url}, True

    def result(outcome, status=None, **kw):
        permanent = current if all_permanent and current != url and outcome in ("ok", "not_modified") else None
        return FetchResult(outcome, url, current, permanent, status, elapsed=time.monotonic() - started, **kw)

    for _hop in range(max_redirects + 1):
        problem = address_problem(current, allow_private)
        if problem:
            return result("error", error=problem)
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return result("error", error=f"gave up after {total_timeout:g} s (total time limit)")
        timeout = httpx.Timeout(min(remaining, total_timeout), connect=min(connect_timeout, remaining))
        try:
            with client.stream("GET", current, headers=headers, timeout=timeout) as response:
                status = response.status_code
                if status in REDIRECTS:
                    _drain(response)
                    location = response.headers.get("Location")
                    if not location:
                        return result("error", status, error=f"HTTP {status} redirect without a Location header")
                    all_permanent = all_permanent and status in PERMANENT
                    current = urljoin(current, location.strip())
                    if current in seen:
                        return result("error", status, error=f"redirect loop at {current}")
                    seen.add(current)
                    continue
                return _final(response, result, deadline, total_timeout, max_bytes)
        except httpx.ConnectTimeout:
            return result("error", error=f"could not connect within {connect_timeout:g} s")
        except httpx.TimeoutException:
            return result("error", error=f"no answer within the time limit ({total_timeout:g} s)")
        except _Refused as exc:
            return result("error", error=str(exc))
        except httpx.HTTPError as exc:
            return result("error", error=f"network error: {exc.__class__.__name__}: {exc}"[:500])
    return result("error", error=f"more than {max_redirects} redirects")


def _final(response: httpx.Response, result, deadline: float, total_timeout: float, max_bytes: int) -> FetchResult:
    status = response.status_code
    if status != 200:
        _drain(response)
    hints = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified"),
             "max_age": parse_max_age(response.headers.get("Cache-Control"))}
    if status == 304:
        return result("not_modified", status, **hints)
    if status == 410:
        return result("gone", status, error="HTTP 410 Gone")
    if status in (429, 503):
        wait = parse_retry_after(response.headers.get("Retry-After"))
        return result("retry_later", status, retry_after=wait,
                      error=f"HTTP {status}: the server asks us to come back later"
                            + (f" (in {wait:.0f} s)" if wait is not None else ""))
    if status >= 400:
        return result("error", status, error=f"HTTP {status} {response.reason_phrase}".strip())
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        return result("error", status, error=f"response larger than the {_mb(max_bytes)} limit "
                                             f"({int(declared):,} bytes declared)")
    body = bytearray()
    for chunk in response.iter_bytes():  # decoded: a gzip bomb hits the cap too
        body += chunk
        if len(body) > max_bytes:
            raise _Refused(f"response larger than the {_mb(max_bytes)} limit; stopped reading")
        if time.monotonic() > deadline:
            raise _Refused(f"gave up after {total_timeout:g} s: the server sends too slowly")
    return result("ok", status, body=bytes(body), content_type=response.headers.get("Content-Type"), **hints)


def _drain(response: httpx.Response, limit: int = 64 * 1024, seconds: float = 2.0) -> None:
    """Read a small unwanted body, so the connection goes back to the pool instead of being dropped
    (a new connection per 304 costs a handshake, and a TLS one on real feeds)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        return
    read, give_up = 0, time.monotonic() + seconds
    for chunk in response.iter_raw():
        read += len(chunk)
        if read > limit or time.monotonic() > give_up:
            return  # not worth keeping this connection


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"
