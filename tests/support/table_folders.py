"""Tables registered by location: a lakehouse's table folders (or copies of them) under schemas
of another config, on the test session's metastore."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.registry import ALL_TABLES
from careerlake.runtime.config import Config, Schemas
from careerlake.runtime.delta import full_name
from careerlake.runtime.session import local_schema_folder


def register_tables(spark: SparkSession, config: Config, folders: Mapping[str, Path]) -> None:
    """Create each layer's schema of `config` located at `folders[layer]`, and register every
    registry table whose folder there holds a Delta log; a table a job creates lands there too."""
    for layer, location in folders.items():
        spark.sql(f"CREATE SCHEMA {config.schema_for(layer)} LOCATION '{location}'")
        for table in ALL_TABLES:
            if table.layer == layer and (location / table.name / "_delta_log").is_dir():
                spark.sql(
                    f"CREATE TABLE {full_name(config, table)} USING DELTA LOCATION '{location / table.name}'"
                )


def layer_folders(config: Config) -> dict[str, Path]:
    """Each layer's folder in `config`'s local lakehouse, where its tables' folders are."""
    return {layer: local_schema_folder(config, layer) for layer in Schemas.model_fields}
