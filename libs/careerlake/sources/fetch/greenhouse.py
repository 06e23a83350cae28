"""Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true` -> {"jobs": [...], "meta": {...}}."""

from __future__ import annotations

from careerlake.sources.fetch.response import jobs_array_ids

SOURCE = "greenhouse"
EXTENSION = "json"


def board_url(endpoint: str, board: str) -> str:
    return f"{endpoint.rstrip('/')}/v1/boards/{board}/jobs?content=true"


def posting_ids(body: bytes) -> list[str]:
    return jobs_array_ids(body)
