"""`careerlake`: run jobs, query the lakehouse, and reach every other tool of the project.

Each area adds its commands from its own module (see COMMAND_MODULES) with a
`register(subparsers)` function, so this file stays small.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from careerlake.entrypoint import guarded, print_summary, run_jobs
from careerlake.runtime.arguments import add_common_arguments, add_run_arguments, load_config_from_args
from careerlake.runtime.config import Config
from careerlake.runtime.context import console
from careerlake.runtime.errors import CareerLakeError

COMMAND_MODULES: tuple[str, ...] = (
    "careerlake.sql.commands",
    "careerlake.ops.commands",
    "careerlake.quality.commands",
    "careerlake.features.commands",
    "careerlake.eval_commands",
    "careerlake.fetch_commands",
)


def _run(args: argparse.Namespace) -> None:
    from careerlake.pipeline import get_job, pipeline_order

    if args.all == bool(args.job):
        raise CareerLakeError("give a job name or --all (not both)")
    jobs = pipeline_order() if args.all else [get_job(args.job).name]
    print_summary(run_jobs(load_config_from_args(args), jobs, args))


def _jobs(_: argparse.Namespace) -> None:
    from careerlake.pipeline import JOBS, pipeline_order

    order = pipeline_order()
    for spec in JOBS.values():
        where = f"step {order.index(spec.name) + 1}" if spec.name in order else "on demand"
        console.print(f"[bold]{spec.name:26}[/] {where:9} {spec.description}")


def _setup(args: argparse.Namespace) -> None:
    from careerlake.runtime.delta import ensure_tables
    from careerlake.runtime.jars import install_local_jars
    from careerlake.runtime.session import get_spark

    config: Config = load_config_from_args(args)
    if not config.on_databricks:
        console.print(f"Delta and local file system jars in {install_local_jars()}")
    ensure_tables(get_spark(config), config)
    console.print(f"every registry table exists ({config.env})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerlake", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one job, or the whole pipeline with --all")
    run.add_argument("job", nargs="?", help="job name (see `careerlake jobs`)")
    run.add_argument("--all", action="store_true", help="run every pipeline job in dependency order")
    add_run_arguments(run)
    run.set_defaults(handler=_run)

    jobs = sub.add_parser("jobs", help="list the jobs and their order")
    jobs.set_defaults(handler=_jobs)

    setup = sub.add_parser(
        "setup", help="cache the local jars (Delta, the local file system) and create every registry table"
    )
    add_common_arguments(setup)
    setup.set_defaults(handler=_setup)

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return guarded(lambda: args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
