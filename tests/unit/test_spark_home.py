"""The shared Spark home: one folder per set of jars, its files linked from pyspark's, built once
however many processes ask for it at the same time."""

from __future__ import annotations

import os
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from careerlake.runtime import class_archive, spark_home
from careerlake.runtime.spark_home import shared_spark_home


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(spark_home, "cache_root", lambda: tmp_path / "cache")
    return tmp_path / "cache"


def _pyspark_home(folder: Path, jars: dict[str, bytes]) -> Path:
    """A pyspark home as pip installs it: launch scripts, jars and the workers' archives."""
    (folder / "bin").mkdir(parents=True)
    (folder / "jars").mkdir()
    (folder / "python" / "lib").mkdir(parents=True)
    script = folder / "bin" / "spark-submit"
    script.write_text("#!/usr/bin/env bash\n")
    script.chmod(0o755)
    (folder / "python" / "lib" / "pyspark.zip").write_bytes(b"zip")
    for name, content in jars.items():
        (folder / "jars" / name).write_bytes(content)
    return folder


def _linked_clone(source: Path, folder: Path) -> Path:
    """Another virtualenv's pyspark home whose jars are the same files (as uv links them)."""
    clone = _pyspark_home(folder, {})
    for jar in (source / "jars").iterdir():
        os.link(jar, clone / "jars" / jar.name)
    return clone


def test_clones_with_the_same_jars_share_one_home_of_linked_files(cache: Path, tmp_path: Path) -> None:
    first = _pyspark_home(tmp_path / "a", {"spark-core.jar": b"core", "delta-spark.jar": b"delta"})
    second = _linked_clone(first, tmp_path / "b")

    home = shared_spark_home(first)
    assert shared_spark_home(second) == home
    assert home.parent == cache / "spark-homes"
    assert sorted(p.name for p in (home / "jars").iterdir()) == ["delta-spark.jar", "spark-core.jar"]
    # The same files: the class archive sees the same size and time, and no space is spent.
    assert (home / "jars" / "spark-core.jar").stat().st_ino == (
        first / "jars" / "spark-core.jar"
    ).stat().st_ino
    assert stat.S_IMODE((home / "bin" / "spark-submit").stat().st_mode) == 0o755
    assert (home / "python" / "lib" / "pyspark.zip").read_bytes() == b"zip"
    # A process launched from the home (SPARK_HOME) finds the same home.
    assert shared_spark_home(home) == home


def test_a_jar_of_another_size_or_time_gets_a_home_of_its_own(cache: Path, tmp_path: Path) -> None:
    first = _pyspark_home(tmp_path / "a", {"delta-spark.jar": b"delta"})
    home = shared_spark_home(first)

    resized = _pyspark_home(tmp_path / "b", {"delta-spark.jar": b"delta-4.1"})
    assert shared_spark_home(resized) != home
    touched = _linked_clone(first, tmp_path / "c")
    os.utime(first / "jars" / "delta-spark.jar", ns=(0, 1_000_000_000))
    assert shared_spark_home(touched) != home


def test_builders_asking_at_once_get_one_whole_home(cache: Path, tmp_path: Path) -> None:
    source = _pyspark_home(tmp_path / "a", {f"lib-{i}.jar": bytes(i) for i in range(50)})
    with ThreadPoolExecutor(max_workers=4) as pool:
        homes = set(pool.map(lambda _: shared_spark_home(source), range(8)))

    assert len(homes) == 1
    (home,) = homes
    assert len(list((home / "jars").iterdir())) == 50
    # Threads build as processes would: the homes each made aside are gone, one home is left.
    assert list((cache / "spark-homes").iterdir()) == [home]


def test_a_home_a_killed_process_left_half_built_is_removed_once_stale(cache: Path, tmp_path: Path) -> None:
    homes = cache / "spark-homes"
    stale, building = homes / ".0123456789abcdef-dead0000", homes / ".0123456789abcdef-busy0000"
    for folder in (stale, building):
        (folder / "jars").mkdir(parents=True)
    hour_ago = time.time() - class_archive.STALE_AFTER_S - 60
    os.utime(stale, (hour_ago, hour_ago))

    home = shared_spark_home(_pyspark_home(tmp_path / "a", {"spark-core.jar": b"core"}))

    # Another process may still be building the fresh one.
    assert sorted(homes.iterdir()) == sorted([home, building])
