"""Checks that need more than the batch: layer reconciliation and gold distribution drift."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.quality.results import CheckResult, enforce
from careerlake.quality.suites import Check, gx_check
from careerlake.registry import Table, get_table
from careerlake.registry.gold import SALARY_BENCHMARKS
from careerlake.runtime.context import JobContext

P50_DRIFT_SUITE = f"{SALARY_BENCHMARKS.id}.p50_drift"
P50_CHANGE_COLUMN = "p50_change_pct"


def reconcile(ctx: JobContext, table_id: str, seen: int, written: int, quarantined: int) -> list[CheckResult]:
    """Records in = accepted + quarantined for one batch (critical), and a bounded quarantine share.

    `written` is the number of rows the job accepted for the target (not the MERGE's changed-row
    count, which is 0 on a re-run). Results go to ops.quality_results; a mismatch raises
    QualityBreachError when quality.fail_on_critical is on.
    """
    get_table(table_id)
    missing = seen - written - quarantined
    share = quarantined / seen if seen else 0.0
    limit = ctx.config.quality.max_quarantine_share
    results = [
        CheckResult(
            table_id,
            "reconcile_seen_equals_written_plus_quarantined",
            "critical",
            missing == 0,
            f"seen={seen} written={written} quarantined={quarantined}",
            abs(missing),
        ),
        CheckResult(
            table_id,
            "expect_quarantine_share_to_be_at_most",
            "critical",
            share <= limit,
            f"{share:.3f} of the batch quarantined (limit {limit})",
            quarantined if share > limit else 0,
        ),
    ]
    enforce(ctx, table_id, results)
    return results


def p50_drift_check(ctx: JobContext) -> Check:
    # Warning: a large move may be real (a new market); it needs a look, not a stopped pipeline.
    import great_expectations.expectations as gxe

    pct = ctx.config.quality.gold_p50_max_change_pct
    return gx_check(
        f"expect_column_values_to_be_between({P50_CHANGE_COLUMN})",
        gxe.ExpectColumnValuesToBeBetween(column=P50_CHANGE_COLUMN, min_value=0.0, max_value=pct),
        "warning",
        row_level=True,
    )


def p50_drift_frame(ctx: JobContext, table: Table, batch: DataFrame) -> DataFrame | None:
    """Per benchmark cell (role x seniority x country x work model) the % move of p50_usd
    between the batch and the table as it is before the write; None on the first run."""
    name = ctx.name(table)
    if not ctx.spark.catalog.tableExists(name):
        return None
    keys = list(table.keys)
    previous = (
        ctx.spark.table(name)
        .where(F.col("p50_usd").isNotNull() & (F.col("p50_usd") > 0))
        .select(*keys, F.col("p50_usd").alias("previous_p50_usd"))
    )
    return (
        batch.where(F.col("p50_usd").isNotNull())
        .select(*keys, "p50_usd")
        .join(previous, keys)
        .select(
            *keys,
            (F.abs(F.col("p50_usd") - F.col("previous_p50_usd")) / F.col("previous_p50_usd") * 100).alias(
                P50_CHANGE_COLUMN
            ),
        )
    )
