"""The jars the local Spark adds to pyspark's: resolved once by Spark's own resolver, then cached.

Delta Lake, and a local file system that works without Hadoop's native library. The jars are
copied into the virtualenv's `pyspark/jars`, so `spark-submit` and the shared Spark home that
mirrors that folder (careerlake.runtime.spark_home: the Python session factory, `spark-sql`, the
Thrift server, beeline) have them on their classpath with no `--packages` and no network after
the first resolve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from careerlake.runtime.cache import cache_root
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.java import use_supported_java

SCALA_BINARY = "2.13"
CACHE_ENV_VAR = "CAREERLAKE_JARS_CACHE"


def delta_version() -> str:
    return version("delta-spark")


@dataclass(frozen=True)
class Jar:
    group: str
    artifact: str
    version: str

    @property
    def coordinates(self) -> str:
        return f"{self.group}:{self.artifact}:{self.version}"

    @property
    def cached_name(self) -> str:
        """The file name in Ivy's cache folder."""
        return f"{self.group}_{self.artifact}-{self.version}.jar"

    @property
    def name(self) -> str:
        """The file name in pyspark/jars."""
        return f"{self.artifact}-{self.version}.jar"


# Hadoop's local file system runs `chmod` in a new process for every file and folder it creates
# and `ls` to read an owner, unless Hadoop's native library is installed (pip's pyspark has none):
# about 5 ms a fork, 770 in a sample run. This one subclasses it and does both through Java NIO
# (the session names it on `fs.file.impl`).
LOCAL_FILE_SYSTEM = Jar("com.globalmentor", "hadoop-bare-naked-local-fs", "0.1.0")
LOCAL_FILE_SYSTEM_CLASS = "com.globalmentor.apache.hadoop.fs.BareLocalFileSystem"


def local_jars() -> tuple[Jar, ...]:
    v = delta_version()
    return (
        Jar("io.delta", f"delta-spark_{SCALA_BINARY}", v),
        Jar("io.delta", "delta-storage", v),
        LOCAL_FILE_SYSTEM,
    )


def spark_home() -> Path:
    # pyspark's own lookup: right both in-process and under spark-submit, where pyspark is
    # imported from $SPARK_HOME/python/lib/pyspark.zip.
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home()).resolve()


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV_VAR, cache_root() / "ivy"))


def local_jars_installed() -> bool:
    jars = spark_home() / "jars"
    return all((jars / jar.name).is_file() for jar in local_jars())


def _resolve_into_cache(coordinates: str) -> None:
    """Let Spark's Ivy resolver fetch `coordinates` and their dependencies into the cache folder."""
    script = (
        "from pyspark.sql import SparkSession;"
        "SparkSession.builder.master('local[1]')"
        f".config('spark.jars.packages', '{coordinates}')"
        f".config('spark.jars.ivy', r'{cache_dir()}')"
        ".config('spark.ui.enabled', 'false').getOrCreate().stop()"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        raise CareerLakeError(f"could not resolve {coordinates} from Maven Central: {tail[0]}")


def install_local_jars() -> Path:
    """Make sure the local jars sit in pyspark/jars; resolve them only if the cache lacks them."""
    target = spark_home() / "jars"
    if local_jars_installed():
        return target
    cached = cache_dir() / "jars"
    jars = local_jars()
    if not all((cached / jar.cached_name).is_file() for jar in jars):
        use_supported_java()
        _resolve_into_cache(",".join(jar.coordinates for jar in jars))
    for jar in jars:
        # With the cache's time: every clone's jars then name the same shared Spark home
        # (careerlake.runtime.spark_home).
        shutil.copy2(cached / jar.cached_name, target / jar.name)
    return target
