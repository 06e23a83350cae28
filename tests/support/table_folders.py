"""Tables registered by location: a lakehouse's table folders (or copies of them) under schemas
of another config, in a session's catalog (the test session's, or a killed process's own)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS
from careerlake.registry import ALL_TABLES, ops
from careerlake.runtime.config import Config, Schemas
from careerlake.runtime.delta import full_name
from careerlake.runtime.session import local_schema_folder


def register_tables(
    spark: SparkSession,
    config: Config,
    folders: Mapping[str, Path],
    table_ids: Collection[str] | None = None,
) -> None:
    """Create each layer's schema of `config` located at `folders[layer]`, and register every
    registry table (of `table_ids` if given) whose folder there holds a Delta log; a table a job
    creates lands there too."""
    tables = [t for t in ALL_TABLES if table_ids is None or t.id in table_ids]
    for layer, location in folders.items():
        spark.sql(f"CREATE SCHEMA {config.schema_for(layer)} LOCATION '{location}'")
        for table in tables:
            if table.layer == layer and (location / table.name / "_delta_log").is_dir():
                spark.sql(
                    f"CREATE TABLE {full_name(config, table)} USING DELTA LOCATION '{location / table.name}'"
                )


def layer_folders(config: Config) -> dict[str, Path]:
    """Each layer's folder in `config`'s local lakehouse, where its tables' folders are."""
    return {layer: local_schema_folder(config, layer) for layer in Schemas.model_fields}


def job_tables(job: str) -> set[str]:
    """The tables a run of `job` touches: what it reads and writes, and the ops tables every run
    writes. A cold process takes about a tenth of a second per table it registers."""
    spec = JOBS[job]
    return {*spec.reads, *spec.writes, *(t.id for t in ops.TABLES)}
