"""Open and closed postings per role, and days open until closing (time-to-fill proxy)."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.gold.common import median
from careerlake.registry.gold import POSTING_LIFECYCLE

SECONDS_PER_DAY = 86400.0


def closing_times(history: DataFrame) -> DataFrame:
    """(posting_id, closed_at) of postings closed now after an open version: the current closed
    version's valid_from. A posting the source delivered already closed has no open version."""
    return (
        history.groupBy("posting_id")
        .agg(
            F.max(F.when(F.col("is_current") & F.col("is_closed"), F.col("valid_from"))).alias("closed_at"),
            F.max((~F.col("is_closed")).cast("int")).alias("_was_open"),
        )
        .where("closed_at IS NOT NULL AND _was_open = 1")
        .select("posting_id", "closed_at")
    )


def posting_lifecycle(postings: DataFrame, history: DataFrame, refreshed_at: datetime) -> DataFrame:
    opened = F.coalesce("posted_at", "first_seen_at")
    days_open = (F.unix_timestamp("closed_at") - F.unix_timestamp(opened)) / SECONDS_PER_DAY
    with_closing = (
        postings.where(F.col("role_id").isNotNull())
        .join(closing_times(history), "posting_id", "left")
        .withColumn("_days_open", F.when(F.col("closed_at").isNotNull(), F.greatest(days_open, F.lit(0.0))))
    )
    return (
        with_closing.groupBy("role_id")
        .agg(
            F.sum((~F.col("is_closed")).cast("long")).alias("open_postings"),
            F.count("_days_open").alias("closed_postings"),
            F.round(median("_days_open"), 2).alias("median_days_open"),
            F.round(F.avg("_days_open"), 2).alias("avg_days_open"),
        )
        .withColumn("refreshed_at", F.lit(refreshed_at).cast("timestamp"))
        .select(*POSTING_LIFECYCLE.column_names)
    )
