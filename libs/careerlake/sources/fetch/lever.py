"""Lever Postings API: `GET /v0/postings/{company}?mode=json` -> [...] (every published posting)."""

from __future__ import annotations

from careerlake.sources.fetch.response import ids_of, json_body

SOURCE = "lever"
EXTENSION = "json"


def board_url(endpoint: str, board: str) -> str:
    return f"{endpoint.rstrip('/')}/v0/postings/{board}?mode=json"


def posting_ids(body: bytes) -> list[str]:
    return ids_of(json_body(body), "the response")
