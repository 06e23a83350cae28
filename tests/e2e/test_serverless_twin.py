"""The serverless twin: the whole pipeline on the sample through Spark Connect (the platform is
then `serverless`) writes every table exactly as the classic session does.

The client is a `careerlake run` process with no JVM of its own (as on Databricks serverless);
the Connect server is the test session's JVM (`support.connect_server`), so the run's tables are
in the test session's warehouse, under schemas of their own. The classic side is the e2e staged
run's uninterrupted `first` copy (tests/e2e/conftest.py), so `make test` pays for the Connect run
only; `make test-serverless` runs this test alone.
"""

from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from careerlake.runtime.platform import SCRATCH_FOLDER
from careerlake.runtime.session import CONNECT_ENV_VAR
from support.chaos import StagedRun, contents, lakehouse_at, run_cli
from support.connect_server import serve_connect

CONNECT_RUN_TIMEOUT_SECONDS = 3600
# Before every schema the Connect run writes, in the test session's metastore.
TWIN_SCHEMA_PREFIX = "twin_"


def test_the_pipeline_through_spark_connect_writes_what_the_classic_session_writes(
    spark: SparkSession,
    base_config: Config,
    sample_run: StagedRun,
    uninterrupted: Callable[[str], list[tuple]],
    tmp_path: Path,
) -> None:
    client = lakehouse_at(tmp_path / "connect")

    run_cli(
        client,
        "run",
        "--all",
        # The classic run's date: daily features stop at it.
        "--run-date",
        sample_run.run_date.isoformat(),
        "--schema-prefix",
        TWIN_SCHEMA_PREFIX,
        extra_env={CONNECT_ENV_VAR: serve_connect(spark)},
        timeout=CONNECT_RUN_TIMEOUT_SECONDS,
    )

    # The platform was serverless: frames were staged (the folder exists), and each job dropped
    # what it staged when it ended (the folder is empty).
    scratch = Path(client.config.checkpoints) / SCRATCH_FOLDER
    assert scratch.is_dir()
    assert list(scratch.iterdir()) == []
    served = lakehouse_at(Path(base_config.lakehouse), TWIN_SCHEMA_PREFIX)
    tables = sorted({t for name in pipeline_order() for t in JOBS[name].writes})
    expected = {t: uninterrupted(t) for t in tables}
    assert expected["silver.postings"], "the classic run wrote no postings"
    assert expected["gold.salary_benchmarks"], "the classic run wrote no gold"
    differing = [t for t in tables if contents(spark, served, get_table(t)) != expected[t]]
    assert differing == []
