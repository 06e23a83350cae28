"""Scale benchmark: synthetic landing data -> the whole pipeline, timed, on local Spark + Delta.

Prints rows per second per job and end to end, peak driver memory, files per table, and three
ratios from the same run: full pipeline / copy floor, incremental (+1% new files) / full, and
no-op (nothing new) / full. A script, not a test: it measures, it does not assert.

    python benchmarks/pipeline.py                  # 1,000,000 postings, 10,000 documents
    python benchmarks/pipeline.py --small          # 5,000 postings, 200 documents: a few minutes
    python benchmarks/pipeline.py --postings 100000 --documents 2000 --workdir /tmp/bench
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyspark
from pyspark.sql import SparkSession

from careerlake.entrypoint import job_argument_parser, run_jobs
from careerlake.ingest.synthetic import write_landing
from careerlake.pipeline import pipeline_order
from careerlake.registry import ALL_TABLES
from careerlake.runtime.config import Config, load_config
from careerlake.runtime.context import RunReport, console
from careerlake.runtime.delta import full_name
from careerlake.runtime.session import get_spark

INCREMENT_SHARE = 0.01
SMALL = {"postings": 5_000, "documents": 200}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--small", action="store_true", help=f"{SMALL['postings']:,} postings, a few minutes")
    parser.add_argument("--workdir", help="folder for landing data and lakehouse (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir afterwards")
    args = parser.parse_args()
    if args.small:
        args.postings, args.documents = SMALL["postings"], SMALL["documents"]
    return args


def timed_pipeline(config: Config, run_id: str) -> tuple[float, RunReport]:
    started = time.perf_counter()
    report = run_jobs(
        config, pipeline_order(), job_argument_parser("benchmark").parse_args(["--run-id", run_id])
    )
    return time.perf_counter() - started, report


def copy_floor(spark: SparkSession, landing: Path, target: Path) -> float:
    """The same raw files read and written to Delta with no transforms: the I/O lower bound."""
    started = time.perf_counter()
    (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(str(landing))
        .write.format("delta")
        .mode("overwrite")
        .save(str(target))
    )
    return time.perf_counter() - started


def per_job(report: RunReport) -> dict[str, tuple[int, int, float]]:
    """job -> (rows read, rows written, seconds), summed over the job's steps."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for step in report.steps:
        total = totals[step.job]
        total[0] += step.rows_read
        total[1] += step.rows_written
        total[2] += step.seconds
    return {job: (int(r), int(w), s) for job, (r, w, s) in totals.items()}


def peak_driver_memory_mb(spark: SparkSession) -> tuple[float, float]:
    """(peak JVM heap of the driver, peak RSS of this Python process), in MiB."""
    management = spark.sparkContext._jvm.java.lang.management.ManagementFactory  # type: ignore[union-attr]
    heap = sum(
        pool.getPeakUsage().getUsed()
        for pool in management.getMemoryPoolMXBeans()
        if str(pool.getType()) == "Heap memory"
    )
    python_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return heap / 2**20, python_kib / 1024


def files_per_table(spark: SparkSession, config: Config) -> dict[str, int]:
    files = {}
    for table in ALL_TABLES:
        name = full_name(config, table)
        if spark.catalog.tableExists(name):
            files[table.id] = int(spark.sql(f"DESCRIBE DETAIL {name}").first()["numFiles"])
    return files


def main() -> None:
    args = parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="careerlake-bench-"))
    if workdir.exists() and any(workdir.iterdir()):
        raise SystemExit(f"--workdir {workdir} is not empty: give a new or empty folder")
    landing, lakehouse = workdir / "landing", workdir / "lakehouse"
    console.print(f"workdir: {workdir}")

    started = time.perf_counter()
    write_landing(landing, args.postings, args.documents)
    generate_seconds = time.perf_counter() - started
    config = load_config("local", landing=str(landing), lakehouse=str(lakehouse))
    spark = get_spark(config, app_name="careerlake-benchmark")

    floor_seconds = copy_floor(spark, landing, workdir / "copy_floor")
    full_seconds, full = timed_pipeline(config, "benchmark-full")
    added = max(1, round(args.postings * INCREMENT_SHARE))
    write_landing(
        landing, added, max(1, round(args.documents * INCREMENT_SHARE)), seed=8, first_id=args.postings
    )
    incremental_seconds, incremental = timed_pipeline(config, "benchmark-incremental")
    noop_seconds, _ = timed_pipeline(config, "benchmark-noop")
    heap_mb, python_mb = peak_driver_memory_mb(spark)

    console.rule("benchmark")
    console.print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Spark {pyspark.__version__}"
    )
    console.print(
        f"input: {args.postings:,} postings, {args.documents:,} documents (generated in {generate_seconds:.1f}s)"
    )
    console.print(f"{'job':26} {'rows read':>12} {'rows written':>13} {'seconds':>9} {'rows/s':>10}")
    for job, (read, written, seconds) in per_job(full).items():
        console.print(
            f"{job:26} {read:>12,} {written:>13,} {seconds:>9.1f} {read / max(seconds, 1e-9):>10,.0f}"
        )
    total_input = args.postings + args.documents
    console.print(f"end to end: {full_seconds:.1f}s, {total_input / full_seconds:,.0f} input records/s")
    console.print(f"incremental (+{added:,} postings): {incremental_seconds:.1f}s; rows read by job:")
    for job, (read, _, seconds) in per_job(incremental).items():
        console.print(f"  {job:24} {read:>10,} rows in {seconds:.1f}s")
    console.print(f"peak driver memory: JVM heap {heap_mb:,.0f} MiB, Python RSS {python_mb:,.0f} MiB")
    console.print("files per table (current Delta snapshot):")
    for table_id, count in files_per_table(spark, config).items():
        console.print(f"  {table_id:34} {count:>6}")
    console.print(f"copy floor: {floor_seconds:.1f}s")
    console.print(f"ratio 1, full / copy floor:        {full_seconds / floor_seconds:8.2f}  (aim <= 10)")
    incremental_aim = 0.15 if args.small else 0.1
    console.print(
        f"ratio 2, incremental / full:       {incremental_seconds / full_seconds:8.3f}  (aim <= {incremental_aim})"
    )
    console.print(f"ratio 3, no-op / full:             {noop_seconds / full_seconds:8.3f}  (aim <= 0.05)")
    spark.stop()
    if not args.keep and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
