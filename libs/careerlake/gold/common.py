"""Pieces shared by the gold transforms: salaried postings, posting months, FX, top-N arrays."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

ALL = "all"
ALL_COUNTRIES = "ALL"
COMMUNITY_DOC_TYPES = ("thread", "article")
# Recent vs prior window (in months) used for demand trends and skill-gap demand changes.
TREND_WINDOW_MONTHS = 2


def posting_month() -> Column:
    """The month a posting counts in: the month it was posted, else first seen."""
    return F.trunc(F.coalesce("posted_at", "first_seen_at"), "month")


def role_postings(postings: DataFrame) -> DataFrame:
    """Postings with a role, their posting month and a trusted annual USD salary midpoint.

    `salary_usd` is null when the posting has no USD figure or carries a plausibility flag.
    """
    trusted = F.col("salary_mid_annual_usd").isNotNull() & (F.size("salary_flags") == 0)
    return postings.where(F.col("role_id").isNotNull()).select(
        "posting_id",
        "role_id",
        "seniority",
        "country",
        "work_model",
        F.array_distinct("skills").alias("skills"),
        posting_month().alias("month"),
        F.when(trusted, F.col("salary_mid_annual_usd")).alias("salary_usd"),
    )


def latest_usd_rates(fx_rates: DataFrame) -> DataFrame:
    """currency -> usd_per_unit of the newest rate: guide bands and community figures are undated."""
    return fx_rates.groupBy("currency").agg(F.max_by("usd_per_unit", "rate_date").alias("usd_per_unit"))


def community_doc_ids(documents: DataFrame) -> DataFrame:
    """Documents written by the community (threads, articles), as opposed to career guides."""
    return documents.where(F.col("doc_type").isin(*COMMUNITY_DOC_TYPES)).select("doc_id")


def median(column: str | Column) -> Column:
    """Exact median (Spark `percentile`, linear interpolation between the two middle values)."""
    return F.percentile(column, 0.5)


def top_ids(score: Column, item: Column, limit: int) -> Column:
    """Aggregate: the `limit` items with the highest score, ties by item id, as array<string>."""
    ranked = F.array_sort(F.collect_list(F.struct((-score).alias("neg_score"), item.alias("item"))))
    return F.transform(F.slice(ranked, 1, limit), lambda entry: entry["item"])


def recent_window_flags(month: Column, latest_month: Column) -> tuple[Column, Column]:
    """(is_recent, is_prior): the last TREND_WINDOW_MONTHS months up to latest_month, and the ones before."""
    recent_start = F.add_months(latest_month, -(TREND_WINDOW_MONTHS - 1))
    prior_start = F.add_months(latest_month, -(2 * TREND_WINDOW_MONTHS - 1))
    return month >= recent_start, (month >= prior_start) & (month < recent_start)
