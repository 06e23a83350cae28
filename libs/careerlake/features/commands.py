"""`careerlake features training-set`: write a point-in-time training set to a path."""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession

from careerlake.runtime.arguments import add_common_arguments, load_config_from_args
from careerlake.runtime.config import Config
from careerlake.runtime.context import console

LABEL_TABLES = ("features.posting_features",)


def write_training_set(spark: SparkSession, config: Config, output: str, fmt: str) -> int:
    """Write the salary training set to `output` (replacing it) and return its row count."""
    from careerlake.features.train import salary_training_set

    dataset = salary_training_set(spark, config)
    dataset.write.format(fmt).mode("overwrite").option("overwriteSchema", "true").save(output)
    return spark.read.format(fmt).load(output).count()


def _training_set(args: argparse.Namespace) -> None:
    from careerlake.runtime.session import get_spark

    config = load_config_from_args(args)
    spark = get_spark(config, app_name="careerlake:features-training-set")
    rows = write_training_set(spark, config, args.output, args.format)
    console.print(f"training set: {rows:,} row(s) written to {args.output} ({args.format})")


def register(subparsers: argparse._SubParsersAction) -> None:
    features = subparsers.add_parser("features", help="feature tables: point-in-time training sets")
    commands = features.add_subparsers(dest="features_command", required=True)
    training = commands.add_parser(
        "training-set",
        help="as-of join of labels and feature tables, written as Delta or Parquet",
        description="Salary training set: labels from features.posting_features, each joined to its own "
        "posting features and to features.role_features as of the day before it was posted.",
    )
    training.add_argument(
        "--label-table",
        choices=LABEL_TABLES,
        default=LABEL_TABLES[0],
        help="table the labels come from (default: %(default)s, label label_salary_mid_usd)",
    )
    training.add_argument("--output", required=True, help="folder to write the training set to")
    training.add_argument("--format", choices=("delta", "parquet"), default="delta", help="default: delta")
    add_common_arguments(training)
    training.set_defaults(handler=_training_set)
