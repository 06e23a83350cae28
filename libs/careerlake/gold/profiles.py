"""gold.role_profiles: one row per role summarizing the other gold tables."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.gold.common import ALL, ALL_COUNTRIES, recent_window_flags, top_ids

TOP_SKILLS = 5
TOP_NEXT_ROLES = 3
TOP_GAPS = 5
# Demand trend: recent-window postings against the prior window, ±10% counts as stable.
TREND_TOLERANCE = 0.1


def role_wide_cells(benchmarks: DataFrame) -> DataFrame:
    """The role-wide benchmark cell (every seniority, country and work model) of each role."""
    return benchmarks.where(
        (F.col("seniority") == ALL) & (F.col("country") == ALL_COUNTRIES) & (F.col("work_model") == ALL)
    )


def demand_trends(role_postings: DataFrame) -> DataFrame:
    """role_id -> posting_count and demand_trend (recent vs prior window of the role's months)."""
    latest = role_postings.groupBy("role_id").agg(F.max("month").alias("latest_month"))
    is_recent, is_prior = recent_window_flags(F.col("month"), F.col("latest_month"))
    counts = (
        role_postings.join(latest, "role_id")
        .groupBy("role_id")
        .agg(
            F.count(F.lit(1)).alias("posting_count"),
            F.count_if(is_recent).alias("recent"),
            F.count_if(is_prior).alias("prior"),
        )
    )
    trend = (
        F.when(F.col("prior") == 0, "unknown")
        .when(F.col("recent") > F.col("prior") * (1 + TREND_TOLERANCE), "rising")
        .when(F.col("recent") < F.col("prior") * (1 - TREND_TOLERANCE), "falling")
        .otherwise("stable")
    )
    return counts.select("role_id", F.col("posting_count").cast("bigint"), trend.alias("demand_trend"))


def role_profiles(
    roles: DataFrame,
    role_postings: DataFrame,
    role_guides: DataFrame,
    benchmarks: DataFrame,
    paths: DataFrame,
    gaps: DataFrame,
    refreshed_at: datetime,
) -> DataFrame:
    """Rows of gold.role_profiles: every role with postings or a career guide."""
    posting_skills = (
        role_postings.select("role_id", F.explode("skills").alias("skill_id"))
        .groupBy("role_id", "skill_id")
        .agg(F.count(F.lit(1)).alias("n"))
        .groupBy("role_id")
        .agg(top_ids(F.col("n"), F.col("skill_id"), TOP_SKILLS).alias("top_posting_skills"))
    )
    # Guide skills: named by more guides first, then listed earlier.
    guide_skills = (
        role_guides.select("role_id", "doc_id", F.posexplode("top_skills").alias("pos", "skill_id"))
        .groupBy("role_id", "skill_id")
        .agg(F.countDistinct("doc_id").alias("guides"), F.min("pos").alias("first_pos"))
        .groupBy("role_id")
        .agg(
            top_ids(F.col("guides") * 1000 - F.col("first_pos"), F.col("skill_id"), TOP_SKILLS).alias(
                "top_guide_skills"
            )
        )
    )
    salary = role_wide_cells(benchmarks).select(
        "role_id",
        F.col("p25_usd").alias("salary_p25_usd"),
        F.col("p50_usd").alias("salary_p50_usd"),
        F.col("p75_usd").alias("salary_p75_usd"),
    )
    next_roles = paths.groupBy(F.col("from_role_id").alias("role_id")).agg(
        top_ids(F.col("weight"), F.col("to_role_id"), TOP_NEXT_ROLES).alias("common_next_roles")
    )
    skill_gaps = (
        gaps.groupBy("role_id", "skill_id")
        .agg(F.max("gap_score").alias("score"))
        .groupBy("role_id")
        .agg(top_ids(F.col("score"), F.col("skill_id"), TOP_GAPS).alias("common_skill_gaps"))
    )
    covered = role_postings.select("role_id").union(role_guides.select("role_id")).distinct()
    empty = F.array().cast("array<string>")
    return (
        roles.select("role_id", "role_name")
        .join(covered, "role_id", "left_semi")
        .join(demand_trends(role_postings), "role_id", "left")
        .join(posting_skills, "role_id", "left")
        .join(guide_skills, "role_id", "left")
        .join(salary, "role_id", "left")
        .join(next_roles, "role_id", "left")
        .join(skill_gaps, "role_id", "left")
        .select(
            "role_id",
            "role_name",
            F.coalesce("posting_count", F.lit(0)).cast("bigint").alias("posting_count"),
            F.coalesce("top_posting_skills", empty).alias("top_posting_skills"),
            F.coalesce("top_guide_skills", empty).alias("top_guide_skills"),
            "salary_p25_usd",
            "salary_p50_usd",
            "salary_p75_usd",
            F.coalesce("demand_trend", F.lit("unknown")).alias("demand_trend"),
            F.coalesce("common_next_roles", empty).alias("common_next_roles"),
            F.coalesce("common_skill_gaps", empty).alias("common_skill_gaps"),
            F.lit(refreshed_at).cast("timestamp").alias("refreshed_at"),
        )
    )
