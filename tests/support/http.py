"""A local HTTP server on 127.0.0.1 that serves files and misbehaves on purpose."""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    content_length: int | None = None  # lie about the length (truncated body)
    reset: bool = False  # close the connection without answering


class Server:
    """Routes map a path to a list of replies, served in order (the last one repeats).

    HEAD answers a route's headers without its body (`no_head`: paths whose HEAD is refused with 405, "*" for
    all); a GET with `Range: bytes=a-b` on a 200 reply answers 206 with that slice and its Content-Range."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Callable] = {}
        self.requests: list[tuple[str, dict]] = []
        self.methods: list[tuple[str, str]] = []  # (method, path) of every request
        self.no_head: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                server.methods.append((self.command, self.path))
                route = server.routes.get(self.path.split("?")[0]) or server.routes.get(self.path)
                if self.command == "HEAD" and ({"*", self.path.split("?")[0]} & server.no_head):
                    reply = Reply(405, b"", {"Allow": "GET"})
                elif route is None:
                    reply = Reply(404, b"not found")
                elif callable(route):
                    reply = route(self)
                else:
                    reply = route.pop(0) if len(route) > 1 else route[0]
                wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
                if wanted and reply.status == 200 and reply.content_length is None and not reply.reset:
                    a, b = int(wanted.group(1)), int(wanted.group(2))
                    reply = Reply(206, reply.body[a:b + 1], {**reply.headers,
                                  "Content-Range": f"bytes {a}-{min(b, len(reply.body) - 1)}/{len(reply.body)}"})
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                length = reply.content_length if reply.content_length is not None else len(reply.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command == "HEAD":
                    return
                try:
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if reply.content_length is not None and reply.content_length > len(reply.body):
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def publisher_with_registry(tmp_path, monkeypatch, registry: str):
    """A Server, and the bundled reference data with `registry` (formatted with base=the server's URL)
    as sources.toml, in force through BORDERSTATS_REFERENCE_DIR."""
    import shutil

    from etl.config import reference_dir

    with Server() as srv:
        ref = tmp_path / "reference"
        shutil.copytree(reference_dir(), ref)
        (ref / "sources.toml").write_text(registry.format(base=srv.url), encoding="utf-8")
        monkeypatch.setenv("BORDERSTATS_REFERENCE_DIR", str(ref))
        yield srv
