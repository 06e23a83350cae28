"""Point-in-time training sets: for each label row at time t, the latest feature row with time <= t.

Locally this is a Spark as-of join (equi-join on the lookup keys, range condition on time,
max of the feature time per label key and time, join back). On Databricks the same lookups
go to the Feature Engineering client's `create_training_set`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.registry import Table
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name
from careerlake.runtime.errors import CareerLakeError, MissingSourceError


@dataclass(frozen=True)
class FeatureLookup:
    """What to pull from one feature table; mirrors databricks.feature_engineering.FeatureLookup."""

    table: Table
    lookup_key: tuple[str, ...]
    timestamp_lookup_key: str
    feature_names: tuple[str, ...] | None = None

    def features(self) -> list[str]:
        if self.feature_names is not None:
            return list(self.feature_names)
        skip = {*self.table.keys, self.table.timeseries_key}
        return [c for c in self.table.column_names if c not in skip and not c.startswith("label_")]


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


def training_set(
    spark: SparkSession,
    labels: DataFrame,
    lookups: Sequence[FeatureLookup],
    *,
    config: Config,
    label: str | None = None,
    exclude_columns: Sequence[str] = (),
) -> DataFrame:
    """Labels plus the point-in-time features of every lookup; Databricks uses its client."""
    if config.on_databricks:
        from careerlake.features.databricks import create_training_set

        return create_training_set(config, labels, lookups, label=label, exclude_columns=exclude_columns)
    result = labels
    for lookup in lookups:
        name = full_name(config, lookup.table)
        if not spark.catalog.tableExists(name):
            raise MissingSourceError(f"feature table {name} does not exist: run the features job first")
        if lookup.table.timeseries_key is None:
            raise CareerLakeError(f"{lookup.table.id} has no timeseries key for a point-in-time lookup")
        result = as_of_join(
            result,
            spark.table(name),
            keys=lookup.lookup_key,
            label_time=lookup.timestamp_lookup_key,
            feature_time=lookup.table.timeseries_key,
            feature_names=lookup.features(),
        )
    return result.drop(*exclude_columns)
