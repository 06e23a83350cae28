"""The one switch between Databricks Auto Loader and its local twin, the binaryFile file source."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from careerlake.runtime.config import Config

BINARY_FILE_SCHEMA = "path string, modificationTime timestamp, length bigint, content binary"
# Bounds the file bytes one micro-batch holds; a trigger still drains every new file.
MAX_FILES_PER_TRIGGER = 500


def landing_stream(spark: SparkSession, config: Config, folder: str) -> DataFrame:
    """New files of `folder` as a stream of (path, modificationTime, length, content)."""
    if config.on_databricks:
        reader = (
            spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "binaryFile")
            .option("cloudFiles.maxFilesPerTrigger", MAX_FILES_PER_TRIGGER)
        )
    else:
        reader = (
            spark.readStream.format("binaryFile")
            .schema(BINARY_FILE_SCHEMA)
            .option("maxFilesPerTrigger", MAX_FILES_PER_TRIGGER)
        )
    return reader.load(folder)
