"""Full-recompute refresh of a gold table: one MERGE that updates changed figures, inserts new
keys and deletes the keys that disappeared."""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.registry import Table
from careerlake.runtime.context import JobContext
from careerlake.runtime.io import write_step

STAMP_COLUMN = "refreshed_at"


def refresh_table(ctx: JobContext, table: Table, rows: DataFrame, rows_read: int) -> DataFrame:
    """Gate + MERGE the full recompute of `table` as one step of the run; return the table as written.

    refreshed_at only moves when a row's figures change, so a rerun on unchanged silver writes 0 rows.
    """
    write_step(ctx, table, rows, rows_read, ignore=(STAMP_COLUMN,), delete_unmatched=True)
    return ctx.spark.table(ctx.name(table))
