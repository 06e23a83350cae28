"""gold.career_paths: role -> next role edges from guides, community statements and seniority ladders."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.local_rows import rows_frame

# The management ladder above individual-contributor roles (reference.roles ids): the usual
# next step when a senior engineer moves into management, then up the management ladder.
LADDER_EDGES: tuple[tuple[str, str], ...] = (
    ("software_engineer", "engineering_manager"),
    ("backend_engineer", "engineering_manager"),
    ("frontend_engineer", "engineering_manager"),
    ("full_stack_engineer", "engineering_manager"),
    ("mobile_engineer", "engineering_manager"),
    ("devops_engineer", "engineering_manager"),
    ("platform_engineer", "engineering_manager"),
    ("site_reliability_engineer", "engineering_manager"),
    ("data_engineer", "data_engineering_manager"),
    ("analytics_engineer", "data_engineering_manager"),
    ("data_scientist", "data_science_manager"),
    ("machine_learning_engineer", "ml_engineering_manager"),
    ("mlops_engineer", "ml_engineering_manager"),
    ("engineering_manager", "engineering_director"),
    ("data_engineering_manager", "head_of_data"),
    ("data_science_manager", "head_of_data"),
    ("ml_engineering_manager", "head_of_data"),
    ("engineering_director", "cto"),
    ("head_of_data", "chief_data_officer"),
    ("product_manager", "product_director"),
)
# A ladder edge counts like one statement of this confidence.
LADDER_CONFIDENCE = 0.5


def ladder_edges(spark: SparkSession, roles: DataFrame) -> DataFrame:
    """LADDER_EDGES restricted to roles present in reference.roles."""
    known = roles.select("role_id")
    edges = rows_frame(spark, LADDER_EDGES, "from_role_id string, to_role_id string")
    return edges.join(known.withColumnRenamed("role_id", "from_role_id"), "from_role_id", "left_semi").join(
        known.withColumnRenamed("role_id", "to_role_id"), "to_role_id", "left_semi"
    )


def career_paths(
    transitions: DataFrame, ladders: DataFrame, role_p50: DataFrame, refreshed_at: datetime
) -> DataFrame:
    """Rows of gold.career_paths.

    weight = (sum of statement confidences + LADDER_CONFIDENCE per ladder edge), divided by the
    same sum over every edge leaving from_role_id. `role_p50` is (role_id, p50_usd) of the
    role-wide benchmark cell, null when suppressed, so the uplift never reveals a small cell.
    """
    statements = transitions.where(
        F.col("from_role_id").isNotNull() & (F.col("from_role_id") != F.col("to_role_id"))
    )
    evidence = statements.select(
        "from_role_id",
        "to_role_id",
        F.col("confidence").cast("double").alias("confidence"),
        (F.col("source_type") == "guide").cast("long").alias("guide_evidence"),
        (F.col("source_type") == "thread").cast("long").alias("thread_evidence"),
        (F.col("source_type") == "article").cast("long").alias("article_evidence"),
        F.lit(0).cast("long").alias("ladder_evidence"),
    ).unionByName(
        ladders.select(
            "from_role_id",
            "to_role_id",
            F.lit(LADDER_CONFIDENCE).alias("confidence"),
            *(
                F.lit(0).cast("long").alias(c)
                for c in ("guide_evidence", "thread_evidence", "article_evidence")
            ),
            F.lit(1).cast("long").alias("ladder_evidence"),
        )
    )
    edges = evidence.groupBy("from_role_id", "to_role_id").agg(
        F.sum("confidence").alias("raw"),
        *(
            F.sum(c).alias(c)
            for c in ("guide_evidence", "thread_evidence", "article_evidence", "ladder_evidence")
        ),
    )
    totals = edges.groupBy("from_role_id").agg(F.sum("raw").alias("total"))
    from_p50 = role_p50.select(F.col("role_id").alias("from_role_id"), F.col("p50_usd").alias("from_p50"))
    to_p50 = role_p50.select(F.col("role_id").alias("to_role_id"), F.col("p50_usd").alias("to_p50"))
    return (
        edges.join(totals, "from_role_id")
        .join(from_p50, "from_role_id", "left")
        .join(to_p50, "to_role_id", "left")
        .select(
            "from_role_id",
            "to_role_id",
            F.round(F.col("raw") / F.col("total"), 4).alias("weight"),
            "guide_evidence",
            "thread_evidence",
            "article_evidence",
            "ladder_evidence",
            F.round(F.col("to_p50") - F.col("from_p50"), 2).alias("median_salary_uplift_usd"),
            F.lit(refreshed_at).cast("timestamp").alias("refreshed_at"),
        )
    )
