"""`careerlake sql-server` serves the lakehouse over JDBC: a sql/ query through beeline returns its rows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from careerlake.registry.gold import SALARY_BENCHMARKS
from careerlake.runtime.config import load_config
from careerlake.runtime.delta import create_table_sql
from careerlake.runtime.jars import spark_home
from careerlake.runtime.session import free_loopback_port
from careerlake.sql.thrift import jdbc_url
from support.jvm_options import short_lived_jvm

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "careerlake.cli"]
START_TIMEOUT_SECONDS = 240


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _seed_script(lakehouse: Path, tmp_path: Path) -> Path:
    """SQL that creates gold.salary_benchmarks with four rows: beeline runs it on the server before
    the query (another process sharing tables by name is `test_session.py`'s, so this test starts
    no Spark JVM besides the server's)."""
    config = load_config("local", lakehouse=str(lakehouse), directory=REPO / "conf")
    nulls = ", ".join(["NULL"] * 7)
    rows = [
        ("data_engineer", "all", 5, "false"),
        ("data_engineer", "remote", 3, "false"),
        ("mlops_engineer", "all", 2, "true"),
        ("mlops_engineer", "remote", 2, "true"),
    ]
    values = ", ".join(
        f"('{role}', 'all', 'ALL', '{model}', {n}, {suppressed}, {nulls}, 0, NULL, TIMESTAMP'2026-11-01 00:00:00')"
        for role, model, n, suppressed in rows
    )
    script = tmp_path / "seed.sql"
    script.write_text(
        "CREATE SCHEMA IF NOT EXISTS gold;\n"
        f"{create_table_sql(config, SALARY_BENCHMARKS)};\n"
        f"INSERT INTO gold.salary_benchmarks VALUES {values};\n",
        encoding="utf-8",
    )
    return script


def test_beeline_runs_a_sql_file_against_the_thrift_server(tmp_path: Path) -> None:
    lakehouse = tmp_path / "lakehouse"
    seed = _seed_script(lakehouse, tmp_path)
    port = free_loopback_port()
    server = subprocess.Popen(
        [*CLI, "sql-server", "--port", str(port), "--lakehouse", str(lakehouse)],
        cwd=REPO,
        env=os.environ | short_lived_jvm(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _answers(port):
            assert server.poll() is None, (
                f"sql-server exited: {server.stderr.read()[-2000:] if server.stderr else ''}"
            )
            assert time.monotonic() < deadline, "sql-server did not open its port in time"
            time.sleep(1)
        result = subprocess.run(
            [
                str(spark_home() / "bin" / "beeline"),
                "-u",
                jdbc_url(port),
                "--silent=true",
                "--showHeader=true",
                "--outputformat=csv2",
                "-i",
                str(seed),
                "-f",
                str(REPO / "sql" / "remote_share_by_role.sql"),
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
            env=os.environ | short_lived_jvm() | {"SPARK_HOME": str(spark_home())},
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    # beeline prefixes the first line of a result with its prompt: keep what follows the header.
    lines = [line.rsplit("> ", 1)[-1] for line in result.stdout.splitlines() if line.strip()]
    header = lines.index("role_id,postings,remote_postings,remote_share")
    assert lines[header + 1 : header + 3] == ["mlops_engineer,2,2,1.0", "data_engineer,5,3,0.6"]
