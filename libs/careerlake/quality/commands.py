"""`careerlake quality report`: the latest run's check results and where the Data Docs are."""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from rich.table import Table as RichTable

from careerlake.registry.ops import QUALITY_RESULTS
from careerlake.runtime.arguments import add_common_arguments, load_config_from_args
from careerlake.runtime.config import Config
from careerlake.runtime.context import console
from careerlake.runtime.delta import full_name
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.session import get_spark

# A run checks a few hundred expectations at most; more rows than this means a bad filter.
MAX_REPORT_ROWS = 2000


def docs_index(config: Config) -> str:
    """The Data Docs site's index page (quality.engine renders the site)."""
    return f"{config.data_docs}/index.html"


def _report(args: argparse.Namespace) -> None:
    config = load_config_from_args(args)
    print_report(get_spark(config), config, args.run_id)


def print_report(spark: SparkSession, config: Config, run_id: str | None = None) -> None:
    """Print one run's results (the latest by default) and the Data Docs index path."""
    name = full_name(config, QUALITY_RESULTS)
    if not spark.catalog.tableExists(name):
        raise CareerLakeError(f"{name} does not exist yet: run a job first")
    results = spark.table(name)
    if run_id is None:
        latest = results.orderBy(F.col("checked_at").desc()).select("run_id").first()
        if latest is None:
            raise CareerLakeError(f"{name} is empty: run a job first")
        run_id = latest["run_id"]
    rows = (
        results.where(F.col("run_id") == run_id)
        .orderBy(F.col("success"), F.desc("severity"), "table_name", "expectation")
        .limit(MAX_REPORT_ROWS)
        .collect()
    )
    if not rows:
        raise CareerLakeError(f"no quality results for run '{run_id}' in {name}")
    table = RichTable(title=f"quality results of run {run_id}")
    for header in ("job", "table", "expectation", "severity", "result", "failing", "observed"):
        table.add_column(header, justify="right" if header == "failing" else "left", overflow="fold")
    for r in rows:
        status = (
            "[green]pass[/]"
            if r["success"]
            else f"[{'red' if r['severity'] == 'critical' else 'yellow'}]fail[/]"
        )
        table.add_row(
            r["job"],
            r["table_name"],
            r["expectation"],
            r["severity"],
            status,
            "" if r["failing_count"] is None else f"{r['failing_count']:,}",
            (r["observed_value"] or "")[:80],
        )
    console.print(table)
    failed = [r for r in rows if not r["success"]]
    critical = sum(1 for r in failed if r["severity"] == "critical")
    console.print(
        f"{len(rows)} check(s): {len(rows) - len(failed)} passed, {critical} critical and "
        f"{len(failed) - critical} warning failure(s)"
    )
    console.print(f"Data Docs: {docs_index(config)}", soft_wrap=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    quality = subparsers.add_parser("quality", help="data-quality results and Data Docs")
    sub = quality.add_subparsers(dest="quality_command", required=True)
    report = sub.add_parser("report", help="print the latest run's check results and the Data Docs path")
    report.add_argument("--run-id", help="show this run instead of the latest")
    add_common_arguments(report)
    report.set_defaults(handler=_report)
