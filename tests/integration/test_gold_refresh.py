"""refresh_table: one MERGE updates changed figures and deletes vanished keys; a rerun writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pyspark.sql import DataFrame, SparkSession

from careerlake.gold.refresh import refresh_table
from careerlake.registry.gold import CAREER_PATHS
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.local_rows import rows_frame

FIRST, SECOND = datetime(2026, 11, 1), datetime(2026, 11, 2)


def _paths(spark: SparkSession, rows: list[tuple[str, str, float]], stamp: datetime) -> DataFrame:
    return rows_frame(spark, [(a, b, w, 1, 0, 0, 0, None, stamp) for a, b, w in rows], CAREER_PATHS.schema)


def _written(ctx: JobContext, rows: DataFrame) -> int:
    refresh_table(ctx, CAREER_PATHS, rows, rows_read=0)
    return ctx.report.steps[-1].rows_written


def test_refresh_updates_changed_rows_deletes_vanished_and_rerun_writes_nothing(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    ctx = make_context(isolated_config, "gold")
    first = [("a", "b", 0.5), ("a", "c", 0.5), ("x", "y", 1.0)]
    assert _written(ctx, _paths(spark, first, FIRST)) == 3
    # Same figures, later stamp: nothing written, refreshed_at keeps its first value.
    assert _written(ctx, _paths(spark, first, SECOND)) == 0
    # a -> c vanished and a -> b's weight changed (one update, one delete); x -> y is untouched.
    assert _written(ctx, _paths(spark, [("a", "b", 1.0), ("x", "y", 1.0)], SECOND)) == 2
    assert spark.sql(f"DESCRIBE HISTORY {ctx.name(CAREER_PATHS)} LIMIT 1").first()["operation"] == "MERGE"
    rows = spark.table(ctx.name(CAREER_PATHS)).select("from_role_id", "to_role_id", "weight", "refreshed_at")
    assert sorted(tuple(r) for r in rows.collect()) == [("a", "b", 1.0, SECOND), ("x", "y", 1.0, FIRST)]
