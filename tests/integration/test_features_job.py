"""The features job and the baselines on local Delta: idempotent, incremental, point-in-time correct."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.features.commands import write_training_set
from careerlake.features.job import build_features
from careerlake.features.train import (
    report_path,
    salary_training_set,
    train_next_role_baseline,
    train_salary_baseline,
)
from careerlake.registry import Table, features, silver
from careerlake.runtime.config import Config, Paths, Schemas
from careerlake.runtime.context import JobContext, StepResult
from careerlake.runtime.delta import full_name, local_latest_version, merge_into
from features_data import posting, postings_df, transition, transitions_df

ROLES = ("data_engineer", "ml_engineer", "backend_engineer")
SKILLS = ("python", "sql", "spark", "go", "kubernetes")
START = datetime(2026, 1, 1, 10)


def _postings(spark: SparkSession, count: int) -> list[dict]:
    return [
        posting(
            f"p{i:02d}",
            START + timedelta(days=5 * i),
            title=f"Senior {ROLES[i % 3].replace('_', ' ')}",
            role_id=ROLES[i % 3],
            seniority_ordinal=i % 4,
            country="US" if i % 2 else "DE",
            work_model="remote" if i % 3 else "onsite",
            employment_type="full_time",
            description_text="x" * (100 + i),
            skills=[SKILLS[i % 5], SKILLS[(i + 1) % 5]],
            salary_min_annual_usd=90_000.0 + 10_000 * (i % 3) + 500 * i,
            salary_max_annual_usd=110_000.0 + 10_000 * (i % 3) + 500 * i,
            salary_mid_annual_usd=100_000.0 + 10_000 * (i % 3) + 500 * i,
        )
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def lakehouse(
    spark: SparkSession, base_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Config, list]:
    """Inline silver tables in schemas of this module, built once by the features job."""
    suffix = uuid.uuid4().hex[:8]
    root = tmp_path_factory.mktemp("features")
    config = base_config.model_copy(
        update={
            "schemas": Schemas(**{layer: f"f{suffix}_{layer}" for layer in Schemas.model_fields}),
            # Reports land under this module's folder; the metastore stays the session's.
            "paths": Paths(landing=str(root / "landing"), lakehouse=str(root / "lakehouse")),
        }
    )
    merge_into(spark, config, silver.POSTINGS, postings_df(spark, _postings(spark, 18)))
    docs = [
        transition(f"doc{d}", n, src, dst, kind)
        for d in range(8)
        for n, (src, dst, kind) in enumerate(
            [
                ("data_engineer", "ml_engineer", "thread"),
                ("backend_engineer", "data_engineer", "guide"),
                ("ml_engineer", "backend_engineer" if d % 2 else "data_engineer", "article"),
            ]
        )
    ]
    merge_into(spark, config, silver.CAREER_TRANSITIONS, transitions_df(spark, docs))
    return config, []


@pytest.fixture
def run(
    spark: SparkSession, make_context: Callable[..., JobContext]
) -> Callable[[Config, Callable[[JobContext], None]], dict[str, int]]:
    def runner(
        config: Config, job: Callable[[JobContext], None], full_refresh: bool = False
    ) -> dict[str, int]:
        ctx = make_context(config, run_date=date(2026, 6, 1))
        ctx.full_refresh = full_refresh
        job(ctx)
        return {s.table: s.rows_written for s in ctx.report.steps}

    return runner


@pytest.fixture
def run_incremental(
    spark: SparkSession, make_context: Callable[..., JobContext]
) -> Callable[[Config, int], dict[str, StepResult]]:
    """build_features as the entry point runs it after a success at silver.postings version `then`."""

    def runner(config: Config, then: int) -> dict[str, StepResult]:
        ctx = make_context(config, run_date=date(2026, 6, 1))
        ctx.changed_inputs = {silver.POSTINGS.id: (then, _postings_version(spark, config))}
        build_features(ctx)
        return {s.table: s for s in ctx.report.steps}

    return runner


def _postings_version(spark: SparkSession, config: Config) -> int:
    """silver.postings' latest version, as the entry point reads it before it runs features."""
    version = local_latest_version(spark, config, silver.POSTINGS)
    assert version is not None
    return version


def test_build_writes_every_table_and_a_rerun_writes_nothing(
    spark: SparkSession, lakehouse: tuple[Config, list], run: Callable
) -> None:
    config, _ = lakehouse
    first = run(config, build_features)
    assert first[features.POSTING_FEATURES.id] == 18
    days = (START + timedelta(days=5 * 17)).date() - START.date()
    role_rows = spark.table(full_name(config, features.ROLE_FEATURES)).count()
    assert first[features.ROLE_FEATURES.id] == role_rows == sum(days.days + 1 - r for r in (0, 5, 10))
    assert first[features.SKILL_FEATURES.id] > 0
    assert first[features.ROLE_TRANSITION_FEATURES.id] == 4
    assert set(run(config, build_features).values()) == {0}


def test_a_run_that_fails_releases_the_tables_it_kept(
    spark: SparkSession, lakehouse: tuple[Config, list], make_context: Callable[..., JobContext]
) -> None:
    config, _ = lakehouse
    ctx = make_context(config, run_date=date(2026, 6, 1))

    def refuse(ctx: JobContext, table: Table, batch: DataFrame) -> NoReturn:
        raise RuntimeError(f"refused {table.id}")

    ctx.gate = refuse
    with pytest.raises(RuntimeError, match="refused"):
        build_features(ctx)
    kept = [
        t.id
        for t in (silver.POSTINGS, silver.CAREER_TRANSITIONS)
        if spark.catalog.isCached(full_name(config, t))
    ]
    assert kept == []


def test_training_set_never_sees_features_from_after_the_label(
    spark: SparkSession, lakehouse: tuple[Config, list]
) -> None:
    config, _ = lakehouse
    role_table = full_name(config, features.ROLE_FEATURES)
    # A feature value written for a time after every label: it must never reach the training set.
    marker = (
        spark.table(role_table).filter("role_id = 'data_engineer'").orderBy(F.desc("as_of_date")).limit(1)
    )
    merge_into(
        spark,
        config,
        features.ROLE_FEATURES,
        marker.withColumn("as_of_date", F.lit(date(2027, 1, 1))).withColumn(
            "postings_90d", F.lit(999_999).cast("long")
        ),
    )
    dataset = salary_training_set(spark, config).cache()
    assert dataset.count() == 18
    assert dataset.filter(F.col("postings_90d") == 999_999).isEmpty()
    spark.sql(f"DELETE FROM {role_table} WHERE postings_90d = 999999")
    # Role features come from the day before posting, so a posting never counts itself.
    expected = spark.table(role_table).select(
        "role_id", F.col("as_of_date").alias("features_as_of"), F.col("postings_90d").alias("expected")
    )
    checked = dataset.join(expected, ["role_id", "features_as_of"], "left")
    assert checked.filter(~F.col("postings_90d").eqNullSafe(F.col("expected"))).isEmpty()
    assert checked.filter(F.col("expected").isNull()).count() == 3  # each role's first posting
    assert dataset.filter(F.col("features_as_of") >= F.to_date("posted_at")).isEmpty()
    assert not [c for c in dataset.columns if c.startswith("label_") and c != "label_salary_mid_usd"]
    dataset.unpersist()


def test_training_set_command_writes_parquet(
    spark: SparkSession, lakehouse: tuple[Config, list], tmp_path: Path
) -> None:
    config, _ = lakehouse
    assert write_training_set(spark, config, str(tmp_path / "salary"), "parquet") == 18


def test_both_baselines_write_reports(lakehouse: tuple[Config, list], run: Callable) -> None:
    config, _ = lakehouse
    run(config, train_salary_baseline)
    salary = json.loads(report_path(config, "salary_baseline").read_text())
    assert salary["rows_train"] + salary["rows_test"] == 18
    assert math.isfinite(salary["mae_model"])
    assert math.isfinite(salary["mae_median_by_role"])
    run(config, train_next_role_baseline)
    next_role = json.loads(report_path(config, "next_role_baseline").read_text())
    assert 0.0 <= next_role["hit_at_3"] <= 1.0
    assert next_role["heldout_documents"] >= 1
    assert next_role["train_documents"] >= 1
    assert math.isfinite(next_role["popularity_hit_at_3"])


def test_a_new_posting_recomputes_only_the_dates_it_affects(
    spark: SparkSession, lakehouse: tuple[Config, list], run: Callable
) -> None:
    config, _ = lakehouse
    role_table = full_name(config, features.ROLE_FEATURES)
    old_last = spark.table(role_table).agg(F.max("as_of_date")).first()[0]
    new = posting(
        "p99",
        datetime.combine(old_last + timedelta(days=10), datetime.min.time()),
        role_id="data_engineer",
        skills=["python", "sql"],
        salary_mid_annual_usd=150_000.0,
    )
    merge_into(spark, config, silver.POSTINGS, postings_df(spark, [new]))
    written = run(config, build_features)
    assert written[features.POSTING_FEATURES.id] == 1
    later = spark.table(role_table).filter(
        (F.col("as_of_date") > old_last) & (F.col("postings_90d") < 999_999)
    )
    assert written[features.ROLE_FEATURES.id] == later.count() == 3 * 10
    # The incremental run left exactly what a recompute of every date and posting gives.
    assert set(run(config, build_features, full_refresh=True).values()) == {0}


def test_an_incremental_run_reads_only_the_changed_postings_and_equals_a_full_recompute(
    spark: SparkSession, lakehouse: tuple[Config, list], run: Callable, run_incremental: Callable
) -> None:
    config, _ = lakehouse
    postings = full_name(config, silver.POSTINGS)
    # A new skill enters the vocabulary: every posting's skill vector changes, so every posting
    # is recomputed. The posting is its role's only one.
    then = _postings_version(spark, config)
    merge_into(
        spark,
        config,
        silver.POSTINGS,
        postings_df(
            spark, [posting("p98", START + timedelta(days=40), role_id="data_scientist", skills=["rust"])]
        ),
    )
    steps = run_incremental(config, then)
    assert steps[features.POSTING_FEATURES.id].rows_read == 20
    assert steps[features.POSTING_FEATURES.id].rows_written == 20

    # A pay cut of the latest posting (p99, 95 days after START) to below every other: it moves
    # its role's salary quartiles. Posting features read it alone, the daily tables the postings
    # of the 90 days before its date.
    then = _postings_version(spark, config)
    spark.sql(f"UPDATE {postings} SET salary_mid_annual_usd = 50000.0 WHERE posting_id = 'p99'")
    steps = run_incremental(config, then)
    assert steps[features.POSTING_FEATURES.id].rows_read == 1
    assert steps[features.POSTING_FEATURES.id].rows_written == 1
    lookback = spark.table(postings).filter(F.to_date("posted_at") > START.date() + timedelta(days=5))
    # Not p00 (day 0) and p01 (day 5).
    assert steps[features.ROLE_FEATURES.id].rows_read == lookback.count() == 18
    assert steps[features.ROLE_FEATURES.id].rows_written > 0

    # The only data scientist posting moves to another role, and the first posting (p00, the
    # data engineers' only one in its first 15 days) is deleted: the daily rows that only they
    # made are deleted, and so is p00's posting features row.
    role_table = full_name(config, features.ROLE_FEATURES)
    # Day 40 to the latest posted date, p99's (day 95).
    assert spark.table(role_table).filter("role_id = 'data_scientist'").count() == 56
    then = _postings_version(spark, config)
    spark.sql(f"UPDATE {postings} SET role_id = 'ml_engineer' WHERE posting_id = 'p98'")
    spark.sql(f"DELETE FROM {postings} WHERE posting_id = 'p00'")
    steps = run_incremental(config, then)
    assert spark.table(role_table).filter("role_id = 'data_scientist'").count() == 0
    first = spark.table(role_table).filter("role_id = 'data_engineer'").agg(F.min("as_of_date")).first()[0]
    assert first == START.date() + timedelta(days=15)
    assert steps[features.ROLE_FEATURES.id].rows_written >= 56 + 15

    # The runs left exactly what a recompute of every posting and date gives.
    assert set(run(config, build_features, full_refresh=True).values()) == {0}
    stored = spark.table(full_name(config, features.POSTING_FEATURES))
    assert stored.count() == spark.table(postings).count() == 19


def test_a_posting_dated_after_the_run_date_counts_from_the_run_that_reaches_its_date(
    spark: SparkSession,
    lakehouse: tuple[Config, list],
    run_incremental: Callable,
    make_context: Callable[..., JobContext],
) -> None:
    config, _ = lakehouse
    role_table = full_name(config, features.ROLE_FEATURES)
    last = spark.table(role_table).agg(F.max("as_of_date")).first()[0]
    # A board dates a posting two days after the run date (2026-06-01).
    then = _postings_version(spark, config)
    ahead = posting("p97", datetime(2026, 6, 3, 9), role_id="data_engineer", skills=["python"])
    merge_into(spark, config, silver.POSTINGS, postings_df(spark, [ahead]))
    steps = run_incremental(config, then)
    assert steps[features.POSTING_FEATURES.id].rows_written == 1
    # Not known yet on the run date: no daily row changes.
    assert steps[features.ROLE_FEATURES.id].rows_read == steps[features.SKILL_FEATURES.id].rows_read == 0
    assert spark.table(role_table).agg(F.max("as_of_date")).first()[0] == last

    # The run of 2026-06-03 finds silver unchanged, and the posting known: every role's daily rows
    # reach its date, exactly as a recompute of every date gives them.
    ctx = make_context(config, run_date=date(2026, 6, 3))
    ctx.changed_inputs = {}
    build_features(ctx)
    assert spark.table(role_table).agg(F.max("as_of_date")).first()[0] == date(2026, 6, 3)
    full = make_context(config, run_date=date(2026, 6, 3))
    full.full_refresh = True
    build_features(full)
    assert {s.table: s.rows_written for s in full.report.steps} == dict.fromkeys(
        (t.id for t in features.TABLES), 0
    )
