"""A local twin of the public board APIs on 127.0.0.1: scripted responses per path, faults included.

Each path serves its script in order (the last answer repeats) and every request is recorded,
so a test can say exactly what was asked, how often, and with which headers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: longer than the client's timeout is a timeout
    truncate_to: int | None = None  # send only this many bytes of a body announced whole
    # Answer 304 when the request's If-None-Match equals this answer's ETag.
    conditional: bool = False


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class BoardTwin:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Answer]] = {}
        self.requests: list[Seen] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}  # per Host header
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, path: str, *answers: Answer) -> None:
        self.scripts[path] = list(answers)

    def hits(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def _next(self, path: str) -> Answer:
        with self._lock:
            answers = self.scripts.get(path)
            if not answers:
                return Answer(404, b'{"error": "not found"}')
            return answers.pop(0) if len(answers) > 1 else answers[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        twin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = self.headers.get("Host", "")
                with twin._lock:
                    twin.requests.append(Seen(self.path, dict(self.headers.items()), time.monotonic()))
                    twin.in_flight[host] = twin.in_flight.get(host, 0) + 1
                    twin.max_in_flight[host] = max(twin.max_in_flight.get(host, 0), twin.in_flight[host])
                answer = twin._next(self.path)
                time.sleep(answer.delay)
                # Out of flight before the first byte goes back: once the client has the answer it
                # may send its next request, which must not find this one still counted.
                with twin._lock:
                    twin.in_flight[host] -= 1
                self._answer(answer)

            def _answer(self, answer: Answer) -> None:
                etag = answer.headers.get("ETag")
                status = answer.status
                if answer.conditional and etag and self.headers.get("If-None-Match") == etag:
                    status = 304
                body = b"" if status == 304 else answer.body
                try:
                    self.send_response(status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    if answer.truncate_to is not None:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.write(body if answer.truncate_to is None else body[: answer.truncate_to])
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (its timeout)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[BoardTwin]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()
