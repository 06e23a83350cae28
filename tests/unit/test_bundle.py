"""The asset bundle, checked offline: no workspace and no Databricks CLI needed.

Typed models of the `databricks-bundles` package load every resource (an unknown field or a
bad enum value fails), references resolve, every task's entry point exists and its parameters
parse with the job's own argument parser, and the task DAG is the one pipeline.py implies.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from databricks.bundles.dashboards import Dashboard
from databricks.bundles.jobs import Job
from databricks.bundles.schemas import Schema
from databricks.bundles.volumes import Volume

from careerlake.pipeline import JOBS, pipeline_order, upstream_jobs
from careerlake.runtime.config import load_config
from careerlake.runtime.entrypoint import job_argument_parser

REPO = Path(__file__).resolve().parents[2]
BUNDLE = yaml.safe_load((REPO / "databricks.yml").read_text(encoding="utf-8"))
RESOURCE_FILES = sorted(REPO.glob("resources/*.yml"))
MODELS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "jobs": Job.from_dict,
    "schemas": Schema.from_dict,
    "volumes": Volume.from_dict,
    "dashboards": Dashboard.from_dict,
}
TARGETS = tuple(BUNDLE["targets"])
SAMPLE_RUN_DATE = "2026-11-01"
SAMPLE_RUN_ID = "4242"
SAMPLE_USER = "jane_doe"  # ${workspace.current_user.short_name} of whoever deploys
PIPELINE = [name for name in pipeline_order() if JOBS[name].in_pipeline]


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _resources() -> dict[str, dict[str, tuple[Path, dict[str, Any]]]]:
    """resource type -> key -> (file, definition), across every included file."""
    found: dict[str, dict[str, tuple[Path, dict[str, Any]]]] = {}
    for path in RESOURCE_FILES:
        for kind, items in (_load(path).get("resources") or {}).items():
            for key, definition in items.items():
                assert key not in found.get(kind, {}), f"{path.name}: {kind}.{key} defined twice"
                found.setdefault(kind, {})[key] = (path, definition)
    return found


RESOURCES = _resources()


def _merge(base: Any, override: Any) -> Any:
    """Target overrides merge like the CLI's for mappings; the overrides here replace no sequence."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    return copy.deepcopy(override)


def _job(key: str) -> dict[str, Any]:
    return RESOURCES["jobs"][key][1]


def _variables(target: str) -> dict[str, str]:
    """The target's variable values as the CLI resolves them, references to others included."""
    values = {k: v.get("default") for k, v in BUNDLE["variables"].items()}
    values |= BUNDLE["targets"][target].get("variables") or {}

    def resolve(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.replace("${workspace.current_user.short_name}", SAMPLE_USER)
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: resolve(values[m.group(1)]), value)

    return {name: resolve(value) for name, value in values.items()}


def _uc_schema_name(target: str, name: str) -> str:
    """Development mode prefixes every UC schema it deploys with dev_<user>_."""
    return f"dev_{SAMPLE_USER}_{name}" if BUNDLE["targets"][target]["mode"] == "development" else name


def _task_parameters(task: dict[str, Any], target: str, job_parameters: set[str]) -> list[str]:
    """The task's parameters as the workspace would pass them, with sample dynamic values."""

    def dynamic(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref == "job.run_id":
            return SAMPLE_RUN_ID
        name = ref.removeprefix("job.parameters.")
        assert ref.startswith("job.parameters."), f"unknown dynamic value {ref}"
        assert name in job_parameters, f"{{{{{ref}}}}} is not a job parameter"
        return SAMPLE_RUN_DATE

    variables = _variables(target)
    return [
        re.sub(
            r"\{\{([^}]+)\}\}",
            dynamic,
            re.sub(
                r"\$\{var\.(\w+)\}",
                lambda m: variables[m.group(1)],
                value.replace("${bundle.target}", target),
            ),
        )
        for value in task["spark_python_task"]["parameters"]
    ]


def test_bundle_declares_name_artifact_and_targets() -> None:
    assert BUNDLE["bundle"]["name"] == "careerlake"
    assert BUNDLE["include"] == ["resources/*.yml"]
    (artifact,) = BUNDLE["artifacts"].values()
    assert artifact["type"] == "whl"
    assert (REPO / artifact["path"] / "pyproject.toml").is_file()
    assert set(TARGETS) == {"dev", "staging", "prod"}
    assert BUNDLE["targets"]["dev"]["mode"] == "development"
    assert BUNDLE["targets"]["dev"]["default"] is True
    for target in ("staging", "prod"):
        spec = BUNDLE["targets"][target]
        assert spec["mode"] == "production"
        assert spec["workspace"]["root_path"].startswith("/Workspace/")
        assert spec["run_as"] == {"service_principal_name": "${var.service_principal}"}
        assert spec["permissions"]
    assert BUNDLE["variables"]["spark_version"]["default"] == "17.3.x-scala2.13"


@pytest.mark.parametrize("target", TARGETS)
def test_every_resource_loads_with_the_typed_models(target: str) -> None:
    overrides = BUNDLE["targets"][target].get("resources") or {}
    assert set(RESOURCES) <= set(MODELS), f"no typed model for {set(RESOURCES) - set(MODELS)}"
    for kind, items in RESOURCES.items():
        for key, (path, definition) in items.items():
            merged = _merge(definition, (overrides.get(kind) or {}).get(key, {}))
            try:
                MODELS[kind](merged)
            except (ValueError, TypeError) as exc:
                pytest.fail(f"{path.name}: {kind}.{key} ({target}): {exc}")
    for kind, items in overrides.items():
        assert set(items) <= set(RESOURCES.get(kind, {})), f"target {target} overrides unknown {kind}"


def test_an_unknown_field_fails_the_typed_model() -> None:
    job = copy.deepcopy(_job("careerlake_daily"))
    job["tasks"][0]["spark_python_taks"] = job["tasks"][0].pop("spark_python_task")
    with pytest.raises(ValueError, match="spark_python_taks"):
        Job.from_dict(job)


def test_every_variable_and_resource_reference_resolves() -> None:
    declared = set(BUNDLE["variables"])
    texts = {
        path.name: path.read_text(encoding="utf-8") for path in [REPO / "databricks.yml", *RESOURCE_FILES]
    }
    for name, text in texts.items():
        for ref in re.findall(r"\$\{([^}]+)\}", text):
            namespace, _, rest = ref.partition(".")
            if namespace == "var":
                assert rest in declared, f"{name}: ${{{ref}}} is not declared in databricks.yml"
            elif namespace == "resources":
                kind, key, field = rest.split(".", 2)
                assert key in RESOURCES.get(kind, {}), f"{name}: ${{{ref}}} names no resource"
                assert field.split(".")[0] in RESOURCES[kind][key][1], f"{name}: ${{{ref}}} has no field"
            else:
                assert ref in {"bundle.target", "bundle.name", "workspace.current_user.short_name"}, ref
    for target, spec in BUNDLE["targets"].items():
        assert set(spec.get("variables") or {}) <= declared, target


@pytest.mark.parametrize("job_key", ["careerlake_daily", "careerlake_daily_cluster", "careerlake_backfill"])
@pytest.mark.parametrize("target", TARGETS)
def test_every_task_runs_a_job_entry_point_whose_parser_accepts_its_parameters(
    job_key: str, target: str
) -> None:
    path, job = RESOURCES["jobs"][job_key]
    job_parameters = {p["name"] for p in job["parameters"]}
    for task in job["tasks"]:
        python_file = (path.parent / task["spark_python_task"]["python_file"]).resolve()
        assert python_file.is_file(), f"{job_key}.{task['task_key']}: {python_file} missing"
        assert python_file.parent == REPO / "jobs"
        assert python_file.stem == task["task_key"]
        assert python_file.stem in JOBS
        args = job_argument_parser(python_file.stem).parse_args(
            _task_parameters(task, target, job_parameters)
        )
        assert args.env == target
        assert args.schema_prefix == _variables(target)["job_schema_prefix"]
        assert args.run_date == date.fromisoformat(SAMPLE_RUN_DATE)
        assert args.run_id == SAMPLE_RUN_ID
        assert args.full_refresh is (job_key == "careerlake_backfill")


@pytest.mark.parametrize("job_key", ["careerlake_daily", "careerlake_daily_cluster", "careerlake_backfill"])
def test_job_parameter_defaults_use_documented_dynamic_values(job_key: str) -> None:
    for parameter in _job(job_key)["parameters"]:
        for ref in re.findall(r"\{\{([^}]+)\}\}", parameter["default"]):
            assert ref.strip() == "job.start_time.iso_date", f"{job_key}.{parameter['name']}: {{{{{ref}}}}}"


@pytest.mark.parametrize("job_key", ["careerlake_daily", "careerlake_daily_cluster"])
def test_daily_task_dag_is_the_one_the_registry_implies(job_key: str) -> None:
    tasks = {t["task_key"]: {d["task_key"] for d in t.get("depends_on", [])} for t in _job(job_key)["tasks"]}
    assert sorted(tasks) == sorted(PIPELINE)
    for name, depends_on in tasks.items():
        expected = {u for u in upstream_jobs(JOBS[name]) if JOBS[u].in_pipeline}
        assert depends_on == expected, name


def test_backfill_reprocesses_silver_gold_and_features_in_dependency_order() -> None:
    job = _job("careerlake_backfill")
    assert {p["name"] for p in job["parameters"]} >= {"start_date", "end_date"}
    tasks = {t["task_key"]: {d["task_key"] for d in t.get("depends_on", [])} for t in job["tasks"]}
    assert set(tasks) == {"silver_postings", "silver_career_docs", "gold", "features"}
    for name, depends_on in tasks.items():
        assert depends_on == set(upstream_jobs(JOBS[name])) & set(tasks), name


@pytest.mark.parametrize("job_key", ["careerlake_daily", "careerlake_daily_cluster"])
def test_daily_job_operational_settings(job_key: str) -> None:
    job = _job(job_key)
    assert job["max_concurrent_runs"] == 1
    assert job["queue"] == {"enabled": True}
    assert job["schedule"]["quartz_cron_expression"].count(" ") >= 5
    assert job["schedule"]["timezone_id"] == "${var.timezone}"
    assert [r["metric"] for r in job["health"]["rules"]] == ["RUN_DURATION_SECONDS"]
    assert job["email_notifications"]["on_failure"] == "${var.notification_emails}"
    assert {p["name"] for p in job["parameters"]} == {"env", "run_date"}
    for task in job["tasks"]:
        assert task["timeout_seconds"] > 0, task["task_key"]
        if task["task_key"].startswith("ingest_"):
            assert task["max_retries"] >= 1
            assert task["min_retry_interval_millis"] >= 60_000


def test_dev_pauses_the_schedule_and_the_cluster_variant_is_paused_everywhere() -> None:
    dev = BUNDLE["targets"]["dev"]["resources"]["jobs"]
    assert dev["careerlake_daily"]["schedule"]["pause_status"] == "PAUSED"
    assert _job("careerlake_daily_cluster")["schedule"]["pause_status"] == "PAUSED"


def test_serverless_and_job_cluster_variants_install_the_wheel_and_read_the_key_from_secrets() -> None:
    privacy = load_config("local", directory=REPO / "conf").privacy
    assert BUNDLE["variables"]["secret_scope"]["default"] == privacy.secret_scope
    secret = f"{{{{secrets/${{var.secret_scope}}/{privacy.secret_key}}}}}"

    # Serverless tasks read the key with dbutils from conf's scope, which must be the bundle's.
    for spec in BUNDLE["targets"].values():
        assert (spec.get("variables") or {}).get("secret_scope", privacy.secret_scope) == privacy.secret_scope
    for job_key in ("careerlake_daily", "careerlake_backfill"):
        serverless = _job(job_key)
        environments = {e["environment_key"]: e["spec"] for e in serverless["environments"]}
        for task in serverless["tasks"]:
            assert "../dist/*.whl" in environments[task["environment_key"]]["dependencies"]

    cluster_job = _job("careerlake_daily_cluster")
    clusters = {c["job_cluster_key"]: c["new_cluster"] for c in cluster_job["job_clusters"]}
    for task in cluster_job["tasks"]:
        cluster = clusters[task["job_cluster_key"]]
        assert cluster["spark_version"] == "${var.spark_version}"
        assert cluster["spark_env_vars"] == {privacy.key_env_var: secret}
        assert {"whl": "../dist/*.whl"} in task["libraries"]
    for path in [REPO / "databricks.yml", *RESOURCE_FILES]:
        assert privacy.local_default_key not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("target", TARGETS)
def test_unity_catalog_objects_are_the_ones_the_tasks_use(target: str) -> None:
    """The schemas and volumes a deploy creates are those conf/<target>.yml names, once the tasks
    apply their --schema-prefix (dev_<user>_ in development mode)."""
    variables = _variables(target)
    config = load_config(target, directory=REPO / "conf", schema_prefix=variables["job_schema_prefix"])

    def resolve(value: str) -> str:
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: str(variables[m.group(1)]), value)

    schemas = {key: spec for key, (_, spec) in RESOURCES["schemas"].items()}
    assert variables["catalog"] == config.catalog
    for layer, spec in schemas.items():
        assert resolve(spec["catalog_name"]) == config.catalog
        assert _uc_schema_name(target, resolve(spec["name"])) == getattr(config.schemas, layer)
    landing = RESOURCES["volumes"]["landing"][1]
    assert landing["schema_name"] == "${resources.schemas.bronze.name}"
    assert f"/Volumes/{config.catalog}/{config.schemas.bronze}/{resolve(landing['name'])}" == config.landing
    lakehouse = RESOURCES["volumes"]["lakehouse"][1]
    assert lakehouse["schema_name"] == "${resources.schemas.ops.name}"
    assert f"/Volumes/{config.catalog}/{config.schemas.ops}/{lakehouse['name']}" == config.lakehouse
    assert (config.paths.checkpoints or "").startswith(f"{config.lakehouse}/")


def test_only_gold_is_granted_to_analysts() -> None:
    schemas = {key: spec for key, (_, spec) in RESOURCES["schemas"].items()}
    assert schemas["gold"]["grants"] == [
        {"principal": "${var.analysts_group}", "privileges": ["USE_SCHEMA", "SELECT"]}
    ]
    assert [layer for layer, spec in schemas.items() if spec.get("grants")] == ["gold"]
