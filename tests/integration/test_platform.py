"""The local platform keeps a table read in memory for the job that reads it several times, until
the job releases it (on serverless the read is left as it is: tests/integration/test_spark_connect.py)."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import SparkSession

from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import Config
from careerlake.runtime.platform import Platform


def test_a_read_kept_for_the_job_is_cached_until_released(
    spark: SparkSession, isolated_config: Config
) -> None:
    finished = datetime(2026, 11, 1, 12, 0)
    rows = [("run-1", "reads", f"table_{i}", i, i, 0, 1.0, "succeeded", None, finished) for i in range(3)]
    delta.merge_into(spark, isolated_config, JOB_RUNS, spark.createDataFrame(rows, JOB_RUNS.schema))
    name = delta.full_name(isolated_config, JOB_RUNS)
    platform = Platform(spark, isolated_config)

    kept = platform.cache_read(spark.table(name))
    assert spark.catalog.isCached(name)
    assert sorted(r.table_name for r in kept.collect()) == ["table_0", "table_1", "table_2"]
    platform.release(kept)
    assert not spark.catalog.isCached(name)
