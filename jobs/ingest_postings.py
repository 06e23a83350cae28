"""Landing postings files (5 formats) -> bronze.postings + quarantine.

Runs locally as `spark-submit jobs/ingest_postings.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.ingest.postings_job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("ingest_postings"))
