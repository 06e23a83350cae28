"""The local Python worker daemon: pyspark's own, without the archives Spark puts on its path.

Spark starts Python workers with pyspark.zip, py4j's zip and the spark-core jar first on their
PYTHONPATH. With pyspark installed as a package nothing is imported from them, yet every Python
task calls `importlib.invalidate_caches()`, and Python 3.11's zip importer then re-reads each
archive's whole directory (spark-core's holds about 5,300 entries): about 15 ms per task, and in
a sample run 10 of the 18 s of Python-worker CPU (docs/benchmarks.md). Locally,
`spark.python.daemon.module` names this module (runtime.session); Databricks keeps its own.
"""

from __future__ import annotations

import runpy
import sys

ARCHIVE_SUFFIXES = (".zip", ".jar")


def main() -> None:
    # Files a job adds with addPyFile are put on the path by each task later, so they still count.
    archives = [entry for entry in sys.path if entry.endswith(ARCHIVE_SUFFIXES)]
    sys.path[:] = [entry for entry in sys.path if entry not in archives]
    # Importing this module already made a zip importer for each; invalidating caches visits
    # every importer cached, on the path or not.
    for entry in archives:
        sys.path_importer_cache.pop(entry, None)
    runpy.run_module("pyspark.daemon", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
