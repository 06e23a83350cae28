"""Dump what a pipeline run wrote, to compare two runs row for row.

    python tests/support/lakehouse_snapshot.py LAKEHOUSE OUT.json

Every table the pipeline writes, read by path from LAKEHOUSE, minus the columns that say when or
by which run a row was written (`chaos.VOLATILE`), rows sorted. Two runs of the same code on the
same landing files give the same file; a restructure that changes nothing the pipeline writes
does too. The reading session runs on a scratch lakehouse of its own, so LAKEHOUSE's metastore
stays free.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.session import get_spark

# Run as a script, this folder is on the path but `tests/` (where `support` lives) is not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.chaos import contents, lakehouse_at


def snapshot(lakehouse: Path) -> dict[str, list[str]]:
    target = lakehouse_at(lakehouse)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as scratch:
        spark = get_spark(lakehouse_at(Path(scratch)).config, app_name="lakehouse-snapshot")
        tables = sorted({t for name in pipeline_order() for t in JOBS[name].writes})
        return {t: [repr(row) for row in contents(spark, target, get_table(t))] for t in tables}


def main() -> None:
    lakehouse, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    tables = snapshot(lakehouse)
    out.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n")
    print(f"{out}: {len(tables)} tables, {sum(map(len, tables.values()))} rows")


if __name__ == "__main__":
    main()
