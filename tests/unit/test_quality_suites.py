"""Suites generated from the registry: every table covered, every check with a severity."""

from __future__ import annotations

from pyspark.sql import SparkSession

from careerlake.quality.engine import run_spark_checks
from careerlake.quality.results import CheckResult, breach_message
from careerlake.quality.suites import all_suites, build_suite, known_currencies
from careerlake.registry import ALL_TABLES, get_table
from careerlake.runtime.config import Config


def test_one_suite_per_registry_table_with_severities(base_config: Config) -> None:
    suites = all_suites(base_config)
    assert set(suites) == {t.id for t in ALL_TABLES}
    for suite in suites.values():
        names = [c.expectation for c in suite.checks]
        assert len(names) == len(set(names)), suite.name
        assert {c.severity for c in suite.checks} <= {"critical", "warning"}
        assert "expect_table_columns_to_match_set" in names
        for key in suite.table.keys:
            assert f"expect_column_values_to_not_be_null({key})" in names


def test_registry_metadata_becomes_expectations(base_config: Config) -> None:
    postings = {c.expectation: c for c in build_suite(get_table("silver.postings"), base_config).checks}
    assert postings["expect_column_values_to_be_unique(posting_id)"].engine == "gx"
    assert postings["expect_column_values_to_be_in_set(seniority)"].severity == "critical"
    assert postings["expect_column_values_to_match_regex(country)"].engine == "spark"
    assert postings["expect_column_values_to_be_in_set(salary_currency)"].severity == "warning"
    assert postings["expect_column_values_to_not_be_in_future(posted_at)"].severity == "warning"
    assert postings["expect_column_values_to_not_be_in_future(updated_at)"].severity == "critical"
    assert "expect_column_values_to_not_be_in_future(valid_through)" not in postings
    assert postings["expect_column_max_to_be_between(posted_at)"].severity == "warning"
    assert "expect_delta_check_constraint(valid_work_model)" in postings
    salary = postings["expect_column_values_to_be_between(salary_mid_annual_usd)"]
    assert "BETWEEN 1000.0 AND 5000000.0" in (salary.predicate or "")
    uplift = {c.expectation for c in build_suite(get_table("gold.career_paths"), base_config).checks}
    assert "expect_column_values_to_be_between(median_salary_uplift_usd)" not in uplift
    history = {
        c.expectation: c for c in build_suite(get_table("silver.postings_history"), base_config).checks
    }
    assert history["expect_column_values_to_not_be_in_future(valid_from)"].severity == "warning"
    benchmarks = build_suite(get_table("gold.salary_benchmarks"), base_config).checks
    assert "expect_compound_columns_to_be_unique(role_id, seniority, country, work_model)" in {
        c.expectation for c in benchmarks
    }
    assert {"EUR", "GBP", "USD"} <= set(known_currencies())


def test_spark_rules_count_failing_rows_in_one_pass(spark: SparkSession, base_config: Config) -> None:
    table = get_table("silver.career_documents")
    batch = spark.createDataFrame(
        [("d1", "guide"), ("d2", "poem"), (None, "thread")], "doc_id string, doc_type string"
    )
    literals = {"string": "'x'", "timestamp": "TIMESTAMP'2026-01-01 00:00:00'", "date": "DATE'2026-01-01'"}
    for column in table.columns:
        if column.name not in batch.columns:
            batch = batch.selectExpr("*", f"{literals[column.type]} AS `{column.name}`")

    rows, results = run_spark_checks(build_suite(table, base_config), batch)

    failing = {r.expectation: r.failing_count for r in results if not r.success}
    assert rows == 3
    assert failing == {
        "expect_column_values_to_not_be_null(doc_id)": 1,
        "expect_delta_check_constraint(valid_doc_type)": 1,
    }


def test_breach_message_names_table_expectation_and_count() -> None:
    breaches = [
        CheckResult("gold.skill_demand", "expect_column_values_to_be_between(x)", "critical", False, None, 7),
        CheckResult(
            "gold.skill_demand", "expect_column_values_to_not_be_null(y)", "critical", False, None, 1
        ),
    ]
    assert breach_message("gold.skill_demand", breaches) == (
        "gold.skill_demand: critical expectation expect_column_values_to_be_between(x) failed for 7 row(s) "
        "(and 1 more critical failure(s)); nothing written"
    )
