"""Public board APIs and JSON-LD pages of conf fetch.boards -> landing files + ops.fetch_log.

Runs locally as `spark-submit jobs/fetch_postings.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.sources.fetch.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("fetch_postings"))
