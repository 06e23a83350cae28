"""bronze.career_docs -> documents, comments, mentions, transitions, guides.

Runs locally as `spark-submit jobs/silver_career_docs.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.silver.career_docs.job`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("silver_career_docs"))
