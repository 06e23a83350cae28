"""`careerlake ops` against a local REST stand-in: the real databricks-sdk over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient

from careerlake.cli import main
from careerlake.ops.workspace import (
    failed_tasks,
    find_job_id,
    grant_analysts,
    run_succeeded,
    start_run,
    task_states,
    upload_landing,
    wait_for_run,
)
from careerlake.registry import features
from careerlake.runtime.config import load_config
from careerlake.runtime.feature_store import feature_table_problems
from support.databricks_stub import DatabricksStub

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stub() -> Iterator[DatabricksStub]:
    server = DatabricksStub().start()
    yield server
    server.stop()


@pytest.fixture
def client(stub: DatabricksStub) -> WorkspaceClient:
    return WorkspaceClient(host=stub.url, token="x")


def test_run_goes_to_completion_through_every_state(stub: DatabricksStub, client: WorkspaceClient) -> None:
    job_id = find_job_id(client, "careerlake_daily")  # the dev-mode name carries a "[dev user] " prefix
    run_id = start_run(client, job_id, date(2026, 11, 2))
    seen: list[dict[str, str]] = []
    run = wait_for_run(client, run_id, on_update=lambda r: seen.append(task_states(r)), poll_seconds=0)

    assert run_succeeded(run)
    assert seen[0] == dict.fromkeys(stub.tasks, "PENDING")
    assert {"RUNNING"} <= {state for states in seen for state in states.values()}
    assert seen[-1] == dict.fromkeys(stub.tasks, "SUCCESS")
    run_now = json.loads(stub.requests_to("POST", "/api/2.2/jobs/run-now")[0].body)
    assert run_now == {"job_id": 101, "job_parameters": {"run_date": "2026-11-02"}}
    assert failed_tasks(client, run) == []


def test_failed_run_reports_the_failing_tasks_error(stub: DatabricksStub, client: WorkspaceClient) -> None:
    stub.fail_task = "silver_postings"
    run = wait_for_run(client, start_run(client, 101), poll_seconds=0)

    assert not run_succeeded(run)
    failures = failed_tasks(client, run)
    assert [(f.task_key, f.state, f.error) for f in failures] == [
        ("silver_postings", "FAILED", stub.fail_error)
    ]
    assert stub.requests_to("GET", "/api/2.2/jobs/runs/get-output")[0].query == {
        "run_id": str(run.run_id * 100 + 2)
    }


def test_cli_run_wait_prints_task_states_and_the_error(
    stub: DatabricksStub, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.fail_task = "silver_postings"
    argv = ["ops", "run", "--wait", "--host", stub.url, "--token", "x", "--poll-seconds", "0"]
    code = main(argv)

    out = capsys.readouterr().err  # the CLI's rich console writes to stderr
    assert code == 2
    assert "ingest_postings" in out
    assert "SUCCESS" in out
    assert "UPSTREAM_FAILED" in out
    assert "task silver_postings FAILED" in out
    assert "critical expectation failed" in out


def test_cli_runs_lists_recent_run_ids(stub: DatabricksStub, capsys: pytest.CaptureFixture[str]) -> None:
    client = WorkspaceClient(host=stub.url, token="x")
    first, second = start_run(client, 101), start_run(client, 101)

    assert main(["ops", "runs", "--limit", "5", "--host", stub.url, "--token", "x"]) == 0
    out = capsys.readouterr().err  # the CLI's rich console writes to stderr
    assert str(first) in out
    assert str(second) in out
    assert "careerlake quality report --run-id" in out


def test_grant_gives_analysts_select_on_the_gold_schema(
    stub: DatabricksStub, client: WorkspaceClient
) -> None:
    config = load_config("dev", directory=REPO / "conf")
    applied = grant_analysts(client, config, "careerlake-analysts")

    gold = f"{config.catalog}.{config.schemas.gold}"
    (patch,) = stub.requests_to("PATCH", f"/api/2.1/unity-catalog/permissions/schema/{gold}")
    body = json.loads(patch.body)
    assert body == {"changes": [{"principal": "careerlake-analysts", "add": ["USE_SCHEMA", "SELECT"]}]}
    assert [a.principal for a in applied[gold]] == ["careerlake-analysts"]
    assert stub.grants[f"catalog/{config.catalog}"] == {"careerlake-analysts": {"USE_CATALOG"}}
    assert not stub.requests_to("PATCH", f"/api/2.1/unity-catalog/permissions/schema/{config.catalog}.silver")


def test_upload_puts_landing_files_at_their_volume_paths(
    stub: DatabricksStub, client: WorkspaceClient, tmp_path: Path
) -> None:
    (tmp_path / "postings" / "lever").mkdir(parents=True)
    (tmp_path / "postings" / "lever" / "batch-1.json").write_text('[{"id": "p1"}]')
    (tmp_path / "career_docs").mkdir()
    (tmp_path / "career_docs" / "path.md").write_text("# From analyst to engineer\n")
    (tmp_path / "career_docs" / ".DS_Store").write_text("finder noise")
    config = load_config("dev", directory=REPO / "conf")

    uploaded = upload_landing(client, tmp_path, config)

    landing = "/Volumes/careerlake_dev/bronze/landing"
    assert uploaded == [f"{landing}/career_docs/path.md", f"{landing}/postings/lever/batch-1.json"]
    assert stub.files == {
        f"{landing}/career_docs/path.md": b"# From analyst to engineer\n",
        f"{landing}/postings/lever/batch-1.json": b'[{"id": "p1"}]',
    }
    assert {r.query.get("overwrite") for r in stub.requests_to("PUT", "/api/2.0/fs/files/")} == {"true"}


def test_other_commands_start_without_importing_the_sdk() -> None:
    probe = (
        "import sys; from careerlake.cli import build_parser; build_parser(); "
        "print(any(m.startswith('databricks.sdk') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


# What `create_table` plus the TIMESERIES constraint leave in Unity Catalog for each feature table.
FEATURE_KEYS = {
    "posting_features": (["posting_id", "posted_at"], ["posted_at"]),
    "role_features": (["role_id", "as_of_date"], ["as_of_date"]),
    "role_transition_features": (["from_role_id", "to_role_id", "as_of_date"], ["as_of_date"]),
    "skill_features": (["skill_id", "as_of_date"], ["as_of_date"]),
}


def register_in_stub(stub: DatabricksStub, schema: str) -> None:
    for table in features.TABLES:
        keys, timeseries = FEATURE_KEYS[table.name]
        stub.tables[f"{schema}.{table.name}"] = {
            "full_name": f"{schema}.{table.name}",
            "columns": [{"name": name} for name in table.schema.fieldNames()],
            "table_constraints": [
                {
                    "primary_key_constraint": {
                        "name": f"{table.name}_pk",
                        "child_columns": keys,
                        "timeseries_columns": timeseries,
                    }
                }
            ],
        }


def test_feature_tables_registered_as_the_registry_says_pass(
    stub: DatabricksStub, capsys: pytest.CaptureFixture[str]
) -> None:
    register_in_stub(stub, "careerlake_dev.features")

    assert main(["ops", "feature-tables", "--env", "dev", "--host", stub.url, "--token", "x"]) == 0
    assert "4 feature tables in careerlake_dev.features have" in capsys.readouterr().err
    assert [r.path for r in stub.requests_to("GET", "/api/2.1/unity-catalog/tables/")] == [
        f"/api/2.1/unity-catalog/tables/careerlake_dev.features.{t.name}" for t in features.TABLES
    ]


def test_feature_table_without_its_timeseries_key_is_reported(
    stub: DatabricksStub, client: WorkspaceClient
) -> None:
    register_in_stub(stub, "careerlake_dev.features")
    role = stub.tables["careerlake_dev.features.role_features"]
    role["table_constraints"][0]["primary_key_constraint"].pop("timeseries_columns")
    skill = stub.tables.pop("careerlake_dev.features.skill_features")
    skill["columns"] = skill["columns"][1:]
    stub.tables["careerlake_dev.features.skill_features"] = {**skill, "table_constraints": []}

    problems = feature_table_problems(client, load_config("dev", directory=REPO / "conf"))

    assert problems == [
        "careerlake_dev.features.role_features: TIMESERIES column is missing, expected ['as_of_date']",
        "careerlake_dev.features.skill_features: columns missing: skill_id",
        "careerlake_dev.features.skill_features: no primary key, so it is not a feature table",
    ]


def test_cli_feature_tables_fails_on_a_missing_table(
    stub: DatabricksStub, capsys: pytest.CaptureFixture[str]
) -> None:
    register_in_stub(stub, "careerlake_dev.features")
    del stub.tables["careerlake_dev.features.posting_features"]

    assert main(["ops", "feature-tables", "--env", "dev", "--host", stub.url, "--token", "x"]) == 2
    err = capsys.readouterr().err
    assert "careerlake_dev.features.posting_features: not in Unity Catalog" in err
