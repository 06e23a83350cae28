"""silver.* + gold.* -> point-in-time feature tables.

Runs locally as `spark-submit jobs/features.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.features.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("features"))
