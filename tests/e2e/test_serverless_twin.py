"""The serverless twin: the whole pipeline on the sample through a local Spark Connect server
(the platform is then `serverless`) writes every table exactly as the classic session does.

The classic side is the e2e staged run's uninterrupted `first` copy (tests/e2e/conftest.py), so
`make test` pays for the Connect run only; `make test-serverless` runs this test alone.
"""

from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.platform import SCRATCH_FOLDER
from careerlake.runtime.session import CONNECT_ENV_VAR
from support.chaos import StagedRun, contents, lakehouse_at, run_cli

CONNECT_RUN_TIMEOUT_SECONDS = 3600


def test_the_pipeline_through_spark_connect_writes_what_the_classic_session_writes(
    spark: SparkSession, sample_run: StagedRun, uninterrupted: Callable[[str], list[tuple]], tmp_path: Path
) -> None:
    connect = lakehouse_at(tmp_path / "connect")

    run_cli(
        connect,
        "run",
        "--all",
        # The classic run's date: daily features stop at it.
        "--run-date",
        sample_run.run_date.isoformat(),
        extra_env={CONNECT_ENV_VAR: "1"},
        timeout=CONNECT_RUN_TIMEOUT_SECONDS,
    )

    # The platform was serverless: frames were staged (the folder exists), and each job dropped
    # what it staged when it ended (the folder is empty).
    scratch = Path(connect.config.checkpoints) / SCRATCH_FOLDER
    assert scratch.is_dir()
    assert list(scratch.iterdir()) == []
    tables = sorted({t for name in pipeline_order() for t in JOBS[name].writes})
    expected = {t: uninterrupted(t) for t in tables}
    assert expected["silver.postings"], "the classic run wrote no postings"
    assert expected["gold.salary_benchmarks"], "the classic run wrote no gold"
    differing = [t for t in tables if contents(spark, connect, get_table(t)) != expected[t]]
    assert differing == []
