"""The local Spark home: pyspark's scripts, archives and jars (ours among them) at a path named
after the jars, so every clone with the same jars launches the same class path.

The JVM maps a class archive only for the class path it was recorded with, each jar's path,
size and modification time alike (careerlake.runtime.class_archive). pyspark's own home is
inside the virtualenv, so each new clone recorded an archive of its own: about 40 s of `make`'s
install in a fresh clone, before the first job or test. uv links every virtualenv's pyspark jars
to the same files of its cache and our jars keep the time they have in our cache, so a home
named after the jars' names, sizes and times, its files linked from pyspark's, is the same folder
for every such clone; its archive is recorded once per machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from pathlib import Path

from careerlake.runtime.cache import cache_root
from careerlake.runtime.class_archive import STALE_AFTER_S, jar_stamps
from careerlake.runtime.jars import install_local_jars

# What a local launch reads from a Spark home: the launch scripts, the jars of the class path,
# and the Python archives Spark puts on its workers' path.
MIRRORED = ("bin", "jars", "python/lib")


def home_name(pyspark_home: Path) -> str:
    """The shared home's name: a digest of the names, sizes and times of pyspark's jars."""
    digest = hashlib.sha256()
    for stamp in jar_stamps(pyspark_home / "jars"):
        digest.update(f"{stamp}\n".encode())
    return digest.hexdigest()[:16]


def _link_or_copy(source: str, target: str) -> None:
    """A hard link (the same file: same size and time, no space), or a copy with the same time
    where the cache is on another file system."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _build(pyspark_home: Path, folder: Path) -> None:
    for part in MIRRORED:
        if (pyspark_home / part).is_dir():
            shutil.copytree(pyspark_home / part, folder / part, copy_function=_link_or_copy)


def _remove_stale_builds(homes: Path) -> None:
    for building in homes.glob(".*"):
        try:
            if time.time() - building.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(building, ignore_errors=True)
        except FileNotFoundError:
            continue


def shared_spark_home(pyspark_home: Path) -> Path:
    """The home under the cache that mirrors `pyspark_home`, built once by whichever process gets
    there first (the home mirrors itself: its files are the same)."""
    homes = cache_root() / "spark-homes"
    home = homes / home_name(pyspark_home)
    if home.is_dir():
        return home
    homes.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(homes)
    # Built aside and renamed into place: a process never sees half a home, and of two processes
    # building it at once the second drops its own.
    building = homes / f".{home.name}-{uuid.uuid4().hex[:8]}"
    try:
        _build(pyspark_home, building)
        building.rename(home)
    except OSError:
        if not home.is_dir():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return home


def local_spark_home() -> Path:
    """Where every local launch runs Spark from: the shared home of pyspark's, with our jars."""
    return shared_spark_home(install_local_jars().parent)
