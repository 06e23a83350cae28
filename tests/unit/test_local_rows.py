"""Rows the driver holds as a DataFrame: the same rows and types `createDataFrame` gives, read
without a Spark job while small, still whole beyond the local-relation threshold."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from chispa import assert_df_equality
from pyspark.sql import SparkSession

from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.session import LOCAL_RELATION_BYTES

SCHEMA = (
    "name string, n long, share double, ok boolean, at timestamp, day date, body binary, "
    "tags array<string>, attrs map<string,string>, maps array<map<string,string>>, amount decimal(10,2)"
)
ROWS = [
    ("a", 1, 0.5, True, datetime(2026, 3, 1, 12, 30, 15, 123456), date(2026, 1, 2), b"ab", ["x", None],
     {"k": "v"}, [{"x": "1"}], Decimal("1.25")),
    (None, None, None, None, None, None, None, None, None, None, None),
    ("é", -2, 2.0, False, datetime(1999, 12, 31), date(1970, 1, 1), bytearray(b""), [], {}, [], Decimal("-3.10")),
]  # fmt: skip


def _jobs_run_by(spark: SparkSession, action: object) -> list[int]:
    group = f"local-rows-{uuid.uuid4().hex[:8]}"
    spark.sparkContext.setJobGroup(group, group)
    try:
        action()  # type: ignore[operator]
    finally:
        spark.sparkContext.setJobGroup("", "")
    return list(spark.sparkContext.statusTracker().getJobIdsForGroup(group))


def test_rows_are_what_create_data_frame_gives_and_read_without_a_spark_job(spark: SparkSession) -> None:
    frame = rows_frame(spark, ROWS, SCHEMA)
    assert_df_equality(frame, spark.createDataFrame(ROWS, SCHEMA))
    collected: list = []
    assert _jobs_run_by(spark, lambda: collected.extend(frame.collect())) == []
    assert len(collected) == len(ROWS)


def test_no_rows_give_an_empty_frame_of_the_schema(spark: SparkSession) -> None:
    frame = rows_frame(spark, [], SCHEMA)
    assert frame.schema == spark.createDataFrame([], SCHEMA).schema
    assert frame.collect() == []


def test_a_null_in_a_non_nullable_column_is_refused(spark: SparkSession) -> None:
    with pytest.raises(ValueError, match="column id is not nullable"):
        rows_frame(spark, [("a",), (None,)], "id string NOT NULL")


def test_rows_beyond_the_local_relation_threshold_all_arrive(spark: SparkSession) -> None:
    # Each row holds 64 characters: enough rows to pass the threshold twice.
    rows = [(f"{i:064d}", i) for i in range(2 * LOCAL_RELATION_BYTES // 64)]
    frame = rows_frame(spark, rows, "key string, i long")
    assert frame.count() == len(rows)
    assert frame.agg({"i": "sum"}).first()[0] == sum(i for _, i in rows)
    assert frame.where("i = 12345").first()["key"] == f"{12345:064d}"


def test_a_schema_without_named_columns_is_refused(spark: SparkSession) -> None:
    with pytest.raises(TypeError, match="rows need a schema of named columns, not int"):
        rows_frame(spark, [(1,)], "int")
