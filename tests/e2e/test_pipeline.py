"""The whole pipeline on the bundled sample data: every layer filled, a rerun a no-op, both
baselines trained; then each layer's job killed with SIGKILL mid-write in a separate lakehouse
and re-run, ending exactly where the uninterrupted run ended."""

import json
import uuid
from argparse import Namespace
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config, Paths, Schemas
from careerlake.runtime.context import RunReport
from careerlake.runtime.delta import full_name
from careerlake.runtime.entrypoint import run_jobs
from support.chaos import (
    KILL_AFTER,
    SAMPLE_LANDING,
    WRITE_STAMPS,
    Lakehouse,
    contents,
    duplicate_keys,
    kill_mid_write,
    lakehouse_at,
    run_cli,
)

pytestmark = pytest.mark.slow

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


@pytest.fixture(scope="module")
def sample_run(base_config: Config, tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, RunReport]:
    """The whole pipeline once, uninterrupted, in the test session, on schemas of this module."""
    suffix = uuid.uuid4().hex[:8]
    folder = tmp_path_factory.mktemp("e2e")
    config = base_config.model_copy(
        update={
            "schemas": Schemas(**{layer: f"e2e{suffix}_{layer}" for layer in Schemas.model_fields}),
            "paths": Paths(
                landing=str(SAMPLE_LANDING),
                lakehouse=base_config.lakehouse,
                checkpoints=str(folder / "checkpoints"),
                data_docs=str(folder / "data_docs"),
            ),
        }
    )
    return config, run_jobs(config, pipeline_order(), _args("e2e-first"))


def test_sample_pipeline_end_to_end_and_idempotent(
    spark: SparkSession, sample_run: tuple[Config, RunReport]
) -> None:
    config, first = sample_run
    assert all(step.status == "succeeded" for step in first.steps)
    counts = {t: spark.table(full_name(config, get_table(t))).count() for t in FILLED}
    assert all(n > 0 for n in counts.values()), counts

    before = _snapshot(spark, config)
    # A routine run with nothing new: ingestion finds no files, the derived jobs are skipped.
    # (Each job's own rerun on the same input is tested in its integration test and below,
    # where every killed job is re-run.)
    second = run_jobs(config, pipeline_order(), _args("e2e-second"))
    skipped = sorted(s.job for s in second.steps if s.status == "skipped")
    assert skipped == sorted(name for name in pipeline_order() if JOBS[name].derived)
    assert sum(s.rows_written for s in second.steps) == 0
    assert _snapshot(spark, config) == before

    run_jobs(config, ["train_salary_baseline", "train_next_role_baseline"], _args("e2e-train"))
    for report in ("salary_baseline", "next_role_baseline"):
        content = json.loads((Path(config.lakehouse) / "reports" / f"{report}.json").read_text())
        assert content, report


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Lakehouse:
    """The lakehouse every layer test kills a job in; the tests run in pipeline order."""
    return lakehouse_at(tmp_path_factory.mktemp("chaos") / "lakehouse")


@pytest.mark.parametrize("job", list(KILL_AFTER), ids=["bronze", "silver", "gold", "features"])
def test_job_killed_mid_write_then_rerun_matches_uninterrupted_run(
    spark: SparkSession, sample_run: tuple[Config, RunReport], chaos: Lakehouse, job: str
) -> None:
    config, _ = sample_run
    reference = Lakehouse(Path(config.lakehouse), config, set(pipeline_order()))
    killed_state = kill_mid_write(chaos, job)
    run_cli(chaos, "run", job)
    chaos.done.add(job)

    for table_id in JOBS[job].writes:
        table = get_table(table_id)
        assert duplicate_keys(spark, chaos, table) == [], f"{table_id}: duplicate keys after kill + rerun"
        expected = contents(spark, reference, table)
        actual = contents(spark, chaos, table)
        assert len(actual) == len(expected), f"{table_id}: {len(actual)} rows, expected {len(expected)}"
        assert actual == expected, (
            f"{table_id} differs from the uninterrupted run (killed at: {killed_state})"
        )
    assert any(contents(spark, reference, get_table(t)) for t in JOBS[job].writes), f"{job} wrote nothing"
