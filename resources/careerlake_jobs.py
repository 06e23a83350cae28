"""The bundle's workflows, generated from the one pipeline definition (`careerlake.pipeline.JOBS`).

Each in-pipeline job becomes a task that runs its `jobs/<job>.py` entry point, depends on the
jobs that write a table it reads (`upstream_jobs`), and takes its retries and timeout from its
`JobSpec`; a new job in `JOBS` needs no bundle edit. Job names, keys, task keys and parameters
are a contract (`careerlake ops run` uses them).

- `careerlake_daily`: the daily DAG on serverless compute (environment 4 = DBR 17.3 LTS).
- `careerlake_daily_cluster`: the same DAG on an autoscaling job cluster; its schedule stays
  paused, unpause it or `careerlake_daily`, not both.
- `careerlake_backfill`: on demand, every derived job downstream of bronze with `--full-refresh`
  as of `end_date`.

Every job allows one run at a time and queues the next. The daily job and the backfill write the
same tables; docs/deploy.md says how they are kept apart.
"""

from __future__ import annotations

from typing import Any

from databricks.bundles.jobs import Job

from careerlake.pipeline import JOBS, JobSpec, pipeline_order, upstream_jobs

DAILY = "careerlake_daily"
DAILY_CLUSTER = "careerlake_daily_cluster"
BACKFILL = "careerlake_backfill"

WHEEL = "dist/*.whl"
SERVERLESS_ENVIRONMENT_VERSION = "4"  # Python 3.12, Spark 4.0 (Databricks Runtime 17.3 LTS)
RETRY_INTERVAL_MILLIS = 5 * 60 * 1000
DAILY_SCHEDULE = "0 30 5 * * ?"
# A backfill reprocesses every upstream row, so its tasks may run this many times longer.
BACKFILL_TIMEOUT_FACTOR = 4


def daily_jobs() -> list[JobSpec]:
    """The jobs of the daily DAG, in an order where each comes after its upstream jobs."""
    return [JOBS[name] for name in pipeline_order()]


def backfill_jobs() -> list[JobSpec]:
    """Derived jobs that read tables: everything a full refresh rebuilds from bronze."""
    return [spec for spec in daily_jobs() if spec.derived and spec.reads]


def task_parameters(run_date_parameter: str, *, full_refresh: bool = False) -> list[str]:
    """Arguments of every jobs/<job>.py task: the job parser's flags, filled from job parameters."""
    parameters = [
        "--env",
        "{{job.parameters.env}}",
        "--schema-prefix",
        "${var.job_schema_prefix}",
        "--run-date",
        f"{{{{job.parameters.{run_date_parameter}}}}}",
        "--run-id",
        "{{job.run_id}}",
    ]
    return [*parameters, "--full-refresh"] if full_refresh else parameters


def task(
    spec: JobSpec,
    among: list[JobSpec],
    compute: dict[str, Any],
    parameters: list[str],
    timeout_factor: int = 1,
) -> dict[str, Any]:
    """One task of a job; it depends on the tasks among `among` that write what it reads."""
    keys = {other.name for other in among}
    return {
        "task_key": spec.name,
        "depends_on": [{"task_key": name} for name in upstream_jobs(spec) if name in keys],
        **compute,
        "timeout_seconds": spec.timeout_seconds * timeout_factor,
        "max_retries": spec.max_retries,
        "min_retry_interval_millis": RETRY_INTERVAL_MILLIS,
        "retry_on_timeout": True,
        "spark_python_task": {"python_file": f"jobs/{spec.name}.py", "parameters": parameters},
    }


def operations(duration_warning_seconds: int, timeout_seconds: int) -> dict[str, Any]:
    """One run at a time (the next queues), a duration rule that e-mails, a hard timeout."""
    return {
        "max_concurrent_runs": 1,
        "queue": {"enabled": True},
        "health": {
            "rules": [
                {"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": duration_warning_seconds}
            ]
        },
        "email_notifications": {
            "on_failure": "${var.notification_emails}",
            "on_duration_warning_threshold_exceeded": "${var.notification_emails}",
        },
        "timeout_seconds": timeout_seconds,
    }


def env_parameter() -> dict[str, str]:
    return {"name": "env", "default": "${bundle.target}"}


def schedule(pause_status: str | None = None) -> dict[str, str]:
    """The daily schedule; without a pause status the target's preset decides (dev pauses)."""
    status = {"pause_status": pause_status} if pause_status else {}
    return {"quartz_cron_expression": DAILY_SCHEDULE, "timezone_id": "${var.timezone}", **status}


SERVERLESS_ENVIRONMENT = {
    "environment_key": "careerlake",
    "spec": {"environment_version": SERVERLESS_ENVIRONMENT_VERSION, "dependencies": [WHEEL]},
}


def daily_job() -> Job:
    specs = daily_jobs()
    compute = {"environment_key": "careerlake"}
    parameters = task_parameters("run_date")
    return Job.from_dict(
        {
            "name": DAILY,
            "description": "Landing files -> bronze -> silver -> gold -> features, quality-gated, once a day.",
            # Paused in dev (development mode), running in staging and prod (their presets).
            "schedule": schedule(),
            **operations(duration_warning_seconds=7200, timeout_seconds=14400),
            "parameters": [env_parameter(), {"name": "run_date", "default": "{{job.start_time.iso_date}}"}],
            "environments": [SERVERLESS_ENVIRONMENT],
            "tasks": [task(spec, specs, compute, parameters) for spec in specs],
        }
    )


def daily_cluster_job() -> Job:
    specs = daily_jobs()
    compute = {"job_cluster_key": "careerlake", "libraries": [{"whl": WHEEL}]}
    parameters = task_parameters("run_date")
    return Job.from_dict(
        {
            "name": DAILY_CLUSTER,
            "description": "The daily workflow on a classic job cluster (DBR 17.3 LTS).",
            "schedule": schedule("PAUSED"),
            **operations(duration_warning_seconds=7200, timeout_seconds=14400),
            "parameters": [env_parameter(), {"name": "run_date", "default": "{{job.start_time.iso_date}}"}],
            "job_clusters": [
                {
                    "job_cluster_key": "careerlake",
                    "new_cluster": {
                        "spark_version": "${var.spark_version}",
                        "node_type_id": "${var.node_type}",
                        "autoscale": {"min_workers": 1, "max_workers": "${var.max_workers}"},
                        # Dedicated (single-user) access mode: runs as the job's run_as identity.
                        "kind": "CLASSIC_PREVIEW",
                        "data_security_mode": "DATA_SECURITY_MODE_DEDICATED",
                        "spark_env_vars": {
                            "CAREERLAKE_PSEUDONYM_KEY": "{{secrets/${var.secret_scope}/pseudonymization-key}}"
                        },
                    },
                }
            ],
            "tasks": [task(spec, specs, compute, parameters) for spec in specs],
        }
    )


def backfill_job() -> Job:
    specs = backfill_jobs()
    compute = {"environment_key": "careerlake"}
    parameters = task_parameters("end_date", full_refresh=True)
    return Job.from_dict(
        {
            "name": BACKFILL,
            "description": (
                "Rebuild silver, gold and features with --full-refresh from every bronze row up to "
                "end_date, which is passed as the run date."
            ),
            **operations(duration_warning_seconds=21600, timeout_seconds=43200),
            "parameters": [env_parameter(), {"name": "end_date", "default": "{{job.start_time.iso_date}}"}],
            "environments": [SERVERLESS_ENVIRONMENT],
            "tasks": [
                task(spec, specs, compute, parameters, timeout_factor=BACKFILL_TIMEOUT_FACTOR)
                for spec in specs
            ],
        }
    )


def pipeline_jobs() -> dict[str, Job]:
    """Resource key -> job; the keys are also the job names."""
    return {DAILY: daily_job(), DAILY_CLUSTER: daily_cluster_job(), BACKFILL: backfill_job()}
