"""Run a plan of pipeline runs in one process, copying the lakehouse folder between them.

    python tests/support/stage.py PLAN.json --lakehouse LAKEHOUSE --landing LANDING

PLAN.json is a list of steps, in order: `{"run": [job, ...], "run_id": "..."}` runs those jobs
(as `careerlake run` does), `{"copy": "name"}` copies the whole lakehouse folder to `name` beside
PLAN.json. What each run reported is written to `runs.json` there too.

Spark is idle between steps and the Derby metastore writes only when a metastore call commits,
so a copy is what a crash at that point would leave: Derby recovers it on start, as it does
after a SIGKILL. A copy is usable at its own path only by path (the metastore records absolute
table locations); copied back to the lakehouse's path, it is the lakehouse as it was.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from careerlake.entrypoint import job_argument_parser, run_jobs
from careerlake.runtime.arguments import load_config_from_args


def main() -> None:
    plan_file = Path(sys.argv[1])
    args = job_argument_parser("stage").parse_args(sys.argv[2:])
    config = load_config_from_args(args)
    runs = []
    for step in json.loads(plan_file.read_text()):
        if "copy" in step:
            shutil.copytree(config.lakehouse, plan_file.parent / step["copy"], symlinks=True)
            continue
        args.run_id = step["run_id"]
        report = run_jobs(config, step["run"], args)
        steps = [{"job": s.job, "status": s.status, "rows_written": s.rows_written} for s in report.steps]
        runs.append({"run_id": report.run_id, "steps": steps})
        (plan_file.parent / "runs.json").write_text(json.dumps(runs, indent=1) + "\n")


if __name__ == "__main__":
    main()
