"""Job `ingest_postings`: new landing files of every enabled format -> bronze.postings.

One availableNow stream per format with its own checkpoint picks up only files it has not
seen; each micro-batch is parsed with Spark and MERGEd insert-only on record_id (postings)
and quarantine_id (rejects), so a replayed batch or a re-delivered identical file adds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.ingest.records import (
    classify,
    empty_file_quarantine,
    schema_drift_from_headers,
    schema_drift_from_records,
    to_bronze,
    to_quarantine,
)
from careerlake.registry.bronze import POSTINGS_QUARANTINE, SCHEMA_DRIFT
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import ensure_tables
from careerlake.runtime.errors import MissingSourceError
from careerlake.runtime.io import unwritten, write_new
from careerlake.runtime.local_rows import rows_frame
from careerlake.sources.postings import PostingFormat, bronze_postings, enabled_formats


@dataclass
class IngestCounts:
    """Per format and run: records seen = accepted + quarantined."""

    seen: int = 0
    accepted: int = 0
    quarantined: int = 0
    written: int = 0
    quarantine_written: int = 0

    def add(self, other: IngestCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def landing_folder(ctx: JobContext, source_format: str) -> str:
    folder = f"{ctx.config.landing}/postings/{source_format}"
    # Landing is a local folder or a Unity Catalog volume, both visible as files on the driver.
    if not Path(folder).is_dir():
        raise MissingSourceError(
            f"landing folder for postings format '{source_format}' not found: {folder} "
            f"(create it, or set sources.postings.{source_format}.enabled: false)"
        )
    return folder


def empty_files(folder: str) -> list[str]:
    """Zero-byte files of `folder`, as Spark names them; Spark's file scans skip them silently."""
    prefix = "dbfs:" if folder.startswith("/Volumes/") else "file:"
    with os.scandir(folder) as entries:
        return sorted(
            prefix + str(Path(folder, e.name))
            for e in entries
            if e.is_file() and not e.name.startswith((".", "_")) and e.stat().st_size == 0
        )


def ingest_batch(ctx: JobContext, fmt: PostingFormat, files: DataFrame) -> IngestCounts:
    """Parse one micro-batch of landing files and MERGE its records; return the counts."""
    now = _now()
    candidates = classify(fmt.parse(files))
    candidates = ctx.platform.cache(candidates)
    try:
        stats = candidates.agg(
            F.count(F.lit(1)).alias("seen"), F.sum(F.col("error").isNotNull().cast("long")).alias("bad")
        ).first()
        seen, bad = int(stats["seen"]), int(stats["bad"] or 0)
        counts = IngestCounts(seen=seen, accepted=seen - bad, quarantined=bad)
        counts.written = write_new(ctx, bronze_postings(), to_bronze(candidates, fmt.name, ctx.run_id, now))
        if bad:
            counts.quarantine_written = write_new(
                ctx, POSTINGS_QUARANTINE, to_quarantine(candidates, fmt.name, ctx.run_id, now)
            )
        if fmt.drift_from_header:
            headers = files.select(
                F.substring_index(F.col("content").cast("string"), "\n", 1).alias("header")
            )
            drift = schema_drift_from_headers(
                headers, fmt.name, fmt.required_fields, fmt.known_fields, ctx.run_id, now
            )
        else:
            accepted = candidates.where(F.col("error").isNull())
            drift = schema_drift_from_records(
                accepted,
                fmt.name,
                fmt.required_fields,
                fmt.known_fields,
                ctx.run_id,
                now,
                fmt.field_json_types(),
            )
        write_new(ctx, SCHEMA_DRIFT, drift)
    finally:
        ctx.platform.release(candidates)
    return counts


def ingest_format(ctx: JobContext, fmt: PostingFormat, folder: str) -> IngestCounts:
    """Drain the new files of one format's landing folder through its checkpointed stream."""
    total = IngestCounts()
    ctx.platform.drain_new_files(
        folder,
        f"{ctx.config.checkpoints}/bronze_postings/{fmt.name}",
        f"ingest_postings_{fmt.name}_{ctx.run_id}",
        lambda files: total.add(ingest_batch(ctx, fmt, files)),
    )

    empties = empty_files(folder)
    if empties:
        rows = empty_file_quarantine(
            rows_frame(ctx.spark, [(p,) for p in empties], "source_file string"),
            fmt.name,
            ctx.run_id,
            _now(),
        )
        # Listed again on every run: only those no earlier run quarantined are seen in this one.
        rows = unwritten(ctx, POSTINGS_QUARANTINE, rows)
        if not rows.isEmpty():
            new = write_new(ctx, POSTINGS_QUARANTINE, rows)
            total.add(IngestCounts(seen=new, quarantined=new, quarantine_written=new))
    return total


def ingest_postings(ctx: JobContext) -> None:
    """Every enabled format; one step per format: records seen, new bronze rows, records quarantined."""
    formats = enabled_formats(ctx.config)
    # Check every folder first: a configuration mistake fails before anything is written.
    folders = {fmt.name: landing_folder(ctx, fmt.name) for fmt in formats}
    postings = bronze_postings()
    # Downstream jobs read all three tables, also when a run had nothing to quarantine.
    ensure_tables(ctx.spark, ctx.config, (postings, POSTINGS_QUARANTINE, SCHEMA_DRIFT))
    for fmt in formats:
        with ctx.step(f"{postings.id}:{fmt.name}") as step:
            counts = ingest_format(ctx, fmt, folders[fmt.name])
            step.rows_read, step.rows_written = counts.seen, counts.written
            step.rows_quarantined = counts.quarantined
