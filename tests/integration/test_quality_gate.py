"""The quality gate on real local Spark + Delta: critical breaches stop the write, warnings do not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql.types import StringType, StructField, StructType

from careerlake.entrypoint import guarded
from careerlake.quality.commands import docs_index
from careerlake.quality.engine import key_results
from careerlake.quality.gate import suite_for
from careerlake.registry import Table, get_table
from careerlake.registry.ops import QUALITY_RESULTS
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import SMALL_BATCH_ROWS, ensure_table, merge_into
from careerlake.runtime.errors import QualityBreachError
from careerlake.runtime.io import write_changes
from careerlake.runtime.local_rows import rows_frame

NOW = datetime.now(UTC).replace(tzinfo=None, microsecond=0) - timedelta(hours=1)


def frame(spark: SparkSession, table: Table, rows: list[dict[str, Any]]) -> DataFrame:
    """Rows as a DataFrame of the table's types; every field nullable so bad rows can be built."""
    schema = StructType([StructField(f.name, f.dataType, True) for f in table.schema.fields])
    return rows_frame(spark, [tuple(r.get(c) for c in table.column_names) for r in rows], schema)


def bronze_posting(record_id: str | None, source_format: str = "greenhouse") -> dict[str, Any]:
    return {
        "record_id": record_id,
        "source_format": source_format,
        "board": "acme",
        "source_posting_id": "1",
        "raw_record": "{}",
        "content_hash": "h",
        "source_file": "postings/greenhouse/a.json",
        "file_modified_at": NOW,
        "ingested_at": NOW,
        "run_id": "r",
    }


def comment(doc_id: str, position: int) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "position": position,
        "author_hash": "a",
        "points": 3,
        "reply_text": "hi",
        "quoted_text": "",
    }


def benchmark(seniority: str, p50: float | None, role_id: str = "data_engineer") -> dict[str, Any]:
    figures = {f"p{p}_usd": p50 for p in (10, 25, 50, 75, 90)}
    return {
        "role_id": role_id,
        "seniority": seniority,
        "country": "US",
        "work_model": "remote",
        "posting_count": 12,
        "is_suppressed": False,
        **figures,
        "guide_band_min_usd": None,
        "guide_band_max_usd": None,
        "community_mention_count": 0,
        "community_median_usd": None,
        "refreshed_at": NOW,
    }


def role_features(role_id: str, p50: float) -> dict[str, Any]:
    return {
        "role_id": role_id,
        "as_of_date": date(2026, 10, 1),
        "postings_30d": 4,
        "postings_90d": 9,
        "demand_growth": 0.1,
        "salary_p50_usd": p50,
        "salary_iqr_usd": 1000.0,
        "top_skill_shares": {"python": 0.5},
        "remote_share": 0.3,
    }


def mention(mention_id: str, currency: str, period: str) -> dict[str, Any]:
    return {
        "mention_id": mention_id,
        "doc_id": "d1",
        "comment_position": 0,
        "component": "base",
        "amount_min": 100000.0,
        "amount_max": 120000.0,
        "currency": currency,
        "period": period,
        "vesting_years": None,
        "open_ended": False,
        "role_id": None,
        "seniority": None,
        "sentence": "I make 100-120k.",
    }


def contents(spark: SparkSession, ctx: JobContext, table: Table) -> list[Row]:
    return sorted(spark.table(ctx.name(table)).collect())


def delta_version(spark: SparkSession, ctx: JobContext, table: Table) -> int:
    """Latest commit of the table: unchanged means nothing was written."""
    return spark.sql(f"DESCRIBE HISTORY {ctx.name(table)} LIMIT 1").first()["version"]


def results(spark: SparkSession, ctx: JobContext) -> dict[tuple[str, str], Row]:
    ctx.finish()
    rows = spark.table(ctx.name(QUALITY_RESULTS)).where(f"run_id = '{ctx.run_id}'").collect()
    return {(r["table_name"], r["expectation"]): r for r in rows}


GOOD: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "bronze.postings": lambda: [bronze_posting("r0")],
    "silver.career_comments": lambda: [comment("d0", 1)],
    "gold.salary_benchmarks": lambda: [benchmark("senior", 150000.0)],
    "features.role_features": lambda: [role_features("data_engineer", 140000.0)],
}

BREACHES = [
    pytest.param(
        "bronze.postings",
        lambda: [bronze_posting("r1"), bronze_posting(None)],
        "expect_column_values_to_not_be_null(record_id)",
        1,
        id="bronze-null-key",
    ),
    pytest.param(
        "silver.career_comments",
        lambda: [comment("d1", 1), comment("d1", 1), comment("d1", 2)],
        "expect_compound_columns_to_be_unique(doc_id, position)",
        2,
        id="silver-duplicate-key",
    ),
    pytest.param(
        "gold.salary_benchmarks",
        lambda: [benchmark("guru", 150000.0), benchmark("all", 140000.0)],
        "expect_column_values_to_be_in_set(seniority)",
        1,
        id="gold-value-set",
    ),
    pytest.param(
        "features.role_features",
        lambda: [role_features("data_engineer", 9e9), role_features("ml_engineer", 1.0)],
        "expect_column_values_to_be_between(salary_p50_usd)",
        2,
        id="features-range",
    ),
]


@pytest.mark.parametrize(("table_id", "rows", "expectation", "failing"), BREACHES)
def test_critical_breach_raises_and_writes_nothing(
    spark: SparkSession,
    isolated_config: Config,
    make_context: Callable[..., JobContext],
    table_id: str,
    rows: Callable[[], list[dict[str, Any]]],
    expectation: str,
    failing: int,
) -> None:
    table = get_table(table_id)
    ctx = make_context(isolated_config)
    ensure_table(spark, isolated_config, table)
    version = delta_version(spark, ctx, table)

    message = f"{table_id}: critical expectation {expectation} failed for {failing} row(s)"
    with pytest.raises(QualityBreachError, match=re.escape(message)):
        write_changes(ctx, table, frame(spark, table, rows()))

    assert delta_version(spark, ctx, table) == version
    recorded = results(spark, ctx)[(table_id, expectation)]
    assert (recorded["success"], recorded["severity"], recorded["failing_count"]) == (
        False,
        "critical",
        failing,
    )


def test_schema_breach_names_the_column_type(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    table = get_table("silver.career_comments")
    ctx = make_context(isolated_config)
    merge_into(spark, isolated_config, table, frame(spark, table, GOOD[table.id]()))
    before = contents(spark, ctx, table)
    good = frame(spark, table, [comment("d1", 1), comment("d1", 2)])
    bad = good.withColumn("position", good["position"].cast(StringType()))

    message = "silver.career_comments: critical expectation expect_column_values_to_be_of_type(position) failed for 2 row(s)"
    with pytest.raises(QualityBreachError, match=re.escape(message)):
        write_changes(ctx, table, bad)

    assert contents(spark, ctx, table) == before
    assert results(spark, ctx)[(table.id, "expect_column_values_to_be_of_type(position)")][
        "observed_value"
    ] == ('"StringType"')


def test_warnings_are_recorded_and_the_write_goes_on(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    table = get_table("silver.compensation_mentions")
    ctx = make_context(isolated_config)
    batch = frame(spark, table, [mention("m1", "XYZ", "year"), mention("m2", "USD", "fortnight")])

    assert write_changes(ctx, table, batch) == 2

    recorded = results(spark, ctx)
    currency = recorded[(table.id, "expect_column_values_to_be_in_set(currency)")]
    period = recorded[(table.id, "expect_column_values_to_be_in_set(period)")]
    assert (currency["success"], currency["severity"], currency["failing_count"]) == (False, "warning", 1)
    assert (period["success"], period["severity"], period["failing_count"]) == (False, "warning", 1)
    assert recorded[(table.id, "expect_column_values_to_be_unique(mention_id)")]["success"]
    assert spark.table(ctx.name(table)).count() == 2


def test_gold_p50_drift_is_a_warning_against_the_previous_run(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    table = get_table("gold.salary_benchmarks")
    first = make_context(isolated_config)
    write_changes(
        first, table, frame(spark, table, [benchmark("senior", 100000.0), benchmark("mid", 80000.0)])
    )
    second = make_context(isolated_config)
    moved = [benchmark("senior", 300000.0), benchmark("mid", 82000.0)]

    assert write_changes(second, table, frame(spark, table, moved)) == 2

    drift = results(spark, second)[(table.id, "expect_column_values_to_be_between(p50_change_pct)")]
    assert (drift["success"], drift["severity"], drift["failing_count"]) == (False, "warning", 1)
    # GX decides the drift: its failing row comes with its value.
    assert drift["observed_value"] == "1 of 2 row(s) unexpected, e.g. [200.0]"
    assert (table.id, "expect_column_values_to_be_between(p50_change_pct)") not in results(spark, first)


def test_critical_failure_is_recorded_but_tolerated_when_fail_on_critical_is_off(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    config = isolated_config.model_copy(
        update={"quality": isolated_config.quality.model_copy(update={"fail_on_critical": False})}
    )
    table = get_table("features.role_features")
    ctx = make_context(config)

    assert write_changes(ctx, table, frame(spark, table, [role_features("data_engineer", 9e9)])) == 1
    assert not results(spark, ctx)[(table.id, "expect_column_values_to_be_between(salary_p50_usd)")][
        "success"
    ]


def test_data_docs_index_names_every_suite_validated(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    ctx = make_context(isolated_config)
    validated = [
        "bronze.postings",
        "silver.career_comments",
        "gold.salary_benchmarks",
        "features.role_features",
    ]
    for table_id in validated:
        table = get_table(table_id)
        write_changes(ctx, table, frame(spark, table, GOOD[table_id]()))
    assert not Path(docs_index(isolated_config)).exists()
    ctx.finish()

    index = Path(docs_index(isolated_config))
    assert index.is_file()
    html = index.read_text(encoding="utf-8")
    for table_id in validated:
        assert table_id in html, table_id


def test_a_breach_becomes_exit_code_3(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    table = get_table("silver.career_comments")
    ctx = make_context(isolated_config)
    duplicated = frame(spark, table, [comment("d1", 1), comment("d1", 1)])

    assert guarded(lambda: write_changes(ctx, table, duplicated)) == 3


@pytest.mark.parametrize("rows_told", [3, SMALL_BATCH_ROWS + 1], ids=["one-task", "parallel"])
def test_repeated_keys_are_counted_alike_in_one_task_or_in_parallel(
    spark: SparkSession, base_config: Config, rows_told: int
) -> None:
    table = get_table("silver.career_comments")
    # In two partitions, as a computed batch holds its rows.
    batch = frame(spark, table, [comment("d1", 1), comment("d2", 1), comment("d1", 1)]).repartition(2)
    suite = suite_for(table, base_config)

    [result] = key_results(suite, batch, rows_told)
    assert (result.expectation, result.success, result.failing_count) == (
        "expect_compound_columns_to_be_unique(doc_id, position)",
        False,
        2,
    )
