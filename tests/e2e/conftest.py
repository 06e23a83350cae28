"""The uninterrupted sample run both e2e modules check: one per test process.

Session-scoped, so a run in one process builds it once; under xdist each worker that gets an
e2e module builds its own, which lets the two modules run side by side.
"""

import uuid
from argparse import Namespace

import pytest

from careerlake.entrypoint import run_jobs
from careerlake.pipeline import pipeline_order
from careerlake.runtime.config import Config, Paths, Schemas
from careerlake.runtime.context import RunReport
from support.chaos import SAMPLE_LANDING


@pytest.fixture(scope="session")
def sample_run(base_config: Config, tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, RunReport]:
    """The whole pipeline once, uninterrupted, in the test session, on schemas of its own."""
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
    return config, run_jobs(
        config, pipeline_order(), Namespace(run_id="e2e-first", run_date=None, full_refresh=False)
    )
