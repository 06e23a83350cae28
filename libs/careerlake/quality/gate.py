"""The gate every table write passes: validate the incremental batch, then MERGE.

A critical breach raises `QualityBreachError` naming the table, the expectation and the
failing-row count, and nothing is written; warnings are recorded and the write goes on.
Every result is queued for ops.quality_results before the decision, and the run writes
them when it ends, so failures are on record.
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.quality.checks import P50_DRIFT_SUITE, p50_drift_check, p50_drift_frame
from careerlake.quality.engine import build_data_docs, run_gx_checks, run_spark_checks
from careerlake.quality.results import CheckResult, enforce
from careerlake.quality.suites import Suite, build_suite
from careerlake.registry import Table
from careerlake.registry.gold import SALARY_BENCHMARKS
from careerlake.runtime.config import Config, Quality
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import merge_into

_SUITES: dict[tuple[str, Quality], Suite] = {}


def suite_for(table: Table, config: Config) -> Suite:
    """The table's suite, built once per process (only quality settings change a suite)."""
    cache_key = (table.id, config.quality)
    if cache_key not in _SUITES:
        _SUITES[cache_key] = build_suite(table, config)
    return _SUITES[cache_key]


def _drift_results(ctx: JobContext, table: Table, batch: DataFrame) -> list[CheckResult]:
    frame = p50_drift_frame(ctx, table, batch)
    if frame is None:
        return []
    check = p50_drift_check(ctx)
    return run_gx_checks(ctx.config, table.id, P50_DRIFT_SUITE, (check,), frame, rows=0)


def validate_batch(ctx: JobContext, table: Table, batch: DataFrame) -> list[CheckResult]:
    """Every check of the table's suite on `batch`, without recording or raising."""
    suite = suite_for(table, ctx.config)
    rows, results = run_spark_checks(suite, batch)
    if rows == 0:
        # Nothing would be written: no check can fail, and GX would only add seconds.
        return []
    results += run_gx_checks(ctx.config, table.id, suite.name, suite.gx_checks, batch, rows)
    if table.id == SALARY_BENCHMARKS.id:
        results += _drift_results(ctx, table, batch)
    # Rendering the site costs about a second, so it happens once, when the run ends.
    ctx.report.at_finish("data_docs", lambda: build_data_docs(ctx.config))
    return results


def check_batch(ctx: JobContext, table: Table, batch: DataFrame) -> None:
    """Validate `batch` against the table's suite; record results; raise on a critical breach."""
    enforce(ctx, table.id, validate_batch(ctx, table, batch))


def write_validated(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    *,
    update_condition: str | None = None,
    insert_only: bool = False,
    delete_unmatched: bool = False,
) -> int:
    """Check `batch` against the table's suite, then MERGE it on the table's keys (see merge_into)."""
    # Where the platform can, the batch is computed once and its lineage cut, so the checks
    # and the MERGE read the same rows and Spark plans each query over a leaf instead of
    # re-analysing the whole transform.
    batch = ctx.platform.pin(batch)
    check_batch(ctx, table, batch)
    return merge_into(
        ctx.spark,
        ctx.config,
        table,
        batch,
        update_condition=update_condition,
        insert_only=insert_only,
        delete_unmatched=delete_unmatched,
    )
