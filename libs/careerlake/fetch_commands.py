"""`careerlake fetch`: run the fetch_postings job, on the boards of conf or of a boards file."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from pydantic import ValidationError

from careerlake.entrypoint import print_summary, run_jobs
from careerlake.runtime.arguments import add_run_arguments, load_config_from_args
from careerlake.runtime.config import Boards, Config
from careerlake.runtime.errors import ConfigError


def boards_from_file(path: Path) -> Boards:
    """A YAML file shaped like conf `fetch.boards` (greenhouse, lever, ashby, jsonld_pages, jsonld_sitemaps)."""
    if not path.is_file():
        raise ConfigError(f"{path}: boards file not found")
    try:
        return Boards.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except yaml.YAMLError:
        raise ConfigError(f"{path}: not valid YAML") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ConfigError(f"{path}: key '{where}': {error['msg'].lower()}") from None


def with_boards(config: Config, boards: Boards) -> Config:
    return config.model_copy(update={"fetch": config.fetch.model_copy(update={"boards": boards})})


def _fetch(args: argparse.Namespace) -> None:
    config = load_config_from_args(args)
    if args.boards:
        config = with_boards(config, boards_from_file(Path(args.boards)))
    print_summary(run_jobs(config, ["fetch_postings"], args))


def register(sub: argparse._SubParsersAction) -> None:
    fetch = sub.add_parser(
        "fetch",
        help="fetch the followed boards into landing/postings/<format>/ (job fetch_postings)",
        description="Fetch every board of conf fetch.boards (or of --boards FILE) from the public "
        "Greenhouse, Lever and Ashby APIs and JSON-LD pages; land each new response as "
        "postings/<format>/<board>-<UTC timestamp>.<ext> and record every request in ops.fetch_log. "
        "See docs/fetching.md.",
    )
    fetch.add_argument(
        "--boards",
        metavar="FILE",
        help="YAML file of boards to fetch instead of conf fetch.boards "
        "(keys: greenhouse, lever, ashby, jsonld_pages, jsonld_sitemaps)",
    )
    add_run_arguments(fetch)
    fetch.set_defaults(handler=_fetch)
