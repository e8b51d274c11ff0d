"""Serve a built site to a Playwright browser context at the address it was
built for (its site_url), without a server: the pages' Content-Security-Policy
names each script by its absolute URL (guide/pages/csp.py), so a site built for
https://guide.example.org/ only runs its scripts when loaded from there."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit


def host_site(context, site_dir: Path, site_url: str) -> None:
    """Answer every request under ``site_url`` from ``site_dir`` (``dir/`` is
    ``dir/index.html``; a missing file is a 404)."""
    root = Path(site_dir).resolve()
    prefix = urlsplit(site_url).path

    def fulfil(route):
        path = unquote(urlsplit(route.request.url).path)
        relative = path[len(prefix):] if path.startswith(prefix) else None
        target = (root / relative).resolve() if relative is not None else None
        if target is not None and target.is_dir():
            target = target / "index.html"
        if target is None or not target.is_relative_to(root) or not target.is_file():
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=target.read_bytes(), headers={"Content-Type": kind})

    context.route(site_url.rstrip("/") + "/**", fulfil)


class LocalServer:
    """A local HTTP server, bound at once so a site can be built for its address
    (hreflang, sitemap and the Content-Security-Policy name the served origin),
    serving a directory once it is given one (``serve``)."""

    def __init__(self) -> None:
        import http.server
        import socketserver

        self.root: str | None = None
        self._serving = False
        owner = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=owner.root, **kwargs)

            def log_message(self, *args):  # keep pytest output readable
                pass

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def serve(self, root) -> str:
        import threading

        self.root = str(root)
        if not self._serving:
            threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
            self._serving = True
        return self.url

    def close(self) -> None:
        if self._serving:  # shutdown() waits forever if serve_forever never ran
            self.httpd.shutdown()
        self.httpd.server_close()
