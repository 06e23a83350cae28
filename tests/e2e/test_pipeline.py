"""The whole pipeline on the bundled sample data: every table holds exactly the rows the sample
makes, a rerun is a no-op, both baselines report the sample's figures."""

import json
from argparse import Namespace
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.entrypoint import run_jobs
from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from careerlake.runtime.context import RunReport
from careerlake.runtime.delta import full_name
from support.chaos import WRITE_STAMPS

# Rows of every pipeline table after one run on the bundled sample (data/landing): 70 postings
# that deduplicate to 66, 12 documents of which 2 are quarantined.
SAMPLE_ROWS = {
    "bronze.career_docs": 10,
    "bronze.career_docs_quarantine": 2,
    "bronze.postings": 70,
    "bronze.postings_quarantine": 0,
    "bronze.schema_drift": 0,
    "features.posting_features": 66,
    "features.role_features": 253,
    "features.role_transition_features": 20,
    "features.skill_features": 1280,
    "gold.career_paths": 35,
    "gold.posting_lifecycle": 14,
    "gold.role_profiles": 15,
    "gold.salary_benchmarks": 228,
    "gold.skill_demand": 272,
    "gold.skill_gaps": 3,
    # No job boards are configured locally, so the fetch job logs nothing.
    "ops.board_freshness": 0,
    "ops.fetch_log": 0,
    "reference.fx_rates": 11061,
    "reference.roles": 90,
    "reference.seniority_levels": 9,
    "reference.skills": 592,
    "silver.career_comments": 8,
    "silver.career_docs_quarantine": 0,
    "silver.career_documents": 10,
    "silver.career_transitions": 27,
    "silver.compensation_mentions": 32,
    "silver.experience_mentions": 17,
    "silver.postings": 66,
    "silver.postings_history": 68,
    "silver.postings_quarantine": 0,
    "silver.posting_pay_ranges": 64,
    "silver.role_guides": 17,
    "silver.role_mentions": 44,
    "silver.skill_mentions": 87,
}

# The baselines' reports on the sample run (all but `generated_at`). The model is seeded, so
# its errors are reproducible; the tolerance absorbs floating-point summation order only.
SALARY_REPORT = {
    "features": [
        "role_id",
        "country",
        "work_model",
        "employment_type",
        "seniority_ordinal",
        "skill_count",
        "description_length",
        "postings_30d",
        "postings_90d",
        "salary_p50_usd",
        "salary_iqr_usd",
        "remote_share",
        "skill_vector",
    ],
    "model": "HistGradientBoostingRegressor",
    "rows_test": 13,
    "rows_train": 51,
    "split_at": "2026-09-13 10:00:00",
}
SALARY_ERRORS = {"mae_model": 36097.44645164738, "mae_median_by_role": 44105.68977718831}
NEXT_ROLE_REPORT = {
    "coverage": 0.0,
    "heldout_documents": 2,
    "heldout_transitions": 6,
    "hit_at_3": 0.0,
    "k": 3,
    "popularity_hit_at_3": 0.0,
    "train_documents": 8,
    "train_transitions": 15,
}


def _args(run_id: str) -> Namespace:
    return Namespace(run_id=run_id, run_date=None, full_refresh=False)


def _written_tables() -> list[str]:
    return sorted({t for name in pipeline_order() for t in JOBS[name].writes})


def _snapshot(spark: SparkSession, config: Config) -> dict[str, list[tuple]]:
    """Every pipeline table's content, minus columns that record when a row was last touched."""
    snapshot = {}
    for table_id in _written_tables():
        table = get_table(table_id)
        columns = [c for c in table.column_names if c not in WRITE_STAMPS]
        rows = spark.table(full_name(config, table)).select(*columns).collect()
        snapshot[table_id] = sorted(tuple(map(str, r)) for r in rows)
    return snapshot


def _report(config: Config, name: str) -> dict:
    return json.loads((Path(config.lakehouse) / "reports" / f"{name}.json").read_text())


def test_sample_pipeline_end_to_end_and_idempotent(
    spark: SparkSession, sample_run: tuple[Config, RunReport]
) -> None:
    config, first = sample_run
    assert all(step.status == "succeeded" for step in first.steps)
    assert sorted(SAMPLE_ROWS) == _written_tables()
    counts = {t: spark.table(full_name(config, get_table(t))).count() for t in SAMPLE_ROWS}
    assert counts == SAMPLE_ROWS

    before = _snapshot(spark, config)
    # A routine run with nothing new: ingestion finds no files, the derived jobs are skipped.
    # (Each job's own rerun on the same input is tested in its integration test and in
    # test_kill_rerun, where every killed job is re-run.)
    second = run_jobs(config, pipeline_order(), _args("e2e-second"))
    skipped = sorted(s.job for s in second.steps if s.status == "skipped")
    assert skipped == sorted(name for name in pipeline_order() if JOBS[name].derived)
    assert sum(s.rows_written for s in second.steps) == 0
    assert _snapshot(spark, config) == before

    run_jobs(config, ["train_salary_baseline", "train_next_role_baseline"], _args("e2e-train"))
    salary = _report(config, "salary_baseline")
    assert salary.pop("generated_at")
    assert {k: salary.pop(k) for k in SALARY_ERRORS} == pytest.approx(SALARY_ERRORS, rel=1e-4)
    assert salary == SALARY_REPORT
    next_role = _report(config, "next_role_baseline")
    assert next_role.pop("generated_at")
    assert next_role == pytest.approx(NEXT_ROLE_REPORT, rel=1e-9)
