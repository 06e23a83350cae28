"""The bundle's wheel artifact builds and carries what Databricks tasks need."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def _uv() -> str:
    beside_python = Path(sys.executable).with_name("uv")
    found = str(beside_python) if beside_python.is_file() else shutil.which("uv")
    if found is None:
        pytest.fail("uv not found: run `make .venv/.synced`")
    return found


def test_wheel_builds_with_package_packaged_conf_and_console_entry_point(tmp_path: Path) -> None:
    artifact = next(iter(yaml.safe_load((REPO / "databricks.yml").read_text())["artifacts"].values()))
    assert artifact["build"] == "uv build --wheel"
    subprocess.run(
        [_uv(), "build", "--wheel", "--out-dir", str(tmp_path), "--quiet"],
        cwd=REPO,
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("careerlake-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        requires = [
            line.split(":", 1)[1].strip()
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]

    assert {"careerlake/__init__.py", "careerlake/cli.py", "careerlake/pipeline.py"} <= names
    assert "careerlake/entrypoint.py" in names
    assert "careerlake/ops/workspace.py" in names
    conf = {f"careerlake/conf/{p.name}" for p in (REPO / "conf").glob("*.yml")}
    assert {"careerlake/conf/base.yml", "careerlake/conf/dev.yml", "careerlake/conf/prod.yml"} <= conf
    assert conf <= names
    assert "careerlake = careerlake.cli:main" in scripts
    # The runtime provides Spark and Delta; installing other builds over them would break tasks.
    assert "great-expectations==1.24.1" in requires
    assert not [r for r in requires if r.startswith(("pyspark", "delta-spark")) or "[spark]" in r]

    # A task's working directory has no conf/: config must come from the wheel's copy.
    unpacked, elsewhere = tmp_path / "site", tmp_path / "cwd"
    elsewhere.mkdir()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    probe = "from careerlake.runtime.config import conf_dir, load_config; print(conf_dir(), load_config('prod').catalog)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERLAKE_")} | {
        "PYTHONPATH": str(unpacked)
    }
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    assert out == [str(unpacked / "careerlake" / "conf"), "careerlake_prod"]
