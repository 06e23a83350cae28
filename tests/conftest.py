"""One local Spark + Delta session for the whole test run (Delta's own tests do the same).

Tests that write tables get an isolated config: their own schemas, landing and checkpoints,
so they can run in any order against the one session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession
from xdist.scheduler import LoadFileScheduling

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


# The order in which `make test` hands modules to its workers (`--no-loadscope-reorder`): the
# longest first, so it runs beside the rest, not after them.
TIER_ORDER = ("e2e", "integration", "unit")
# The e2e modules share one staged run of the pipeline (tests/e2e/conftest.py), a session
# fixture: they run on one worker, as one unit of `--dist loadfile`.
SHARED_RUN_UNIT = (TESTS / "e2e").relative_to(REPO).as_posix()


def _tier(item: pytest.Item) -> str | None:
    path = item.path.resolve()
    return path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _tier(item) in SLOW_TIERS:
            item.add_marker(pytest.mark.slow)
    # Stable: within a tier, modules and tests keep their collection order.
    items.sort(key=lambda item: TIER_ORDER.index(t) if (t := _tier(item)) in TIER_ORDER else len(TIER_ORDER))


class SharedRunFileScheduling(LoadFileScheduling):
    """`--dist loadfile`, with the e2e modules as one unit."""

    def _split_scope(self, nodeid: str) -> str:
        module = super()._split_scope(nodeid)
        return SHARED_RUN_UNIT if module.startswith(f"{SHARED_RUN_UNIT}/") else module


# Optional: runs without pytest-xdist (`-p no:xdist`) have no such hook.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> SharedRunFileScheduling | None:
    return SharedRunFileScheduling(config, log) if config.getvalue("dist") == "loadfile" else None


@pytest.fixture(scope="session")
def base_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    lakehouse = tmp_path_factory.mktemp("lakehouse")
    config = load_config(
        "local", landing=str(SAMPLE_LANDING), lakehouse=str(lakehouse), directory=REPO / "conf"
    )
    # Two sessions share the two cores under `make test`: one task thread each (SparkSettings).
    spark = config.spark.model_copy(update={"shuffle_partitions": 2, "local_threads": 1})
    return config.model_copy(update={"spark": spark})


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
