"""Sample-run benchmark: the whole pipeline on the bundled sample vs one bare Spark + Delta write.

Both sides are whole `careerlake` processes with a fresh lakehouse each, run in turn (A B A B
...) so the ratio of each pair is measured under the same machine load; prints each side's
median and the median of the pairwise ratios. A script, not a test: it measures, it does not
assert.

    python benchmarks/sample_run.py              # 3 pairs
    python benchmarks/sample_run.py --pairs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CAREERLAKE = [sys.executable, "-m", "careerlake.cli"]
BARE_WRITE = "CREATE TABLE default.t USING delta AS SELECT 1 AS a"
AIM = 3.0


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=3, help="A/B pairs to run (default 3)")
    args = parser.parse_args()
    runs, bares = [], []
    with tempfile.TemporaryDirectory(prefix="careerlake-sample-bench-") as workdir:
        for i in range(args.pairs):
            run_lakehouse, bare_lakehouse = Path(workdir, f"run{i}"), Path(workdir, f"bare{i}")
            runs.append(timed([*CAREERLAKE, "run", "--all", "--lakehouse", str(run_lakehouse)]))
            bares.append(timed([*CAREERLAKE, "sql", "--lakehouse", str(bare_lakehouse), BARE_WRITE]))
            print(f"pair {i + 1}: run --all {runs[-1]:.1f}s, bare write {bares[-1]:.1f}s", flush=True)
    ratios = [r / b for r, b in zip(runs, bares, strict=True)]
    print(f"careerlake run --all on the sample, fresh lakehouse: median {statistics.median(runs):.1f}s")
    print(f"one Spark start writing one Delta table:             median {statistics.median(bares):.1f}s")
    print(f"sample-run ratio, run --all / bare write: {statistics.median(ratios):.2f} (aim <= {AIM:g})")


if __name__ == "__main__":
    main()
