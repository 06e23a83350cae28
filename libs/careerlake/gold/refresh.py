"""Refresh of a gold table from a recompute: of every key (one MERGE that updates changed
figures, inserts new keys and deletes the keys that disappeared), or of some groups of keys only
(an incremental run: the roles or role × month cells that new silver rows touch)."""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.registry import Table
from careerlake.runtime.context import JobContext
from careerlake.runtime.io import replace_groups, write_step

STAMP_COLUMN = "refreshed_at"


def refresh_table(
    ctx: JobContext, table: Table, rows: DataFrame, rows_read: int, groups: DataFrame | None = None
) -> DataFrame:
    """Gate + write the recompute of `table` as one step of the run; return the table as written.

    `groups` None: `rows` is every row of the table. Else `rows` holds every row of the groups in
    `groups` (key columns of the table), and only those groups are replaced.
    refreshed_at only moves when a row's figures change, so a rerun on unchanged silver writes 0 rows.
    """
    if groups is None:
        write_step(ctx, table, rows, rows_read, ignore=(STAMP_COLUMN,), delete_unmatched=True)
    else:
        with ctx.step(table) as step:
            step.rows_read = rows_read
            step.rows_written = replace_groups(ctx, table, rows, groups, ignore=(STAMP_COLUMN,))
    return ctx.spark.table(ctx.name(table))
