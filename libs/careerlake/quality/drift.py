"""Drift checks: how far a batch moves a column from the table as it is before the write."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.quality.suites import DriftSuite
from careerlake.registry import Table
from careerlake.runtime.context import JobContext


def drift_frame(ctx: JobContext, table: Table, batch: DataFrame, drift: DriftSuite) -> DataFrame | None:
    """Per key of the table the % move of `drift.column` between the batch and the table as it
    is before the write; None on the first write."""
    name = ctx.name(table)
    if not ctx.spark.catalog.tableExists(name):
        return None
    keys, column = list(table.keys), drift.column
    previous = (
        ctx.spark.table(name)
        .where(F.col(column).isNotNull() & (F.col(column) > 0))
        .select(*keys, F.col(column).alias("_previous"))
    )
    return (
        batch.where(F.col(column).isNotNull())
        .select(*keys, column)
        .join(previous, keys)
        .select(
            *keys,
            (F.abs(F.col(column) - F.col("_previous")) / F.col("_previous") * 100).alias(drift.change_column),
        )
    )
