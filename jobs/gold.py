"""silver.* -> gold analyst tables.

Runs locally as `spark-submit jobs/gold.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.gold.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("gold"))
