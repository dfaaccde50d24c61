"""The feed client against hostile servers on loopback. Nothing here reaches the internet."""
import ipaddress
import socket
import time

import pytest

from tests.feeds import hostile
from tracker.feeds.fetching import (address_problem, fetch_feed, ip_problem, parse_max_age,
                                    parse_retry_after)

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>'


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        server = hostile.RawServer(handler)
        servers.append(server)
        return server
    yield start
    for s in servers:
        s.close()


def fetch(url, **kw):
    return fetch_feed(url, allow_private=True, **{"connect_timeout": 1, "total_timeout": 2, **kw})


def test_ok_with_validators_and_cache_hints(serve):
    s = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml", "ETag": '"a"',
                                         "Last-Modified": "Tue, 10 Nov 2026 09:00:00 GMT",
                                         "Cache-Control": "public, max-age=900"}, RSS))
    r = fetch(s.base + "/f")
    assert (r.outcome, r.status_code, r.body) == ("ok", 200, RSS)
    assert (r.etag, r.last_modified, r.max_age) == ('"a"', "Tue, 10 Nov 2026 09:00:00 GMT", 900.0)


def test_not_modified(serve):
    s = serve(hostile.respond("304 Not Modified", {"ETag": '"a"'}, length=False))
    r = fetch(s.base + "/f", etag='"a"')
    assert r.outcome == "not_modified" and r.body == b""


def test_server_that_never_answers_times_out(serve):
    s = serve(hostile.never_answers)
    started = time.monotonic()
    r = fetch(s.base + "/f", total_timeout=1)
    assert r.outcome == "error" and "time limit" in r.error
    assert time.monotonic() - started < 5


def test_trickling_server_hits_the_total_deadline(serve):
    s = serve(hostile.trickles)
    started = time.monotonic()
    r = fetch(s.base + "/f", total_timeout=1)
    assert r.outcome == "error" and ("too slowly" in r.error or "time limit" in r.error)
    assert time.monotonic() - started < 5


def test_body_over_the_cap_declared(serve):
    s = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml"}, b"x" * 5000))
    r = fetch(s.base + "/f", max_bytes=1000)
    assert r.outcome == "error" and "larger than" in r.error and "declared" in r.error


def test_body_over_the_cap_chunked_stops_while_streaming(serve):
    s = serve(hostile.endless_chunked)
    r = fetch(s.base + "/f", max_bytes=200_000)
    assert r.outcome == "error" and "stopped reading" in r.error


def test_gone_and_retry_after(serve):
    gone = serve(hostile.respond("410 Gone", {}))
    assert fetch(gone.base + "/f").outcome == "gone"
    busy = serve(hostile.respond("429 Too Many Requests", {"Retry-After": "120"}))
    r = fetch(busy.base + "/f")
    assert (r.outcome, r.retry_after) == ("retry_later", 120.0)
    down = serve(hostile.respond("503 Service Unavailable", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}))
    assert fetch(down.base + "/f").retry_after > 10**8


def test_other_errors_name_the_status(serve):
    s = serve(hostile.respond("500 Internal Server Error", {}))
    r = fetch(s.base + "/f")
    assert r.outcome == "error" and "500" in r.error


def test_permanent_redirect_chain_sets_permanent_url(serve):
    target = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml"}, RSS))
    hop2 = serve(hostile.respond("308 Permanent Redirect", {"Location": target.base + "/new"}))
    hop1 = serve(hostile.respond("301 Moved Permanently", {"Location": hop2.base + "/mid"}))
    r = fetch(hop1.base + "/old")
    assert r.outcome == "ok" and r.permanent_url == target.base + "/new" and r.final_url == target.base + "/new"


def test_a_temporary_hop_means_no_permanent_url(serve):
    target = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml"}, RSS))
    hop2 = serve(hostile.respond("302 Found", {"Location": target.base + "/new"}))
    hop1 = serve(hostile.respond("301 Moved Permanently", {"Location": hop2.base + "/mid"}))
    r = fetch(hop1.base + "/old")
    assert r.outcome == "ok" and r.permanent_url is None


def test_redirect_loop(serve):
    s = serve(hostile.respond("302 Found", {"Location": "/loop"}))
    r = fetch(s.base + "/loop")
    assert r.outcome == "error" and "loop" in r.error


def test_private_addresses_are_refused_on_every_hop(serve):
    s = serve(hostile.respond("200 OK", {}, RSS))
    r = fetch_feed(s.base + "/f", allow_private=False)
    assert r.outcome == "error" and "TRACKER_ALLOW_PRIVATE_FEEDS" in r.error
    for url in ("http://10.0.0.1/f", "http://192.168.1.1/", "http://[::1]/", "http://169.254.169.254/latest"):
        assert "private" in address_problem(url, allow_private=False)
    assert "http and https" in address_problem("file:///etc/passwd", allow_private=False)


def test_header_parsers():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_max_age("no-cache, max-age=60") == 60.0 and parse_max_age(None) is None


PUBLIC = "93.184.216.34"


@pytest.fixture
def rebinding_dns(monkeypatch):
    """A name that answers a public address first and 127.0.0.1 next; connections to the public address
    are refused locally (nothing reaches the internet) and recorded."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    answers, connected = {"n": 0}, []

    def getaddrinfo(host, port, *args, **kw):
        if host != "rebind.test":
            return real_getaddrinfo(host, port, *args, **kw)
        answers["n"] += 1
        ip = PUBLIC if answers["n"] == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    def create_connection(address, *args, **kw):
        connected.append(address[0])
        if address[0] == PUBLIC:
            raise ConnectionRefusedError(111, "refused (test)")
        return real_connect(address, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return connected


def test_dns_rebinding_connects_to_the_checked_address(serve, rebinding_dns):
    s = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml"}, RSS))
    port = s.base.rsplit(":", 1)[1]
    r = fetch_feed(f"http://rebind.test:{port}/f", allow_private=False, connect_timeout=1, total_timeout=2)
    assert r.outcome == "error" and "refused the connection" in r.error
    assert rebinding_dns == [PUBLIC]  # the address that was checked, and nothing else
    assert not s.conns  # the loopback service was never reached


def test_a_redirect_to_a_private_address_is_refused_at_connection(serve, monkeypatch):
    target = serve(hostile.respond("200 OK", {"Content-Type": "application/rss+xml"}, RSS))
    port = int(target.base.rsplit(":", 1)[1])
    hop = serve(hostile.respond("302 Found", {"Location": f"http://internal.test:{port}/secret"}))
    hop_port = int(hop.base.rsplit(":", 1)[1])
    real_connect = socket.create_connection

    def create_connection(address, *args, **kw):  # the "public" server is the loopback hop, in this test
        return real_connect(("127.0.0.1", hop_port) if address[0] == PUBLIC else address, *args, **kw)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    answers = {"public.test": [PUBLIC], "internal.test": ["127.0.0.1"]}
    r = fetch_feed(f"http://public.test:{hop_port}/f", resolver=lambda host, p: answers[host],
                   connect_timeout=1, total_timeout=2)
    assert r.outcome == "error" and "127.0.0.1" in r.error and "TRACKER_ALLOW_PRIVATE_FEEDS" in r.error
    assert len(hop.conns) == 1 and not target.conns


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "2002:7f00:1::1", "::127.0.0.1", "::ffff:0:7f00:1",
                                     "::ffff:127.0.0.1", "fd00::1", "fe80::1", "::1", "::", "fec0::1",
                                     "2001:0:4136:e378:8000:63bf:3fff:fdd2", "10.1.2.3", "100.64.0.1",
                                     "169.254.169.254", "0.0.0.0", "224.0.0.1"])
def test_embedded_and_private_addresses_are_refused(address):
    literal = f"[{address}]" if ":" in address else address
    assert "refused unless" in address_problem(f"http://{literal}/f", allow_private=False)
    r = fetch_feed("http://name.test/f", resolver=lambda host, port: [address], connect_timeout=1, total_timeout=2)
    assert r.outcome == "error" and "refused unless" in r.error


def test_public_forms_pass_the_guard():
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"):
        assert ip_problem(ipaddress.ip_address(address)) is None


def test_unknown_host_is_said_in_plain_words():
    def resolver(host, port):
        raise socket.gaierror(-2, "Name or service not known")
    r = fetch_feed("http://nowhere.test/f", resolver=resolver, connect_timeout=1, total_timeout=2)
    assert r.outcome == "error" and r.error == "the address could not be found (no such host: nowhere.test)"
    assert "Errno" not in r.error


def test_connection_refused_is_said_in_plain_words():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/f"
    r = fetch(url)
    assert r.outcome == "error" and "refused the connection" in r.error and "Errno" not in r.error


@pytest.mark.parametrize("url", ["http://example.org:99999/f", "http://exa\x00mple.org/f", "http://[::1/f"])
def test_invalid_addresses_are_an_outcome_not_an_exception(url):
    r = fetch_feed(url, allow_private=True, connect_timeout=1, total_timeout=2)
    assert r.outcome == "error" and "not valid" in r.error
