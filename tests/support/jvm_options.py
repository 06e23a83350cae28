"""How the JVMs the tests start for one short Spark run compile: with C1 only.

A JVM that lives for a query or two, or for one job's first commit, ends before C2's code pays
back its compilation. With C1 alone a killed `silver_postings` process used 44.5 s of the
machine's CPU instead of 62.0 s and the local Connect test's process 24.8 s instead of 35.6 s,
each in less wall time (docs/benchmarks.md). The option changes how a JVM compiles, not what it
runs. Every local Spark JVM already compiles with C2 later than HotSpot's default
(`careerlake.runtime.session`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

C1_ONLY = "-XX:TieredStopAtLevel=1"
# Where Spark's launcher takes extra options for the JVM it starts: spark-submit's driver (jobs,
# the SQL shell, the Thrift server, pyspark) and beeline. JAVA_TOOL_OPTIONS would also make the
# JVM print a line on stderr, which tests read.
LAUNCHER_OPTIONS = ("SPARK_SUBMIT_OPTS", "SPARK_BEELINE_OPTS")


def short_lived_jvm(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The launcher's option variables of `env` (this process's environment by default) with
    C1_ONLY added: to add to the environment of a process that starts a short-lived JVM."""
    source = os.environ if env is None else env
    return {name: " ".join(filter(None, (source.get(name), C1_ONLY))) for name in LAUNCHER_OPTIONS}
