"""The gate every table write passes: validate the incremental batch, then MERGE.

A critical breach raises `QualityBreachError` naming the table, the expectation and the
failing-row count, and nothing is written.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.registry import Table
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import merge_into
from careerlake.runtime.errors import QualityBreachError


def check_batch(ctx: JobContext, table: Table, batch: DataFrame) -> None:
    """Keys non-null and unique within the batch, in one aggregation pass."""
    key_nulls = [F.sum(F.col(k).isNull().cast("long")).alias(f"null_{k}") for k in table.keys]
    stats = batch.agg(
        F.count(F.lit(1)).alias("rows"),
        F.countDistinct(F.struct(*table.keys)).alias("distinct_keys"),
        *key_nulls,
    ).first()
    for k in table.keys:
        if stats[f"null_{k}"]:
            raise QualityBreachError(
                f"{table.id}: critical expectation expect_column_values_to_not_be_null({k}) failed "
                f"for {stats[f'null_{k}']} row(s); nothing written"
            )
    duplicates = stats["rows"] - stats["distinct_keys"]
    if duplicates:
        raise QualityBreachError(
            f"{table.id}: critical expectation expect_compound_columns_to_be_unique({', '.join(table.keys)}) "
            f"failed for {duplicates} row(s); nothing written"
        )


def write_validated(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    *,
    update_condition: str | None = None,
    insert_only: bool = False,
) -> int:
    """Check `batch` against the table's suite, then MERGE it on the table's keys."""
    check_batch(ctx, table, batch)
    return merge_into(
        ctx.spark, ctx.config, table, batch, update_condition=update_condition, insert_only=insert_only
    )
