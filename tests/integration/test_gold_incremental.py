"""An incremental gold run recomputes only the keys that changed postings touch, and ends with
exactly the tables a full recompute gives."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.gold.job import build_gold
from careerlake.pipeline import JOBS
from careerlake.registry import get_table, silver
from careerlake.runtime.config import Config
from careerlake.runtime.context import StepResult
from careerlake.runtime.delta import full_name, local_latest_version
from support.gold_inputs import (
    config_of_its_own,
    copy_tables,
    gold_context,
    posting,
    transition,
    write_silver,
)

GOLD_TABLES = JOBS["gold"].writes
MLE, MLOPS = "machine_learning_engineer", "mlops_engineer"
DOCUMENT_TABLES = (
    "silver.career_documents",
    "silver.role_guides",
    "silver.compensation_mentions",
    "silver.skill_mentions",
    "silver.career_transitions",
)


@pytest.fixture
def config(spark: SparkSession, base_config: Config, gold_built: Config, tmp_path: Path) -> Config:
    """A copy of the hand-written silver rows and the gold a first (full) run built from them."""
    return copy_tables(spark, gold_built, config_of_its_own(base_config, tmp_path, "gi"), tmp_path / "tables")


def _gold(
    spark: SparkSession, config: Config, changed: dict[str, tuple[int, int]] | None
) -> dict[str, StepResult]:
    """build_gold as the entry point runs it; `changed` is what it finds since the last success."""
    ctx = gold_context(spark, config, changed)
    build_gold(ctx)
    return {step.table: step for step in ctx.report.steps}


def _version(spark: SparkSession, config: Config, table_id: str = silver.POSTINGS.id) -> int:
    """The table's latest version, as the entry point reads it before it runs gold."""
    version = local_latest_version(spark, config, get_table(table_id))
    assert version is not None, table_id
    return version


def _versions(spark: SparkSession, config: Config, table_ids: tuple[str, ...]) -> dict[str, int]:
    return {t: _version(spark, config, t) for t in table_ids}


def _contents(spark: SparkSession, config: Config, table_id: str) -> list[str]:
    rows = spark.table(full_name(config, get_table(table_id))).drop("refreshed_at").collect()
    return sorted(repr(row) for row in rows)


def _stamps(spark: SparkSession, config: Config, table_id: str) -> set[datetime]:
    """refreshed_at of the rows of roles other than the two this test changes."""
    table = spark.table(full_name(config, get_table(table_id)))
    return {
        r[0] for r in table.where(f"role_id NOT IN ('{MLE}', '{MLOPS}')").select("refreshed_at").collect()
    }


def test_incremental_run_touches_only_changed_roles_and_equals_a_full_recompute(
    spark: SparkSession, config: Config
) -> None:
    untouched = {t: _stamps(spark, config, t) for t in GOLD_TABLES if t != "gold.career_paths"}

    # One new machine-learning-engineer posting, dated October 2026.
    then = _version(spark, config)
    new = posting("p14", MLE, "senior", "US", "remote", 200000.0, ["python", "pytorch"], date(2026, 10, 9))
    write_silver(spark, config, {"silver.postings": [new]})
    steps = _gold(spark, config, {silver.POSTINGS.id: (then, _version(spark, config))})

    # Machine-learning-engineer postings are p10-p12 and the new one, all in October.
    for table_id in (
        "gold.salary_benchmarks",
        "gold.posting_lifecycle",
        "gold.skill_gaps",
        "gold.role_profiles",
    ):
        assert steps[table_id].rows_read == 4, table_id
    assert steps["gold.skill_demand"].rows_read == 4
    assert steps["gold.salary_benchmarks"].rows_written > 0
    for table_id, stamps in untouched.items():
        assert _stamps(spark, config, table_id) == stamps, f"{table_id}: another role's rows were rewritten"

    # A posting moves from one role to another: both roles are recomputed, the old one from
    # the change feed's before-image.
    then = _version(spark, config)
    spark.sql(f"UPDATE {full_name(config, silver.POSTINGS)} SET role_id = '{MLE}' WHERE posting_id = 'p8'")
    steps = _gold(spark, config, {silver.POSTINGS.id: (then, _version(spark, config))})
    assert steps["gold.salary_benchmarks"].rows_read == 7  # p7, p9 (mlops), p8, p10-p12, p14 (mle)

    _assert_equals_a_full_recompute(spark, config)
    assert _contents(spark, config, "gold.salary_benchmarks"), "gold.salary_benchmarks is empty"


def _withdraw(spark: SparkSession, config: Config, doc_id: str) -> dict[str, tuple[int, int]]:
    """Delete a career document; return the change gold finds since before the delete."""
    then = _version(spark, config, silver.CAREER_DOCUMENTS.id)
    spark.sql(f"DELETE FROM {full_name(config, silver.CAREER_DOCUMENTS)} WHERE doc_id = '{doc_id}'")
    return {silver.CAREER_DOCUMENTS.id: (then, _version(spark, config, silver.CAREER_DOCUMENTS.id))}


def _assert_equals_a_full_recompute(spark: SparkSession, config: Config) -> None:
    incremental = {t: _contents(spark, config, t) for t in GOLD_TABLES}
    full = _gold(spark, config, None)
    assert {t: s.rows_written for t, s in full.items()} == dict.fromkeys(GOLD_TABLES, 0)
    for table_id in GOLD_TABLES:
        assert _contents(spark, config, table_id) == incremental[table_id], table_id


def test_career_document_changes_touch_only_their_roles_and_equal_a_full_recompute(
    spark: SparkSession, config: Config
) -> None:
    untouched = {t: _stamps(spark, config, t) for t in GOLD_TABLES if t != "gold.career_paths"}

    # An MLOps guide gains a senior US salary band; a thread now mentions pytorch, which only
    # machine-learning-engineer postings ask for; a thread tells of a move from machine-learning
    # engineer to MLOps. Data-engineer rows stay as they are.
    then = _versions(spark, config, DOCUMENT_TABLES)
    write_silver(
        spark,
        config,
        {
            "silver.role_guides": [
                {
                    "doc_id": "guide-mlops",
                    "role_id": MLOPS,
                    "level": "senior",
                    "salary_min": 140000.0,
                    "salary_max": 190000.0,
                    "salary_currency": "USD",
                    "salary_country": "US",
                }
            ],
            "silver.skill_mentions": [
                {"doc_id": "t1", "comment_position": 2, "skill_id": "pytorch", "mention_count": 1}
            ],
            "silver.career_transitions": [transition("t-8", "t1", MLE, MLOPS, "thread", 0.9)],
        },
    )
    now = _versions(spark, config, DOCUMENT_TABLES)
    changed = {t: (then[t], now[t]) for t in DOCUMENT_TABLES if then[t] != now[t]}
    assert len(changed) == 3
    steps = _gold(spark, config, changed)
    # MLOps postings p7-p9 and machine-learning-engineer postings p10-p12.
    for table_id in ("gold.salary_benchmarks", "gold.skill_gaps", "gold.role_profiles"):
        assert steps[table_id].rows_read == 6, table_id
    assert steps["gold.skill_demand"].rows_read == 0
    assert steps["gold.salary_benchmarks"].rows_written > 0
    assert steps["gold.role_profiles"].rows_written > 0
    for table_id, stamps in untouched.items():
        assert _stamps(spark, config, table_id) == stamps, f"{table_id}: another role's rows were rewritten"
    _assert_equals_a_full_recompute(spark, config)

    # Article a1 is withdrawn: its pay mention (a data engineer's) and its python and Spark
    # mentions no longer count as community evidence, which moves every role asking for python.
    # Those roles hold most postings: with the configured share gold recomputes everything, so
    # the scope is followed here with no share limit.
    changed = _withdraw(spark, config, "a1")
    unlimited = config.model_copy(
        update={"gold": config.gold.model_copy(update={"full_recompute_share": 1.0})}
    )
    steps = _gold(spark, unlimited, changed)
    assert steps["gold.salary_benchmarks"].rows_read == 12  # p1-p12: every posting with a role
    assert steps["gold.salary_benchmarks"].rows_written > 0
    _assert_equals_a_full_recompute(spark, config)

    # The same kind of change with the configured share (half the postings): 12 of the 13
    # postings are in the scope, so every table is recomputed, the posting with no role too.
    changed = _withdraw(spark, config, "t1")
    steps = _gold(spark, config, changed)
    assert {t: s.rows_read for t, s in steps.items() if t != "gold.career_paths"} == dict.fromkeys(
        set(GOLD_TABLES) - {"gold.career_paths"}, 13
    )


def test_a_change_the_feed_did_not_record_recomputes_everything(spark: SparkSession, config: Config) -> None:
    guides = full_name(config, silver.ROLE_GUIDES)
    then = _version(spark, config, silver.ROLE_GUIDES.id)
    spark.sql(f"ALTER TABLE {guides} SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'false')")
    spark.sql(f"UPDATE {guides} SET salary_max = 160000.0 WHERE doc_id = 'guide-de' AND level = 'senior'")
    steps = _gold(
        spark, config, {silver.ROLE_GUIDES.id: (then, _version(spark, config, silver.ROLE_GUIDES.id))}
    )
    assert steps["gold.salary_benchmarks"].rows_read == 13  # every posting: a full recompute
    assert steps["gold.salary_benchmarks"].rows_written > 0
