"""`careerlake ops run|runs|grant|upload|feature-tables`: operate the deployed bundle from a terminal."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table as RichTable

from careerlake.ops import DAILY_JOB, DEFAULT_ANALYSTS_GROUP
from careerlake.runtime.config import load_config
from careerlake.runtime.context import console

if TYPE_CHECKING:
    from databricks.sdk import WorkspaceClient
    from databricks.sdk.service.jobs import Run

# databricks-sdk takes seconds to import: handlers import careerlake.ops.workspace only when an
# ops command runs, so every other `careerlake` command starts without it.

WORKSPACE_ENVS = ("dev", "staging", "prod")


def _client(args: argparse.Namespace) -> WorkspaceClient:
    from careerlake.ops import workspace as ws

    return ws.workspace_client(args.host, args.token)


def _job_id(w: WorkspaceClient, args: argparse.Namespace) -> int:
    from careerlake.ops import workspace as ws

    return args.job_id if args.job_id is not None else ws.find_job_id(w, args.job_name)


def _show_failures(w: WorkspaceClient, run: Run) -> bool:
    """Print every failing task's error (runs/get-output); False when no task reports one."""
    from careerlake.ops import workspace as ws

    failures = ws.failed_tasks(w, run)
    for failure in failures:
        console.print(f"[bold red]task {failure.task_key} {failure.state}:[/] {failure.error}")
        last_trace_line = failure.trace.rstrip().splitlines()[-1] if failure.trace else ""
        if last_trace_line and last_trace_line != failure.error:
            console.print(last_trace_line, style="dim", markup=False)
    return bool(failures)


def _run(args: argparse.Namespace) -> None:
    from careerlake.ops import workspace as ws

    w = _client(args)
    job_id = _job_id(w, args)
    run_id = ws.start_run(w, job_id, args.run_date)
    console.print(f"started run {run_id} of job {job_id}")
    if not args.wait:
        return
    seen: dict[str, str] = {}
    with console.status(f"run {run_id}: waiting") as status:

        def on_update(run: Run) -> None:
            states = ws.task_states(run)
            for task, state in states.items():
                if seen.get(task) != state:
                    console.print(f"  {task:24} {state}")
                    seen[task] = state
            done = sum(1 for s in states.values() if s not in {"PENDING", "QUEUED", "BLOCKED", "RUNNING"})
            life = run.state.life_cycle_state.value if run.state and run.state.life_cycle_state else "PENDING"
            status.update(f"run {run_id}: {life} ({done}/{len(states)} tasks finished)")

        run = ws.wait_for_run(w, run_id, on_update=on_update, poll_seconds=args.poll_seconds)
    if ws.run_succeeded(run):
        console.print(f"[green]run {run_id} succeeded[/] {run.run_page_url or ''}")
        return
    result = run.state.result_state.value if run.state and run.state.result_state else "did not succeed"
    message = "" if _show_failures(w, run) else (run.state.state_message if run.state else None) or ""
    raise ws.WorkspaceError(f"run {run_id} {result} {message}".rstrip())


def _millis(value: int | None) -> str:
    if not value:
        return ""
    return datetime.fromtimestamp(value / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def _runs(args: argparse.Namespace) -> None:
    from careerlake.ops import workspace as ws

    w = _client(args)
    table = RichTable("run id", "started (UTC)", "state", "result", "minutes", title=args.job_name)
    for run in ws.recent_runs(w, _job_id(w, args), args.limit):
        state = run.state
        minutes = f"{(run.run_duration or 0) / 60000:.1f}" if run.run_duration else ""
        table.add_row(
            str(run.run_id),
            _millis(run.start_time),
            state.life_cycle_state.value if state and state.life_cycle_state else "",
            state.result_state.value if state and state.result_state else "",
            minutes,
        )
    console.print(table)
    # The tasks record quality results under the workflow's run id (--run-id {{job.run_id}}).
    console.print("quality results of a run: careerlake quality report --run-id <run id>")


def _grant(args: argparse.Namespace) -> None:
    from careerlake.ops import workspace as ws

    config = load_config(args.env, schema_prefix=args.schema_prefix)
    applied = ws.grant_analysts(_client(args), config, args.group)
    for schema, assignments in applied.items():
        for assignment in assignments:
            privileges = ", ".join(p.value for p in assignment.privileges or [])
            console.print(f"{schema}: {assignment.principal} has {privileges}")


def _upload(args: argparse.Namespace) -> None:
    from careerlake.ops import workspace as ws

    config = load_config(args.env, schema_prefix=args.schema_prefix)
    uploaded = ws.upload_landing(
        _client(args), Path(args.landing_dir), config, on_file=lambda p: console.print(f"  {p}")
    )
    console.print(f"uploaded {len(uploaded)} file(s) to {config.landing}")


def _feature_tables(args: argparse.Namespace) -> None:
    from careerlake.ops import workspace as ws
    from careerlake.registry import features
    from careerlake.runtime.feature_store import feature_table_problems

    config = load_config(args.env, schema_prefix=args.schema_prefix)
    problems = feature_table_problems(_client(args), config)
    if problems:
        raise ws.WorkspaceError("feature tables do not match the registry:\n  " + "\n  ".join(problems))
    console.print(
        f"{len(features.TABLES)} feature tables in {config.catalog}.{config.schemas.features} "
        "have their primary and TIMESERIES keys and columns"
    )


def _guard_api(handler: Callable[[argparse.Namespace], None]) -> Callable[[argparse.Namespace], None]:
    """REST errors become one WorkspaceError line instead of a stack trace."""

    def wrapped(args: argparse.Namespace) -> None:
        from databricks.sdk.errors import DatabricksError

        from careerlake.ops import workspace as ws

        try:
            handler(args)
        except DatabricksError as exc:
            raise ws.WorkspaceError(f"Databricks API: {str(exc).splitlines()[0]}") from None

    return wrapped


def _connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="workspace URL (default: $DATABRICKS_HOST or the SDK's profile)")
    parser.add_argument("--token", help="personal access token (default: $DATABRICKS_TOKEN or the profile)")


def _job_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job-name", default=DAILY_JOB, help=f"bundle job name (default: {DAILY_JOB})")
    parser.add_argument("--job-id", type=int, help="job id, instead of looking the name up")


def _env_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env", choices=WORKSPACE_ENVS, default="dev", help="bundle target whose conf to use (default: dev)"
    )
    parser.add_argument(
        "--schema-prefix",
        help="the dev_<user>_ a development-mode deploy puts before schema names (bundle var job_schema_prefix)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    ops = subparsers.add_parser("ops", help="operate the deployed Databricks bundle (databricks-sdk)")
    sub = ops.add_subparsers(dest="ops_command", required=True)

    run = sub.add_parser("run", help="trigger the workflow (run-now); --wait follows it task by task")
    _connection_arguments(run)
    _job_arguments(run)
    run.add_argument("--run-date", type=date.fromisoformat, help="run_date job parameter (YYYY-MM-DD)")
    run.add_argument("--wait", action="store_true", help="wait for the run, printing every task's state")
    run.add_argument("--poll-seconds", type=float, default=10.0, help=argparse.SUPPRESS)
    run.set_defaults(handler=_guard_api(_run))

    runs = sub.add_parser("runs", help="list recent runs of the workflow")
    _connection_arguments(runs)
    _job_arguments(runs)
    runs.add_argument("--limit", type=int, default=10, help="how many runs (default: 10)")
    runs.set_defaults(handler=_guard_api(_runs))

    grant = sub.add_parser("grant", help="grant analysts USE_SCHEMA + SELECT on the gold schema")
    _connection_arguments(grant)
    _env_argument(grant)
    grant.add_argument(
        "--group", default=DEFAULT_ANALYSTS_GROUP, help="analysts group (bundle var analysts_group)"
    )
    grant.set_defaults(handler=_guard_api(_grant))

    upload = sub.add_parser("upload", help="upload a local landing folder to the landing volume (Files API)")
    upload.add_argument("landing_dir", help="local folder holding postings/<format>/ and career_docs/")
    _connection_arguments(upload)
    _env_argument(upload)
    upload.set_defaults(handler=_guard_api(_upload))

    feature_tables = sub.add_parser(
        "feature-tables", help="check the UC feature tables' primary and TIMESERIES keys against the registry"
    )
    _connection_arguments(feature_tables)
    _env_argument(feature_tables)
    feature_tables.set_defaults(handler=_guard_api(_feature_tables))
