"""What a running job gets: session, config, run id and date, and a report of its steps."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pyspark.sql import SparkSession
from rich.console import Console

from careerlake.registry import Table
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name

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
    run_id: str
    steps: list[StepResult] = field(default_factory=list)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


@dataclass
class JobContext:
    spark: SparkSession
    config: Config
    job: str
    run_id: str
    run_date: date
    report: RunReport
    full_refresh: bool = False

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
