"""Workspace operations on the deployed bundle, over the Databricks REST API (databricks-sdk).

Functions take a `WorkspaceClient` so the CLI, notebooks and tests share them; the tests
point a real client at a local HTTP server that speaks the few endpoints used here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.catalog import PermissionsChange, Privilege, PrivilegeAssignment
from databricks.sdk.service.jobs import BaseRun, Run, RunLifeCycleState, RunResultState

from careerlake.ops import DEFAULT_ANALYSTS_GROUP
from careerlake.runtime.config import Config
from careerlake.runtime.errors import CareerLakeError

# Layer -> privileges its schema grants to analysts; bronze, silver, features and ops stay private.
ANALYST_GRANTS: dict[str, tuple[Privilege, ...]] = {"gold": (Privilege.USE_SCHEMA, Privilege.SELECT)}
TERMINAL_STATES = frozenset(
    {RunLifeCycleState.TERMINATED, RunLifeCycleState.SKIPPED, RunLifeCycleState.INTERNAL_ERROR}
)


class WorkspaceError(CareerLakeError):
    """The workspace refused a request, or a job or run is not what the command needs."""


@dataclass(frozen=True)
class TaskFailure:
    task_key: str
    state: str
    error: str
    trace: str | None


def workspace_client(host: str | None = None, token: str | None = None) -> WorkspaceClient:
    """A client from --host/--token, else the SDK's usual sources (DATABRICKS_* variables, profiles)."""
    try:
        return WorkspaceClient(host=host, token=token)
    except ValueError as exc:
        raise WorkspaceError(f"cannot configure a Databricks client: {str(exc).splitlines()[0]}") from None


def find_job_id(w: WorkspaceClient, job_name: str) -> int:
    """The id of the bundle job `job_name`; development mode prefixes it with `[dev <user>] `."""
    exact = [j for j in w.jobs.list(name=job_name) if j.settings and j.settings.name == job_name]
    matches = exact or [
        j for j in w.jobs.list() if j.settings and (j.settings.name or "").endswith(f"] {job_name}")
    ]
    if not matches:
        raise WorkspaceError(f"no job named '{job_name}': deploy the bundle first (databricks bundle deploy)")
    if len(matches) > 1:
        names = ", ".join(f"{j.settings.name} ({j.job_id})" for j in matches if j.settings)
        raise WorkspaceError(f"several jobs match '{job_name}': {names}; pass --job-id")
    job_id = matches[0].job_id
    if job_id is None:
        raise WorkspaceError(f"job '{job_name}' has no id")
    return job_id


def start_run(w: WorkspaceClient, job_id: int, run_date: date | None = None) -> int:
    """Trigger run-now; an explicit run date overrides the job's run_date parameter."""
    parameters = {"run_date": run_date.isoformat()} if run_date else None
    response = w.jobs.run_now(job_id, job_parameters=parameters).response
    if response is None or response.run_id is None:
        raise WorkspaceError(f"run-now of job {job_id} returned no run id")
    return response.run_id


def wait_for_run(
    w: WorkspaceClient,
    run_id: int,
    *,
    on_update: Callable[[Run], None] = lambda _: None,
    poll_seconds: float = 10.0,
    timeout_seconds: float = 6 * 3600,
) -> Run:
    """Poll runs/get until the run reaches a terminal state, calling `on_update` on every poll."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        run = w.jobs.get_run(run_id)
        on_update(run)
        if run.state and run.state.life_cycle_state in TERMINAL_STATES:
            return run
        if time.monotonic() > deadline:
            raise WorkspaceError(f"run {run_id} still not finished after {timeout_seconds:.0f}s")
        time.sleep(poll_seconds)


def run_succeeded(run: Run) -> bool:
    return bool(run.state and run.state.result_state == RunResultState.SUCCESS)


def task_states(run: Run) -> dict[str, str]:
    """task_key -> the task's lifecycle state, or its result once it has one."""
    states: dict[str, str] = {}
    for task in run.tasks or []:
        state = task.state
        if state is None:
            states[task.task_key] = "PENDING"
        elif state.result_state is not None:
            states[task.task_key] = state.result_state.value
        else:
            states[task.task_key] = state.life_cycle_state.value if state.life_cycle_state else "PENDING"
    return states


def failed_tasks(w: WorkspaceClient, run: Run) -> list[TaskFailure]:
    """Every task that did not succeed, with the error its runs/get-output reports."""
    failures = []
    ok = {RunResultState.SUCCESS, RunResultState.EXCLUDED, RunResultState.SUCCESS_WITH_FAILURES}
    for task in run.tasks or []:
        result = task.state.result_state if task.state else None
        if result is None or result in ok or result.value.startswith("UPSTREAM_"):
            continue
        error = (task.state.state_message if task.state else None) or result.value
        trace = None
        if task.run_id is not None:
            output = w.jobs.get_run_output(task.run_id)
            error, trace = output.error or error, output.error_trace
        failures.append(TaskFailure(task.task_key, result.value, error, trace))
    return failures


def recent_runs(w: WorkspaceClient, job_id: int, limit: int) -> list[BaseRun]:
    """The newest `limit` runs of a job, newest first."""
    runs: Iterator[BaseRun] = w.jobs.list_runs(job_id=job_id, limit=min(max(limit, 1), 25))
    return list(islice(runs, limit))


def grant_analysts(
    w: WorkspaceClient, config: Config, group: str = DEFAULT_ANALYSTS_GROUP
) -> dict[str, list[PrivilegeAssignment]]:
    """USE_CATALOG on the catalog and ANALYST_GRANTS on their layer schemas; returns the schemas' grants."""
    if not config.catalog:
        raise WorkspaceError(
            f"environment '{config.env}' has no Unity Catalog catalog: use --env dev|staging|prod"
        )
    w.grants.update(
        "catalog",
        config.catalog,
        changes=[PermissionsChange(principal=group, add=[Privilege.USE_CATALOG])],
    )
    applied: dict[str, list[PrivilegeAssignment]] = {}
    for layer, privileges in ANALYST_GRANTS.items():
        schema = config.schema_for(layer)
        response = w.grants.update(
            "schema", schema, changes=[PermissionsChange(principal=group, add=list(privileges))]
        )
        applied[schema] = response.privilege_assignments or []
    return applied


def landing_files(local_dir: Path) -> list[Path]:
    """Files under a landing folder, relative to it; hidden files (.DS_Store, .crc) stay home."""
    if not local_dir.is_dir():
        raise WorkspaceError(f"{local_dir}: landing folder not found")
    return sorted(
        p.relative_to(local_dir)
        for p in local_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(local_dir).parts)
    )


def upload_landing(
    w: WorkspaceClient,
    local_dir: Path,
    config: Config,
    *,
    on_file: Callable[[str], None] = lambda _: None,
) -> list[str]:
    """Copy a local landing folder to the environment's landing volume, keeping relative paths."""
    target = config.landing.rstrip("/")
    if not target.startswith("/Volumes/"):
        raise WorkspaceError(
            f"landing of '{config.env}' is {target}, not a UC volume: use --env dev|staging|prod"
        )
    uploaded = []
    for relative in landing_files(local_dir):
        remote = f"{target}/{relative.as_posix()}"
        with (local_dir / relative).open("rb") as fh:
            w.files.upload(remote, fh, overwrite=True, use_parallel=False)
        on_file(remote)
        uploaded.append(remote)
    return uploaded
