"""Point-in-time training sets: for each label row at time t, the latest feature row with time <= t.

Locally this is a Spark as-of join (equi-join on the lookup keys, range condition on time,
max of the feature time per label key and time, join back). On Databricks the platform hands
the same lookups to the Feature Engineering client's `create_training_set`.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.config import Config
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.feature_store import FeatureLookup
from careerlake.runtime.platform import Platform


def as_of_join(
    labels: DataFrame,
    feature_rows: DataFrame,
    *,
    keys: Sequence[str],
    label_time: str,
    feature_time: str,
    feature_names: Sequence[str],
) -> DataFrame:
    """Left-join to each label row the feature row of the same keys with the latest time <= label_time."""
    clash = set(feature_names) & set(labels.columns)
    if clash:
        raise CareerLakeError(f"feature columns {sorted(clash)} already exist in the label frame")
    probes = labels.select(*keys, label_time).distinct().alias("l")
    times = feature_rows.select(*keys, F.col(feature_time).alias("_ft")).alias("f")
    on = [F.col(f"l.{k}") == F.col(f"f.{k}") for k in keys]
    latest = (
        probes.join(times, [*on, F.col("f._ft") <= F.col(f"l.{label_time}")])
        .groupBy(*[F.col(f"l.{k}").alias(k) for k in keys], F.col(f"l.{label_time}").alias(label_time))
        .agg(F.max("f._ft").alias("_ft"))
    )
    values = feature_rows.select(*keys, F.col(feature_time).alias("_ft"), *feature_names)
    matched = latest.join(values, [*keys, "_ft"]).drop("_ft")
    # Label rows with a null key or time find no feature row and keep null features.
    return labels.join(matched, [*keys, label_time], "left")


def lookup_as_of(labels: DataFrame, lookup: FeatureLookup, feature_rows: DataFrame) -> DataFrame:
    """`labels` plus the features of `lookup` known at each label row's time."""
    if lookup.table.timeseries_key is None:
        raise CareerLakeError(f"{lookup.table.id} has no timeseries key for a point-in-time lookup")
    return as_of_join(
        labels,
        feature_rows,
        keys=lookup.lookup_key,
        label_time=lookup.timestamp_lookup_key,
        feature_time=lookup.table.timeseries_key,
        feature_names=lookup.features(),
    )


def training_set(
    spark: SparkSession,
    labels: DataFrame,
    lookups: Sequence[FeatureLookup],
    *,
    config: Config,
    label: str | None = None,
    exclude_columns: Sequence[str] = (),
) -> DataFrame:
    """Labels plus the point-in-time features of every lookup (Databricks: its client joins)."""
    return Platform(spark, config).training_set(
        labels, lookups, label=label, exclude_columns=exclude_columns, join=lookup_as_of
    )
