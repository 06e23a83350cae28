"""Silver rows written by hand -> build_gold -> exact figures, suppression, idempotent reruns, sql/ queries.

Every expected figure below is computed by hand from the rows in `support.gold_inputs.silver_rows`
(the `gold_built` fixture, copied).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.gold.job import build_gold
from careerlake.registry import get_table, gold
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name
from support.gold_inputs import config_of_its_own, copy_tables, gold_context

REPO = Path(__file__).resolve().parents[2]
SQL_DIR = REPO / "sql"


@pytest.fixture(scope="module")
def built(
    spark: SparkSession, base_config: Config, gold_built: Config, tmp_path_factory: pytest.TempPathFactory
) -> Config:
    """A copy of the hand-written silver rows and the gold a first run built from them."""
    folder = tmp_path_factory.mktemp("gold")
    return copy_tables(spark, gold_built, config_of_its_own(base_config, folder, "g"), folder / "tables")


def _rows(spark: SparkSession, config: Config, name: str, where: str, *columns: str) -> list[tuple]:
    df = spark.table(full_name(config, get_table(f"gold.{name}")))
    return [tuple(r) for r in df.where(where).select(*columns).orderBy(*columns).collect()]


FIGURES = ("posting_count", "is_suppressed", "p10_usd", "p25_usd", "p50_usd", "p75_usd", "p90_usd")
EXTRAS = ("guide_band_min_usd", "guide_band_max_usd", "community_mention_count", "community_median_usd")


def test_salary_benchmark_cells(spark: SparkSession, built: Config) -> None:
    def cell(role: str, seniority: str, country: str, work_model: str) -> tuple:
        where = f"role_id = '{role}' AND seniority = '{seniority}' AND country = '{country}' AND work_model = '{work_model}'"
        found = _rows(spark, built, "salary_benchmarks", where, *FIGURES, *EXTRAS)
        assert len(found) == 1, (role, seniority, country, work_model)
        return found[0]

    # p1..p5: 80k, 90k, 100k, 120k, 140k; exact percentiles interpolate linearly at (n - 1) * p.
    # Guide bands: US 90k-150k and DE EUR 60k-90k at the newest EUR rate 1.10 = 66k-99k.
    # Community (threads/articles, pay components): 130k, 11k/month = 132k, EUR 100k = 110k.
    assert cell("data_engineer", "all", "ALL", "all") == (
        5,
        False,
        84000.0,
        90000.0,
        100000.0,
        120000.0,
        132000.0,
        66000.0,
        150000.0,
        3,
        130000.0,
    )
    assert cell("data_engineer", "senior", "ALL", "all") == (
        4,
        False,
        86000.0,
        95000.0,
        110000.0,
        125000.0,
        134000.0,
        66000.0,
        150000.0,
        2,
        131000.0,
    )
    assert cell("data_engineer", "senior", "US", "all") == (
        3,
        False,
        104000.0,
        110000.0,
        120000.0,
        130000.0,
        136000.0,
        90000.0,
        150000.0,
        2,
        131000.0,
    )
    assert cell("machine_learning_engineer", "all", "ALL", "all")[:5] == (
        3,
        False,
        140000.0 + 4000.0,
        150000.0,
        160000.0,
    )


def test_small_cells_are_suppressed(spark: SparkSession, built: Config) -> None:
    nulls = (None,) * 5
    # Two postings: p1, p2.
    senior_us_remote = _rows(
        spark,
        built,
        "salary_benchmarks",
        "role_id = 'data_engineer' AND seniority = 'senior' AND country = 'US' AND work_model = 'remote'",
        *FIGURES,
        *EXTRAS,
    )
    assert senior_us_remote == [(2, True, *nulls, 90000.0, 150000.0, 2, 131000.0)]
    # p9's salary is flagged implausible, so MLOps has two salaried postings: every cell suppressed.
    mlops = _rows(spark, built, "salary_benchmarks", "role_id = 'mlops_engineer'", "is_suppressed", "p50_usd")
    assert set(mlops) == {(True, None)}
    # p13 has no role, p6 no salary: neither lands in a cell.
    assert _rows(spark, built, "salary_benchmarks", "role_id IS NULL OR posting_count = 0", "role_id") == []


def test_skill_demand_rows(spark: SparkSession, built: Config) -> None:
    cols = (
        "skill_id",
        "month",
        "postings_with_skill",
        "role_postings",
        "share_of_role_postings",
        "mom_change",
        "median_salary_with_usd",
        "median_salary_without_usd",
    )
    rows = _rows(
        spark, built, "skill_demand", "role_id = 'data_engineer' AND skill_id IN ('python', 'dbt')", *cols
    )
    assert rows == [
        ("dbt", date(2026, 9, 1), 1, 2, 0.5, 0.5, 140000.0, 120000.0),
        ("dbt", date(2026, 10, 1), 1, 3, 0.3333, -0.1667, None, 85000.0),
        ("python", date(2026, 8, 1), 1, 1, 1.0, None, 100000.0, None),
        ("python", date(2026, 9, 1), 2, 2, 1.0, 0.0, 130000.0, None),
        ("python", date(2026, 10, 1), 2, 3, 0.6667, -0.3333, 80000.0, 90000.0),
    ]


def test_career_paths(spark: SparkSession, built: Config) -> None:
    cols = (
        "to_role_id",
        "weight",
        "guide_evidence",
        "thread_evidence",
        "article_evidence",
        "ladder_evidence",
        "median_salary_uplift_usd",
    )
    # Raw evidence 0.8 + 1.0 (mlops), 0.6 (analytics), 0.4 (MLE), 0.5 ladder: total 3.3.
    assert _rows(spark, built, "career_paths", "from_role_id = 'data_engineer'", *cols) == [
        ("analytics_engineer", 0.1818, 0, 0, 1, 0, None),
        ("data_engineering_manager", 0.1515, 0, 0, 0, 1, None),
        ("machine_learning_engineer", 0.1212, 0, 1, 0, 0, 60000.0),
        ("mlops_engineer", 0.5455, 1, 1, 0, 0, None),
    ]
    assert spark.table(full_name(built, get_table("gold.career_paths"))).count() == 11


def test_skill_gaps_and_role_profiles(spark: SparkSession, built: Config) -> None:
    cols = (
        "role_id",
        "skill_id",
        "gap_reason",
        "posting_share",
        "demand_change",
        "community_mentions",
        "gap_score",
    )
    assert _rows(spark, built, "skill_gaps", "true", *cols) == [
        ("data_engineer", "apache_spark", "guide_listed_gap", 0.5, -0.6, 1, 0.25),
        ("data_engineer", "dbt", "guide_listed_gap", 0.3333, 0.4, 0, 0.7333),
        ("data_engineer", "dbt", "rising_demand_low_advice", 0.3333, 0.4, 0, 0.7333),
        ("mlops_engineer", "kubernetes", "guide_listed_gap", 0.6667, None, 0, 0.6667),
    ]
    profile_cols = (
        "role_id",
        "posting_count",
        "top_posting_skills",
        "top_guide_skills",
        "salary_p50_usd",
        "demand_trend",
        "common_next_roles",
        "common_skill_gaps",
    )
    assert _rows(spark, built, "role_profiles", "true", *profile_cols) == [
        (
            "data_engineer",
            6,
            ["python", "apache_spark", "sql", "dbt"],
            ["python", "sql", "apache_spark"],
            100000.0,
            "rising",
            ["mlops_engineer", "analytics_engineer", "data_engineering_manager"],
            ["dbt", "apache_spark"],
        ),
        (
            "machine_learning_engineer",
            3,
            ["python", "pytorch"],
            [],
            160000.0,
            "unknown",
            ["ml_engineering_manager"],
            [],
        ),
        (
            "mlops_engineer",
            3,
            ["kubernetes", "python", "mlflow"],
            ["kubernetes", "python", "mlflow"],
            None,
            "unknown",
            ["machine_learning_engineer", "ai_infrastructure_engineer", "ml_engineering_manager"],
            ["kubernetes"],
        ),
    ]


def test_rerun_writes_nothing(spark: SparkSession, built: Config) -> None:
    ctx = gold_context(spark, built)
    build_gold(ctx)
    assert {s.table: s.rows_written for s in ctx.report.steps} == {t.id: 0 for t in gold.TABLES}
    # Gold keeps each input it reads in memory for the run only.
    assert [t for t in ctx.reads if spark.catalog.isCached(full_name(built, get_table(t)))] == []


def run_sql_file(spark: SparkSession, config: Config, name: str) -> list[tuple]:
    """Run a sql/ file with `gold.` pointed at this test's gold schema."""
    text = re.sub(r"\bgold\.", f"{config.schema_for('gold')}.", (SQL_DIR / name).read_text(encoding="utf-8"))
    return [tuple(r) for r in spark.sql(text).collect()]


EXPECTED_QUERY_ROWS: dict[str, list[tuple]] = {
    "salary_bands_by_seniority.sql": [
        ("all", 5, False, 84000.0, 90000.0, 100000.0, 120000.0, 132000.0, 66000.0, 150000.0),
        ("mid", 1, True, None, None, None, None, None, None, None),
        ("senior", 4, False, 86000.0, 95000.0, 110000.0, 125000.0, 134000.0, 66000.0, 150000.0),
    ],
    "top_paying_skills.sql": [
        ("dbt", 2, 1, 20000.0),
        ("apache_spark", 3, 2, 5000.0),
        ("sql", 3, 2, -5000.0),
        ("python", 5, 1, -10000.0),
    ],
    "next_roles.sql": [
        ("machine_learning_engineer", 0.4737, 0, 1, 0, 0, None),
        ("ai_infrastructure_engineer", 0.2632, 1, 0, 0, 0, None),
        ("ml_engineering_manager", 0.2632, 0, 0, 0, 1, None),
    ],
    "remote_share_by_role.sql": [
        ("mlops_engineer", 2, 2, 1.0),
        ("machine_learning_engineer", 3, 2, 0.6667),
        ("data_engineer", 5, 3, 0.6),
    ],
    "fastest_rising_skills.sql": [("mlops_engineer", "mlflow", date(2026, 10, 1), 0.5, 0.5)],
    "skill_gaps_for_role.sql": [
        ("dbt", "guide_listed_gap", 0.3333, 0.4, 0, 0.7333),
        ("dbt", "rising_demand_low_advice", 0.3333, 0.4, 0, 0.7333),
        ("apache_spark", "guide_listed_gap", 0.5, -0.6, 1, 0.25),
    ],
    "guide_band_vs_market.sql": [
        ("data_engineer", "all", 100000.0, 66000.0, 150000.0, -8000.0, "within band"),
        ("data_engineer", "senior", 110000.0, 66000.0, 150000.0, 2000.0, "within band"),
    ],
    "community_vs_postings.sql": [
        ("data_engineer", "all", 5, 100000.0, 3, 130000.0, 30000.0),
        ("data_engineer", "senior", 4, 110000.0, 2, 131000.0, 21000.0),
    ],
    "skill_demand_trend.sql": [
        (date(2026, 8, 1), "apache_spark", 1, 1, 1.0, None),
        (date(2026, 8, 1), "python", 1, 1, 1.0, None),
        (date(2026, 8, 1), "sql", 1, 1, 1.0, None),
        (date(2026, 9, 1), "apache_spark", 1, 2, 0.5, -0.5),
        (date(2026, 9, 1), "dbt", 1, 2, 0.5, 0.5),
        (date(2026, 9, 1), "python", 2, 2, 1.0, 0.0),
        (date(2026, 9, 1), "sql", 1, 2, 0.5, -0.5),
        (date(2026, 10, 1), "apache_spark", 1, 3, 0.3333, -0.1667),
        (date(2026, 10, 1), "dbt", 1, 3, 0.3333, -0.1667),
        (date(2026, 10, 1), "python", 2, 3, 0.6667, -0.3333),
        (date(2026, 10, 1), "sql", 1, 3, 0.3333, -0.1667),
    ],
    "role_profile.sql": [
        (
            "Data Engineer",
            6,
            "python, apache_spark, sql, dbt",
            "python, sql, apache_spark",
            90000.0,
            100000.0,
            120000.0,
            "rising",
            "mlops_engineer, analytics_engineer, data_engineering_manager",
            "dbt, apache_spark",
        ),
    ],
}


def test_every_sql_file_has_expected_rows() -> None:
    assert sorted(p.name for p in SQL_DIR.glob("*.sql")) == sorted(EXPECTED_QUERY_ROWS)


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERY_ROWS))
def test_sql_query(spark: SparkSession, built: Config, name: str) -> None:
    header = (SQL_DIR / name).read_text(encoding="utf-8").splitlines()[:3]
    assert header[0].startswith("-- Title: ")
    assert header[1].startswith("-- Question: ")
    assert run_sql_file(spark, built, name) == EXPECTED_QUERY_ROWS[name]
