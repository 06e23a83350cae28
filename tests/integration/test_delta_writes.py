"""merge_into on local Delta: a new table's first write is one append (one file when small),
every later write a MERGE on the keys, a table created by one thread is MERGEd when another
thread writes it, and two threads committing at once both land."""

from __future__ import annotations

import threading
from datetime import datetime

from pyspark.sql import DataFrame, SparkSession

from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import Config
from careerlake.runtime.local_rows import rows_frame

FINISHED = datetime(2026, 11, 1, 12, 0)


def _runs(spark: SparkSession, steps: range, status: str) -> DataFrame:
    rows = [("run-1", "writes", f"table_{i}", i, i, 0, 1.0, status, None, FINISHED) for i in steps]
    return rows_frame(spark, rows, JOB_RUNS.schema)


def _operations(spark: SparkSession, name: str) -> list[str]:
    history = spark.sql(f"DESCRIBE HISTORY {name}").orderBy("version")
    return [r["operation"] for r in history.collect()]


def _stored(spark: SparkSession, name: str) -> list[tuple[str, str]]:
    return sorted((r["table_name"], r["status"]) for r in spark.table(name).collect())


def test_first_write_appends_then_writes_merge_on_keys(spark: SparkSession, isolated_config: Config) -> None:
    name = delta.full_name(isolated_config, JOB_RUNS)
    changed = "NOT (t.status <=> s.status)"

    def write(steps: range, status: str) -> int:
        return delta.merge_into(
            spark, isolated_config, JOB_RUNS, _runs(spark, steps, status), update_condition=changed
        )

    # An empty batch writes nothing and leaves the table to its first real write.
    assert write(range(0), "succeeded") == 0
    assert write(range(3), "succeeded") == 3
    # The batch's rows sit in two partitions; a batch this small is appended as one file.
    assert _runs(spark, range(3), "succeeded").rdd.getNumPartitions() == 2
    assert spark.sql(f"DESCRIBE DETAIL {name}").first()["numFiles"] == 1
    # The same rows again are matched on the keys: nothing changes and nothing is committed.
    # Then one row updated and one inserted, in one MERGE.
    assert write(range(3), "succeeded") == 0
    assert write(range(2, 4), "failed") == 2

    assert _operations(spark, name) == ["CREATE TABLE", "WRITE", "MERGE"]
    assert _stored(spark, name) == [
        ("table_0", "succeeded"),
        ("table_1", "succeeded"),
        ("table_2", "failed"),
        ("table_3", "failed"),
    ]


def test_stale_keys_and_a_recomputed_parts_missing_rows_are_deleted_in_the_merge_that_upserts(
    spark: SparkSession, isolated_config: Config
) -> None:
    name = delta.full_name(isolated_config, JOB_RUNS)
    delta.merge_into(spark, isolated_config, JOB_RUNS, _runs(spark, range(4), "succeeded"))
    stale = _runs(spark, range(1, 3), "succeeded").select(*JOB_RUNS.keys)
    changed = "NOT (t.status <=> s.status)"
    batch = _runs(spark, range(3, 5), "failed")
    written = delta.merge_into(spark, isolated_config, JOB_RUNS, batch, update_condition=changed, stale=stale)

    # table_3 updated, table_4 inserted, table_1 and table_2 deleted: one commit.
    assert written == 4
    assert _operations(spark, name) == ["CREATE TABLE", "WRITE", "MERGE"]
    assert _stored(spark, name) == [("table_0", "succeeded"), ("table_3", "failed"), ("table_4", "failed")]

    # A batch that recomputes the rows from table_3 on: those it does not hold are deleted, the
    # rows before table_3 stay.
    part = "t.table_name >= 'table_3'"
    batch = _runs(spark, range(3, 4), "failed")
    written = delta.merge_into(
        spark, isolated_config, JOB_RUNS, batch, update_condition=changed, delete_unmatched=part
    )
    assert written == 1
    assert _stored(spark, name) == [("table_0", "succeeded"), ("table_3", "failed")]


def test_a_table_created_by_another_thread_is_merged(spark: SparkSession, isolated_config: Config) -> None:
    name = delta.ensure_table(spark, isolated_config, JOB_RUNS)
    written: list[int] = []
    writer = threading.Thread(
        target=lambda: written.append(
            delta.merge_into(spark, isolated_config, JOB_RUNS, _runs(spark, range(2), "succeeded"))
        )
    )
    writer.start()
    writer.join(timeout=300)

    assert written == [2]
    assert _operations(spark, name) == ["CREATE TABLE", "MERGE"]
    # The creating thread's write after it is a MERGE too: the table is no longer empty.
    assert delta.merge_into(spark, isolated_config, JOB_RUNS, _runs(spark, range(2), "failed")) == 2
    assert _operations(spark, name) == ["CREATE TABLE", "MERGE", "MERGE"]
    assert _stored(spark, name) == [("table_0", "failed"), ("table_1", "failed")]


def test_commits_from_two_threads_at_once_both_land(spark: SparkSession, isolated_config: Config) -> None:
    # The local log store keeps commits exclusive within the JVM: two writers racing for the
    # same version get one each, and neither write is lost.
    name = delta.ensure_table(spark, isolated_config, JOB_RUNS)
    start = threading.Barrier(2)
    written: list[int] = []

    def write(steps: range) -> None:
        batch = _runs(spark, steps, "succeeded")
        start.wait(timeout=60)
        written.append(delta.merge_into(spark, isolated_config, JOB_RUNS, batch))

    writers = [threading.Thread(target=write, args=(steps,)) for steps in (range(2), range(2, 4))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)

    assert sorted(written) == [2, 2]
    assert _operations(spark, name) == ["CREATE TABLE", "MERGE", "MERGE"]
    assert _stored(spark, name) == [(f"table_{i}", "succeeded") for i in range(4)]
