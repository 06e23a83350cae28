"""`make bundle-check`: the asset bundle through the real Databricks CLI, offline.

1. Builds the pinned CLI from its Go module once and caches the binary under ~/.cache/careerlake
   (`go install …@version` fails: the module proxy refuses the version list, so the exact
   module is downloaded, copied out of the read-only module cache and built in place).
2. Checks databricks.yml, every resources/*.yml and the Python-generated jobs against the
   CLI's own JSON schema (`databricks bundle schema`).
3. Runs `databricks bundle validate --strict` for every target, as a user and as a service
   principal, against tests/support/workspace_stub.py on 127.0.0.1 (started and stopped here).
4. Deploys dev as the user and prod as the service principal to the stub with the direct
   engine, then deploys dev again (an update), and checks what the stub received.

Usage: python tests/support/bundle_check.py   (from the repo root; make bundle-check does it)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from workspace_stub import WorkspaceStub

REPO = Path(__file__).resolve().parents[2]
CLI_MODULE = "github.com/databricks/cli"
CACHE = Path.home() / ".cache" / "careerlake"
TARGETS = ("dev", "staging", "prod")
USER = "jane.doe@example.com"
SERVICE_PRINCIPAL = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"  # an application id
# Values a workspace admin supplies per deploy (required variables without defaults).
VARIABLES = {"warehouse_id": "0123456789abcdef", "node_type": "m6gd.xlarge"}


def cli_version() -> str:
    bundle = yaml.safe_load((REPO / "databricks.yml").read_text(encoding="utf-8"))["bundle"]
    return bundle["databricks_cli_version"]


def build_cli(version: str) -> Path:
    """The cached CLI binary of `version`, built from the Go module when missing."""
    binary = CACHE / f"databricks-{version}"
    if binary.is_file() and _reported_version(binary) == version:
        return binary
    if shutil.which("go") is None:
        sys.exit(f"bundle-check: Go is needed once to build the Databricks CLI {version} into {binary}")
    print(f"bundle-check: building the Databricks CLI v{version} (a few minutes, once)", flush=True)
    download = subprocess.run(
        ["go", "mod", "download", "-json", f"{CLI_MODULE}@v{version}"],
        check=True,
        capture_output=True,
        text=True,
    )
    module_dir = Path(json.loads(download.stdout)["Dir"])
    source = CACHE / "databricks-cli-src"
    if not (source / "go.mod").is_file() or _source_version(source) != version:
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(module_dir, source)
        subprocess.run(["chmod", "-R", "u+w", str(source)], check=True)
        (source / ".careerlake-version").write_text(version, encoding="utf-8")
    # The release build stamps its version; without it the CLI is 0.0.0-dev and ignores (with a
    # warning that fails --strict) the bundle's databricks_cli_version.
    stamp = " ".join(
        f"-X {CLI_MODULE}/internal/build.{name}={value}"
        for name, value in zip(
            ("buildVersion", "buildMajor", "buildMinor", "buildPatch"),
            (version, *version.split(".")),
            strict=True,
        )
    )
    subprocess.run(
        ["go", "build", "-trimpath", "-ldflags", f"-s -w {stamp}", "-o", str(binary), "."],
        cwd=source,
        check=True,
        env={**os.environ, "CGO_ENABLED": "0"},
    )
    return binary


def _reported_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    return out.strip().removeprefix("Databricks CLI v")


def _source_version(source: Path) -> str | None:
    marker = source / ".careerlake-version"
    return marker.read_text(encoding="utf-8").strip() if marker.is_file() else None


def generated_resources() -> dict[str, Any]:
    """The Python-defined jobs as bundle YAML would hold them."""
    sys.path.insert(0, str(REPO))
    from resources.careerlake_jobs import pipeline_jobs

    return {"resources": {"jobs": {key: job.as_dict() for key, job in pipeline_jobs().items()}}}


def check_schema(cli: Path) -> list[str]:
    schema = json.loads(
        subprocess.run([str(cli), "bundle", "schema"], check=True, capture_output=True).stdout
    )
    validator = Draft202012Validator(schema)
    documents = {
        path.relative_to(REPO).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in [REPO / "databricks.yml", *sorted((REPO / "resources").glob("*.yml"))]
    }
    documents["resources/careerlake_jobs.py (generated)"] = generated_resources()
    problems = []
    for name, document in documents.items():
        found = [
            f"{name}: {reason}" for error in validator.iter_errors(document) for reason in _reasons(error)
        ]
        print(f"bundle-check: schema of {name}: {'FAILED' if found else 'ok'}", flush=True)
        problems.extend(found)
    return problems


def _reasons(error: ValidationError) -> list[str]:
    """The deepest failures under a oneOf (each field also admits a ${var...} string pattern)."""
    leaves = [e for e in _leaves(error) if e.validator != "pattern"] or [error]
    depth = max(len(e.absolute_path) for e in leaves)
    return sorted(
        {
            "/".join(map(str, e.absolute_path)) + f": {e.message[:200]}"
            for e in leaves
            if len(e.absolute_path) == depth
        }
    )


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
    for child in error.context or []:
        yield from _leaves(child)


@contextmanager
def workspace(user_name: str) -> Iterator[WorkspaceStub]:
    stub = WorkspaceStub(user_name=user_name).start()
    try:
        yield stub
    finally:
        stub.stop()


def cli_env(stub: WorkspaceStub, target: str, work: Path) -> dict[str, str]:
    """The stub as host with a token, the venv's uv for the wheel build, no user's profile."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABRICKS_", "BUNDLE_VAR_"))}
    variables = dict(VARIABLES)
    if target != "dev":
        variables["service_principal"] = SERVICE_PRINCIPAL
    return {
        **keep,
        "BUNDLE_ROOT": str(work / "bundle"),
        "DATABRICKS_CONFIG_FILE": str(work / "no-databrickscfg"),
        "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{keep.get('PATH', '')}",
        "DATABRICKS_HOST": stub.url,
        "DATABRICKS_TOKEN": "dapi-bundle-check",
        "DATABRICKS_BUNDLE_ENGINE": "direct",
        "DATABRICKS_CLI_TELEMETRY_DISABLED": "true",
        **{f"BUNDLE_VAR_{name}": value for name, value in variables.items()},
    }


def bundle_copy(work: Path) -> Path:
    """The bundle's files (tracked or not ignored) in a scratch folder with the repo's venv: the CLI
    keeps deploy state in .databricks/ and builds into dist/, and the repo's own must stay as they are."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    copy = work / "bundle"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    (copy / ".venv").symlink_to(REPO / ".venv")
    return copy


def run_cli(cli: Path, args: list[str], env: dict[str, str], label: str) -> bool:
    result = subprocess.run(
        [str(cli), *args], cwd=env["BUNDLE_ROOT"], env=env, capture_output=True, text=True
    )
    ok = result.returncode == 0
    print(f"bundle-check: {label}: {'ok' if ok else 'FAILED'}", flush=True)
    if not ok:
        print(result.stdout + result.stderr, flush=True)
    return ok


def check_deployed(stub: WorkspaceStub, target: str) -> list[str]:
    """What a deploy must have created in the workspace, as the CLI sent it."""
    prefix = f"dev_{stub.user_name.split('@')[0].replace('.', '_')}_" if target == "dev" else ""
    jobs = {job["name"].rpartition("] ")[2]: (job_id, job) for job_id, job in stub.jobs.items()}
    expected = {
        "jobs": ({"careerlake_daily", "careerlake_daily_cluster", "careerlake_backfill"}, set(jobs)),
        "schemas": (
            {
                f"careerlake_{target}.{prefix}{layer}"
                for layer in ("reference", "bronze", "silver", "gold", "features", "ops")
            },
            set(stub.schemas),
        ),
        "dashboard schema": ({f"{prefix}gold"}, {d.get("dataset_schema") for d in stub.dashboards.values()}),
        "daily schedule": (
            {"PAUSED" if target == "dev" else "UNPAUSED"},
            {jobs["careerlake_daily"][1].get("schedule", {}).get("pause_status")}
            if "careerlake_daily" in jobs
            else set(),
        ),
    }
    problems = [
        f"{target}: {what}: expected {sorted(want)}, got {sorted(got)}"
        for what, (want, got) in expected.items()
        if want != got
    ]
    if target != "dev":
        for name, (job_id, _) in jobs.items():
            acl = stub.permissions.get(f"jobs/{job_id}", [])
            if {"group_name": "careerlake-operators", "permission_level": "CAN_MANAGE_RUN"} not in acl:
                problems.append(f"{target}: {name}: operators cannot repair runs (no CAN_MANAGE_RUN)")
    if not any(path.endswith(".whl") for path in stub.files):
        problems.append(f"{target}: no wheel uploaded")
    if any(
        part in path
        for path in stub.files
        for part in ("/files/tests/", "/files/data/", "/files/benchmarks/")
    ):
        problems.append(f"{target}: sync uploaded tests, data or benchmarks")
    return problems


def check_required_variables(cli: Path, work: Path) -> list[str]:
    """A deploy without the values an admin must supply stops at validate, naming the variable."""
    with workspace(USER) as stub:
        env = cli_env(stub, "prod", work)
        del env["BUNDLE_VAR_warehouse_id"]
        result = subprocess.run(
            [str(cli), "bundle", "validate", "-t", "prod"],
            cwd=env["BUNDLE_ROOT"],
            env=env,
            capture_output=True,
            text=True,
        )
    ok = (
        result.returncode != 0
        and "no value assigned to required variable warehouse_id" in result.stdout + result.stderr
    )
    print(
        f"bundle-check: validate without warehouse_id fails naming it: {'ok' if ok else 'FAILED'}", flush=True
    )
    return [] if ok else ["validate without warehouse_id did not fail with a clear error"]


def main() -> int:
    cli = build_cli(cli_version())
    problems = check_schema(cli)
    with tempfile.TemporaryDirectory(prefix="bundle-check-") as tmp:
        work = Path(tmp)
        bundle_copy(work)
        for identity, user_name in (("user", USER), ("service principal", SERVICE_PRINCIPAL)):
            with workspace(user_name) as stub:
                for target in TARGETS:
                    env = cli_env(stub, target, work)
                    label = f"validate --strict -t {target} as {identity}"
                    if not run_cli(cli, ["bundle", "validate", "--strict", "-t", target], env, label):
                        problems.append(label)
                if stub.unknown:
                    problems.append(
                        f"validate as {identity}: stub has no route for {sorted(set(stub.unknown))}"
                    )
        for target, identity, user_name in (
            ("dev", "user", USER),
            ("prod", "service principal", SERVICE_PRINCIPAL),
        ):
            with workspace(user_name) as stub:
                env = cli_env(stub, target, work)
                for attempt in ("deploy", "redeploy"):
                    label = f"{attempt} -t {target} as {identity} (direct engine)"
                    if not run_cli(cli, ["bundle", "deploy", "-t", target], env, label):
                        problems.append(label)
                        break
                else:
                    problems.extend(check_deployed(stub, target))
                if stub.unknown:
                    problems.append(f"deploy -t {target}: stub has no route for {sorted(set(stub.unknown))}")
        problems.extend(check_required_variables(cli, work))
    for problem in problems:
        print(f"bundle-check: {problem}", file=sys.stderr)
    print(f"bundle-check: {'FAILED' if problems else 'clean'}", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
