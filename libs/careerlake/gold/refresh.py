"""Full-recompute refresh of a gold table: MERGE changed figures, delete rows that disappeared."""

from __future__ import annotations

from delta.tables import DeltaTable
from pyspark.sql import DataFrame

from careerlake.quality.gate import write_validated
from careerlake.registry import Table
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import with_conflict_retry

STAMP_COLUMN = "refreshed_at"


def figures_changed(table: Table) -> str:
    """MERGE update condition: some non-key column other than refreshed_at differs (null-safe)."""
    compared = [c for c in table.column_names if c not in table.keys and c != STAMP_COLUMN]
    return " OR ".join(f"NOT (t.`{c}` <=> s.`{c}`)" for c in compared)


def delete_missing(ctx: JobContext, table: Table, rows: DataFrame) -> int:
    """Delete target rows whose keys are not in the recomputed `rows`; return how many."""
    on = " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in table.keys)
    name = ctx.name(table)

    def commit() -> int:
        merge = DeltaTable.forName(ctx.spark, name).alias("t").merge(rows.select(*table.keys).alias("s"), on)
        result = merge.whenNotMatchedBySourceDelete().execute().first()
        return int(result["num_deleted_rows"]) if result else 0

    return with_conflict_retry(commit, f"MERGE (delete missing keys) into {name}")


def refresh_table(ctx: JobContext, table: Table, rows: DataFrame) -> tuple[int, int]:
    """Gate + MERGE the full recompute of `table`, then drop vanished keys: (rows written, rows deleted).

    refreshed_at only moves when a row's figures change, so a rerun on unchanged silver writes 0 rows.
    """
    written = write_validated(ctx, table, rows, update_condition=figures_changed(table))
    return written, delete_missing(ctx, table, rows)
