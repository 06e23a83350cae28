"""Held-out transitions -> most-likely-next-role baseline (hit@3 report).

Runs locally as `spark-submit jobs/train_next_role_baseline.py --env local` and on Databricks as a
`spark_python_task` with the same arguments; the logic lives in `careerlake.features.train`.
"""

import sys

from careerlake.entrypoint import main

if __name__ == "__main__":
    sys.exit(main("train_next_role_baseline"))
