"""Closures: a posting in its board's previous full response and missing from the latest is closed.

ops.fetch_log keeps the posting ids of every full board response (the ATS APIs list every open
posting). A source posting is closed when its last appearance is older than its board's latest
response; it closed when the first response without it was fetched. A silver posting closes
when one of its fetched-board postings closed and none of them is still listed; the closure is
a new history version (is_closed, valid_from = the closing time) and the current row is marked.
"""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from careerlake.registry.silver import POSTINGS, POSTINGS_HISTORY
from careerlake.silver.postings.transform import attributes_hash

_BOARD = ["source_format", "board"]


def listed_postings(fetch_log: DataFrame) -> DataFrame:
    """(source_format, board, source_posting_id, closed_at) of every posting a full board response
    listed; closed_at is null while the board's latest response still lists it."""
    responses = (
        fetch_log.where(F.col("full_board") & F.col("error").isNull() & F.col("posting_ids").isNotNull())
        .select(F.col("source").alias("source_format"), "board", "fetched_at", "posting_ids")
        .withColumn("_seq", F.row_number().over(Window.partitionBy(*_BOARD).orderBy("fetched_at")))
    )
    latest = responses.groupBy(*_BOARD).agg(F.max("_seq").alias("_latest"))
    last_seen = (
        responses.select(*_BOARD, "_seq", F.explode("posting_ids").alias("source_posting_id"))
        .groupBy(*_BOARD, "source_posting_id")
        .agg(F.max("_seq").alias("_last_seen"))
    )
    closing = responses.select(*_BOARD, (F.col("_seq") - 1).alias("_last_seen"), F.col("fetched_at"))
    return (
        last_seen.join(latest, _BOARD)
        .join(closing, [*_BOARD, "_last_seen"], "left")
        .select(
            *_BOARD,
            "source_posting_id",
            F.when(F.col("_last_seen") < F.col("_latest"), F.col("fetched_at")).alias("closed_at"),
        )
    )


def closed_postings(listed: DataFrame, bronze: DataFrame, postings: DataFrame) -> DataFrame:
    """(posting_id, closed_at) of the silver postings whose fetched-board postings all closed."""
    records = bronze.select("record_id", *_BOARD, "source_posting_id").join(
        listed, [*_BOARD, "source_posting_id"]
    )
    return (
        postings.select("posting_id", F.explode("source_record_ids").alias("record_id"))
        .join(records, "record_id")
        .groupBy("posting_id")
        .agg(
            F.max(F.col("closed_at").isNull().cast("int")).alias("_still_listed"),
            F.max("closed_at").alias("closed_at"),
        )
        .where("_still_listed = 0")
        .select("posting_id", "closed_at")
    )


def closure_versions(closed: DataFrame, history: DataFrame) -> DataFrame:
    """History rows of each new closure: the open current version ends at closed_at, the closed
    version starts there. A posting whose current version is already closed yields nothing."""
    current = (
        history.where("is_current AND NOT is_closed")
        .join(closed, "posting_id")
        .where("valid_from < closed_at")
    )
    ended = current.withColumn("valid_to", F.col("closed_at")).withColumn("is_current", F.lit(False))
    opened = (
        current.withColumn("valid_from", F.col("closed_at"))
        .withColumn("valid_to", F.lit(None).cast("timestamp"))
        .withColumn("is_closed", F.lit(True))
        .withColumn("attributes_hash", attributes_hash())
    )
    columns = POSTINGS_HISTORY.column_names
    return ended.select(*columns).unionByName(opened.select(*columns))


def closed_current_rows(
    closed: DataFrame, history: DataFrame, postings: DataFrame, updated_at: datetime
) -> DataFrame:
    """silver.postings rows of the closed postings still marked open, once their history says closed."""
    closed_versions = (
        history.where("is_current AND is_closed")
        .join(closed.select("posting_id"), "posting_id")
        .select("posting_id", F.col("attributes_hash").alias("_closed_hash"))
    )
    return (
        postings.where(~F.col("is_closed"))
        .join(closed_versions, "posting_id")
        .withColumn("is_closed", F.lit(True))
        .withColumn("attributes_hash", F.col("_closed_hash"))
        .withColumn("updated_at", F.lit(updated_at).cast("timestamp"))
        .select(*POSTINGS.column_names)
    )
