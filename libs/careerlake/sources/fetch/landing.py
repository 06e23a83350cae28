"""Where a response lands (`postings/<format>/<board>-<UTC timestamp>.<ext>`), atomically, and the
small per-board state (last content hash, ETag, Last-Modified) that makes a quiet day a no-op."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

STATE_FOLDER = "_fetch_state"


@dataclass(frozen=True)
class BoardState:
    content_hash: str
    file: str
    etag: str | None = None
    last_modified: str | None = None


def landing_name(board: str, fetched_at: datetime, extension: str, page_key: str | None = None) -> str:
    """`<board>-<UTC timestamp>[-<page key>].<ext>`; ingestion reads the board before the first '-'."""
    stamp = fetched_at.strftime("%Y%m%dT%H%M%S%fZ")
    return f"{board}-{stamp}{f'-{page_key}' if page_key else ''}.{extension}"


def write_atomically(path: Path, body: bytes) -> None:
    """Write to a hidden temporary file in the same folder, then rename: readers see all or nothing.

    The landing streams skip names starting with '.', so they never pick the temporary file up.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def state_path(landing: str, source: str, key: str) -> Path:
    # Beside, not inside, the format folders that ingestion reads.
    return Path(landing) / "postings" / STATE_FOLDER / source / f"{key}.json"


def read_state(landing: str, source: str, key: str) -> BoardState | None:
    path = state_path(landing, source, key)
    if not path.is_file():
        return None
    try:
        return BoardState(**json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError):
        return None  # a damaged state only costs one duplicate file, which ingestion deduplicates


def write_state(landing: str, source: str, key: str, state: BoardState) -> None:
    write_atomically(state_path(landing, source, key), json.dumps(asdict(state), sort_keys=True).encode())
