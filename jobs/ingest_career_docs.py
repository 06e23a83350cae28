"""Landing career documents -> bronze.career_docs + quarantine.

Runs locally as `spark-submit jobs/ingest_career_docs.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.ingest.career_docs_job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("ingest_career_docs"))
