"""Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true` -> {"jobs": [...], "meta": {...}}."""

from __future__ import annotations

from careerlake.sources.fetch.response import BadResponseError, ids_of, json_body

SOURCE = "greenhouse"
EXTENSION = "json"


def board_url(endpoint: str, board: str) -> str:
    return f"{endpoint.rstrip('/')}/v1/boards/{board}/jobs?content=true"


def posting_ids(body: bytes) -> list[str]:
    document = json_body(body)
    if not isinstance(document, dict) or "jobs" not in document:
        raise BadResponseError("no 'jobs' array")
    return ids_of(document["jobs"], "jobs")
