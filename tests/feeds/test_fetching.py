"""The feed client against hostile servers on loopback. Nothing here reaches the internet."""
import time

import pytest

from tests.feeds import hostile
from tracker.feeds.fetching import address_problem, fetch_feed, parse_max_age, parse_retry_after

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
