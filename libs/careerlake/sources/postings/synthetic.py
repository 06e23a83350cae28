"""The synthetic posting every format renders, and the file writer the JSON formats share.

`careerlake.ingest.synthetic` draws the postings' attributes; each format's `write_synthetic`
renders them as its own landing files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

DAY_MS = 86_400_000
POSTINGS_PER_FILE = 1_000


class SyntheticPosting(TypedDict):
    company: str
    title: str
    city: str
    country: str
    workplace: str  # remote, hybrid or onsite
    currency: str | None  # None: no structured pay
    low: float
    high: float
    period: str  # year, month or hour
    text: str
    posted_ms: int


def slug(company: str) -> str:
    return company.lower().replace(" ", "")


def iso(ms: int) -> str:
    return np.datetime64(ms, "ms").astype(str) + "Z"


def write_json_files(
    folder: Path,
    ids: range,
    posting: Callable[[int], SyntheticPosting],
    render: Callable[[int, SyntheticPosting], dict[str, Any]],
    wrap: Callable[[list[dict[str, Any]]], str],
    extension: str = "json",
) -> None:
    """Files of POSTINGS_PER_FILE postings each, named `<board>-<first id>.<extension>`."""
    for start in range(ids.start, ids.stop, POSTINGS_PER_FILE):
        chunk = range(start, min(start + POSTINGS_PER_FILE, ids.stop))
        postings = [posting(i) for i in chunk]
        board = slug(postings[0]["company"])
        records = [render(i, p) for i, p in zip(chunk, postings, strict=True)]
        (folder / f"{board}-{start:09d}.{extension}").write_text(wrap(records), encoding="utf-8")
