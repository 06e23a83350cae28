"""Killing jobs mid-write: subprocess runs on a lakehouse of their own, tables read by path.

The killed jobs run in subprocesses (a kill must take the JVM down with it) on a lakehouse of
their own: the embedded Derby metastore admits one process, and the test session holds its
own. Their tables are read by path from the test session. The process that re-runs a killed
job goes on to the next kill, so each kill costs one JVM start, and the re-run is still a new
process after a real SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.pipeline import JOBS, pipeline_order, upstream_jobs
from careerlake.registry import Table, get_table
from careerlake.runtime.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
SAMPLE_LANDING = REPO / "data" / "landing"
JOB_TIMEOUT_SECONDS = 1800

# Columns that record when or by which run a row was written: they differ between two
# runs by design.
WRITE_STAMPS = frozenset(
    {
        "ingested_at",
        "quarantined_at",
        "run_id",
        "updated_at",
        "refreshed_at",
        "first_seen_run_id",
        "first_seen_at",
        "last_seen_at",
    }
)
# Across two lakehouses the SCD2 validity bounds (bronze ingestion times) differ too.
VOLATILE = WRITE_STAMPS | {"valid_from", "valid_to"}

# The table whose first commit of rows triggers the kill: the job has written part of its
# layer (for ingest, one format's micro-batch before the stream checkpoint commits it) and
# the rest is still to come.
KILL_AFTER = {
    "ingest_postings": "bronze.postings",
    "silver_postings": "silver.postings_history",
    "gold": "gold.salary_benchmarks",
    "features": "features.role_features",
}

# Runs a list of jobs in one process: the re-run of the job killed last, the upstream jobs the
# next kill still needs, and the job to kill.
RUNNER = """
import sys
from careerlake.entrypoint import job_argument_parser, run_jobs
from careerlake.runtime.arguments import load_config_from_args
args = job_argument_parser("faults").parse_args(sys.argv[2:])
run_jobs(load_config_from_args(args), sys.argv[1].split(","), args)
"""


@dataclass
class Lakehouse:
    root: Path
    config: Config
    done: set[str] = field(default_factory=set)
    # The job killed last and not re-run yet, and what each kill left (for failure messages).
    killed: str | None = None
    kill_states: dict[str, str] = field(default_factory=dict)

    @property
    def cli_args(self) -> list[str]:
        return ["--lakehouse", str(self.root), "--landing", str(SAMPLE_LANDING)]

    def table_dir(self, table: Table) -> Path:
        return (
            Path(self.config.lakehouse)
            / "warehouse"
            / f"{self.config.schema_for(table.layer)}.db"
            / table.name
        )


def lakehouse_at(root: Path) -> Lakehouse:
    config = load_config("local", landing=str(SAMPLE_LANDING), lakehouse=str(root), directory=REPO / "conf")
    return Lakehouse(root, config)


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERLAKE_")}
    env["PYSPARK_PYTHON"] = sys.executable
    return env | dict(extra or {})


def _start(
    command: list[str], log: Path, extra_env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    # Own process group: the SIGKILL reaches the JVM too, not only the Python driver.
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=_env(extra_env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def run_cli(
    lakehouse: Lakehouse,
    *command: str,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = JOB_TIMEOUT_SECONDS,
) -> None:
    """`careerlake <command>` on `lakehouse` in a subprocess, with `extra_env` added to its environment."""
    log = lakehouse.root.parent / f"{lakehouse.root.name}.log"
    process = _start([sys.executable, "-m", "careerlake.cli", *command, *lakehouse.cli_args], log, extra_env)
    try:
        code = process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == 0, f"careerlake {' '.join(command)} exited {code}:\n{log.read_text()[-4000:]}"


def _rows_committed(table_dir: Path) -> bool:
    """True once the table's Delta log holds a commit of rows: a MERGE, or the append that is a
    new table's first write (CREATE and ALTER do not count)."""
    log = table_dir / "_delta_log"
    if not log.is_dir():
        return False
    for commit in sorted(log.glob("*.json")):
        try:
            text = commit.read_text(encoding="utf-8")
        except OSError:
            continue
        if '"operation":"MERGE"' in text or '"operation":"WRITE"' in text:
            return True
    return False


def _transitive_upstream(job: str) -> set[str]:
    found: set[str] = set()
    pending = [job]
    while pending:
        for name in upstream_jobs(JOBS[pending.pop()]):
            if name not in found and JOBS[name].in_pipeline:
                found.add(name)
                pending.append(name)
    return found


def kill_mid_write(lakehouse: Lakehouse, job: str) -> None:
    """SIGKILL `job` after its first commit of rows, in one process that first re-runs the job killed
    last (if any) and runs the upstream jobs `job` still needs: one JVM start per kill."""
    rerun = [lakehouse.killed] if lakehouse.killed else []
    needed = _transitive_upstream(job) - lakehouse.done - set(rerun)
    jobs = [*rerun, *(name for name in pipeline_order() if name in needed), job]
    trigger = lakehouse.table_dir(get_table(KILL_AFTER[job]))
    log = lakehouse.root.parent / f"{lakehouse.root.name}.log"
    process = _start([sys.executable, "-c", RUNNER, ",".join(jobs), *lakehouse.cli_args], log)
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    try:
        while not _rows_committed(trigger):
            assert process.poll() is None, f"{jobs} ended before the kill:\n{log.read_text()[-4000:]}"
            assert time.monotonic() < deadline, f"{jobs}: no rows committed to {trigger} in time"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == -signal.SIGKILL, f"{job} was not killed mid-write (exit {code})"
    # The re-run finished before `job` started: its tables are final.
    lakehouse.done |= needed | set(rerun)
    lakehouse.killed = job
    lakehouse.kill_states[job] = ", ".join(
        f"{t}={'merged' if _rows_committed(lakehouse.table_dir(get_table(t))) else 'not yet'}"
        for t in JOBS[job].writes
    )


def rerun_killed(lakehouse: Lakehouse, next_kill: str | None) -> None:
    """Re-run the killed job to completion in a new process. With `next_kill`, that process
    goes on to the next kill (saving a JVM start); otherwise it runs the job alone."""
    job = lakehouse.killed
    assert job is not None, "no killed job to re-run"
    if next_kill is not None:
        kill_mid_write(lakehouse, next_kill)
        return
    run_cli(lakehouse, "run", job)
    lakehouse.done.add(job)
    lakehouse.killed = None


def _normalize(value: Any) -> Any:
    """A comparable, order-free form of a cell: arrays and maps sorted, doubles rounded."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return tuple(sorted((_normalize(v) for v in value), key=repr))
    if isinstance(value, dict):
        return tuple(sorted(((k, _normalize(v)) for k, v in value.items()), key=repr))
    if hasattr(value, "asDict"):
        return tuple(sorted(((k, _normalize(v)) for k, v in value.asDict().items()), key=repr))
    return value


def _read(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> DataFrame:
    return spark.read.format("delta").load(str(lakehouse.table_dir(table)))


def contents(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> list[tuple]:
    columns = [c for c in table.column_names if c not in VOLATILE]
    rows = _read(spark, lakehouse, table).select(*columns).collect()
    return sorted((tuple(_normalize(v) for v in row) for row in rows), key=repr)


def duplicate_keys(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> list[tuple]:
    counts = _read(spark, lakehouse, table).groupBy(*table.keys).count()
    return [tuple(r) for r in counts.filter(F.col("count") > 1).limit(5).collect()]
