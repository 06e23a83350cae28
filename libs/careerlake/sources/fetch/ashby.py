"""Ashby Posting API: `GET /posting-api/job-board/{name}?includeCompensation=true` -> {"apiVersion", "jobs": [...]}."""

from __future__ import annotations

from careerlake.sources.fetch.response import jobs_array_ids

SOURCE = "ashby"
EXTENSION = "json"


def board_url(endpoint: str, board: str) -> str:
    return f"{endpoint.rstrip('/')}/posting-api/job-board/{board}?includeCompensation=true"


def posting_ids(body: bytes) -> list[str]:
    return jobs_array_ids(body)
