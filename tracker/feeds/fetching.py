"""Our own feed client: every redirect hop checked, size capped while streaming, a hard deadline.

feedparser only ever sees bytes we fetched; it never touches the network.

The private-address guard lives in the connection itself (`GuardedBackend`): the host name is resolved
once, every address is checked, and the socket connects to the address that was checked. Checking a name
and letting the HTTP client resolve it again to connect let a name that answers a public address first and
127.0.0.1 next (DNS rebinding) reach internal services. TLS still verifies the certificate against the
host name, and the Host header and SNI still carry it: only the TCP connection is pinned.
"""
import email.utils
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

SERVICE_NAME = "NCRC-COP-Tracker/1.0"
USER_AGENT = f"{SERVICE_NAME} (recommendations monitoring)"
PERMANENT = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)

Resolver = Callable[[str, int], list[str]]

# Address blocks that embed IPv4 or reach private space through a translator or tunnel; `is_global` does
# not refuse all of them (NAT64's 64:ff9b::/96 counts as global), so they are refused by name.
REFUSED_V6 = tuple(ipaddress.ip_network(n) for n in (
    "64:ff9b::/96",    # NAT64: 64:ff9b::7f00:1 is 127.0.0.1 behind a translator
    "64:ff9b:1::/48",  # local-use NAT64
    "2002::/16",       # 6to4: 2002:7f00:1:: tunnels to 127.0.0.1
    "2001::/32",       # Teredo
    "::/96",           # IPv4-compatible ::a.b.c.d (deprecated)
    "::ffff:0:0/96",   # IPv4-mapped ::ffff:a.b.c.d
    "::ffff:0:0:0/96",  # IPv4-translated ::ffff:0:a.b.c.d
    "fc00::/7",        # unique local
    "fec0::/10",       # site-local (deprecated)
    "fe80::/10",       # link-local
))


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


class AddressRefused(Exception):
    """Raised from inside a connection attempt; the message is for a person."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0].split("%")[0] for info in infos]


def ip_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped and ip.ipv4_mapped.is_global:
            return None if not ip.ipv4_mapped.is_multicast else "multicast"
        if any(ip in net for net in REFUSED_V6):
            return "an IPv6 form that embeds IPv4 or private space"
    if not ip.is_global or ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local \
            or ip.is_reserved or ip.is_unspecified:
        return "private, loopback or reserved"
    return None


def _refusal(ip, host: str, why: str) -> str:
    return (f"address {ip} of {host} is {why}; sources there are refused unless "
            f"TRACKER_ALLOW_PRIVATE_FEEDS=1")


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks, and connects to the checked address: one resolution per connection."""

    def __init__(self, allow_private: bool, resolver: Resolver | None = None):
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = self.resolver(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise AddressRefused(f"the address could not be found (no such host: {host})") from exc
        if not addresses:
            raise AddressRefused(f"the address could not be found (no such host: {host})")
        if not self.allow_private:
            for address in addresses:
                ip = ipaddress.ip_address(address)
                why = ip_problem(ip)
                if why:
                    raise AddressRefused(_refusal(ip, host, why))
        last: Exception | None = None
        for address in addresses:  # the checked addresses, never the name again
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, resolver: Resolver | None, limits: httpx.Limits):
        super().__init__(limits=limits, trust_env=False)
        # httpx has no public hook for the network backend, so the pool it built is replaced by the same
        # pool over ours. The TLS context (certificate checks against the URL's host name) is kept.
        self._pool = httpcore.ConnectionPool(
            ssl_context=self._pool._ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=GuardedBackend(allow_private, resolver))


def user_agent(contact_url: str | None) -> str:
    return f"{SERVICE_NAME} (recommendations monitoring; +{contact_url})" if contact_url else USER_AGENT


def make_client(max_connections: int = 32, *, allow_private: bool = False, resolver: Resolver | None = None,
                contact_url: str | None = None) -> httpx.Client:
    """One client shared by a poll run, so connections to the same host are reused. Every connection it
    opens goes through the private-address guard (unless allow_private)."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    return httpx.Client(follow_redirects=False, trust_env=False, headers={"User-Agent": user_agent(contact_url)},
                        transport=GuardedTransport(allow_private, resolver, limits))


def address_problem(url: str, allow_private: bool = False) -> str | None:
    """Why this URL may not be fetched, or None, without a DNS look-up (the connection checks the address
    it resolves). Checked on every hop, redirects included."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the address is not valid: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"only http and https addresses are fetched, not {parts.scheme or 'a relative address'!r}"
    if not parts.hostname:
        return "the address has no host"
    if port == 0:
        return "the address is not valid: port 0"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"the address is not valid: {exc}"
    if allow_private:
        return None
    try:
        ip = ipaddress.ip_address(parts.hostname.split("%")[0])
    except ValueError:
        return None  # a name: checked when connecting
    why = ip_problem(ip)
    return _refusal(ip, parts.hostname, why) if why else None


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


FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, application/pdf;q=0.8, */*;q=0.5"


def fetch_feed(url: str, *, etag: str | None = None, last_modified: str | None = None,
               allow_private: bool = False, connect_timeout: float = 10, total_timeout: float = 30,
               max_bytes: int = 5 * 1024 * 1024, max_redirects: int = 5,
               client: httpx.Client | None = None, resolver: Resolver | None = None,
               accept: str = FEED_ACCEPT) -> FetchResult:
    """Never raises: every failure is an outcome with a message for a person.

    A client passed in carries its own private-address guard (see make_client); without one, a client
    with this call's allow_private and resolver is made for the call."""
    started = time.monotonic()
    own_client = client is None
    client = client or make_client(1, allow_private=allow_private, resolver=resolver)
    try:
        return _fetch(client, url, etag, last_modified, allow_private, connect_timeout,
                      started + total_timeout, total_timeout, max_bytes, max_redirects, accept)
    except Exception as exc:  # a bug or an odd address on one source must never stop a poll run
        return FetchResult("error", url, url, None, None, elapsed=time.monotonic() - started,
                           error=f"the address could not be fetched: {plain_error(exc)}"[:500])
    finally:
        if own_client:
            client.close()


def plain_error(exc: BaseException) -> str:
    """Network failures in words an admin understands, not "[Errno -2]"."""
    seen = exc
    while seen is not None:
        if isinstance(seen, AddressRefused | _Refused):
            return str(seen)
        if isinstance(seen, socket.gaierror):
            return "the address could not be found (the host name does not exist)"
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"the secure connection failed: the server's certificate is not valid ({seen.verify_message})"
        if isinstance(seen, ssl.SSLError):
            return "the secure connection (TLS) failed"
        if isinstance(seen, ConnectionRefusedError):
            return "the server refused the connection (nothing is listening at that address and port)"
        if isinstance(seen, ConnectionResetError):
            return "the server closed the connection unexpectedly"
        if isinstance(seen, OSError) and seen.errno in (101, 113):
            return "the server cannot be reached from here (no route to it)"
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection or sent an answer that is not HTTP"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect to the server"
    if isinstance(exc, httpx.InvalidURL | ValueError):
        return f"the address is not valid ({exc})"
    return f"{exc.__class__.__name__}: {exc}"


def _fetch(client, url, etag, last_modified, allow_private, connect_timeout, deadline, total_timeout,
           max_bytes, max_redirects, accept) -> FetchResult:
    started = deadline - total_timeout
    current, seen, all_permanent = url, {url}, True

    def result(outcome, status=None, **kw):
        permanent = current if all_permanent and current != url and outcome in ("ok", "not_modified") else None
        return FetchResult(outcome, url, current, permanent, status, elapsed=time.monotonic() - started, **kw)

    for _hop in range(max_redirects + 1):
        problem = address_problem(current, allow_private)
        if problem:
            return result("error", error=problem)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return result("error", error=f"gave up after {total_timeout:g} s (total time limit)")
        timeout = httpx.Timeout(min(remaining, total_timeout), connect=min(connect_timeout, remaining))
        status = None
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
            return result("error", error=f"the server did not accept a connection within {connect_timeout:g} s")
        except httpx.TimeoutException:
            return result("error", error=f"no answer within the time limit ({total_timeout:g} s)")
        except (_Refused, AddressRefused) as exc:
            return result("error", status, error=str(exc))
        except httpx.HTTPError as exc:
            return result("error", error=plain_error(exc)[:500])
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
