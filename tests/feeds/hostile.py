"""Loopback servers that misbehave on purpose: raw sockets, so they can stall, trickle or lie."""
import socket
import threading
import time
from collections.abc import Callable


class RawServer:
    """Calls handler(conn) for each connection on 127.0.0.1; the handler writes whatever it likes."""

    def __init__(self, handler: Callable[[socket.socket], None]):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.handler = handler
        self.stopped = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            conn.recv(65536)
            self.handler(conn, self)
        except OSError:
            pass

    def close(self):
        self.stopped.set()
        self.sock.close()
        for conn in self.conns:
            try:
                conn.close()
            except OSError:
                pass


def respond(status: str, headers: dict, body: bytes = b"", *, length: bool = True):
    def handler(conn, server):
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if length:
            head += f"Content-Length: {len(body)}\r\n"
        conn.sendall((head + "Connection: close\r\n\r\n").encode() + body)
        conn.close()
    return handler


def never_answers(conn, server):
    server.stopped.wait(30)


def trickles(conn, server):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(300):
        if server.stopped.is_set():
            return
        conn.sendall(b"<")
        time.sleep(0.05)


def endless_chunked(conn, server):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 65536
    while not server.stopped.is_set():
        conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
