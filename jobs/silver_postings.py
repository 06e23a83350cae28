"""bronze.postings -> silver.postings (normalized, deduplicated) + SCD2 history.

Runs locally as `spark-submit jobs/silver_postings.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.silver.postings.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("silver_postings"))
