"""Fault tests: a job SIGKILLed mid-write and re-run ends where an uninterrupted run ends,
and two writers MERGEing into one Delta table at once leave every row exactly once.

The killed jobs run in subprocesses (a kill must take the JVM down with it) on a lakehouse
of their own: the embedded Derby metastore admits one process, and the test session holds
its own. Tables are then read by path from the test session. One reference lakehouse, built
by one uninterrupted `careerlake run --all`, serves every layer; one "chaos" lakehouse goes
through the layers in pipeline order, each test killing and re-running its layer's job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.features.job import build_features
from careerlake.pipeline import JOBS, pipeline_order, upstream_jobs
from careerlake.quality import gate
from careerlake.registry import Table, features, get_table, silver
from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import Config, load_config
from careerlake.runtime.context import JobContext
from careerlake.runtime.errors import WriteConflictError
from features_data import posting, postings_df, transition, transitions_df

REPO = Path(__file__).resolve().parents[2]
SAMPLE_LANDING = REPO / "data" / "landing"
JOB_TIMEOUT_SECONDS = 1800

# Columns that record when or by which run a row was written: they differ between two
# runs by design. valid_from/valid_to of the SCD2 history are bronze ingestion times.
VOLATILE = {
    "ingested_at",
    "quarantined_at",
    "run_id",
    "updated_at",
    "refreshed_at",
    "first_seen_run_id",
    "first_seen_at",
    "last_seen_at",
    "valid_from",
    "valid_to",
}

# The table whose first MERGE commit triggers the kill: the job has written part of its
# layer (for ingest, one format's micro-batch before the stream checkpoint commits it) and
# the rest is still to come.
KILL_AFTER = {
    "ingest_postings": "bronze.postings",
    "silver_postings": "silver.postings_history",
    "gold": "gold.salary_benchmarks",
    "features": "features.role_features",
}

# Runs a list of jobs in one process: the killed process also runs the upstream jobs it
# still needs, which saves a JVM start per test.
RUNNER = """
import sys
from careerlake.runtime.entrypoint import job_argument_parser, load_config_from_args, run_jobs
args = job_argument_parser("faults").parse_args(sys.argv[2:])
run_jobs(load_config_from_args(args), sys.argv[1].split(","), args)
"""


@dataclass
class Lakehouse:
    root: Path
    config: Config
    done: set[str] = field(default_factory=set)

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


def _lakehouse(root: Path) -> Lakehouse:
    config = load_config("local", landing=str(SAMPLE_LANDING), lakehouse=str(root), directory=REPO / "conf")
    return Lakehouse(root, config)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERLAKE_")}
    env["PYSPARK_PYTHON"] = sys.executable
    return env


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Own process group: the SIGKILL reaches the JVM too, not only the Python driver.
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=REPO, env=_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _run_cli(lakehouse: Lakehouse, *command: str) -> None:
    log = lakehouse.root.parent / f"{lakehouse.root.name}.log"
    process = _start([sys.executable, "-m", "careerlake.cli", *command, *lakehouse.cli_args], log)
    try:
        code = process.wait(timeout=JOB_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == 0, f"careerlake {' '.join(command)} exited {code}:\n{log.read_text()[-4000:]}"


def _merge_committed(table_dir: Path) -> bool:
    """True once the table's Delta log holds a MERGE commit (CREATE and ALTER do not count)."""
    log = table_dir / "_delta_log"
    if not log.is_dir():
        return False
    for commit in sorted(log.glob("*.json")):
        try:
            text = commit.read_text(encoding="utf-8")
        except OSError:
            continue
        if '"operation":"MERGE"' in text:
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


def _kill_mid_write(lakehouse: Lakehouse, job: str) -> str:
    """Run the missing upstream jobs and `job` in one process; SIGKILL it after its first MERGE."""
    needed = _transitive_upstream(job) - lakehouse.done
    jobs = [name for name in pipeline_order() if name in needed] + [job]
    trigger = lakehouse.table_dir(get_table(KILL_AFTER[job]))
    log = lakehouse.root.parent / f"{lakehouse.root.name}.log"
    process = _start([sys.executable, "-c", RUNNER, ",".join(jobs), *lakehouse.cli_args], log)
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    try:
        while not _merge_committed(trigger):
            assert process.poll() is None, f"{jobs} ended before the kill:\n{log.read_text()[-4000:]}"
            assert time.monotonic() < deadline, f"{jobs}: no MERGE into {trigger} in time"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == -signal.SIGKILL, f"{job} was not killed mid-write (exit {code})"
    lakehouse.done |= needed
    # What the kill left: which of the job's tables already had a MERGE (for failure messages).
    return ", ".join(
        f"{t}={'merged' if _merge_committed(lakehouse.table_dir(get_table(t))) else 'not yet'}"
        for t in JOBS[job].writes
    )


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


def _contents(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> list[tuple]:
    columns = [c for c in table.column_names if c not in VOLATILE]
    rows = _read(spark, lakehouse, table).select(*columns).collect()
    return sorted((tuple(_normalize(v) for v in row) for row in rows), key=repr)


def _duplicate_keys(spark: SparkSession, lakehouse: Lakehouse, table: Table) -> list[tuple]:
    counts = _read(spark, lakehouse, table).groupBy(*table.keys).count()
    return [tuple(r) for r in counts.filter(F.col("count") > 1).limit(5).collect()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Lakehouse:
    """The whole pipeline, uninterrupted, in one process."""
    lakehouse = _lakehouse(tmp_path_factory.mktemp("faults") / "reference")
    _run_cli(lakehouse, "run", "--all")
    lakehouse.done = set(pipeline_order())
    return lakehouse


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Lakehouse:
    """The lakehouse every layer test kills a job in; tests run in pipeline order."""
    return _lakehouse(tmp_path_factory.mktemp("faults") / "chaos")


@pytest.mark.slow
@pytest.mark.parametrize("job", list(KILL_AFTER), ids=["bronze", "silver", "gold", "features"])
def test_job_killed_mid_write_then_rerun_matches_uninterrupted_run(
    spark: SparkSession, reference: Lakehouse, chaos: Lakehouse, job: str
) -> None:
    killed_state = _kill_mid_write(chaos, job)
    _run_cli(chaos, "run", job)
    chaos.done.add(job)

    for table_id in JOBS[job].writes:
        table = get_table(table_id)
        assert _duplicate_keys(spark, chaos, table) == [], f"{table_id}: duplicate keys after kill + rerun"
        expected = _contents(spark, reference, table)
        actual = _contents(spark, chaos, table)
        assert len(actual) == len(expected), f"{table_id}: {len(actual)} rows, expected {len(expected)}"
        assert actual == expected, (
            f"{table_id} differs from the uninterrupted run (killed at: {killed_state})"
        )
    assert any(_contents(spark, reference, get_table(t)) for t in JOBS[job].writes), f"{job} wrote nothing"


# --- two writers on one table ----------------------------------------------------------------


def _job_run_rows(run_id: str, indexes: range, writer: str) -> list[tuple]:
    finished = datetime(2026, 11, 1, 12, 0)
    return [
        (run_id, "faults", f"table_{i:03d}", i, i, 0, 1.0, "succeeded", writer, finished) for i in indexes
    ]


def _concurrent_merges(
    spark: SparkSession, config: Config, batches: dict[str, list[tuple]], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, int | BaseException], dict[str, int]]:
    """MERGE each batch from its own thread, the first attempts started together."""
    delta.ensure_table(spark, config, JOB_RUNS)
    barrier = threading.Barrier(len(batches))
    attempts: dict[str, int] = dict.fromkeys(batches, 0)
    writer_of = threading.local()
    retry = delta.with_conflict_retry

    def counting_retry(action: Callable[[], Any], what: str) -> Any:
        def counted() -> Any:
            attempts[writer_of.name] += 1
            if attempts[writer_of.name] == 1:
                barrier.wait(timeout=120)
            return action()

        return retry(counted, what)

    monkeypatch.setattr(delta, "with_conflict_retry", counting_retry)
    frames = {w: spark.createDataFrame(rows, JOB_RUNS.schema) for w, rows in batches.items()}
    outcomes: dict[str, int | BaseException] = {}

    def write(writer: str) -> None:
        writer_of.name = writer
        try:
            outcomes[writer] = delta.merge_into(spark, config, JOB_RUNS, frames[writer])
        except BaseException as exc:
            outcomes[writer] = exc

    threads = [threading.Thread(target=write, args=(w,)) for w in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert set(outcomes) == set(batches), "a writer thread did not finish"
    return outcomes, attempts


def _stored(spark: SparkSession, config: Config) -> list[tuple]:
    return sorted(tuple(r) for r in spark.table(delta.full_name(config, JOB_RUNS)).collect())


@pytest.fixture
def overlapping_batches() -> dict[str, list[tuple]]:
    """Two writers: 20 keys of their own each, 20 shared keys with identical rows."""
    shared = _job_run_rows("run-x", range(20, 40), "both")
    return {
        "a": _job_run_rows("run-x", range(0, 20), "a") + shared,
        "b": shared + _job_run_rows("run-x", range(40, 60), "b"),
    }


def _assert_each_row_once(
    spark: SparkSession, config: Config, batches: dict[str, list[tuple]], succeeded: list[str]
) -> None:
    stored = _stored(spark, config)
    keys = [r[:3] for r in stored]
    assert len(keys) == len(set(keys)), "duplicate keys after concurrent MERGEs"
    expected = sorted({row for w in succeeded for row in batches[w]})
    # Spark returns naive datetimes and Python floats: the rows compare as built.
    assert stored == expected


@pytest.mark.slow
def test_concurrent_merges_both_land_through_the_bounded_retry(
    spark: SparkSession,
    isolated_config: Config,
    overlapping_batches: dict[str, list[tuple]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delta, "BASE_BACKOFF_SECONDS", 0.1)
    outcomes, attempts = _concurrent_merges(spark, isolated_config, overlapping_batches, monkeypatch)

    assert all(isinstance(n, int) for n in outcomes.values()), outcomes
    # Both MERGEs read the empty table at once: the later commit conflicted and was retried.
    assert sum(attempts.values()) >= 3, attempts
    # The retried MERGE re-read the table: its 20 shared keys were matched, not inserted again.
    assert sorted(outcomes.values()) == [40, 40], outcomes
    _assert_each_row_once(spark, isolated_config, overlapping_batches, ["a", "b"])


@pytest.mark.slow
def test_concurrent_merge_out_of_retries_fails_with_a_clear_error(
    spark: SparkSession,
    isolated_config: Config,
    overlapping_batches: dict[str, list[tuple]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delta, "MAX_ATTEMPTS", 1)
    outcomes, _ = _concurrent_merges(spark, isolated_config, overlapping_batches, monkeypatch)

    failed = [w for w, o in outcomes.items() if isinstance(o, BaseException)]
    succeeded = [w for w, o in outcomes.items() if isinstance(o, int)]
    assert len(failed) == 1, outcomes
    assert len(succeeded) == 1, outcomes
    error = outcomes[failed[0]]
    assert isinstance(error, WriteConflictError), repr(error)
    name = delta.full_name(isolated_config, JOB_RUNS)
    assert str(error).startswith(f"MERGE into {name}: gave up after 1 attempts on concurrent Delta writes (")
    assert "\n" not in str(error)
    # The loser wrote nothing; the winner's rows are all there, once.
    _assert_each_row_once(spark, isolated_config, overlapping_batches, succeeded)


# --- a crash between the commits of one incremental run -----------------------------------


class Crash(Exception):
    """Stands in for the process dying between two commits of one job."""


@pytest.mark.slow
def test_features_increment_interrupted_after_its_first_commit_is_completed_by_the_rerun(
    spark: SparkSession,
    isolated_config: Config,
    make_context: Callable[..., JobContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config, run_date = isolated_config, date(2026, 6, 1)
    start = datetime(2026, 1, 1, 10)
    roles = ("data_engineer", "ml_engineer")
    rows = [
        posting(
            f"p{i}",
            start + timedelta(days=9 * i),
            role_id=roles[i % 2],
            skills=["python", "sql"] if i % 2 else ["spark"],
            salary_mid_annual_usd=100_000.0 + 1_000 * i,
        )
        for i in range(6)
    ]
    delta.merge_into(spark, config, silver.POSTINGS, postings_df(spark, rows))
    hop = transition("doc0", 0, "data_engineer", "ml_engineer", "thread")
    delta.merge_into(spark, config, silver.CAREER_TRANSITIONS, transitions_df(spark, [hop]))
    build_features(make_context(config, run_date=run_date))
    role_table = delta.full_name(config, features.ROLE_FEATURES)
    old_last = spark.table(role_table).agg(F.max("as_of_date")).first()[0]

    # The next day's increment: one new posting, and the run dies right after its first commit.
    new = posting(
        "p99", datetime.combine(old_last + timedelta(days=10), datetime.min.time()), role_id="ml_engineer"
    )
    delta.merge_into(spark, config, silver.POSTINGS, postings_df(spark, [new]))
    writes = []
    write_validated = gate.write_validated

    def dying_write(ctx: JobContext, table: Table, *args: Any, **kwargs: Any) -> int:
        if writes:
            raise Crash(f"killed before writing {table.id}")
        writes.append(table.id)
        return write_validated(ctx, table, *args, **kwargs)

    monkeypatch.setattr(gate, "write_validated", dying_write)
    with pytest.raises(Crash):
        build_features(make_context(config, run_date=run_date))
    monkeypatch.undo()
    assert len(writes) == 1

    build_features(make_context(config, run_date=run_date))
    assert spark.table(role_table).agg(F.max("as_of_date")).first()[0] == new["posted_at"].date()
    # A full recompute finds nothing to change: the rerun finished what the crash left undone.
    check = make_context(config, run_date=run_date)
    check.full_refresh = True
    build_features(check)
    assert {s.table: s.rows_written for s in check.report.steps} == dict.fromkeys(
        (t.id for t in features.TABLES), 0
    )
