"""Job `silver_postings`: new bronze.postings records -> silver.postings, its SCD2 history and quarantine.

Bronze is read through its Change Data Feed from the version after the last one processed
(kept in a small checkpoint file); `--full-refresh` reprocesses every record. Every write is
a MERGE that only touches real changes, so a re-run writes nothing. Postings that left their
fetched board (ops.fetch_log) are then closed (silver.postings.closures). A run that finds no
bronze version after the last one processed only closes postings.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.reference.taxonomy import reference_frame
from careerlake.registry.bronze import POSTINGS as BRONZE_POSTINGS
from careerlake.registry.ops import FETCH_LOG
from careerlake.registry.reference import FX_RATES
from careerlake.registry.silver import POSTING_PAY_RANGES, POSTINGS, POSTINGS_HISTORY, POSTINGS_QUARANTINE
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import ensure_table, read_changes, source_name
from careerlake.runtime.io import replace_groups, write_changes, write_new
from careerlake.silver.postings.closures import (
    closed_current_rows,
    closed_postings,
    closure_versions,
    listed_postings,
)
from careerlake.silver.postings.history import (
    HISTORY_CHANGED,
    POSTING_CHANGED,
    current_postings,
    fold_history,
)
from careerlake.silver.postings.pay_ranges import posting_pay_ranges
from careerlake.silver.postings.transform import (
    normalize_records,
    split_rejected,
    to_quarantine,
    with_rejection_reason,
)


def checkpoint_file(ctx: JobContext) -> Path:
    return Path(ctx.config.checkpoints) / "silver_postings" / "bronze_version.json"


def read_bronze_changes(ctx: JobContext) -> tuple[DataFrame | None, int]:
    """bronze.postings rows added since the last processed version (None when no version was
    added since), and the version read up to."""
    name = source_name(ctx.spark, ctx.config, BRONZE_POSTINGS, "ingest_postings")
    latest = ctx.platform.latest_version(BRONZE_POSTINGS)
    assert latest is not None, f"{name} was found, so it has a version"
    checkpoint = checkpoint_file(ctx)
    processed = None
    if checkpoint.is_file() and not ctx.full_refresh:
        processed = int(json.loads(checkpoint.read_text(encoding="utf-8"))["bronze_version"])
    columns = BRONZE_POSTINGS.column_names
    if processed is None:
        return ctx.spark.read.option("versionAsOf", latest).table(name).select(*columns), latest
    if processed >= latest:
        return None, latest
    changes = read_changes(ctx.spark, ctx.config, BRONZE_POSTINGS, processed, latest).where(
        F.col("_change_type").isin("insert", "update_postimage")
    )
    return changes.select(*columns).dropDuplicates(["record_id"]), latest


def save_checkpoint(ctx: JobContext, version: int) -> None:
    checkpoint = checkpoint_file(ctx)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    checkpoint.write_text(json.dumps({"bronze_version": version, "run_id": ctx.run_id}), encoding="utf-8")


def fx_rates(ctx: JobContext) -> DataFrame:
    """reference.fx_rates, or the packaged rates when the reference job has not run here."""
    name = ctx.name(FX_RATES)
    if ctx.spark.catalog.tableExists(name):
        return ctx.spark.table(name)
    return reference_frame(ctx.spark, FX_RATES)


def close_missing_postings(ctx: JobContext, now: datetime) -> None:
    """Mark the postings that left their boards' latest fetched responses closed (see closures)."""
    # Closures come only from fetched boards. Where nothing was ever fetched (the table is missing,
    # or the fetch job ran with no boards) one small read saves the closure plans, which cost
    # seconds on any size.
    if not ctx.spark.catalog.tableExists(ctx.name(FETCH_LOG)):
        return
    fetch_log = ctx.spark.table(ctx.name(FETCH_LOG))
    if fetch_log.isEmpty():
        return
    postings, history = ctx.spark.table(ctx.name(POSTINGS)), ctx.spark.table(ctx.name(POSTINGS_HISTORY))
    listed = listed_postings(fetch_log)
    # The postings still marked open that their boards closed, computed once for both writes; on
    # most runs there are none, and then neither write plans anything. (A posting marked closed
    # has its closed history version already: the history is written first.)
    open_postings = postings.where(~F.col("is_closed"))
    closed = ctx.platform.pin(
        closed_postings(listed, ctx.spark.table(ctx.name(BRONZE_POSTINGS)), open_postings)
    )
    if closed.isEmpty():
        for table in (POSTINGS_HISTORY, POSTINGS):
            with ctx.step(f"{table.id}:closures") as step:
                step.message = "nothing to close: no open posting left its fetched boards"
        return
    # Both writes read the tables' state after the history write, so a re-run writes nothing.
    with ctx.step(f"{POSTINGS_HISTORY.id}:closures") as step:
        step.rows_written = write_changes(
            ctx, POSTINGS_HISTORY, closure_versions(closed, history), update_condition=HISTORY_CHANGED
        )
    with ctx.step(f"{POSTINGS.id}:closures") as step:
        rows = closed_current_rows(closed, ctx.spark.table(ctx.name(POSTINGS_HISTORY)), postings, now)
        step.rows_written = write_changes(ctx, POSTINGS, rows, update_condition=POSTING_CHANGED)


def record_nothing_new(ctx: JobContext, version: int) -> None:
    """The steps of a run that found no bronze version after `version`, the last one processed:
    each table exists, nothing is read or written, and the step says why."""
    for table in (POSTINGS_QUARANTINE, POSTINGS_HISTORY, POSTINGS, POSTING_PAY_RANGES):
        with ctx.step(table) as step:
            ensure_table(ctx.spark, ctx.config, table)
            step.message = f"nothing new: {BRONZE_POSTINGS.id} has no version after {version}"


def silver_postings(ctx: JobContext) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    bronze, version = read_bronze_changes(ctx)
    if bronze is None:
        # A run whose fetches changed nothing in bronze (ops.fetch_log is an input, so such a run
        # is not skipped): planning and writing an empty batch would cost seconds for nothing;
        # closures still follow the latest fetches.
        record_nothing_new(ctx, version)
        close_missing_postings(ctx, now)
        save_checkpoint(ctx, version)
        return
    bronze = ctx.platform.cache(with_rejection_reason(bronze))
    mappable, rejected = split_rejected(bronze)
    with ctx.step(POSTINGS_QUARANTINE) as step:
        step.rows_read = bronze.count()
        quarantine = to_quarantine(rejected, ctx.run_id, now)
        step.rows_quarantined = rejected.count()
        step.rows_written = write_new(ctx, POSTINGS_QUARANTINE, quarantine)
    # Normalizing and the pay ranges both convert with the rates.
    rates = ctx.platform.cache_read(fx_rates(ctx))
    records = normalize_records(mappable, rates)
    records = ctx.platform.cache(records)
    with ctx.step(POSTINGS_HISTORY) as step:
        step.rows_read = read = records.count()
        existing = ctx.spark.table(ensure_table(ctx.spark, ctx.config, POSTINGS_HISTORY))
        history = fold_history(records, existing)
        step.rows_written = write_changes(ctx, POSTINGS_HISTORY, history, update_condition=HISTORY_CHANGED)
    with ctx.step(POSTINGS) as step:
        step.rows_read = read
        existing = ctx.spark.table(ensure_table(ctx.spark, ctx.config, POSTINGS))
        current = current_postings(records, existing, now)
        step.rows_written = write_changes(ctx, POSTINGS, current, update_condition=POSTING_CHANGED)
    with ctx.step(POSTING_PAY_RANGES) as step:
        step.rows_read = read
        ranges = posting_pay_ranges(records, rates, now)
        step.rows_written = replace_groups(ctx, POSTING_PAY_RANGES, ranges, records.select("posting_id"))
    close_missing_postings(ctx, now)
    save_checkpoint(ctx, version)
    ctx.platform.release(records, bronze, rates)
