"""Gold transforms one at a time on inline silver rows built from the registry schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chispa import assert_df_equality
from pyspark.sql import DataFrame, Row, SparkSession

from careerlake.gold.common import role_postings
from careerlake.gold.paths import career_paths
from careerlake.gold.salary import community_pay, posting_percentiles
from careerlake.gold.skills import skill_demand
from careerlake.registry import get_table
from careerlake.runtime.local_rows import rows_frame

T0 = datetime(2026, 11, 1)


def silver(spark: SparkSession, table_id: str, rows: list[dict[str, Any]]) -> DataFrame:
    """Rows of a registry table; columns not given are null, [] or a NOT NULL placeholder."""
    table = get_table(table_id)
    placeholder = {"boolean": False, "timestamp": T0, "int": 0, "double": 0.0}

    def full(values: dict[str, Any]) -> Row:
        return Row(
            **{
                c.name: values.get(
                    c.name,
                    [] if c.type.startswith("array") else None if c.nullable else placeholder.get(c.type, ""),
                )
                for c in table.columns
            }
        )

    return rows_frame(spark, [full(r) for r in rows], table.schema)


def posting(
    pid: str, seniority: str | None, salary: float | None, skills: list[str], month: int, **extra: Any
) -> dict:
    return {
        "posting_id": pid,
        "title": pid,
        "role_id": "data_engineer",
        "seniority": seniority,
        "country": "US",
        "work_model": "remote",
        "salary_mid_annual_usd": salary,
        "skills": skills,
        "posted_at": datetime(2026, month, 10),
        **extra,
    }


def test_posting_percentiles_rolls_up_and_suppresses_small_cells(spark: SparkSession) -> None:
    postings = silver(
        spark,
        "silver.postings",
        [
            posting("a", "senior", 100.0, [], 9),
            posting("b", "senior", 200.0, [], 9),
            posting("c", "mid", 400.0, [], 9),
            posting("d", None, 800.0, [], 9, work_model=None),
            posting("e", "mid", 9999.0, [], 9, salary_flags=["min_gt_max"]),
        ],
    )
    result = posting_percentiles(role_postings(postings), min_cell_postings=3).where(
        "country = 'US' AND work_model IN ('all', 'remote')"
    )
    nulls = (None,) * 5
    expected = rows_frame(
        spark,
        [
            # a, b, c, d: 100, 200, 400, 800 -> p10 at 0.3 -> 130, p25 at 0.75 -> 175, p50 300, p75 500, p90 680.
            ("data_engineer", "all", "US", "all", 4, False, 130.0, 175.0, 300.0, 500.0, 680.0),
            ("data_engineer", "all", "US", "remote", 3, False, 120.0, 150.0, 200.0, 300.0, 360.0),
            ("data_engineer", "mid", "US", "all", 1, True, *nulls),
            ("data_engineer", "mid", "US", "remote", 1, True, *nulls),
            ("data_engineer", "senior", "US", "all", 2, True, *nulls),
            ("data_engineer", "senior", "US", "remote", 2, True, *nulls),
        ],
        "role_id string, seniority string, country string, work_model string, posting_count bigint, "
        "is_suppressed boolean, p10_usd double, p25_usd double, p50_usd double, p75_usd double, p90_usd double",
    )
    assert_df_equality(result, expected, ignore_row_order=True, ignore_nullable=True, ignore_metadata=True)


def test_community_pay_annualizes_converts_and_skips_guides_and_equity(spark: SparkSession) -> None:
    mentions = silver(
        spark,
        "silver.compensation_mentions",
        [
            {
                "mention_id": "m1",
                "doc_id": "t",
                "component": "base",
                "amount_min": 50.0,
                "amount_max": 70.0,
                "currency": "USD",
                "period": "hour",
                "role_id": "data_engineer",
                "seniority": "mid",
            },
            {
                "mention_id": "m2",
                "doc_id": "t",
                "component": "total",
                "amount_min": 100000.0,
                "currency": "EUR",
                "period": "year",
                "role_id": "data_engineer",
            },
            {
                "mention_id": "m3",
                "doc_id": "t",
                "component": "equity",
                "amount_min": 1.0,
                "amount_max": 1.0,
                "currency": "USD",
                "period": "year",
                "role_id": "data_engineer",
                "seniority": "mid",
            },
            {
                "mention_id": "m4",
                "doc_id": "g",
                "component": "base",
                "amount_min": 1.0,
                "amount_max": 1.0,
                "currency": "USD",
                "period": "year",
                "role_id": "data_engineer",
                "seniority": "mid",
            },
        ],
    )
    documents = silver(
        spark,
        "silver.career_documents",
        [
            {"doc_id": "t", "doc_type": "thread", "body_text": "x"},
            {"doc_id": "g", "doc_type": "guide", "body_text": "x"},
        ],
    )
    rates = rows_frame(spark, [("USD", 1.0), ("EUR", 1.2)], "currency string, usd_per_unit double")
    expected = rows_frame(
        spark,
        [
            # m1: 60/hour * 2080 = 124,800; m2: amount_max null -> 100,000 EUR * 1.2 = 120,000.
            ("data_engineer", "mid", 1, 124800.0),
            ("data_engineer", "all", 2, 122400.0),
        ],
        "role_id string, seniority string, community_mention_count bigint, community_median_usd double",
    )
    assert_df_equality(
        community_pay(mentions, documents, rates),
        expected,
        ignore_row_order=True,
        ignore_nullable=True,
        ignore_metadata=True,
    )


def test_skill_demand_share_change_and_salary_with_without(spark: SparkSession) -> None:
    postings = silver(
        spark,
        "silver.postings",
        [
            posting("a", "mid", 100.0, ["sql"], 8),
            posting("b", "mid", 200.0, ["sql", "dbt"], 9),
            posting("c", "mid", 300.0, [], 9),
        ],
    )
    expected = rows_frame(
        spark,
        [
            ("sql", "data_engineer", date(2026, 8, 1), 1, 1, 1.0, None, 100.0, None, T0),
            ("sql", "data_engineer", date(2026, 9, 1), 1, 2, 0.5, -0.5, 200.0, 300.0, T0),
            # dbt was absent from August's postings: share 0 then, so the change is +0.5.
            ("dbt", "data_engineer", date(2026, 9, 1), 1, 2, 0.5, 0.5, 200.0, 300.0, T0),
        ],
        get_table("gold.skill_demand").schema,
    )
    assert_df_equality(
        skill_demand(role_postings(postings), T0),
        expected,
        ignore_row_order=True,
        ignore_nullable=True,
        ignore_metadata=True,
    )


def test_career_paths_weights_evidence_and_uplift(spark: SparkSession) -> None:
    transitions = silver(
        spark,
        "silver.career_transitions",
        [
            {
                "transition_id": "1",
                "doc_id": "d",
                "from_role_id": "a",
                "to_role_id": "b",
                "source_type": "guide",
                "confidence": 0.9,
            },
            {
                "transition_id": "2",
                "doc_id": "d",
                "from_role_id": "a",
                "to_role_id": "b",
                "source_type": "thread",
                "confidence": 0.6,
            },
            {
                "transition_id": "3",
                "doc_id": "d",
                "from_role_id": None,
                "to_role_id": "b",
                "source_type": "thread",
                "confidence": 0.6,
            },
            {  # a promotion on one role is a rung of its ladder, not a path to another role
                "transition_id": "4",
                "doc_id": "d",
                "from_role_id": "a",
                "to_role_id": "a",
                "from_level": "mid",
                "to_level": "senior",
                "source_type": "guide",
                "confidence": 0.9,
            },
        ],
    )
    ladders = rows_frame(spark, [("a", "m")], "from_role_id string, to_role_id string")
    p50 = rows_frame(spark, [("a", 100.0), ("b", 150.0), ("m", None)], "role_id string, p50_usd double")
    expected = rows_frame(
        spark,
        [("a", "b", 0.75, 1, 1, 0, 0, 50.0, T0), ("a", "m", 0.25, 0, 0, 0, 1, None, T0)],
        get_table("gold.career_paths").schema,
    )
    assert_df_equality(
        career_paths(transitions, ladders, p50, T0),
        expected,
        ignore_row_order=True,
        ignore_nullable=True,
        ignore_metadata=True,
    )
