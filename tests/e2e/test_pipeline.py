"""The whole pipeline on the bundled sample data: every table holds exactly the rows the sample
makes, a rerun is a no-op, both baselines report the sample's figures, and each layer's job
killed with SIGKILL mid-write, then re-run, ends exactly where the uninterrupted run ended.

The runs are staged once (tests/e2e/conftest.py) in the test session. A kill test restores
the lakehouse as it was before its job, kills a process running that job after its first
commit of rows, re-runs the job to its end in the test session (no new JVM) on what the
kill left, and compares every table the job writes with the uninterrupted run, row for row.
"""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.features.train import report_path
from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from support.chaos import (
    KILL_AFTER,
    Lakehouse,
    StagedRun,
    contents_and_duplicate_keys,
    kill_mid_write,
    latest_commit,
    rerun_in_session,
)

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


def _written_tables() -> list[str]:
    return sorted({t for name in pipeline_order() for t in JOBS[name].writes})


def _report(lakehouse: Lakehouse, name: str) -> dict:
    return json.loads(report_path(lakehouse.config, name).read_text())


def test_sample_pipeline_end_to_end_and_idempotent(
    sample_run: StagedRun, uninterrupted: Callable[[str], list[tuple]]
) -> None:
    runs = {run["run_id"]: run["steps"] for run in sample_run.runs()}
    first = [step for run_id, steps in runs.items() if run_id.startswith("e2e-first") for step in steps]
    assert first
    assert all(step["status"] == "succeeded" for step in first)
    assert sorted(SAMPLE_ROWS) == _written_tables()
    first_copy = sample_run.copy("first")
    assert {table: len(uninterrupted(table)) for table in SAMPLE_ROWS} == SAMPLE_ROWS

    # A routine run with nothing new: ingestion finds no files, the derived jobs are skipped,
    # and no table gets a commit (so each holds exactly what the first run left, stamps too).
    second = runs["e2e-second"]
    skipped = sorted(step["job"] for step in second if step["status"] == "skipped")
    assert skipped == sorted(name for name in pipeline_order() if JOBS[name].derived)
    assert sum(step["rows_read"] for step in second) == 0
    assert sum(step["rows_written"] for step in second) == 0
    tables = [get_table(table_id) for table_id in _written_tables()]
    second_copy = sample_run.copy("second")
    assert {t.id: latest_commit(second_copy, t) for t in tables} == {
        t.id: latest_commit(first_copy, t) for t in tables
    }

    trained = sample_run.copy("trained")
    salary = _report(trained, "salary_baseline")
    assert salary.pop("generated_at")
    assert {k: salary.pop(k) for k in SALARY_ERRORS} == pytest.approx(SALARY_ERRORS, rel=1e-4)
    assert salary == SALARY_REPORT
    next_role = _report(trained, "next_role_baseline")
    assert next_role.pop("generated_at")
    assert next_role == pytest.approx(NEXT_ROLE_REPORT, rel=1e-9)


@pytest.mark.parametrize("job", list(KILL_AFTER), ids=["bronze", "silver", "gold", "features"])
def test_job_killed_mid_write_then_rerun_matches_uninterrupted_run(
    spark: SparkSession,
    base_config: Config,
    sample_run: StagedRun,
    uninterrupted: Callable[[str], list[tuple]],
    job: str,
    tmp_path: Path,
) -> None:
    lakehouse = sample_run.restore(f"before-{job}", tmp_path / "lakehouse")
    # At the staged run's date, as its daily features stop at it.
    killed_state = kill_mid_write(lakehouse, job, sample_run.run_date)
    rerun_in_session(spark, base_config, lakehouse, job, sample_run.run_date)

    for table_id in JOBS[job].writes:
        table = get_table(table_id)
        actual, duplicates = contents_and_duplicate_keys(spark, lakehouse, table)
        assert duplicates == [], f"{table_id}: duplicate keys after kill + rerun"
        expected = uninterrupted(table_id)
        assert len(actual) == len(expected), f"{table_id}: {len(actual)} rows, expected {len(expected)}"
        assert actual == expected, (
            f"{table_id} differs from the uninterrupted run (killed at: {killed_state})"
        )
    assert any(uninterrupted(t) for t in JOBS[job].writes), f"{job} wrote nothing"
