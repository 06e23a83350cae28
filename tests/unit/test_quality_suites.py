"""Suites built from what the registry declares: exact checks per declaration and per table."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyspark.sql import SparkSession

from careerlake.quality.engine import result_format, run_spark_checks
from careerlake.quality.results import CheckResult, breach_message
from careerlake.quality.suites import Suite, build_suite
from careerlake.reference.taxonomy import packaged_values
from careerlake.registry import ALL_TABLES, get_table
from careerlake.registry.checks import (
    ANNUAL_USD_SALARY,
    SOURCE_DATE,
    WARNING,
    Between,
    Drift,
    Fresh,
    InReference,
    InSet,
    Matches,
    NotInFuture,
    Ordered,
    Setting,
)
from careerlake.registry.table import Table, col, key
from careerlake.runtime.config import Config
from careerlake.runtime.local_rows import rows_frame

FUTURE = "current_timestamp() + INTERVAL 86400 SECONDS"


def fake_reference(table_id: str, column: str) -> tuple[str, ...]:
    assert (table_id, column) == ("reference.fx_rates", "currency")
    return ("EUR", "USD")


DECLARING_EVERY_KIND = Table(
    layer="gold",
    name="every_kind",
    comment="A table declaring one check of each kind.",
    columns=(
        key("cell", "string", "Key.", InSet(("a", "b'c"))),
        col("country", "string", "Country.", Matches("^[A-Z]{2}$", also=("ALL",))),
        col("currency", "string", "Currency.", InReference("reference.fx_rates", "currency", WARNING)),
        col("low_usd", "double", "Low.", ANNUAL_USD_SALARY),
        col("high_usd", "double", "High.", Between(high=10)),
        key("seen", "bigint", "Count.", Between(low=0)),
        col("published", "date", "Date the source publishes.", SOURCE_DATE),
        col("expires", "timestamp", "May lie ahead.", may_lie_ahead=True),
        key("updated_at", "timestamp", "Recorded by the pipeline."),
    ),
    keys=("cell",),
    constraints={"seen_small": "seen < 100"},
    checks=(
        Ordered("low_usd", "high_usd"),
        Fresh("updated_at", Setting("freshness_max_days")),
        Drift("low_usd", "low", 25.0),
    ),
)


def row_rules(suite: Suite) -> list[tuple[str, str, str | None]]:
    return [(c.expectation, c.severity, c.predicate) for c in suite.spark_checks]


def test_each_declared_kind_becomes_its_expectation(base_config: Config) -> None:
    suite = build_suite(DECLARING_EVERY_KIND, base_config, fake_reference)

    assert row_rules(suite) == [
        ("expect_column_values_to_not_be_null(cell)", "critical", "`cell` IS NOT NULL"),
        ("expect_column_values_to_be_in_set(cell)", "critical", "`cell` IS NULL OR `cell` IN ('a', 'b\\'c')"),
        (
            "expect_column_values_to_match_regex(country)",
            "critical",
            "`country` IS NULL OR `country` RLIKE '^[A-Z]{2}$' OR `country` IN ('ALL')",
        ),
        (
            "expect_column_values_to_be_in_set(currency)",
            "warning",
            "`currency` IS NULL OR `currency` IN ('EUR', 'USD')",
        ),
        (
            "expect_column_values_to_be_between(low_usd)",
            "critical",
            "`low_usd` IS NULL OR `low_usd` BETWEEN 1000.0 AND 5000000.0",
        ),
        (
            "expect_column_values_to_be_between(high_usd)",
            "critical",
            "`high_usd` IS NULL OR `high_usd` <= 10",
        ),
        ("expect_column_values_to_not_be_null(seen)", "critical", "`seen` IS NOT NULL"),
        ("expect_column_values_to_be_between(seen)", "critical", "`seen` IS NULL OR `seen` >= 0"),
        (
            "expect_column_values_to_not_be_in_future(published)",
            "warning",
            f"`published` IS NULL OR CAST(`published` AS TIMESTAMP) <= {FUTURE}",
        ),
        ("expect_column_values_to_not_be_null(updated_at)", "critical", "`updated_at` IS NOT NULL"),
        (
            "expect_column_values_to_not_be_in_future(updated_at)",
            "critical",
            f"`updated_at` IS NULL OR CAST(`updated_at` AS TIMESTAMP) <= {FUTURE}",
        ),
        ("expect_delta_check_constraint(seen_small)", "critical", "seen < 100"),
        (
            "expect_column_pair_values_a_to_be_less_than_or_equal_to_b(low_usd, high_usd)",
            "critical",
            "`low_usd` IS NULL OR `high_usd` IS NULL OR `low_usd` <= `high_usd`",
        ),
    ]
    assert [(c.expectation, c.severity, c.engine) for c in suite.gx_checks] == [
        ("expect_table_columns_to_match_set", "critical", "schema"),
        ("expect_column_max_to_be_between(updated_at)", "warning", "gx"),
    ]
    (drift,) = suite.drifts
    assert (drift.name, drift.column, drift.change_column) == (
        "gold.every_kind.low_drift",
        "low_usd",
        "low_change_pct",
    )
    assert (drift.check.expectation, drift.check.severity) == (
        "expect_column_values_to_be_between(low_change_pct)",
        "warning",
    )
    assert drift.check.gx is not None
    assert drift.check.build_gx().configuration.kwargs == {
        "column": "low_change_pct",
        "min_value": 0.0,
        "max_value": 25.0,
    }


def test_date_columns_are_checked_not_in_future_unless_declared_otherwise() -> None:
    assert col("at", "timestamp", "c").checks == (NotInFuture(),)
    assert key("on", "date", "c").checks == (NotInFuture(),)
    assert col("at", "timestamp", "c", SOURCE_DATE).checks == (NotInFuture(WARNING),)
    assert col("expires", "timestamp", "c", may_lie_ahead=True).checks == ()
    assert col("name", "string", "c").checks == ()


def test_a_table_check_must_name_its_columns() -> None:
    with pytest.raises(ValueError, match=r"\['p75'\]"):
        Table("gold", "t", "c", (key("p25", "double", "c"),), ("p25",), checks=(Ordered("p25", "p75"),))


def test_a_check_cannot_be_declared_twice(base_config: Config) -> None:
    table = Table("gold", "t", "c", (key("k", "string", "c", InSet(("a",)), InSet(("b",))),), ("k",))
    with pytest.raises(ValueError, match=r"declared twice: \['expect_column_values_to_be_in_set\(k\)'\]"):
        build_suite(table, base_config, fake_reference)


def test_salary_benchmarks_suite(base_config: Config) -> None:
    suite = build_suite(get_table("gold.salary_benchmarks"), base_config, packaged_values)

    assert [(c.expectation, c.severity, c.engine) for c in suite.checks if c.column is None] == [
        ("expect_table_columns_to_match_set", "critical", "schema"),
        ("expect_compound_columns_to_be_unique(role_id, seniority, country, work_model)", "critical", "keys"),
        ("expect_column_values_to_not_be_null(role_id)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(seniority)", "critical", "spark"),
        ("expect_column_values_to_be_in_set(seniority)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(country)", "critical", "spark"),
        ("expect_column_values_to_match_regex(country)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(work_model)", "critical", "spark"),
        ("expect_column_values_to_be_in_set(work_model)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(posting_count)", "critical", "spark"),
        ("expect_column_values_to_be_between(posting_count)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(is_suppressed)", "critical", "spark"),
        ("expect_column_values_to_be_between(p10_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(p25_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(p50_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(p75_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(p90_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(guide_band_min_usd)", "critical", "spark"),
        ("expect_column_values_to_be_between(guide_band_max_usd)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(community_mention_count)", "critical", "spark"),
        ("expect_column_values_to_be_between(community_median_usd)", "critical", "spark"),
        ("expect_column_values_to_not_be_null(refreshed_at)", "critical", "spark"),
        ("expect_column_values_to_not_be_in_future(refreshed_at)", "critical", "spark"),
        ("expect_delta_check_constraint(suppressed_has_no_figures)", "critical", "spark"),
        ("expect_column_pair_values_a_to_be_less_than_or_equal_to_b(p25_usd, p75_usd)", "critical", "spark"),
    ]
    predicates = {c.expectation: c.predicate for c in suite.spark_checks}
    assert predicates["expect_column_values_to_be_in_set(work_model)"] == (
        "`work_model` IS NULL OR `work_model` IN ('remote', 'hybrid', 'onsite', 'all', 'ALL')"
    )
    assert [(c.column, c.spark_type) for c in suite.schema_checks][1:3] == [
        ("role_id", "StringType"),
        ("seniority", "StringType"),
    ]
    (drift,) = suite.drifts
    assert drift.name == "gold.salary_benchmarks.p50_drift"
    assert drift.check.expectation == "expect_column_values_to_be_between(p50_change_pct)"
    assert drift.check.gx is not None
    assert drift.check.build_gx().configuration.kwargs["max_value"] == 50.0


def test_gx_collects_sample_values_only_for_the_row_level_checks_it_decides(base_config: Config) -> None:
    suite = build_suite(get_table("gold.salary_benchmarks"), base_config, packaged_values)
    # The table has no row-level GX expectation: its keys are counted before each write.
    assert result_format(suite.gx_checks) == {"result_format": "BASIC", "partial_unexpected_count": 0}
    (drift,) = suite.drifts
    assert result_format((drift.check,)) == {"result_format": "BASIC", "partial_unexpected_count": 3}


def test_silver_postings_suite_takes_known_currencies_from_reference(base_config: Config) -> None:
    suite = build_suite(get_table("silver.postings"), base_config, packaged_values)

    checks = {c.expectation: c for c in suite.checks}
    currencies = checks["expect_column_values_to_be_in_set(salary_currency)"]
    assert currencies.severity == "warning"
    assert "'EUR', 'GBP', 'HKD'" in (currencies.predicate or "")
    assert [(c.expectation, c.severity) for c in suite.gx_checks] == [
        ("expect_table_columns_to_match_set", "critical"),
        ("expect_column_max_to_be_between(posted_at)", "warning"),
    ]
    assert "expect_column_values_to_not_be_in_future(valid_through)" not in checks
    assert suite.drifts == ()


def test_career_documents_suite(base_config: Config) -> None:
    suite = build_suite(get_table("silver.career_documents"), base_config, packaged_values)

    assert [(c.expectation, c.severity) for c in suite.checks if c.column is None] == [
        ("expect_table_columns_to_match_set", "critical"),
        ("expect_column_values_to_be_unique(doc_id)", "critical"),
        ("expect_column_values_to_not_be_null(doc_id)", "critical"),
        ("expect_column_values_to_not_be_null(doc_type)", "critical"),
        ("expect_column_values_to_not_be_in_future(published_date)", "warning"),
        ("expect_column_values_to_not_be_null(body_text)", "critical"),
        ("expect_column_values_to_not_be_null(content_hash)", "critical"),
        ("expect_column_values_to_not_be_null(updated_at)", "critical"),
        ("expect_column_values_to_not_be_in_future(updated_at)", "critical"),
        ("expect_delta_check_constraint(valid_doc_type)", "critical"),
    ]


def test_every_registry_table_builds_its_suite(base_config: Config) -> None:
    # Every declared Setting names a quality setting, every reference column exists, no
    # check is declared twice.
    suites = [build_suite(t, base_config, packaged_values) for t in ALL_TABLES]
    assert [s.name for s in suites if s.drifts] == ["gold.salary_benchmarks"]
    # GX accepts the arguments of every expectation it will validate.
    checks = [c for s in suites for c in (*s.gx_checks, *(d.check for d in s.drifts))]
    built = [c.build_gx() for c in checks if c.gx is not None]
    assert [e.meta["careerlake_expectation"] for e in built] == [c.expectation for c in checks]


def test_jobs_build_every_suite_without_importing_great_expectations() -> None:
    # GX costs seconds to import: a job imports it where GX validates, at its end, so a job that
    # fails or is killed before then never pays for it.
    code = (
        "import sys\n"
        "import careerlake.entrypoint\n"
        "from careerlake.quality.gate import suite_for\n"
        "from careerlake.registry import ALL_TABLES\n"
        "from careerlake.runtime.config import load_config\n"
        "config = load_config('local')\n"
        "print(len([suite_for(t, config) for t in ALL_TABLES]), 'great_expectations' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == [str(len(ALL_TABLES)), "False"]


def test_spark_rules_count_failing_rows_in_one_pass(spark: SparkSession, base_config: Config) -> None:
    table = get_table("silver.career_documents")
    batch = rows_frame(
        spark, [("d1", "guide"), ("d2", "poem"), (None, "thread")], "doc_id string, doc_type string"
    )
    literals = {"string": "'x'", "timestamp": "TIMESTAMP'2026-01-01 00:00:00'", "date": "DATE'2026-01-01'"}
    for column in table.columns:
        if column.name not in batch.columns:
            batch = batch.selectExpr("*", f"{literals[column.type]} AS `{column.name}`")

    rows, results = run_spark_checks(build_suite(table, base_config, packaged_values), batch)

    failing = {r.expectation: r.failing_count for r in results if not r.success}
    assert rows == 3
    assert failing == {
        "expect_column_values_to_not_be_null(doc_id)": 1,
        "expect_delta_check_constraint(valid_doc_type)": 1,
    }


def test_values_and_patterns_reach_spark_as_declared(spark: SparkSession, base_config: Config) -> None:
    """A quote or a backslash in a value set or a pattern is escaped: Spark reads 'b''c' as "bc"."""
    table = Table(
        layer="gold",
        name="quoted",
        comment="Values and a pattern that need escaping in SQL.",
        columns=(
            key("cell", "string", "Key.", InSet(("b'c", "d\\e"))),
            col("code", "string", "Digits.", Matches(r"^\d+$")),
        ),
        keys=("cell",),
    )
    batch = rows_frame(spark, [("b'c", "12"), ("d\\e", "345"), ("bc", "x1")], "cell string, code string")

    rows, results = run_spark_checks(build_suite(table, base_config, fake_reference), batch)

    assert rows == 3
    assert {r.expectation: r.failing_count for r in results if not r.success} == {
        "expect_column_values_to_be_in_set(cell)": 1,
        "expect_column_values_to_match_regex(code)": 1,
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
