"""Fault tests on one table or job: two writers MERGEing into one Delta table at once leave
every row exactly once, and an interrupted incremental features run is completed by its rerun.

Jobs killed with SIGKILL mid-write are tested end to end in tests/e2e/test_pipeline.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.features.job import build_features
from careerlake.quality.gate import check_batch
from careerlake.registry import Table, features, silver
from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import Config
from careerlake.runtime.context import Gated, JobContext
from careerlake.runtime.errors import WriteConflictError
from careerlake.runtime.local_rows import rows_frame
from features_data import posting, postings_df, transition, transitions_df


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
    frames = {w: rows_frame(spark, rows, JOB_RUNS.schema) for w, rows in batches.items()}
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


def test_features_increment_interrupted_after_its_first_commit_is_completed_by_the_rerun(
    spark: SparkSession,
    isolated_config: Config,
    make_context: Callable[..., JobContext],
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

    def dying_gate(ctx: JobContext, table: Table, batch: DataFrame) -> Gated:
        if writes:
            raise Crash(f"killed before writing {table.id}")
        writes.append(table.id)
        return check_batch(ctx, table, batch)

    dying = make_context(config, run_date=run_date)
    dying.gate = dying_gate
    with pytest.raises(Crash):
        build_features(dying)
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
