"""gold.skill_demand and gold.skill_gaps: what postings ask for, and what advice misses."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.gold.common import community_doc_ids, median, recent_window_flags

# "Community advice rarely mentions": at most this many community documents name the skill.
RARE_ADVICE_MAX_DOCS = 1


def skill_demand(role_postings: DataFrame, refreshed_at: datetime) -> DataFrame:
    """skill × role × month: postings with the skill, share, change vs last month, salary with/without."""
    role_months = role_postings.groupBy("role_id", "month").agg(F.count(F.lit(1)).alias("role_postings"))
    pairs = role_postings.select("role_id", "month", F.explode("skills").alias("skill_id")).distinct()
    # Each posting of the role-month against each skill seen there: with vs without in one pass.
    flagged = pairs.join(role_postings, ["role_id", "month"]).select(
        "skill_id",
        "role_id",
        "month",
        F.array_contains("skills", F.col("skill_id")).alias("has_skill"),
        "salary_usd",
    )
    counts = flagged.groupBy("skill_id", "role_id", "month").agg(
        F.count_if("has_skill").alias("postings_with_skill"),
        F.round(median(F.when(F.col("has_skill"), F.col("salary_usd"))), 2).alias("median_salary_with_usd"),
        F.round(median(F.when(~F.col("has_skill"), F.col("salary_usd"))), 2).alias(
            "median_salary_without_usd"
        ),
    )
    current = counts.join(role_months, ["role_id", "month"]).withColumn(
        "share", F.col("postings_with_skill") / F.col("role_postings")
    )
    # Previous month's share is 0 when the role had postings then but none with the skill.
    prev_role = role_months.select(
        "role_id", F.add_months("month", 1).alias("month"), F.col("role_postings").alias("prev_role_postings")
    )
    prev_skill = counts.select(
        "skill_id",
        "role_id",
        F.add_months("month", 1).alias("month"),
        F.col("postings_with_skill").alias("prev_with"),
    )
    joined = current.join(prev_role, ["role_id", "month"], "left").join(
        prev_skill, ["skill_id", "role_id", "month"], "left"
    )
    prev_share = F.coalesce("prev_with", F.lit(0)) / F.col("prev_role_postings")
    return joined.select(
        "skill_id",
        "role_id",
        "month",
        F.col("postings_with_skill").cast("bigint").alias("postings_with_skill"),
        F.col("role_postings").cast("bigint").alias("role_postings"),
        F.round("share", 4).alias("share_of_role_postings"),
        F.round(F.col("share") - prev_share, 4).alias("mom_change"),
        "median_salary_with_usd",
        "median_salary_without_usd",
        F.lit(refreshed_at).cast("timestamp").alias("refreshed_at"),
    )


def role_skill_trends(role_postings: DataFrame) -> DataFrame:
    """role × skill: all-time share of the role's postings and its change, recent vs prior window."""
    latest = role_postings.groupBy("role_id").agg(F.max("month").alias("latest_month"))
    is_recent, is_prior = recent_window_flags(F.col("month"), F.col("latest_month"))
    flagged = role_postings.join(latest, "role_id").select(
        "posting_id", "role_id", "skills", is_recent.alias("recent"), is_prior.alias("prior")
    )
    totals = flagged.groupBy("role_id").agg(
        F.count(F.lit(1)).alias("n"),
        F.count_if("recent").alias("n_recent"),
        F.count_if("prior").alias("n_prior"),
    )
    per_skill = (
        flagged.select("role_id", "recent", "prior", F.explode("skills").alias("skill_id"))
        .groupBy("role_id", "skill_id")
        .agg(
            F.count(F.lit(1)).alias("k"),
            F.count_if("recent").alias("k_recent"),
            F.count_if("prior").alias("k_prior"),
        )
    )
    change = F.when(
        (F.col("n_prior") > 0) & (F.col("n_recent") > 0),
        F.col("k_recent") / F.col("n_recent") - F.col("k_prior") / F.col("n_prior"),
    )
    return per_skill.join(totals, "role_id").select(
        "role_id",
        "skill_id",
        F.col("k").cast("bigint").alias("postings_with_skill"),
        (F.col("k") / F.col("n")).alias("posting_share"),
        change.alias("demand_change"),
    )


def community_skill_docs(skill_mentions: DataFrame, documents: DataFrame) -> DataFrame:
    """skill_id -> community documents (threads, articles) mentioning it."""
    return (
        skill_mentions.join(community_doc_ids(documents), "doc_id", "left_semi")
        .groupBy("skill_id")
        .agg(F.countDistinct("doc_id").alias("community_mentions"))
    )


def skill_gaps(
    role_postings: DataFrame,
    role_guides: DataFrame,
    skill_mentions: DataFrame,
    documents: DataFrame,
    refreshed_at: datetime,
) -> DataFrame:
    """Rows of gold.skill_gaps.

    guide_listed_gap: a guide lists the skill as a common gap and the role's postings ask for it.
    rising_demand_low_advice: its share rose (recent vs prior window) and at most
    RARE_ADVICE_MAX_DOCS community documents mention it.
    gap_score = (posting_share + max(demand_change, 0)) / (1 + community_mentions).
    """
    trends = role_skill_trends(role_postings)
    community = community_skill_docs(skill_mentions, documents)
    listed = role_guides.select("role_id", F.explode("skill_gaps").alias("skill_id")).distinct()
    scored = trends.join(community, "skill_id", "left").withColumn(
        "community_mentions", F.coalesce("community_mentions", F.lit(0)).cast("bigint")
    )
    guide_gaps = scored.join(listed, ["role_id", "skill_id"], "left_semi").withColumn(
        "gap_reason", F.lit("guide_listed_gap")
    )
    rising = scored.where(
        (F.col("demand_change") > 0) & (F.col("community_mentions") <= RARE_ADVICE_MAX_DOCS)
    ).withColumn("gap_reason", F.lit("rising_demand_low_advice"))
    score = (F.col("posting_share") + F.greatest(F.coalesce("demand_change", F.lit(0.0)), F.lit(0.0))) / (
        1 + F.col("community_mentions")
    )
    return guide_gaps.unionByName(rising).select(
        "role_id",
        "skill_id",
        "gap_reason",
        F.round("posting_share", 4).alias("posting_share"),
        F.round("demand_change", 4).alias("demand_change"),
        "community_mentions",
        F.round(score, 4).alias("gap_score"),
        F.lit(refreshed_at).cast("timestamp").alias("refreshed_at"),
    )
