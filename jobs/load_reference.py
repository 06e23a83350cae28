"""Taxonomies and FX rates shipped with the package -> reference.*.

Runs locally as `spark-submit jobs/load_reference.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.reference.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("load_reference"))
