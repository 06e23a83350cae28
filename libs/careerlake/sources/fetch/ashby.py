"""Ashby Posting API: `GET /posting-api/job-board/{name}?includeCompensation=true` -> {"apiVersion", "jobs": [...]}."""

from __future__ import annotations

from careerlake.sources.fetch.response import BadResponseError, ids_of, json_body

SOURCE = "ashby"
EXTENSION = "json"


def board_url(endpoint: str, board: str) -> str:
    return f"{endpoint.rstrip('/')}/posting-api/job-board/{board}?includeCompensation=true"


def posting_ids(body: bytes) -> list[str]:
    document = json_body(body)
    if not isinstance(document, dict) or "jobs" not in document:
        raise BadResponseError("no 'jobs' array")
    return ids_of(document["jobs"], "jobs")
