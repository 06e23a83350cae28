"""What every API module raises when a response does not have its API's shape."""

from __future__ import annotations

import json
from typing import Any


class BadResponseError(ValueError):
    """A 200 response whose body is not what the API returns: it is logged and not landed."""


def json_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadResponseError(f"invalid JSON: {exc}") from None


def jobs_array_ids(body: bytes) -> list[str]:
    """Posting ids of a `{"jobs": [...]}` response (Greenhouse and Ashby both answer so)."""
    document = json_body(body)
    if not isinstance(document, dict) or "jobs" not in document:
        raise BadResponseError("no 'jobs' array")
    return ids_of(document["jobs"], "jobs")


def ids_of(postings: Any, where: str) -> list[str]:
    """The `id` of every posting object of a JSON array."""
    if not isinstance(postings, list):
        raise BadResponseError(f"{where} is not a JSON array")
    ids = [str(p["id"]) for p in postings if isinstance(p, dict) and p.get("id") is not None]
    if len(ids) != len(postings):
        raise BadResponseError(f"{where}: {len(postings) - len(ids)} element(s) without an id")
    return ids
