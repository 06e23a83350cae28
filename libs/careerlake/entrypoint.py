"""Shared entry point of every job: argument parsing, session, run, summary, exit code.

`jobs/<job>.py`, `careerlake run` and Databricks tasks all come through `main()`, so a job
behaves the same under spark-submit, the CLI and a workflow.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pyspark.errors import PySparkException
from rich.table import Table as RichTable

from careerlake.pipeline import get_job
from careerlake.quality.gate import check_batch
from careerlake.reference.taxonomy import DATA_DIR as REFERENCE_DATA
from careerlake.registry import get_table
from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime.arguments import add_run_arguments, load_config_from_args
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext, RunReport, StepResult, console, new_run_id
from careerlake.runtime.delta import full_name
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.fingerprint import (
    changed_inputs,
    input_fingerprint,
    save_fingerprint,
    unchanged_since_last_success,
)
from careerlake.runtime.session import get_spark, use_compiled_plans, use_compiled_plans_from


def job_argument_parser(job: str) -> argparse.ArgumentParser:
    """The parser of `jobs/<job>.py`; the bundle tests parse every task's parameters with it."""
    parser = argparse.ArgumentParser(prog=f"jobs/{job}.py", description=f"CareerLake job {job}")
    add_run_arguments(parser)
    return parser


def run_jobs(
    config: Config,
    jobs: Sequence[str],
    args: argparse.Namespace,
    before_job: Callable[[str], None] | None = None,
) -> RunReport:
    """Run jobs in order in one session; record every step in ops.job_runs. `before_job` gets each
    job's name before the job starts, when Spark is idle between two jobs (the e2e tests copy the
    lakehouse there: what a crash at that point would leave)."""
    specs = [get_job(name) for name in jobs]
    spark = get_spark(config, app_name=f"careerlake:{','.join(jobs)}")
    report = RunReport(run_id=args.run_id or new_run_id())
    run_date = args.run_date or datetime.now(UTC).date()
    try:
        for spec in specs:
            if before_job is not None:
                before_job(spec.name)
            console.rule(f"[bold]{spec.name}[/] — {spec.description}")
            use_compiled_plans(spark, config, False)
            ctx = JobContext(
                spark,
                config,
                spec.name,
                report.run_id,
                run_date,
                report,
                check_batch,
                full_refresh=args.full_refresh,
                reads=spec.reads,
            )
            if not spec.derived:
                _run_job(spec.load(), ctx)
                continue
            # Silver matching reads the packaged taxonomies and FX rates directly, not only the
            # reference tables: a change of those files must re-run the derived jobs too.
            fingerprint = input_fingerprint(
                spark, config, spec.reads, run_date if spec.uses_run_date else None, REFERENCE_DATA
            )
            if not args.full_refresh:
                if unchanged_since_last_success(spark, config, spec.name, spec.writes, fingerprint):
                    console.print(
                        f"[dim]{spec.name}: inputs unchanged since its last successful run, skipped[/]"
                    )
                    report.steps.append(StepResult(spec.name, "-", status="skipped"))
                    continue
                ctx.changed_inputs = changed_inputs(config, spec.name, fingerprint)
            if spec.compiled_plans_from is not None:
                table, rows = spec.compiled_plans_from
                use_compiled_plans_from(spark, config, full_name(config, get_table(table)), rows)
            _run_job(spec.load(), ctx)
            save_fingerprint(config, spec.name, fingerprint)
    finally:
        # Back to the session's default for whatever the session runs next.
        use_compiled_plans(spark, config, False)
        report.record(JOB_RUNS, job_run_rows(report))
        report.finish(spark, config)
    return report


def _run_job(job: Callable[[JobContext], None], ctx: JobContext) -> None:
    """Run one job, then what it queued for its end (even when it failed: those checks ran)."""
    try:
        job(ctx)
    finally:
        ctx.report.end_job()


def job_run_rows(report: RunReport) -> list[tuple]:
    """One ops.job_runs row per step of the run."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return [
        (
            report.run_id,
            s.job,
            s.table,
            s.rows_read,
            s.rows_written,
            s.rows_quarantined,
            float(s.seconds),
            s.status,
            s.message,
            now,
        )
        for s in report.steps
    ]


STATUS_MARKS = {"succeeded": "[green]ok[/]", "skipped": "[dim]skipped[/]", "failed": "[red]failed[/]"}


def print_summary(report: RunReport) -> None:
    table = RichTable(title=f"run {report.run_id}", show_lines=False)
    for header in ("job", "table", "read", "written", "quarantined", "seconds", "status"):
        table.add_column(
            header, justify="right" if header in {"read", "written", "quarantined", "seconds"} else "left"
        )
    for s in report.steps:
        table.add_row(
            s.job,
            s.table,
            f"{s.rows_read:,}",
            f"{s.rows_written:,}",
            f"{s.rows_quarantined:,}",
            f"{s.seconds:.1f}",
            STATUS_MARKS.get(s.status, s.status),
        )
    total = sum(s.seconds for s in report.steps)
    table.add_row("total", "", "", "", "", f"{total:.1f}", "")
    console.print(table)


def guarded(action: Callable[[], None]) -> int:
    """Run `action()`; operator errors and Spark analysis errors become one line and an exit code."""
    try:
        action()
    except CareerLakeError as exc:
        # soft_wrap: one line however narrow the terminal or log, so it greps as one.
        console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        return exc.exit_code
    except PySparkException as exc:
        console.print(f"[bold red]error:[/] {str(exc).splitlines()[0]}", soft_wrap=True)
        return 1
    return 0


def main(job: str, argv: Sequence[str] | None = None) -> int:
    """Entry point of `jobs/<job>.py`."""
    args = job_argument_parser(job).parse_args(argv)

    def action() -> None:
        print_summary(run_jobs(load_config_from_args(args), [job], args))

    return guarded(action)
