"""The asset bundle's own rules, without a workspace or Spark.

The CLI itself (schema, `validate --strict`, deploy to a stub workspace) runs in
`make bundle-check`; these tests pin what the CLI cannot know: the jobs generated from
`careerlake.pipeline.JOBS` have the task DAG, parameters and retries the pipeline implies,
every task's parameters parse with its job's own argument parser, and the Unity Catalog
objects are the ones `conf/<target>.yml` names.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from resources.careerlake_jobs import (
    BACKFILL,
    DAILY,
    DAILY_CLUSTER,
    RETRY_INTERVAL_MILLIS,
    SERVERLESS_ENVIRONMENT_VERSION,
    pipeline_jobs,
)

from careerlake.entrypoint import job_argument_parser
from careerlake.pipeline import JOBS, JobSpec
from careerlake.runtime.config import load_config

REPO = Path(__file__).resolve().parents[2]
BUNDLE = yaml.safe_load((REPO / "databricks.yml").read_text(encoding="utf-8"))
SCHEMAS_FILE = yaml.safe_load((REPO / "resources" / "careerlake.schemas.yml").read_text(encoding="utf-8"))
TARGETS = tuple(BUNDLE["targets"])
SAMPLE_RUN_DATE = "2026-11-01"
SAMPLE_RUN_ID = "4242"
SAMPLE_USER = "jane_doe"  # ${workspace.current_user.short_name} of whoever deploys

DAILY_DAG = {
    "fetch_postings": [],
    "load_reference": [],
    "ingest_postings": ["fetch_postings"],
    "ingest_career_docs": [],
    "silver_postings": ["fetch_postings", "load_reference", "ingest_postings"],
    "silver_career_docs": ["load_reference", "ingest_career_docs"],
    "gold": ["load_reference", "silver_postings", "silver_career_docs"],
    "features": ["silver_postings", "silver_career_docs", "gold"],
}
BACKFILL_DAG = {
    "silver_postings": [],
    "silver_career_docs": [],
    "gold": ["silver_postings", "silver_career_docs"],
    "features": ["silver_postings", "silver_career_docs", "gold"],
}


def _jobs() -> dict[str, dict[str, Any]]:
    return {key: job.as_dict() for key, job in pipeline_jobs().items()}


def _dag(job: dict[str, Any]) -> dict[str, list[str]]:
    return {t["task_key"]: [d["task_key"] for d in t.get("depends_on", [])] for t in job["tasks"]}


def _variables(target: str) -> dict[str, Any]:
    values = {k: v.get("default") for k, v in BUNDLE["variables"].items()}
    values |= BUNDLE["targets"][target].get("variables") or {}

    def resolve(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.replace("${workspace.current_user.short_name}", SAMPLE_USER)
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: resolve(values[m.group(1)]), value)

    return {name: resolve(value) for name, value in values.items()}


def test_generated_jobs_keep_their_names_and_keys() -> None:
    jobs = _jobs()
    assert list(jobs) == [DAILY, DAILY_CLUSTER, BACKFILL]
    assert {key: job["name"] for key, job in jobs.items()} == {key: key for key in jobs}


@pytest.mark.parametrize("job_key", [DAILY, DAILY_CLUSTER])
def test_daily_dag_is_the_one_pipeline_jobs_imply(job_key: str) -> None:
    assert _dag(_jobs()[job_key]) == DAILY_DAG


def test_backfill_rebuilds_everything_downstream_of_bronze_with_full_refresh() -> None:
    backfill = _jobs()[BACKFILL]
    assert _dag(backfill) == BACKFILL_DAG
    for task in backfill["tasks"]:
        assert task["spark_python_task"]["parameters"][-1] == "--full-refresh"
        assert task["timeout_seconds"] == 4 * JOBS[task["task_key"]].timeout_seconds


def test_every_task_retries_with_an_interval_and_a_timeout_from_its_job_spec() -> None:
    for job in _jobs().values():
        for task in job["tasks"]:
            spec = JOBS[task["task_key"]]
            assert task["max_retries"] == spec.max_retries >= 1, task["task_key"]
            assert task["min_retry_interval_millis"] == RETRY_INTERVAL_MILLIS
            assert task["retry_on_timeout"] is True
            assert task["timeout_seconds"] >= spec.timeout_seconds > 0
    assert JOBS["ingest_postings"].max_retries == JOBS["ingest_career_docs"].max_retries == 2


def test_a_new_pipeline_job_becomes_a_task_with_its_own_retries_and_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A job added to JOBS needs no bundle edit: its task, edges and retry policy follow."""
    monkeypatch.setitem(
        JOBS,
        "score_postings",
        JobSpec(
            "score_postings",
            "silver.postings -> a score",
            "careerlake.gold.job:build_gold",
            reads=("silver.postings",),
            writes=(),
            max_retries=5,
            timeout_seconds=600,
        ),
    )
    daily = _jobs()[DAILY]
    (task,) = [t for t in daily["tasks"] if t["task_key"] == "score_postings"]
    assert [d["task_key"] for d in task["depends_on"]] == ["silver_postings"]
    assert (task["max_retries"], task["timeout_seconds"]) == (5, 600)
    assert task["spark_python_task"]["python_file"] == "jobs/score_postings.py"


@pytest.mark.parametrize("job_key", [DAILY, DAILY_CLUSTER, BACKFILL])
@pytest.mark.parametrize("target", TARGETS)
def test_every_task_runs_a_job_entry_point_whose_parser_accepts_its_parameters(
    job_key: str, target: str
) -> None:
    job = _jobs()[job_key]
    defaults = {p["name"]: p["default"] for p in job["parameters"]}
    assert defaults["env"] == "${bundle.target}"
    variables = _variables(target)

    def fill(value: str) -> str:
        value = value.replace("{{job.parameters.env}}", target).replace("{{job.run_id}}", SAMPLE_RUN_ID)
        value = re.sub(r"\$\{var\.(\w+)\}", lambda m: variables[m.group(1)], value)
        for name, default in defaults.items():
            assert default in {"${bundle.target}", "{{job.start_time.iso_date}}"}, name
            value = value.replace(f"{{{{job.parameters.{name}}}}}", SAMPLE_RUN_DATE)
        assert not re.search(r"\{\{|\$\{", value), value
        return value

    for task in job["tasks"]:
        python_file = REPO / task["spark_python_task"]["python_file"]
        assert python_file.is_file(), python_file
        assert python_file.stem == task["task_key"]
        args = job_argument_parser(python_file.stem).parse_args(
            [fill(p) for p in task["spark_python_task"]["parameters"]]
        )
        assert args.env == target
        assert args.schema_prefix == variables["job_schema_prefix"]
        assert args.run_date == date.fromisoformat(SAMPLE_RUN_DATE)
        assert args.run_id == SAMPLE_RUN_ID
        assert args.full_refresh is (job_key == BACKFILL)


def test_every_job_runs_one_at_a_time_and_tells_someone_when_slow_or_failed() -> None:
    for key, job in _jobs().items():
        assert job["max_concurrent_runs"] == 1, key
        assert job["queue"] == {"enabled": True}, key
        assert [r["metric"] for r in job["health"]["rules"]] == ["RUN_DURATION_SECONDS"], key
        assert job["email_notifications"] == {
            "on_failure": "${var.notification_emails}",
            "on_duration_warning_threshold_exceeded": "${var.notification_emails}",
        }, key


def test_schedules_run_only_where_meant() -> None:
    jobs = _jobs()
    # No pause status: development mode pauses it, staging and prod presets unpause it.
    assert "pause_status" not in jobs[DAILY]["schedule"]
    assert jobs[DAILY_CLUSTER]["schedule"]["pause_status"] == "PAUSED"
    assert "schedule" not in jobs[BACKFILL]
    for target in ("staging", "prod"):
        assert BUNDLE["targets"][target]["presets"] == {"trigger_pause_status": "UNPAUSED"}
    assert BUNDLE["targets"]["dev"]["mode"] == "development"


def test_compute_is_serverless_environment_4_or_a_cloud_neutral_autoscaling_cluster() -> None:
    privacy = load_config("local", directory=REPO / "conf").privacy
    jobs = _jobs()
    for key in (DAILY, BACKFILL):
        (environment,) = jobs[key]["environments"]
        assert environment["spec"] == {
            "environment_version": SERVERLESS_ENVIRONMENT_VERSION,
            "dependencies": ["dist/*.whl"],
        }
        assert {t["environment_key"] for t in jobs[key]["tasks"]} == {environment["environment_key"]}
    assert SERVERLESS_ENVIRONMENT_VERSION == "4"
    (cluster,) = jobs[DAILY_CLUSTER]["job_clusters"]
    spec = cluster["new_cluster"]
    assert spec["spark_version"] == "${var.spark_version}"
    assert spec["node_type_id"] == "${var.node_type}"
    assert "default" not in BUNDLE["variables"]["node_type"]  # no cloud's node type is assumed
    assert spec["autoscale"] == {"min_workers": 1, "max_workers": "${var.max_workers}"}
    assert spec["data_security_mode"] == "DATA_SECURITY_MODE_DEDICATED"
    assert spec["spark_env_vars"] == {
        privacy.key_env_var: f"{{{{secrets/${{var.secret_scope}}/{privacy.secret_key}}}}}"
    }
    for task in jobs[DAILY_CLUSTER]["tasks"]:
        assert task["libraries"] == [{"whl": "dist/*.whl"}]
    assert BUNDLE["variables"]["secret_scope"]["default"] == privacy.secret_scope


def test_bundle_pins_the_cli_loads_python_resources_and_deploys_privately() -> None:
    assert BUNDLE["bundle"]["databricks_cli_version"] == "0.298.0"
    assert BUNDLE["python"] == {"venv_path": ".venv", "resources": ["resources:load_resources"]}
    (artifact,) = BUNDLE["artifacts"].values()
    assert artifact["dynamic_version"] is True
    assert {"tests/", "data/", "benchmarks/"} <= set(BUNDLE["sync"]["exclude"])
    for name in ("warehouse_id", "service_principal", "catalog"):
        assert "default" not in BUNDLE["variables"][name], name
    assert BUNDLE["targets"]["dev"]["variables"]["notification_emails"] == [
        "${workspace.current_user.userName}"
    ]
    for target in ("staging", "prod"):
        spec = BUNDLE["targets"][target]
        assert spec["workspace"]["root_path"].startswith(
            "/Workspace/Users/${workspace.current_user.userName}/"
        )
        assert spec["run_as"] == {"service_principal_name": "${var.service_principal}"}
        assert {"level": "CAN_RUN", "group_name": "${var.operators_group}"} in spec["permissions"]
    assert BUNDLE["targets"]["prod"]["variables"]["prevent_destroy"] is True
    assert "prevent_destroy" not in BUNDLE["targets"]["staging"]["variables"]
    assert BUNDLE["variables"]["prevent_destroy"]["default"] is False
    for kind in ("schemas", "volumes"):
        for key, spec in SCHEMAS_FILE["resources"][kind].items():
            assert spec["lifecycle"] == {"prevent_destroy": "${var.prevent_destroy}"}, key


@pytest.mark.parametrize("target", TARGETS)
def test_unity_catalog_objects_are_the_ones_the_tasks_use(target: str) -> None:
    """The schemas and volumes a deploy creates are those conf/<target>.yml names, once the tasks
    apply their --schema-prefix (dev_<user>_ in development mode)."""
    variables = _variables(target)
    config = load_config(target, directory=REPO / "conf", schema_prefix=variables["job_schema_prefix"])
    dev_prefix = f"dev_{SAMPLE_USER}_" if BUNDLE["targets"][target]["mode"] == "development" else ""

    def resolve(value: str) -> str:
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: str(variables[m.group(1)]), value)

    schemas = SCHEMAS_FILE["resources"]["schemas"]
    assert variables["catalog"] == config.catalog
    for layer, spec in schemas.items():
        assert resolve(spec["catalog_name"]) == config.catalog
        assert dev_prefix + resolve(spec["name"]) == getattr(config.schemas, layer)
    volumes = SCHEMAS_FILE["resources"]["volumes"]
    assert volumes["landing"]["schema_name"] == "${resources.schemas.bronze.name}"
    landing = f"/Volumes/{config.catalog}/{config.schemas.bronze}/{resolve(volumes['landing']['name'])}"
    assert landing == config.landing
    assert volumes["lakehouse"]["schema_name"] == "${resources.schemas.ops.name}"
    lakehouse = f"/Volumes/{config.catalog}/{config.schemas.ops}/{volumes['lakehouse']['name']}"
    assert lakehouse == config.lakehouse
    assert (config.paths.checkpoints or "").startswith(f"{config.lakehouse}/")


def test_only_gold_is_granted_to_analysts() -> None:
    schemas = SCHEMAS_FILE["resources"]["schemas"]
    assert schemas["gold"]["grants"] == [
        {"principal": "${var.analysts_group}", "privileges": ["USE_SCHEMA", "SELECT"]}
    ]
    assert [layer for layer, spec in schemas.items() if spec.get("grants")] == ["gold"]


def test_no_committed_bundle_file_holds_the_local_pseudonymization_key() -> None:
    key = load_config("local", directory=REPO / "conf").privacy.local_default_key
    for path in [REPO / "databricks.yml", *sorted((REPO / "resources").glob("*.*"))]:
        assert key not in path.read_text(encoding="utf-8"), path.name
