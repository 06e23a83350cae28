"""The gate every table write passes: decide the batch's checks before the MERGE.

`check_batch` is the gate: the entry point puts it on each job's context and every write of
`careerlake.runtime.io` calls it before its MERGE.

Every critical check is decided before the write, at the cost of one pass: the row rules
are counted by the action that computes the batch (`DataFrame.observe`; where the platform
computes nothing ahead, one aggregation), the keys by one small query over the computed batch,
the schema from the batch's schema. A critical breach raises `QualityBreachError` naming the
table, the expectation and the failing-row count, and nothing is written; warnings are
recorded and the write goes on. The write gets the batch with its row count (`Gated`).

Great Expectations validates each written table once per job (all of the job's batches of
that table together), for the Data Docs and the distribution warnings; where the platform
cannot keep a batch until the job ends (Databricks classic), it validates each batch as it is
written. Every result is queued for ops.quality_results and written when the run ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Any

from pyspark.sql import DataFrame

from careerlake.quality.drift import drift_frame
from careerlake.quality.engine import (
    build_data_docs,
    key_results,
    observe_row_rules,
    row_rule_results,
    run_gx_checks,
    run_spark_checks,
    schema_results,
)
from careerlake.quality.results import CheckResult, enforce
from careerlake.quality.suites import Check, DriftSuite, Suite, build_suite
from careerlake.reference.taxonomy import packaged_values
from careerlake.registry import Table
from careerlake.runtime.config import Config, Quality
from careerlake.runtime.context import Gated, JobContext

_SUITES: dict[tuple[str, str, Quality], Suite] = {}


def suite_for(table: Table, config: Config) -> Suite:
    """The table's suite, built once per process per constraints (bronze's formats can grow) and
    quality settings."""
    cache_key = (table.id, repr(sorted(table.constraints.items())), config.quality)
    if cache_key not in _SUITES:
        _SUITES[cache_key] = build_suite(table, config, packaged_values)
    return _SUITES[cache_key]


@dataclass(frozen=True)
class GxBatch:
    """One batch for Great Expectations: the checks to validate and those whose results count."""

    table_id: str
    suite_name: str
    checks: tuple[Check, ...]
    batch: DataFrame
    rows: int


def _gx_results(config: Config, items: list[GxBatch]) -> list[CheckResult]:
    """One GX validation over the union of `items` (one table's batches, or one drift frame)."""
    first = items[0]
    union = reduce(lambda a, b: a.unionByName(b), (i.batch for i in items))
    results = run_gx_checks(
        config, first.table_id, first.suite_name, first.checks, union, sum(i.rows for i in items)
    )
    # The column set was decided before the write; GX decides only its own checks.
    decided_by_gx = {c.expectation for c in first.checks if c.engine == "gx"}
    return [r for r in results if r.expectation in decided_by_gx]


def _validate_with_gx(ctx: JobContext, item: GxBatch) -> None:
    """Validate now, or once when the job ends where the platform keeps the batch until then."""
    if not ctx.platform.pins_until_job_end:
        enforce(ctx, item.table_id, _gx_results(ctx.config, [item]))
    else:

        def validate(items: list[GxBatch]) -> None:
            enforce(ctx, item.table_id, _gx_results(ctx.config, items))

        ctx.report.collect_until_job_end(f"gx:{item.suite_name}", item, validate)
    # Rendering the site costs about a second, so it happens once, when the run ends.
    ctx.report.at_finish("data_docs", lambda: build_data_docs(ctx.config))


def _drift(ctx: JobContext, table: Table, batch: DataFrame, drift: DriftSuite) -> None:
    """Queue the drift of the batch against the table as it is before the write."""
    frame = drift_frame(ctx, table, batch, drift)
    if frame is not None:
        _validate_with_gx(ctx, GxBatch(table.id, drift.name, (drift.check,), ctx.platform.pin(frame), 0))


def decide(ctx: JobContext, table: Table, batch: DataFrame) -> tuple[Gated, list[CheckResult]]:
    """`batch` computed (pinned where the platform can) and counted, and every pre-write check
    decided on it."""
    suite = suite_for(table, ctx.config)
    stats: dict[str, Any] = {}
    if ctx.platform.pins_until_job_end:
        # The action that computes the batch counts the row rules too: a local checkpoint, or on
        # serverless the staging write, whose observed metrics come back with the command.
        observed, observation = observe_row_rules(suite, batch)
        batch = ctx.platform.pin(observed)
        stats = observation.get
    if "rows" in stats:
        rows, results = row_rule_results(suite, stats)
    else:
        # No action computed the batch (Databricks classic recomputes instead of pinning), or it
        # returned no metrics: one aggregation counts them.
        rows, results = run_spark_checks(suite, batch)
    if rows == 0:
        # Nothing would be written: no check can fail.
        return Gated(batch, 0), []
    results = schema_results(suite, batch, rows) + results
    if not any(r.breach for r in results):
        results += key_results(suite, batch, rows)
    for drift in suite.drifts:
        _drift(ctx, table, batch, drift)
    _validate_with_gx(ctx, GxBatch(table.id, suite.name, suite.gx_checks, batch, rows))
    return Gated(batch, rows), results


def check_batch(ctx: JobContext, table: Table, batch: DataFrame) -> Gated:
    """Decide `batch`'s checks; record results; raise on a critical breach. Returns the batch
    as computed for the checks and its row count, for the write to reuse."""
    gated, results = decide(ctx, table, batch)
    enforce(ctx, table.id, results)
    return gated
