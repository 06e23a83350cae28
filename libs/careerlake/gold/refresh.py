"""Full-recompute refresh of a gold table: one MERGE that updates changed figures, inserts new
keys and deletes the keys that disappeared."""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.quality.gate import write_validated
from careerlake.registry import Table
from careerlake.runtime.context import JobContext

STAMP_COLUMN = "refreshed_at"


def figures_changed(table: Table) -> str:
    """MERGE update condition: some non-key column other than refreshed_at differs (null-safe)."""
    compared = [c for c in table.column_names if c not in table.keys and c != STAMP_COLUMN]
    return " OR ".join(f"NOT (t.`{c}` <=> s.`{c}`)" for c in compared)


def refresh_table(ctx: JobContext, table: Table, rows: DataFrame) -> int:
    """Gate + MERGE the full recompute of `table`; return rows inserted, updated or deleted.

    refreshed_at only moves when a row's figures change, so a rerun on unchanged silver writes 0 rows.
    """
    return write_validated(ctx, table, rows, update_condition=figures_changed(table), delete_unmatched=True)
