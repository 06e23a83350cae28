"""One local Spark + Delta session for the whole test run (Delta's own tests do the same).

Tests that write tables get an isolated config: their own schemas, landing and checkpoints,
so they can run in any order against the one session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.runtime.config import Config, Paths, Schemas, load_config
from careerlake.runtime.context import JobContext
from careerlake.runtime.session import get_spark
from support.contexts import job_context

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LANDING = REPO / "data" / "landing"
TESTS = Path(__file__).resolve().parent
# Tiers whose tests write Delta tables, start processes or build artifacts: `-m "not slow"`
# leaves the unit tests.
SLOW_TIERS = frozenset({"integration", "e2e"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.resolve()
        if path.is_relative_to(TESTS) and path.relative_to(TESTS).parts[0] in SLOW_TIERS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def base_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    lakehouse = tmp_path_factory.mktemp("lakehouse")
    config = load_config(
        "local", landing=str(SAMPLE_LANDING), lakehouse=str(lakehouse), directory=REPO / "conf"
    )
    return config.model_copy(update={"spark": config.spark.model_copy(update={"shuffle_partitions": 2})})


@pytest.fixture(scope="session")
def spark(base_config: Config) -> Iterator[SparkSession]:
    session = get_spark(base_config, app_name="careerlake-tests")
    yield session
    session.stop()


@pytest.fixture
def isolated_config(base_config: Config, tmp_path: Path) -> Config:
    """Config with schemas, landing and checkpoints of this test only."""
    suffix = uuid.uuid4().hex[:8]
    schemas = Schemas(**{layer: f"t{suffix}_{layer}" for layer in Schemas.model_fields})
    paths = Paths(
        landing=str(tmp_path / "landing"),
        lakehouse=base_config.lakehouse,
        checkpoints=str(tmp_path / "checkpoints"),
        data_docs=str(tmp_path / "data_docs"),
    )
    return base_config.model_copy(update={"schemas": schemas, "paths": paths})


@pytest.fixture
def make_context(spark: SparkSession) -> Callable[..., JobContext]:
    def factory(config: Config, job: str = "test", run_date: date = date(2026, 11, 1)) -> JobContext:
        return job_context(spark, config, job, run_date)

    return factory
