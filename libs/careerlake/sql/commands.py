"""`careerlake sql`, `sql-shell`, `sql-server`: query the lakehouse the jobs wrote."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pyspark.sql import DataFrame
from rich.table import Table as RichTable

from careerlake.runtime.arguments import add_common_arguments, load_config_from_args
from careerlake.runtime.config import Config
from careerlake.runtime.context import console
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.java import use_supported_java
from careerlake.runtime.lakehouse_lock import lock_lakehouse
from careerlake.runtime.session import get_spark, local_spark_conf
from careerlake.runtime.spark_home import local_spark_home


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def print_result(df: DataFrame, fmt: str, max_rows: int) -> int:
    """Print a query result; rows stream from the executors, never the whole table at once."""
    columns = df.columns
    rows = df.limit(max_rows).toLocalIterator() if max_rows > 0 else df.toLocalIterator()
    count = 0
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([json.dumps(_plain(v)) if isinstance(v, list | dict) else _plain(v) for v in row])
            count += 1
    elif fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, map(_plain, row), strict=True))) + "\n")
            count += 1
    else:
        table = RichTable(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("NULL" if v is None else str(_plain(v)) for v in row))
            count += 1
        console.print(table)
        console.print(f"{count} row(s)")
    return count


def _sql(args: argparse.Namespace) -> None:
    config = load_config_from_args(args)
    query = args.query if args.query != "-" else sys.stdin.read()
    if args.file:
        query = open(args.file, encoding="utf-8").read()  # noqa: SIM115 - read once, closed at exit
    if not query or not query.strip():
        raise CareerLakeError("no query given: pass a SQL string, --file PATH or - for standard input")
    print_result(get_spark(config).sql(query), args.format, args.max_rows)


def spark_sql_command(config: Config, extra: list[str]) -> list[str]:
    """The `spark-sql` command line of the shell, with the lakehouse's own settings."""
    if config.on_databricks:
        raise CareerLakeError("sql-shell runs on the local lakehouse only; on Databricks use Databricks SQL")
    use_supported_java()
    command = [str(local_spark_home() / "bin" / "spark-sql"), "--master", "local[*]"]
    for key, value in local_spark_conf(config.lakehouse, config.spark.shuffle_partitions).items():
        command += ["--conf", f"{key}={value}"]
    return command + extra


def _shell(args: argparse.Namespace) -> None:
    # argparse keeps the "--" that lets spark-sql options such as -e/-f follow ours; spark-sql must not see it.
    extra = args.spark_sql_args[1:] if args.spark_sql_args[:1] == ["--"] else args.spark_sql_args
    config = load_config_from_args(args)
    command = spark_sql_command(config, extra)
    # spark-sql replaces this process and keeps the lock until it exits.
    lock_lakehouse(config.lakehouse, keep_across_exec=True)
    os.environ["SPARK_HOME"] = str(local_spark_home())
    os.execv(command[0], command)


def _server(args: argparse.Namespace) -> None:
    from careerlake.sql.thrift import jdbc_url, server_environment, thrift_server_command

    config = load_config_from_args(args)
    command = thrift_server_command(config, args.port)
    lock_lakehouse(config.lakehouse, keep_across_exec=True)
    console.print(f"Thrift JDBC/ODBC server on {jdbc_url(args.port)} (Ctrl-C stops it)")
    os.execve(command[0], command, server_environment(args.port))


def register(sub: argparse._SubParsersAction) -> None:
    sql = sub.add_parser("sql", help="run one SQL query on the lakehouse and print the result")
    sql.add_argument("query", nargs="?", default="", help="SQL text, or - to read standard input")
    sql.add_argument("--file", help="read the query from a .sql file")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--max-rows", type=int, default=1000, help="print at most this many rows (0: all)")
    add_common_arguments(sql)
    sql.set_defaults(handler=_sql)

    shell = sub.add_parser("sql-shell", help="interactive spark-sql shell on the same metastore")
    add_common_arguments(shell)
    shell.add_argument(
        "spark_sql_args",
        nargs=argparse.REMAINDER,
        help="extra spark-sql arguments after --, e.g. -- -e 'SHOW TABLES'",
    )
    shell.set_defaults(handler=_shell)

    server = sub.add_parser(
        "sql-server", help="JDBC/ODBC (Spark Thrift) endpoint on 127.0.0.1 for beeline, DBeaver, ..."
    )
    server.add_argument("--port", type=int, default=10000, help="TCP port on 127.0.0.1 (default: 10000)")
    add_common_arguments(server)
    server.set_defaults(handler=_server)
