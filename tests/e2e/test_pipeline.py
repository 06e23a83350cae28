"""The whole pipeline on the bundled sample data, twice: every layer filled, the rerun a no-op."""

import json
from argparse import Namespace
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name
from careerlake.runtime.entrypoint import run_jobs

pytestmark = pytest.mark.slow

SAMPLE_LANDING = Path(__file__).resolve().parents[2] / "data" / "landing"
FILLED = (
    "reference.roles",
    "bronze.postings",
    "bronze.career_docs",
    "silver.postings",
    "silver.postings_history",
    "silver.career_documents",
    "silver.compensation_mentions",
    "silver.career_transitions",
    "gold.salary_benchmarks",
    "gold.skill_demand",
    "gold.career_paths",
    "gold.role_profiles",
    "features.posting_features",
    "features.role_features",
)


def _args(run_id: str, full_refresh: bool = False) -> Namespace:
    return Namespace(run_id=run_id, run_date=None, full_refresh=full_refresh)


def _written_tables() -> list[str]:
    return sorted({t for name in pipeline_order() for t in JOBS[name].writes})


def _snapshot(spark: SparkSession, config: Config) -> dict[str, list[tuple]]:
    """Every pipeline table's content, minus columns that record when a row was last touched."""
    snapshot = {}
    for table_id in _written_tables():
        table = get_table(table_id)
        volatile = {
            "ingested_at",
            "quarantined_at",
            "run_id",
            "updated_at",
            "refreshed_at",
            "first_seen_run_id",
            "first_seen_at",
            "last_seen_at",
        }
        columns = [c for c in table.column_names if c not in volatile]
        rows = spark.table(full_name(config, table)).select(*columns).collect()
        snapshot[table_id] = sorted(tuple(map(str, r)) for r in rows)
    return snapshot


def test_sample_pipeline_end_to_end_and_idempotent(spark: SparkSession, isolated_config: Config) -> None:
    config = isolated_config.model_copy(
        update={"paths": isolated_config.paths.model_copy(update={"landing": str(SAMPLE_LANDING)})}
    )
    first = run_jobs(config, pipeline_order(), _args("e2e-first"))
    assert all(step.status == "succeeded" for step in first.steps)
    counts = {t: spark.table(full_name(config, get_table(t))).count() for t in FILLED}
    assert all(n > 0 for n in counts.values()), counts

    before = _snapshot(spark, config)
    # Every job again on the same input, recomputing from every upstream row: nothing changes.
    second = run_jobs(config, pipeline_order(), _args("e2e-second", full_refresh=True))
    assert {s.status for s in second.steps} == {"succeeded"}
    assert sum(s.rows_written for s in second.steps) == 0
    assert _snapshot(spark, config) == before
    # A routine run with nothing new: ingestion finds no files, the derived jobs are skipped.
    third = run_jobs(config, pipeline_order(), _args("e2e-third"))
    skipped = sorted(s.job for s in third.steps if s.status == "skipped")
    assert skipped == sorted(name for name in pipeline_order() if JOBS[name].derived)
    assert sum(s.rows_written for s in third.steps) == 0
    assert _snapshot(spark, config) == before

    run_jobs(config, ["train_salary_baseline", "train_next_role_baseline"], _args("e2e-train"))
    for report in ("salary_baseline", "next_role_baseline"):
        content = json.loads((Path(config.lakehouse) / "reports" / f"{report}.json").read_text())
        assert content, report
