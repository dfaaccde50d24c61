"""What the polling benches share: documents served on loopback, and a stopwatch.

`LoopbackServers` is one threaded HTTP server per loopback address (127.0.0.1 … 127.0.0.N), because the
poller sends one request at a time per host, as real feeds live on many hosts. It serves fixed documents
by path, counts the requests per path, and optionally answers conditional GETs (ETag and Last-Modified,
304 when If-None-Match matches): the feed bench uses that; the page bench measures sources that send none.
"""
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOSTS = 20
LAST_MODIFIED = "Sun, 01 Nov 2026 00:00:00 GMT"


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def etag_of(body: bytes) -> str:
    return f'"{hash(body) & 0xffffffff:x}"'


class LoopbackServers:
    """`docs` maps a path to (content type, body); anything else is a 404."""

    def __init__(self, docs: dict[str, tuple[str, bytes]], *, hosts: int = HOSTS, conditional: bool = False):
        self.counts: Counter = Counter()
        lock = threading.Lock()
        counts = self.counts

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Without these, Nagle + delayed ACK add ~40 ms to every response and the server is what we measure.
            disable_nagle_algorithm = True
            wbufsize = 1 << 16

            def do_GET(self):
                with lock:
                    counts[self.path] += 1
                found = docs.get(self.path)
                if found is None:
                    self._answer(404, "text/plain", b"")
                    return
                kind, body = found
                if not conditional:
                    self._answer(200, kind, body)
                    return
                etag = etag_of(body)
                if self.headers.get("If-None-Match") == etag:
                    self._answer(304, None, b"", ETag=etag)
                    return
                self._answer(200, kind, body, ETag=etag, **{"Last-Modified": LAST_MODIFIED})

            def _answer(self, status: int, kind: str | None, body: bytes, **headers: str) -> None:
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpds = []
        for h in range(hosts):
            httpd = ThreadingHTTPServer((f"127.0.0.{h + 1}", 0), Handler)
            httpd.daemon_threads = True
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            self.httpds.append(httpd)

    def url(self, n: int, path: str) -> str:
        """The address of `path` on the n-th source's host (sources are spread round-robin over the hosts)."""
        host, port = self.httpds[n % len(self.httpds)].server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        for httpd in self.httpds:
            httpd.shutdown()
            httpd.server_close()
