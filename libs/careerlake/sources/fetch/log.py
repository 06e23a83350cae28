"""Fetch results as ops.fetch_log rows, and each board's freshness from the whole log."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from careerlake.registry.ops import BOARD_FRESHNESS, FETCH_LOG
from careerlake.runtime.local_rows import rows_frame
from careerlake.sources.fetch.run import UNCHANGED, FetchResult


def log_rows(results: list[FetchResult], run_id: str) -> list[tuple]:
    return [
        (
            run_id,
            r.source,
            r.board,
            r.url,
            r.fetched_at,
            r.full_board,
            r.status,
            r.attempts,
            r.bytes,
            None if r.posting_ids is None else len(r.posting_ids),
            None if r.posting_ids is None else list(r.posting_ids),
            r.content_hash,
            r.file,
            r.seconds,
            r.error,
        )
        for r in results
    ]


def log_frame(spark: SparkSession, results: list[FetchResult], run_id: str) -> DataFrame:
    return rows_frame(spark, log_rows(results, run_id), FETCH_LOG.schema)


def board_freshness(fetch_log: DataFrame) -> DataFrame:
    """One row per (source, board) of the log; a sitemap's pages count under the sitemap's name."""
    ok = F.col("error").isNull()
    latest = Window.partitionBy("source", "board").orderBy(F.col("fetched_at").desc(), F.col("url"))
    last = (
        fetch_log.withColumn("_n", F.row_number().over(latest))
        .where("_n = 1")
        .select("source", "board", F.col("status").alias("last_status"), F.col("error").alias("last_error"))
    )
    last_ok = Window.partitionBy("source", "board").orderBy(F.col("fetched_at").desc(), F.col("url"))
    postings = (
        fetch_log.where(ok)
        .withColumn("_n", F.row_number().over(last_ok))
        .where("_n = 1")
        .select("source", "board", "postings")
    )
    times = fetch_log.groupBy("source", "board").agg(
        F.max("fetched_at").alias("last_fetched_at"),
        F.max(F.when(ok, F.col("fetched_at"))).alias("last_success_at"),
        F.max(
            F.when(ok & F.col("file").isNotNull() & (F.col("file") != UNCHANGED), F.col("fetched_at"))
        ).alias("last_changed_at"),
    )
    failures = (
        fetch_log.join(times.select("source", "board", "last_success_at"), ["source", "board"])
        .where(~ok & (F.col("last_success_at").isNull() | (F.col("fetched_at") > F.col("last_success_at"))))
        .groupBy("source", "board")
        .agg(F.count(F.lit(1)).cast("int").alias("failures_since_success"))
    )
    return (
        times.join(last, ["source", "board"])
        .join(postings, ["source", "board"], "left")
        .join(failures, ["source", "board"], "left")
        .fillna(0, ["failures_since_success"])
        .select(*BOARD_FRESHNESS.column_names)
    )
