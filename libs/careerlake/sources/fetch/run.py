"""Fetch every configured board: bounded in flight per host, one board's failure never stops another."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import requests

from careerlake.runtime.config import Fetch
from careerlake.sources.fetch import ashby, greenhouse, jsonld, lever
from careerlake.sources.fetch.http import attempts, polite_session
from careerlake.sources.fetch.landing import (
    BoardState,
    landing_name,
    read_state,
    write_atomically,
    write_state,
)
from careerlake.sources.fetch.response import BadResponseError

APIS: dict[str, ModuleType] = {module.SOURCE: module for module in (greenhouse, lever, ashby)}
UNCHANGED = "unchanged"
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class Target:
    source: str
    board: str
    url: str
    # A board API answers with every open posting: a posting missing from it is closed.
    full_board: bool
    page_key: str | None = None  # a sitemap's page: lands as <board>-<time>-<page key>.html

    @property
    def state_key(self) -> str:
        return f"{self.board}-{self.page_key}" if self.page_key else self.board


@dataclass(frozen=True)
class FetchResult:
    """One request's outcome, as ops.fetch_log records it."""

    source: str
    board: str
    url: str
    fetched_at: datetime
    full_board: bool
    status: int | None = None
    bytes: int | None = None
    posting_ids: tuple[str, ...] | None = None
    content_hash: str | None = None
    file: str | None = None  # the landed file, UNCHANGED, or None (failed, or a sitemap)
    seconds: float = 0.0
    attempts: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def board_targets(settings: Fetch) -> list[Target]:
    """The API boards and the JSON-LD pages of the config (sitemaps are expanded when fetched)."""
    targets = [
        Target(source, board, api.board_url(getattr(settings.endpoints, source), board), full_board=True)
        for source, api in APIS.items()
        for board in getattr(settings.boards, source)
    ]
    targets += [Target(jsonld.SOURCE, page.name, page.url, False) for page in settings.boards.jsonld_pages]
    return targets


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Fetcher:
    """Fetches targets over one polite client, at most `per_host_in_flight` requests per host."""

    def __init__(self, settings: Fetch, landing: str) -> None:
        self.settings = settings
        self.landing = landing
        self._local = threading.local()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def _session(self) -> requests.Session:
        # One client per worker thread: requests does not promise a shared Session is thread-safe.
        if not hasattr(self._local, "session"):
            self._local.session = polite_session(self.settings)
        return self._local.session

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = urlsplit(url).netloc
        with self._hosts_lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(self.settings.per_host_in_flight))

    def get(self, target: Target, state: BoardState | None) -> tuple[requests.Response, int]:
        headers = {}
        if state and state.etag:
            headers["If-None-Match"] = state.etag
        if state and state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        timeout = self.settings.timeout_seconds
        with self._host_slot(target.url):
            response = self._session().get(target.url, headers=headers, timeout=(timeout, timeout))
        return response, attempts(response)

    def fetch(
        self, target: Target, read: Callable[[bytes], list[str]], *, land: bool = True
    ) -> tuple[FetchResult, bytes | None]:
        """One target: the result, and the body of a 200 that `read` accepted (landed when `land`)."""
        started, fetched_at = time.perf_counter(), _now()
        result = FetchResult(target.source, target.board, target.url, fetched_at, target.full_board)
        state = read_state(self.landing, target.source, target.state_key) if land else None
        body = None
        try:
            response, tries = self.get(target, state)
            result = replace(result, status=response.status_code, attempts=tries)
            if response.status_code == 304 and state:
                result = replace(result, file=UNCHANGED, content_hash=state.content_hash)
            elif response.status_code != 200:
                result = replace(result, error=f"HTTP {response.status_code} {response.reason or ''}".strip())
            else:
                body = response.content
                digest = hashlib.sha256(body).hexdigest()
                ids = tuple(read(body))
                result = replace(result, bytes=len(body), posting_ids=ids, content_hash=digest)
                if land:
                    result = self._land(target, result, response, body, state)
        except BadResponseError as exc:
            result, body = replace(result, error=f"bad response: {exc}"[:MAX_ERROR_CHARS]), None
        except requests.RequestException as exc:
            tries = self.settings.retries + 1 if isinstance(exc, requests.ConnectionError) else 1
            result = replace(result, attempts=tries, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS])
        return replace(result, seconds=round(time.perf_counter() - started, 3)), body

    def _land(
        self,
        target: Target,
        result: FetchResult,
        response: requests.Response,
        body: bytes,
        state: BoardState | None,
    ) -> FetchResult:
        """Write the body unless it equals the board's last landed content; remember its validators."""
        if state and state.content_hash == result.content_hash:
            file = UNCHANGED
        else:
            name = landing_name(target.board, result.fetched_at, EXTENSIONS[target.source], target.page_key)
            path = Path(self.landing) / "postings" / target.source / name
            write_atomically(path, body)
            file = str(path)
        landed = state.file if file == UNCHANGED and state else file
        write_state(
            self.landing,
            target.source,
            target.state_key,
            BoardState(
                str(result.content_hash),
                landed,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            ),
        )
        return replace(result, file=file)


EXTENSIONS = {module.SOURCE: module.EXTENSION for module in (greenhouse, lever, ashby, jsonld)}
READERS: dict[str, Callable[[bytes], list[str]]] = {
    module.SOURCE: module.posting_ids for module in (greenhouse, lever, ashby, jsonld)
}


def _sitemap_pages(fetcher: Fetcher, settings: Fetch) -> tuple[list[FetchResult], list[Target]]:
    """Fetch each sitemap (logged, never landed) and turn its first pages into targets."""
    results, pages = [], []
    for sitemap in settings.boards.jsonld_sitemaps:
        target = Target(jsonld.SOURCE, sitemap.name, sitemap.url, full_board=False)
        result, _ = fetcher.fetch(target, jsonld.sitemap_pages, land=False)
        results.append(result)
        pages += [
            Target(jsonld.SOURCE, sitemap.name, url, False, hashlib.sha256(url.encode()).hexdigest()[:12])
            for url in (result.posting_ids or ())[: settings.max_sitemap_pages]
        ]
    return results, pages


def fetch_boards(settings: Fetch, landing: str) -> list[FetchResult]:
    """Every configured board and page, fetched and landed; one result per request, never an exception."""
    fetcher = Fetcher(settings, landing)
    results, pages = _sitemap_pages(fetcher, settings)
    targets = board_targets(settings) + pages
    hosts = {urlsplit(t.url).netloc for t in targets}
    workers = max(1, min(16, settings.per_host_in_flight * len(hosts)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        fetched = pool.map(lambda t: fetcher.fetch(t, READERS[t.source])[0], targets)
        return results + list(fetched)
