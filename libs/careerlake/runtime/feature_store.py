"""The Databricks side of the feature tables: the Feature Engineering client, which
`Platform` uses on Databricks only, and the lookups a training set is made of.

`databricks_feature_specs` and `databricks_lookup_specs` are pure: they build the exact
arguments handed to `FeatureEngineeringClient.create_table` and `FeatureLookup`, so tests
check them without a workspace. `feature_table_problems` reads back what Unity Catalog
recorded (databricks-sdk `tables.get`); tests run it against a local REST stand-in. The client
is imported lazily: `databricks-feature-engineering` ships with Databricks Runtime ML and is
not a dependency of this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyspark.sql import DataFrame, SparkSession

from careerlake.registry import Table, features
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name
from careerlake.runtime.errors import CareerLakeError

if TYPE_CHECKING:
    from databricks.sdk import WorkspaceClient


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


def primary_keys(table: Table) -> list[str]:
    """Unity Catalog wants the timeseries column inside the primary key."""
    keys = list(table.keys)
    if table.timeseries_key and table.timeseries_key not in keys:
        keys.append(table.timeseries_key)
    return keys


def databricks_feature_specs(
    config: Config, tables: Sequence[Table] = features.TABLES
) -> list[dict[str, Any]]:
    """Keyword arguments of `FeatureEngineeringClient().create_table(**spec)` for each feature table."""
    return [
        {
            "name": full_name(config, table),
            "primary_keys": primary_keys(table),
            "timeseries_columns": [table.timeseries_key] if table.timeseries_key else None,
            "schema": table.schema,
            "description": table.comment,
        }
        for table in tables
    ]


def databricks_lookup_specs(config: Config, lookups: Sequence[FeatureLookup]) -> list[dict[str, Any]]:
    """Keyword arguments of `FeatureLookup(**spec)` for each local lookup."""
    return [
        {
            "table_name": full_name(config, lookup.table),
            "lookup_key": list(lookup.lookup_key),
            "timestamp_lookup_key": lookup.timestamp_lookup_key,
            "feature_names": lookup.features(),
        }
        for lookup in lookups
    ]


def primary_key_sql(config: Config, table: Table) -> str:
    """UC primary key constraint with the TIMESERIES marker on the time column."""
    columns = ", ".join(
        f"`{k}` TIMESERIES" if k == table.timeseries_key else f"`{k}`" for k in primary_keys(table)
    )
    return f"ALTER TABLE {full_name(config, table)} ADD CONSTRAINT {table.name}_pk PRIMARY KEY ({columns})"


def _client() -> Any:
    try:
        from databricks.feature_engineering import FeatureEngineeringClient
    except ImportError:
        raise CareerLakeError(
            "databricks-feature-engineering is not installed: use a Databricks Runtime ML cluster "
            "or add it to the job's libraries"
        ) from None
    return FeatureEngineeringClient()


def _has_primary_key(spark: SparkSession, config: Config, table: Table) -> bool:
    rows = spark.sql(
        f"SELECT 1 FROM {config.catalog}.information_schema.table_constraints "
        f"WHERE table_schema = '{config.schemas.features}' AND table_name = '{table.name}' "
        "AND constraint_type = 'PRIMARY KEY' LIMIT 1"
    )
    return not rows.isEmpty()


def feature_table_problems(
    w: WorkspaceClient, config: Config, tables: Sequence[Table] = features.TABLES
) -> list[str]:
    """What Unity Catalog records against each feature table's contract; empty when all match.

    A table whose primary key lacks the TIMESERIES column still works as a feature table, but
    `FeatureLookup(timestamp_lookup_key=...)` then joins its latest values instead of those
    known at the label time: leakage no error would show.
    """
    from databricks.sdk.errors import NotFound

    problems: list[str] = []
    for table in tables:
        name = full_name(config, table)
        try:
            info = w.tables.get(name)
        except NotFound:
            problems.append(f"{name}: not in Unity Catalog (run the features job)")
            continue
        missing = [c for c in table.schema.fieldNames() if c not in {col.name for col in info.columns or []}]
        if missing:
            problems.append(f"{name}: columns missing: {', '.join(missing)}")
        keys = [c.primary_key_constraint for c in info.table_constraints or [] if c.primary_key_constraint]
        if not keys:
            problems.append(f"{name}: no primary key, so it is not a feature table")
            continue
        if sorted(keys[0].child_columns) != sorted(primary_keys(table)):
            problems.append(
                f"{name}: primary key is ({', '.join(keys[0].child_columns)}), "
                f"expected ({', '.join(primary_keys(table))})"
            )
        timeseries = keys[0].timeseries_columns or []
        expected = [table.timeseries_key] if table.timeseries_key else []
        if timeseries != expected:
            problems.append(
                f"{name}: TIMESERIES column is {timeseries or 'missing'}, expected {expected or 'none'}"
            )
    return problems


def register_feature_table(spark: SparkSession, config: Config, table: Table) -> None:
    """Create the UC feature table with the client if missing, give it its TIMESERIES key, check UC."""
    from databricks.sdk import WorkspaceClient

    spec = next(s for s in databricks_feature_specs(config, [table]))
    if not spark.catalog.tableExists(spec["name"]):
        _client().create_table(**spec)
    if not _has_primary_key(spark, config, table):
        spark.sql(primary_key_sql(config, table))
    problems = feature_table_problems(WorkspaceClient(), config, [table])
    if problems:
        raise CareerLakeError("; ".join(problems))


def write_feature_table(config: Config, table: Table, batch: DataFrame) -> None:
    _client().write_table(name=full_name(config, table), df=batch, mode="merge")


def create_training_set(
    config: Config,
    labels: DataFrame,
    lookups: Sequence[FeatureLookup],
    *,
    label: str | None,
    exclude_columns: Sequence[str],
) -> DataFrame:
    from databricks.feature_engineering import FeatureLookup as DatabricksLookup

    specs = [DatabricksLookup(**spec) for spec in databricks_lookup_specs(config, lookups)]
    training = _client().create_training_set(
        df=labels, feature_lookups=specs, label=label, exclude_columns=list(exclude_columns)
    )
    return training.load_df()
