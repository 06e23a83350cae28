"""Run one job, as `careerlake run` does, on a lakehouse folder whose metastore does not know
its tables: the process a kill test kills (tests/support/chaos.py).

    python tests/support/run_attached.py JOB --run-date DATE --lakehouse LAKEHOUSE --landing LANDING

The staged lakehouse copies hold table folders, streaming checkpoints and Data Docs, and no
metastore (the uninterrupted run registered its tables in the test session's catalog). This process
registers the table folders the job touches (`job_tables`) by location in a catalog of its own, in
memory, under the lakehouse's own schema names, then runs the job there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from careerlake.entrypoint import job_argument_parser, run_jobs
from careerlake.runtime.arguments import load_config_from_args
from careerlake.runtime.session import get_spark

# Run as a script, this folder is on the path but `tests/` (where `support` lives) is not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.table_folders import job_tables, layer_folders, register_tables


def main() -> None:
    job, arguments = sys.argv[1], sys.argv[2:]
    args = job_argument_parser(job).parse_args(arguments)
    # Its names die with it: kept in memory, no metastore to start (SparkSettings.local_catalog).
    loaded = load_config_from_args(args)
    config = loaded.model_copy(
        update={"spark": loaded.spark.model_copy(update={"local_catalog": "in-memory"})}
    )
    spark = get_spark(config, app_name=f"careerlake:{job}")
    register_tables(spark, config, layer_folders(config), job_tables(job))
    report = run_jobs(config, [job], args)
    failed = [step for step in report.steps if step.status != "succeeded"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
