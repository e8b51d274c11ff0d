"""A small local HTTP server that gzips text responses, like a production host.

Used by ``python -m tools bench`` to measure what a reader's browser really
transfers (Python's http.server never compresses, which would overstate HTML,
CSS, JS and the search index several times over). woff2 is already compressed
and is sent as is, as real servers do.
"""

from __future__ import annotations

import gzip
import os
import http.server
import socketserver
import threading
import time
from contextlib import contextmanager
from pathlib import Path

# Types a typical host (nginx gzip_types, GitHub Pages, Netlify) compresses.
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    transfer_log: list | None = None  # (path, header + body bytes) per GET
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to "dir/"
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self._gzip_body = body
        return None

    def flush_headers(self):
        self._header_bytes = sum(len(h) for h in getattr(self, "_headers_buffer", []))
        super().flush_headers()

    throttle: "Throttle | None" = None

    def do_GET(self):
        self._gzip_body = None
        self._header_bytes = 0
        body = 0
        if self.throttle:
            time.sleep(self.throttle.latency_s)
        f = self.send_head()
        if self._gzip_body is not None:
            self._send(self._gzip_body)
            body = len(self._gzip_body)
        elif f:
            try:
                body = os.fstat(f.fileno()).st_size
                self._send(f.read())
            finally:
                f.close()
        if self.transfer_log is not None:
            self.transfer_log.append((self.path, self._header_bytes + body))


    def _send(self, data: bytes) -> None:
        if not self.throttle:
            self.wfile.write(data)
            return
        for start in range(0, len(data), 16384):
            chunk = data[start:start + 16384]
            self.throttle.wait(len(chunk))
            self.wfile.write(chunk)


class Throttle:
    """One link of ``bits_per_s`` shared by every connection (a token bucket:
    parallel requests share the bandwidth, as on a phone), and ``latency_s``
    before each answer. The browser's own throttling (CDP) does not reach the
    requests a service worker makes, so the bench throttles at the server."""

    def __init__(self, bits_per_s: float, latency_s: float = 0.15):
        self.rate, self.latency_s = bits_per_s / 8, latency_s
        self._lock, self._free_at = threading.Lock(), 0.0

    def wait(self, n: int) -> None:
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + n / self.rate
            until = self._free_at
        time.sleep(max(0.0, until - time.monotonic()))


@contextmanager
def serve(directory: Path, gzip_enabled: bool = True, transfer_log: list | None = None,
          throttle: Throttle | None = None):
    """Serve ``directory`` on 127.0.0.1 (free port); yield the base URL.

    ``directory`` may not exist yet (build into it after the server is up, so
    the site can be built for its own address). With ``transfer_log``, every
    GET appends ``(path, bytes sent)``: headers plus the (compressed) body.
    """
    base = _GzipHandler if gzip_enabled else http.server.SimpleHTTPRequestHandler

    class Handler(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(directory), **kwargs)

        def log_message(self, *args):
            pass

    Handler.transfer_log = transfer_log
    Handler.throttle = throttle
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
