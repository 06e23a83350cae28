"""What a running job gets: session, config, run id and date, its declared inputs, the gate its
writes pass, and a report of its steps."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from rich.console import Console

from careerlake.registry import Table
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name, merge_into
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.platform import Platform

console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 140)


@dataclass
class StepResult:
    job: str
    table: str
    rows_read: int = 0
    rows_written: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    status: str = "succeeded"
    message: str | None = None


@dataclass
class RunReport:
    """Steps of one run, plus the ops rows and actions batched until the run ends.

    Ops tables get one MERGE per run instead of one per write: a local Delta commit costs
    seconds, and a run makes dozens of writes.
    """

    run_id: str
    steps: list[StepResult] = field(default_factory=list)
    pending_rows: dict[str, tuple[Table, list[tuple]]] = field(default_factory=dict)
    finish_actions: dict[str, Callable[[], None]] = field(default_factory=dict)
    job_end_items: dict[str, tuple[Callable[[list[Any]], None], list[Any]]] = field(default_factory=dict)

    def record(self, table: Table, rows: list[tuple]) -> None:
        """Queue rows for an ops table; `finish` MERGEs them."""
        if rows:
            self.pending_rows.setdefault(table.id, (table, []))[1].extend(rows)

    def at_finish(self, key: str, action: Callable[[], None]) -> None:
        """Run `action` once when the run ends (e.g. build the Data Docs once)."""
        self.finish_actions.setdefault(key, action)

    def collect_until_job_end(self, key: str, item: Any, action: Callable[[list[Any]], None]) -> None:
        """Gather `item` under `key`; when the job ends, `action` gets every item of the key."""
        self.job_end_items.setdefault(key, (action, []))[1].append(item)

    def end_job(self) -> None:
        """Run the job-end actions (e.g. one GX validation per table written), the last gathered
        first: what a key gathered early (frames staged for the job) outlives what later keys use
        it for (their validation); safe to repeat."""
        pending, self.job_end_items = self.job_end_items, {}
        for action, items in reversed(pending.values()):
            action(items)

    def finish(self, spark: SparkSession, config: Config) -> None:
        """End the job, MERGE the queued ops rows and run the finish actions; safe to repeat."""
        self.end_job()
        pending, self.pending_rows = self.pending_rows, {}
        actions, self.finish_actions = self.finish_actions, {}
        for table, rows in pending.values():
            merge_into(spark, config, table, rows_frame(spark, rows, table.schema))
        for action in actions.values():
            action()


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


@dataclass(frozen=True)
class Gated:
    """A batch as the gate computed it for its checks, and its row count: the write needs no
    other pass to tell an empty batch or to count a new table's first rows."""

    batch: DataFrame
    rows: int


# Checks a batch before it is written: returns the batch as computed for the checks, raises on
# a critical breach. The entry point passes the quality gate (the runtime does not import it).
Gate = Callable[["JobContext", Table, DataFrame], Gated]


@dataclass
class JobContext:
    spark: SparkSession
    config: Config
    job: str
    run_id: str
    run_date: date
    report: RunReport
    gate: Gate
    full_refresh: bool = False
    # The input tables the job catalogue declares for this job (careerlake.pipeline).
    reads: tuple[str, ...] = ()
    # Inputs whose Delta version moved since this job's last success: table id -> (version then,
    # version now). None when a job must recompute everything: no last success, --full-refresh,
    # or the reference data or config changed (runtime.fingerprint.changed_inputs).
    changed_inputs: dict[str, tuple[int, int]] | None = None

    def finish(self) -> None:
        """Write what the run has queued (ops rows, Data Docs); `run_jobs` calls it at the end."""
        self.report.finish(self.spark, self.config)

    @property
    def platform(self) -> Platform:
        return Platform(self.spark, self.config, self.report)

    def name(self, table: Table) -> str:
        """Fully qualified name of a registry table in this environment."""
        return full_name(self.config, table)

    @contextmanager
    def step(self, table: Table | str) -> Iterator[StepResult]:
        """Time one step writing `table`; the caller fills in the row counts."""
        label = table if isinstance(table, str) else table.id
        result = StepResult(job=self.job, table=label)
        console.print(f"[bold cyan]▶[/] {self.job}: {label}")
        started = time.perf_counter()
        try:
            yield result
        except Exception as exc:
            result.status, result.message = (
                "failed",
                str(exc).splitlines()[0][:500] if str(exc) else type(exc).__name__,
            )
            raise
        finally:
            result.seconds = round(time.perf_counter() - started, 2)
            self.report.steps.append(result)
            mark = "[green]✓[/]" if result.status == "succeeded" else "[red]✗[/]"
            console.print(
                f"  {mark} {label}: read {result.rows_read:,}, written {result.rows_written:,}, "
                f"quarantined {result.rows_quarantined:,} in {result.seconds:.1f}s"
            )
