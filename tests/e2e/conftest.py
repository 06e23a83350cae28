"""The uninterrupted sample run the e2e tests check, staged once per test process.

`sample_run`, for the pipeline, kill, sample input and serverless twin tests: the test session
runs the whole pipeline on the bundled sample on a lakehouse folder of its own, copying the
folder before each job a kill test kills (`before-<job>`) and after the run (`first`); then a
second run with nothing new (copied as `second`) and the two baselines' training (`trained`).
Tests read the copies by path; a kill test restores its copy to a folder of its own and runs its
job there.
Staged in the test session, the run warms the JVM that then re-runs the killed jobs and serves
the serverless twin, instead of a JVM of its own that ends with it.

`make test` runs the e2e modules on one worker (tests/conftest.py), so they share one staging.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from careerlake.pipeline import pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from support.chaos import KILL_AFTER, StagedRun, contents, stage

TRAINING = ["train_salary_baseline", "train_next_role_baseline"]


def sample_plan(kills: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "run": pipeline_order(),
            "run_id": "e2e-first",
            "copy_before": {job: f"before-{job}" for job in kills},
        },
        {"copy": "first"},
        {"run": pipeline_order(), "run_id": "e2e-second"},
        {"copy": "second"},
        {"run": TRAINING, "run_id": "e2e-train"},
        {"copy": "trained"},
    ]


@pytest.fixture(scope="session")
def sample_run(
    spark: SparkSession, base_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> StagedRun:
    return stage(spark, base_config, Path(tmp_path_factory.mktemp("e2e")), sample_plan(list(KILL_AFTER)))


@pytest.fixture(scope="session")
def uninterrupted(spark: SparkSession, sample_run: StagedRun) -> Callable[[str], list[tuple]]:
    """`contents` of a table (by id) as the uninterrupted run left it (the `first` copy, which no
    test changes): read once, however many tests compare with it."""
    first = sample_run.copy("first")
    return cache(lambda table_id: contents(spark, first, get_table(table_id)))
