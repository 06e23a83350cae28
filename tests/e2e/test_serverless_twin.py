"""The serverless twin: the whole pipeline on the sample through a local Spark Connect server
(the platform is then `serverless`) writes every table exactly as the classic session does.

About 15-25 minutes on 2 cores, so `make test` skips it and `make test-serverless` runs it
(CI runs both). The classic side is the e2e `classic_run` (tests/e2e/conftest.py), run by the
classic session in a process of its own.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.platform import SCRATCH_FOLDER
from careerlake.runtime.session import CONNECT_ENV_VAR
from support.chaos import StagedRun, contents, lakehouse_at, run_cli

RUN_ENV_VAR = "CAREERLAKE_TEST_SERVERLESS"
CONNECT_RUN_TIMEOUT_SECONDS = 3600

pytestmark = pytest.mark.skipif(
    os.environ.get(RUN_ENV_VAR) != "1",
    reason=f"the serverless twin runs in `make test-serverless` ({RUN_ENV_VAR}=1)",
)


def test_the_pipeline_through_spark_connect_writes_what_the_classic_session_writes(
    spark: SparkSession, classic_run: StagedRun, tmp_path: Path
) -> None:
    classic = classic_run.copy("first")
    connect = lakehouse_at(tmp_path / "connect")
    # The classic run's date: daily features stop at it.
    run_date = datetime.now(UTC).date().isoformat()

    run_cli(
        connect,
        "run",
        "--all",
        "--run-date",
        run_date,
        extra_env={CONNECT_ENV_VAR: "1"},
        timeout=CONNECT_RUN_TIMEOUT_SECONDS,
    )

    # The platform was serverless: frames were staged (the folder exists), and each job dropped
    # what it staged when it ended (the folder is empty).
    scratch = Path(connect.config.checkpoints) / SCRATCH_FOLDER
    assert scratch.is_dir()
    assert list(scratch.iterdir()) == []
    tables = sorted({t for name in pipeline_order() for t in JOBS[name].writes})
    differing = [
        t for t in tables if contents(spark, connect, get_table(t)) != contents(spark, classic, get_table(t))
    ]
    assert differing == []
