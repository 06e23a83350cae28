"""Job `ingest_career_docs`: new files of <landing>/career_docs/ -> bronze.career_docs.

An availableNow stream (Auto Loader on Databricks, the binaryFile source locally) with its own
checkpoint picks up only files it has not seen; each micro-batch is MERGEd insert-only on
doc_id (hash of relative path and content hash) so a replayed batch adds nothing. Unreadable
files (empty, binary, invalid UTF-8, unsupported type) go to bronze.career_docs_quarantine.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.registry.bronze import CAREER_DOCS, CAREER_DOCS_QUARANTINE
from careerlake.runtime.context import JobContext, StepResult
from careerlake.runtime.delta import ensure_tables
from careerlake.runtime.errors import MissingSourceError
from careerlake.runtime.io import unwritten, write_new
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.platform import BINARY_FILE_SCHEMA

SOURCE = "career_docs"
EXTENSIONS = ("md", "txt", "html", "htm", "markdown")
MAX_RAW_CHARS = 1_000_000


def _relative_path(path: Column) -> Column:
    return F.regexp_extract(path, r"(career_docs/.*)$", 1)


def reject_reason() -> Column:
    """Why a landing file cannot be a document; null when it is readable text."""
    extension = F.lower(F.regexp_extract("path", r"\.([A-Za-z0-9]+)$", 1))
    text = F.col("content").cast("string")
    return (
        F.when(~extension.isin(*EXTENSIONS), F.concat(F.lit("unsupported file type: ."), extension))
        .when(F.coalesce(F.length("content"), F.lit(0)) == 0, F.lit("empty file"))
        .when(text.contains("\x00"), F.lit("binary file: NUL bytes"))
        .when(~F.is_valid_utf8(text), F.lit("invalid UTF-8"))
        .when(F.trim(text) == "", F.lit("empty file: whitespace only"))
    )


def to_bronze(files: DataFrame, run_id: str, now: datetime) -> DataFrame:
    """Readable files -> bronze.career_docs rows."""
    content_hash = F.sha2("content", 256)
    return files.where(F.col("reason").isNull()).select(
        F.sha2(F.concat_ws("|", _relative_path(F.col("path")), content_hash), 256).alias("doc_id"),
        F.col("path").alias("source_file"),
        F.regexp_extract("path", r"([^/]+)$", 1).alias("file_name"),
        F.col("modificationTime").alias("file_modified_at"),
        content_hash.alias("content_hash"),
        F.col("content").cast("string").alias("raw_text"),
        F.lit(now).alias("ingested_at"),
        F.lit(run_id).alias("run_id"),
    )


def quarantine_id() -> Column:
    """A landing file's bronze.career_docs_quarantine key: the same file quarantined again by a
    later run gets the same id."""
    return F.sha2(F.concat_ws("|", F.lit(SOURCE), F.col("path"), F.sha2("content", 256)), 256)


def to_quarantine(files: DataFrame, run_id: str, now: datetime) -> DataFrame:
    """Unreadable files -> bronze.career_docs_quarantine rows (raw text as far as it decodes)."""
    return files.where(F.col("reason").isNotNull()).select(
        quarantine_id().alias("quarantine_id"),
        F.lit(SOURCE).alias("source"),
        F.col("path").alias("source_file"),
        F.concat(F.lit("bytes="), F.coalesce(F.length("content"), F.lit(0)).cast("string")).alias(
            "record_ref"
        ),
        F.col("reason"),
        F.substring(F.try_validate_utf8(F.col("content").cast("string")), 1, MAX_RAW_CHARS).alias("raw_text"),
        F.lit(run_id).alias("run_id"),
        F.lit(now).alias("quarantined_at"),
    )


def classify(files: DataFrame) -> DataFrame:
    return files.withColumn("reason", reject_reason())


def empty_files(spark: SparkSession, folder: str) -> DataFrame:
    """Zero-byte files, which Spark's file sources skip silently, as binaryFile-shaped rows."""
    prefix = "dbfs:" if folder.startswith("/Volumes/") else "file:"
    with os.scandir(folder) as entries:
        rows = [
            (prefix + str(Path(folder, e.name)), datetime.fromtimestamp(e.stat().st_mtime, UTC), 0, b"")
            for e in entries
            if e.is_file() and not e.name.startswith((".", "_")) and e.stat().st_size == 0
        ]
    return rows_frame(spark, rows, BINARY_FILE_SCHEMA)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest_batch(ctx: JobContext, files: DataFrame, step: StepResult) -> None:
    now = _now()
    classified = classify(files)
    classified = ctx.platform.cache(classified)
    try:
        step.rows_read += classified.count()
        docs, rejects = to_bronze(classified, ctx.run_id, now), to_quarantine(classified, ctx.run_id, now)
        step.rows_written += write_new(ctx, CAREER_DOCS, docs)
        step.rows_quarantined += write_new(ctx, CAREER_DOCS_QUARANTINE, rejects)
    finally:
        ctx.platform.release(classified)


def ingest_career_docs(ctx: JobContext) -> None:
    if not ctx.config.sources.career_docs.enabled:
        return
    folder = f"{ctx.config.landing}/{SOURCE}"
    # Landing is a local folder or a Unity Catalog volume, both visible as files on the driver.
    if not Path(folder).is_dir():
        raise MissingSourceError(
            f"landing folder for career documents not found: {folder} "
            "(create it, or set sources.career_docs.enabled: false)"
        )
    with ctx.step(CAREER_DOCS) as step:
        ctx.platform.drain_new_files(
            folder,
            f"{ctx.config.checkpoints}/bronze_career_docs",
            f"ingest_career_docs_{ctx.run_id}",
            lambda files: ingest_batch(ctx, files, step),
        )
        # Zero-byte files never reach the stream, so they are listed again on every run: those
        # not quarantined yet go through as a batch, those an earlier run quarantined are not read.
        empty = empty_files(ctx.spark, folder).withColumn("quarantine_id", quarantine_id())
        empty = unwritten(ctx, CAREER_DOCS_QUARANTINE, empty).drop("quarantine_id")
        if not empty.isEmpty():
            ingest_batch(ctx, empty, step)
    # Silver reads both tables, also when no file has landed yet. Created here, after the stream,
    # when no batch did: a table created in this thread would make the micro-batch's first write
    # a MERGE, not an append (`runtime.delta.merge_into`).
    ensure_tables(ctx.spark, ctx.config, (CAREER_DOCS, CAREER_DOCS_QUARANTINE))
