"""How the JVMs the tests start compile: a process started for one short Spark run with C1 only, a
test session's JVM with C2 later than a job's.

A JVM that lives for a query or two, or for one job's first commit, ends before C2's code pays
back its compilation. With C1 alone a killed `silver_postings` process used 44.5 s of the
machine's CPU instead of 62.0 s and the local Connect test's process 24.8 s instead of 35.6 s,
each in less wall time. A test session's JVM lives for the whole suite but runs hundreds of small
jobs, each over different code: with C2's thresholds three times higher again (on top of the
local sessions' `-XX:CompileThresholdScaling=4`), the gold and features job tests in one session
spent 35 to 36 s in C2 instead of 65 to 72 s, in the same wall time (docs/benchmarks.md). The
options change how a JVM compiles, not what it runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

C1_ONLY = "-XX:TieredStopAtLevel=1"
# HotSpot's tier-4 (C2) thresholds, three times their defaults.
C2_LATER = (
    "-XX:Tier4InvocationThreshold=15000 -XX:Tier4MinInvocationThreshold=1800 "
    "-XX:Tier4CompileThreshold=45000 -XX:Tier4BackEdgeThreshold=120000"
)
# Where Spark's launcher takes extra options for the JVM it starts: spark-submit's driver (jobs,
# the SQL shell, the Thrift server, pyspark) and beeline. JAVA_TOOL_OPTIONS would also make the
# JVM print a line on stderr, which tests read.
LAUNCHER_OPTIONS = ("SPARK_SUBMIT_OPTS", "SPARK_BEELINE_OPTS")


def _with(options: str, env: Mapping[str, str]) -> dict[str, str]:
    return {name: " ".join(filter(None, (env.get(name), options))) for name in LAUNCHER_OPTIONS}


def short_lived_jvm(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The launcher's option variables of `env` (this process's environment by default) with
    C1_ONLY added: to add to the environment of a process that starts a short-lived JVM."""
    return _with(C1_ONLY, os.environ if env is None else env)


@contextmanager
def launching_test_session_jvm() -> Iterator[None]:
    """While a test session's Spark JVM starts in this process: C2_LATER in the launcher's options."""
    before = {name: os.environ.get(name) for name in LAUNCHER_OPTIONS}
    os.environ.update(_with(C2_LATER, os.environ))
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
