"""Delta Lake jars for the local Spark: resolved once by Spark's own resolver, then cached.

The jars are copied into the virtualenv's `pyspark/jars`, so every local launcher (the
Python session factory, `spark-submit`, `spark-sql`, the Thrift server, beeline) has
Delta on its classpath with no `--packages` and no network after the first resolve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from careerlake.runtime.cache import cache_root
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.java import use_supported_java

SCALA_BINARY = "2.13"
CACHE_ENV_VAR = "CAREERLAKE_JARS_CACHE"


def delta_version() -> str:
    return version("delta-spark")


def delta_coordinates() -> str:
    return f"io.delta:delta-spark_{SCALA_BINARY}:{delta_version()}"


def spark_home() -> Path:
    # pyspark's own lookup: right both in-process and under spark-submit, where pyspark is
    # imported from $SPARK_HOME/python/lib/pyspark.zip.
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home()).resolve()


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV_VAR, cache_root() / "ivy"))


def _delta_jar_names() -> tuple[str, str]:
    v = delta_version()
    return f"delta-spark_{SCALA_BINARY}-{v}.jar", f"delta-storage-{v}.jar"


def delta_jars_installed() -> bool:
    jars = spark_home() / "jars"
    return all((jars / name).is_file() for name in _delta_jar_names())


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


def install_delta_jars() -> Path:
    """Make sure the Delta jars sit in pyspark/jars; resolve them only if the cache lacks them."""
    target = spark_home() / "jars"
    if delta_jars_installed():
        return target
    cached = cache_dir() / "jars"
    wanted = {
        "delta-spark": f"io.delta_delta-spark_{SCALA_BINARY}-{delta_version()}.jar",
        "delta-storage": f"io.delta_delta-storage-{delta_version()}.jar",
    }
    if not all((cached / name).is_file() for name in wanted.values()):
        use_supported_java()
        _resolve_into_cache(delta_coordinates())
    for name, dest in zip(wanted.values(), _delta_jar_names(), strict=True):
        shutil.copyfile(cached / name, target / dest)
    return target
