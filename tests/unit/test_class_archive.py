"""The JVM class archive: recorded by one process at a time, kept only once that JVM has exited
cleanly, mapped by every later process.

The recording JVM here is a real process that, like the gateway JVM, writes its archive on
the way out when its stdin closes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from careerlake.runtime import class_archive
from careerlake.runtime.class_archive import (
    archive_path,
    can_record,
    claim_recording,
    keep_recording,
    recording_options,
    sharing_options,
)

# Reads stdin to its end, writes the file named in argv[1], exits with argv[2].
WRITES_AT_EXIT = (
    "import sys; sys.stdin.read(); open(sys.argv[1], 'w').write('archive'); sys.exit(int(sys.argv[2]))"
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(class_archive, "cache_root", lambda: tmp_path / "cache")
    return tmp_path / "cache"


def _jars(folder: Path, **sizes: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in sizes.items():
        (folder / f"{name}.jar").write_bytes(b"x" * size)
    return folder


def _exiting_jvm(recording: Path, code: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITES_AT_EXIT, str(recording), str(code)], stdin=subprocess.PIPE
    )


def test_archive_name_follows_the_java_and_the_jars_path_size_and_time(cache: Path, tmp_path: Path) -> None:
    java = tmp_path / "java"
    java.touch()
    jars = _jars(tmp_path / "jars", spark=3, delta=2)
    first = archive_path(java, jars)
    assert first.parent == cache / "class-archives"
    assert archive_path(java, jars) == first
    _jars(jars, delta=5)
    resized = archive_path(java, jars)
    assert resized != first
    os.utime(jars / "delta.jar", (1, 1))
    assert archive_path(java, jars) != resized
    # The same jars in another virtualenv.
    other = _jars(tmp_path / "other" / "jars", spark=3, delta=5)
    for jar in ("spark.jar", "delta.jar"):
        stat = (jars / jar).stat()
        os.utime(other / jar, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert archive_path(java, other) != archive_path(java, jars)


def test_first_process_records_then_keeps_the_archive_after_a_clean_exit(cache: Path) -> None:
    archive = cache / "class-archives" / "spark-test.jsa"
    recording = claim_recording(archive)
    assert recording == archive.with_name("spark-test.jsa.recording")
    assert recording_options(recording) == f"-XX:ArchiveClassesAtExit={recording} {class_archive.QUIET}"
    # A second process meanwhile neither records nor maps.
    assert claim_recording(archive) is None
    assert sharing_options(archive) == ""

    keep_recording(_exiting_jvm(recording, 0), recording, archive)

    assert archive.read_text() == "archive"
    assert not recording.exists()
    assert sharing_options(archive) == f"-XX:SharedArchiveFile={archive} {class_archive.QUIET}"
    assert claim_recording(archive) is None


def test_a_jvm_that_fails_leaves_no_archive(cache: Path) -> None:
    archive = cache / "class-archives" / "spark-test.jsa"
    recording = claim_recording(archive)
    assert recording is not None

    keep_recording(_exiting_jvm(recording, 1), recording, archive)

    assert not archive.exists()
    assert not recording.exists()


def test_a_jvm_that_writes_nothing_leaves_no_archive(cache: Path) -> None:
    archive = cache / "class-archives" / "spark-test.jsa"
    recording = claim_recording(archive)
    assert recording is not None
    jvm = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)

    keep_recording(jvm, recording, archive)

    assert not archive.exists()
    assert claim_recording(archive) == recording


def test_the_recording_of_a_killed_process_is_taken_over_once_stale(cache: Path) -> None:
    archive = cache / "class-archives" / "spark-test.jsa"
    recording = claim_recording(archive)
    assert recording is not None
    assert claim_recording(archive) is None
    old = time.time() - class_archive.STALE_AFTER_S - 60
    os.utime(recording, (old, old))

    assert claim_recording(archive) == recording


def test_a_new_recording_removes_archives_of_a_week_ago(cache: Path) -> None:
    folder = cache / "class-archives"
    folder.mkdir(parents=True)
    old, recent = folder / "spark-old.jsa", folder / "spark-recent.jsa"
    old.write_text("archive")
    recent.write_text("archive")
    week_ago = time.time() - class_archive.ARCHIVE_MAX_AGE_S - 60
    os.utime(old, (week_ago, week_ago))

    assert claim_recording(folder / "spark-new.jsa") is not None

    assert not old.exists()
    assert recent.exists()


def test_only_a_jdk_with_a_base_archive_records(tmp_path: Path) -> None:
    full, jlinked = tmp_path / "jdk", tmp_path / "jlinked"
    for home in (full, jlinked):
        (home / "bin").mkdir(parents=True)
        (home / "bin" / "java").touch()
        (home / "lib" / "server").mkdir(parents=True)
    (full / "lib" / "server" / "classes.jsa").write_bytes(b"base")

    assert can_record(full / "bin" / "java")
    assert not can_record(jlinked / "bin" / "java")
