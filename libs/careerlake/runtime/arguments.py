"""The command-line arguments every command shares, and the config they select.

Every `careerlake` command and every `jobs/<job>.py` takes the same environment and folder
arguments; a job run adds the run's date, id and refresh mode.
"""

from __future__ import annotations

import argparse
from datetime import date

from careerlake.runtime.config import ENVIRONMENTS, Config, load_config


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", choices=ENVIRONMENTS, help="environment (default: $CAREERLAKE_ENV or local)")
    parser.add_argument("--landing", help="landing root holding postings/<format>/ and career_docs/")
    parser.add_argument("--lakehouse", help="local lakehouse folder (metastore, warehouse, checkpoints)")
    parser.add_argument(
        "--schema-prefix",
        help="put before every conf schema name, e.g. the dev_<user>_ of a development-mode deploy "
        "(default: $CAREERLAKE_SCHEMA_PREFIX or none)",
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--run-date", type=date.fromisoformat, help="logical date of the run (YYYY-MM-DD)")
    parser.add_argument("--run-id", help="run id shared by the tasks of one workflow run")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="reprocess every upstream row instead of the increment (backfills)",
    )


def load_config_from_args(args: argparse.Namespace) -> Config:
    return load_config(
        args.env, landing=args.landing, lakehouse=args.lakehouse, schema_prefix=args.schema_prefix
    )
