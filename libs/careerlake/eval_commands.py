"""`careerlake eval <dataset>`: score a layer's extraction against its labelled evaluation set.

Each dataset maps to a function taking a local SparkSession; add one with an entry in EVALUATIONS.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

from careerlake.runtime.arguments import add_common_arguments, load_config_from_args

# dataset -> "module:function(spark)" (imported lazily so the CLI starts fast)
EVALUATIONS: dict[str, str] = {
    "postings": "careerlake.silver.postings.evaluation:run_eval",
    "career-docs": "careerlake.silver.career_docs.evaluation:run_eval",
}


def _load(entry: str) -> Callable[..., Any]:
    module, function = entry.split(":")
    return getattr(importlib.import_module(module), function)


def _eval(args: argparse.Namespace) -> None:
    from careerlake.runtime.session import get_spark

    config = load_config_from_args(args)
    _load(EVALUATIONS[args.dataset])(get_spark(config, app_name=f"careerlake-eval-{args.dataset}"))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("eval", help="score an extraction against its labelled evaluation set")
    parser.add_argument("dataset", choices=sorted(EVALUATIONS), help="which evaluation set")
    add_common_arguments(parser)
    parser.set_defaults(handler=_eval)
