"""Check results: one shape for both engines, recorded in ops.quality_results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from careerlake.registry.ops import QUALITY_RESULTS
from careerlake.runtime.context import JobContext, console
from careerlake.runtime.errors import QualityBreachError

MAX_OBSERVED_CHARS = 1000


@dataclass(frozen=True)
class CheckResult:
    table: str
    expectation: str
    severity: str
    success: bool
    observed_value: str | None
    failing_count: int | None

    @property
    def breach(self) -> bool:
        return not self.success and self.severity == "critical"


def record_results(ctx: JobContext, results: list[CheckResult]) -> None:
    """Queue the results for ops.quality_results (keyed by run, table and expectation).

    The run MERGEs them once when it ends, failed or not, so a breach is on record too.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    ctx.report.record(
        QUALITY_RESULTS,
        [
            (
                ctx.run_id,
                ctx.job,
                r.table,
                r.expectation,
                r.severity,
                r.success,
                None if r.observed_value is None else r.observed_value[:MAX_OBSERVED_CHARS],
                r.failing_count,
                now,
            )
            for r in results
        ],
    )


def breach_message(table_id: str, breaches: list[CheckResult]) -> str:
    first = breaches[0]
    count = "?" if first.failing_count is None else f"{first.failing_count:,}"
    more = f" (and {len(breaches) - 1} more critical failure(s))" if len(breaches) > 1 else ""
    return (
        f"{table_id}: critical expectation {first.expectation} failed for {count} row(s){more}; "
        "nothing written"
    )


def enforce(ctx: JobContext, table_id: str, results: list[CheckResult]) -> None:
    """Record, report warnings, and raise on a critical failure (unless fail_on_critical is off)."""
    record_results(ctx, results)
    for r in results:
        if not r.success:
            count = "" if r.failing_count is None else f" for {r.failing_count:,} row(s)"
            console.print(
                f"  [yellow]![/] {table_id}: {r.severity} expectation {r.expectation} failed{count}"
            )
    breaches = [r for r in results if r.breach]
    if breaches and ctx.config.quality.fail_on_critical:
        raise QualityBreachError(breach_message(table_id, breaches))
