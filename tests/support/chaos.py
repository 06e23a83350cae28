"""Killing jobs mid-write: one uninterrupted run staged in the test session, killed runs in
subprocesses on copies of it, tables read by path.

One uninterrupted run of the pipeline (the reference) runs in the test session (`stage`), on a
lakehouse folder of its own: its schemas are located at that folder's layer folders, so copying
the folder before each job a test kills copies every table, checkpoint and Data Docs page as they
were. A kill test restores that copy to a folder of its own and kills only its job there, so no
layer is rebuilt for the next kill. The killed job runs in a subprocess (a kill must take the
JVM down with it) on that folder, with a catalog of its own in memory, where
`tests/support/run_attached.py` registers the copy's tables by location first. The re-run needs
no process of its own: `rerun_in_session` runs the job in the test session, on the killed
lakehouse's table folders, streaming checkpoints and Data Docs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from argparse import Namespace
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from careerlake.entrypoint import run_jobs
from careerlake.features.train import report_path
from careerlake.pipeline import JOBS
from careerlake.registry import Table, get_table
from careerlake.runtime.config import Config, Paths, Schemas, load_config
from careerlake.runtime.delta import log_version
from careerlake.runtime.session import local_schema_folder
from support.jvm_options import short_lived_jvm
from support.table_folders import job_tables, layer_folders, register_tables

REPO = Path(__file__).resolve().parents[2]
SAMPLE_LANDING = REPO / "data" / "landing"
JOB_TIMEOUT_SECONDS = 1800
CLI = [sys.executable, "-m", "careerlake.cli"]
# What a killed process runs: the job on a lakehouse whose tables it registers first.
ATTACHED_RUN = Path(__file__).with_name("run_attached.py")

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


@dataclass(frozen=True)
class Lakehouse:
    root: Path
    config: Config

    @property
    def cli_args(self) -> list[str]:
        return ["--lakehouse", str(self.root), "--landing", str(SAMPLE_LANDING)]

    @property
    def log(self) -> Path:
        return self.root.parent / f"{self.root.name}.log"

    def table_dir(self, table: Table) -> Path:
        return local_schema_folder(self.config, table.layer) / table.name


@dataclass(frozen=True)
class StagedRun:
    """What `stage` left: the copies and run reports of its plan."""

    folder: Path
    # The logical date of every run of the plan: daily features stop at it.
    run_date: date

    def copy(self, name: str) -> Lakehouse:
        """A copy the plan made, to read by path."""
        return lakehouse_at(self.folder / name)

    def runs(self) -> list[dict[str, Any]]:
        """Each run of the plan: its run id and, per step, the job, the table, its status and the
        rows read, written and quarantined."""
        return json.loads((self.folder / "runs.json").read_text())

    def restore(self, name: str, root: Path) -> Lakehouse:
        """The lakehouse as copy `name` holds it, at `root`, for a run to change: a copy holds no
        metastore and no absolute path, so a run there registers its tables by location
        (`attached_config`, tests/support/run_attached.py)."""
        shutil.copytree(self.folder / name, root, symlinks=True)
        return lakehouse_at(root)


def lakehouse_at(root: Path, schema_prefix: str = "") -> Lakehouse:
    """The lakehouse at `root` with the sample landing; its schemas named with `schema_prefix`."""
    config = load_config(
        "local",
        landing=str(SAMPLE_LANDING),
        lakehouse=str(root),
        directory=REPO / "conf",
        schema_prefix=schema_prefix,
    )
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


def _run_to_end(
    lakehouse: Lakehouse,
    command: list[str],
    what: str,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = JOB_TIMEOUT_SECONDS,
) -> None:
    """Run `command` to its end in a subprocess that logs to the lakehouse's log; on failure, say
    `what` exited with which code and show the log's tail."""
    process = _start(command, lakehouse.log, extra_env)
    try:
        code = process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == 0, f"{what} exited {code}:\n{lakehouse.log.read_text()[-4000:]}"


def run_cli(
    lakehouse: Lakehouse,
    *command: str,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = JOB_TIMEOUT_SECONDS,
) -> None:
    """`careerlake <command>` on `lakehouse` in a subprocess, with `extra_env` added to its environment."""
    _run_to_end(
        lakehouse,
        [*CLI, *command, *lakehouse.cli_args],
        f"careerlake {' '.join(command)}",
        extra_env,
        timeout,
    )


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


def reports_folder(config: Config) -> Path:
    """Where the baselines' training writes its reports in `config`'s lakehouse."""
    return report_path(config, "").parent


def attached_config(
    spark: SparkSession,
    session_config: Config,
    lakehouse: Lakehouse,
    prefix: str,
    table_ids: Collection[str] | None = None,
) -> Config:
    """`lakehouse`'s config for a run in this process's session (`session_config`'s lakehouse and
    Spark settings), as `careerlake run` would run on `lakehouse`: on its table folders, streaming
    checkpoints and Data Docs.

    The session's catalog gets one schema per layer (named `prefix`, a random part and the
    layer) located at the lakehouse's folder of that layer, with the lakehouse's tables (of
    `table_ids` if given) registered there by location: a table a job creates lands in that folder
    too.
    """
    suffix = uuid.uuid4().hex[:8]
    schemas = Schemas(**{layer: f"{prefix}{suffix}_{layer}" for layer in Schemas.model_fields})
    paths = Paths(
        landing=lakehouse.config.landing,
        lakehouse=session_config.lakehouse,
        checkpoints=lakehouse.config.checkpoints,
        data_docs=lakehouse.config.data_docs,
    )
    # The session's own Spark settings: a run sets them on the session it shares with other tests.
    config = lakehouse.config.model_copy(
        update={"schemas": schemas, "paths": paths, "spark": session_config.spark}
    )
    register_tables(spark, config, layer_folders(lakehouse.config), table_ids)
    return config


def stage(spark: SparkSession, session_config: Config, folder: Path, plan: list[dict[str, Any]]) -> StagedRun:
    """Run `plan` in this process's session on the lakehouse `folder`/lakehouse, every run of it
    at today's date (UTC), and record what each run reported in `runs.json` beside the copies.

    `plan` is a list of steps, in order: `{"run": [job, ...], "run_id": "..."}` runs those jobs
    (as `careerlake run` does), with `"copy_before": {job: "name", ...}` copying the lakehouse
    to `name` just before `job` starts; `{"copy": "name"}` copies the whole lakehouse folder to
    `name` with the baselines' reports written so far (they go to the session's lakehouse).
    Spark is idle between two steps and between two jobs of a run, so a copy is what a crash at
    that point would leave.
    """
    lakehouse = lakehouse_at(folder / "lakehouse")
    copies = folder / "copies"
    copies.mkdir(parents=True)
    config = attached_config(spark, session_config, lakehouse, "stage")
    reports = reports_folder(session_config)
    run_date = datetime.now(UTC).date()

    def copy(name: str) -> None:
        shutil.copytree(lakehouse.root, copies / name, symlinks=True)
        if reports.is_dir():
            shutil.copytree(reports, reports_folder(lakehouse_at(copies / name).config))

    runs = []
    for step in plan:
        if "copy" in step:
            copy(step["copy"])
            continue
        copy_before: dict[str, str] = step.get("copy_before", {})

        def before(job: str, copy_before: dict[str, str] = copy_before) -> None:
            if job in copy_before:
                copy(copy_before[job])

        report = run_jobs(
            config,
            step["run"],
            Namespace(run_id=step["run_id"], run_date=run_date, full_refresh=False),
            before_job=before,
        )
        steps = [
            {
                "job": s.job,
                "table": s.table,
                "status": s.status,
                "rows_read": s.rows_read,
                "rows_written": s.rows_written,
                "rows_quarantined": s.rows_quarantined,
            }
            for s in report.steps
        ]
        runs.append({"run_id": report.run_id, "steps": steps})
    (copies / "runs.json").write_text(json.dumps(runs, indent=1) + "\n")
    return StagedRun(copies, run_date)


def kill_mid_write(lakehouse: Lakehouse, job: str, run_date: date) -> str:
    """SIGKILL a process running `job` at `run_date` after the job's first commit of rows to the
    table of KILL_AFTER; return which of the job's tables had rows committed by then."""
    trigger = lakehouse.table_dir(get_table(KILL_AFTER[job]))
    command = [
        sys.executable,
        str(ATTACHED_RUN),
        job,
        "--run-date",
        run_date.isoformat(),
        *lakehouse.cli_args,
    ]
    # Killed within seconds of its first commit: a short-lived JVM (support.jvm_options).
    process = _start(command, lakehouse.log, short_lived_jvm())
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    try:
        while not _rows_committed(trigger):
            assert process.poll() is None, (
                f"{job} ended before the kill:\n{lakehouse.log.read_text()[-4000:]}"
            )
            assert time.monotonic() < deadline, f"{job}: no rows committed to {trigger} in time"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == -signal.SIGKILL, f"{job} was not killed mid-write (exit {code})"
    return ", ".join(
        f"{t}={'merged' if _rows_committed(lakehouse.table_dir(get_table(t))) else 'not yet'}"
        for t in JOBS[job].writes
    )


def rerun_in_session(
    spark: SparkSession, session_config: Config, lakehouse: Lakehouse, job: str, run_date: date
) -> None:
    """Run `job` at `run_date` to its end in this process's session, on `lakehouse`'s folders
    (`attached_config`)."""
    config = attached_config(spark, session_config, lakehouse, "rerun", job_tables(job))
    report = run_jobs(
        config,
        [job],
        Namespace(run_id=f"rerun-{uuid.uuid4().hex[:8]}", run_date=run_date, full_refresh=False),
    )
    failed = [step for step in report.steps if step.status != "succeeded"]
    assert not failed, f"{job} re-run: {failed}"


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


def read_table(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> DataFrame:
    return spark.read.format("delta").load(str(lakehouse.table_dir(table)))


def contents(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> list[tuple]:
    """The table's rows without the VOLATILE columns, normalized and sorted: two runs compare."""
    return contents_and_duplicate_keys(spark, lakehouse, table)[0]


def contents_and_duplicate_keys(
    spark: SparkSession, lakehouse: Lakehouse, table: Table
) -> tuple[list[tuple], list[tuple]]:
    """`contents`, and up to five registry keys that more than one row holds, from one read."""
    columns = [c for c in table.column_names if c not in VOLATILE]
    rows = read_table(spark, lakehouse, table).select(*dict.fromkeys([*columns, *table.keys])).collect()
    held = Counter(tuple(row[k] for k in table.keys) for row in rows)
    duplicates = sorted((key for key, count in held.items() if count > 1), key=repr)[:5]
    return sorted((tuple(_normalize(row[c]) for c in columns) for row in rows), key=repr), duplicates


def latest_commit(lakehouse: Lakehouse, table: Table) -> int:
    """The table's latest Delta version: the highest commit file of its log."""
    version = log_version(lakehouse.table_dir(table))
    assert version is not None, f"{table.id}: no Delta log in {lakehouse.root}"
    return version
