"""Started in the wrong place, a command says so in one line and writes nothing.

A Databricks environment on a machine without a Databricks runtime, and a second local
process on a lakehouse that another process (the SQL shell, a run) has open.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from careerlake.runtime.lakehouse_lock import LOCK_FILE, LakehouseInUseError, lock_lakehouse
from support.jvm_options import short_lived_jvm

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "careerlake.cli"]
SAMPLE_LANDING = REPO / "data" / "landing"


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABRICKS_RUNTIME_VERSION", "SPARK_REMOTE"}}
    return {**env, **short_lived_jvm(env), "CAREERLAKE_CONF_DIR": str(REPO / "conf"), **extra}


def _wait_for_lock(lock: Path, pid: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.is_file() and (text := lock.read_text(encoding="utf-8")):
            owner = json.loads(text)
            if owner["pid"] == pid:
                return owner
        time.sleep(0.2)
    raise AssertionError(f"pid {pid} never took {lock}")


def test_a_databricks_environment_on_a_laptop_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "run", "--all", "--env", "prod"],
        cwd=tmp_path,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2, lines
    assert lines == [
        "error: environment 'prod' runs on Databricks only and this machine has no Databricks runtime: "
        "use --env local here, or deploy the bundle (databricks bundle deploy -t prod) and run the job "
        "in the workspace"
    ]
    # No spark-warehouse, metastore_db or derby.log: no session was started.
    assert list(tmp_path.iterdir()) == []


def test_a_lakehouse_locked_by_another_process_is_refused_with_its_pid(tmp_path: Path) -> None:
    lakehouse = tmp_path / "lakehouse"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from careerlake.runtime.lakehouse_lock import lock_lakehouse; "
            f"lock_lakehouse({str(lakehouse)!r}); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
    )
    try:
        _wait_for_lock(lakehouse / LOCK_FILE, holder.pid)
        with pytest.raises(LakehouseInUseError) as refused:
            lock_lakehouse(str(lakehouse))
        assert str(refused.value).startswith(f"lakehouse {lakehouse} is in use by pid {holder.pid} (-c): ")
    finally:
        holder.communicate(timeout=30)
    # Released when its holder exits: this process takes it now (and keeps it, as a session would).
    assert lock_lakehouse(str(lakehouse)) == lakehouse / LOCK_FILE


@pytest.mark.slow
def test_a_job_while_the_sql_shell_runs_says_the_lakehouse_is_in_use(tmp_path: Path) -> None:
    lakehouse = tmp_path / "lakehouse"
    where = ["--lakehouse", str(lakehouse), "--landing", str(SAMPLE_LANDING)]
    # The shell reads its statements from standard input, so it runs until that is closed.
    shell = subprocess.Popen(
        [*CLI, "sql-shell", *where],
        cwd=tmp_path,
        env=_environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        owner = _wait_for_lock(lakehouse / LOCK_FILE, shell.pid)
        assert owner["command"].endswith(f"sql-shell {' '.join(where)}")
        job = subprocess.run(
            [*CLI, "run", "--all", *where],
            cwd=tmp_path,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        # spark-sql replaced the CLI process (same pid) and still holds the lock.
        assert shell.poll() is None, "the shell exited before the job started"
    finally:
        shell.terminate()
        shell.wait(timeout=60)
    lines = (job.stdout + job.stderr).strip().splitlines()
    assert job.returncode == 2, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: lakehouse {lakehouse} is in use by pid {shell.pid} (")
    assert "sql-shell" in lines[0]
    assert lines[0].endswith(
        "its local metastore admits one process at a time, so stop that process (or wait for it to "
        "finish) and retry, or pass another --lakehouse"
    )
    assert not (lakehouse / "warehouse").exists()
