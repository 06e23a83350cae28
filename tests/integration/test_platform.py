"""The local platform keeps a table read in memory for the job that reads it several times, until
the job releases it (on serverless the read is left as it is: tests/integration/test_spark_connect.py),
and reads a table's latest version off its commit files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.registry.ops import BOARD_FRESHNESS, FETCH_LOG, JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import Config
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.platform import Platform


def test_a_read_kept_for_the_job_is_cached_until_released(
    spark: SparkSession, isolated_config: Config
) -> None:
    finished = datetime(2026, 11, 1, 12, 0)
    rows = [("run-1", "reads", f"table_{i}", i, i, 0, 1.0, "succeeded", None, finished) for i in range(3)]
    delta.merge_into(spark, isolated_config, JOB_RUNS, rows_frame(spark, rows, JOB_RUNS.schema))
    name = delta.full_name(isolated_config, JOB_RUNS)
    platform = Platform(spark, isolated_config)

    kept = platform.cache_read(spark.table(name))
    assert spark.catalog.isCached(name)
    assert sorted(r.table_name for r in kept.collect()) == ["table_0", "table_1", "table_2"]
    platform.release(kept)
    assert not spark.catalog.isCached(name)


def test_a_local_tables_latest_version_is_read_off_its_commit_files(
    spark: SparkSession, isolated_config: Config, tmp_path: Path
) -> None:
    platform = Platform(spark, isolated_config)
    assert platform.latest_version(JOB_RUNS) is None, "no schema yet"

    finished = datetime(2026, 11, 1, 12, 0)
    for run in ("run-1", "run-2"):
        row = (run, "reads", "table_0", 1, 1, 0, 1.0, "succeeded", None, finished)
        delta.merge_into(spark, isolated_config, JOB_RUNS, rows_frame(spark, [row], JOB_RUNS.schema))
    history = spark.sql(f"DESCRIBE HISTORY {delta.full_name(isolated_config, JOB_RUNS)}").collect()
    assert [r["version"] for r in history] == [2, 1, 0]
    assert platform.latest_version(JOB_RUNS) == 2
    assert platform.latest_version(BOARD_FRESHNESS) is None, "a missing table of an existing schema"

    # A table registered at a folder outside its schema's: its version is looked up in the catalog.
    elsewhere = tmp_path / "elsewhere"
    name = delta.full_name(isolated_config, FETCH_LOG)
    spark.sql(f"CREATE TABLE {name} (run_id STRING) USING DELTA LOCATION '{elsewhere}'")
    for run in ("run-1", "run-2", "run-3"):
        spark.sql(f"INSERT INTO {name} VALUES ('{run}')")
    assert platform.latest_version(FETCH_LOG) == 3
