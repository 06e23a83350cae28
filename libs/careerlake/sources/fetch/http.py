"""The polite HTTP client: timeouts, bounded retries with backoff honouring Retry-After, a User-Agent."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from careerlake.runtime.config import Fetch

RETRY_STATUSES = (429, 500, 502, 503, 504)


def retry_policy(settings: Fetch) -> Retry:
    """urllib3's Retry: exponential backoff, Retry-After honoured but capped, then the last response."""

    class CappedRetry(Retry):
        # A server asking for an hour's pause would stall the daily run: wait at most the cap.
        def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
            seconds = super().get_retry_after(response)
            return None if seconds is None else min(seconds, settings.max_retry_after_seconds)

    return CappedRetry(
        total=settings.retries,
        backoff_factor=settings.backoff_seconds,
        backoff_max=settings.max_retry_after_seconds,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


def polite_session(settings: Fetch) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(
        max_retries=retry_policy(settings),
        pool_connections=8,
        pool_maxsize=settings.per_host_in_flight,
        pool_block=True,
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"})
    # No proxies or netrc from the environment: the fetch goes where the config says.
    session.trust_env = False
    return session


def attempts(response: requests.Response) -> int:
    """Requests made for this response: 1 plus the retries urllib3 recorded."""
    retries = getattr(response.raw, "retries", None)
    return 1 + len(retries.history) if retries is not None else 1
