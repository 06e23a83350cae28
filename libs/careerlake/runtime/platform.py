"""Every difference between the compute CareerLake runs on, in one place.

Three kinds: `local` (embedded Spark + Delta), Databricks `classic` (a job cluster) and
`serverless` (Spark Connect: no persist, no `sparkContext`, no JVM access). Jobs ask the
platform to cache, pin or stream and never branch on where they run themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pyspark.sql import DataFrame, SparkSession

from careerlake.runtime.config import Config
from careerlake.runtime.errors import CareerLakeError

Kind = Literal["local", "classic", "serverless"]

BINARY_FILE_SCHEMA = "path string, modificationTime timestamp, length bigint, content binary"
# Bounds the file bytes one micro-batch holds; a trigger still drains every new file.
MAX_FILES_PER_TRIGGER = 500
# Beside a file stream's checkpoint on serverless: the new files the stream staged for the client.
STAGED_SUFFIX = ".staged"
# Set by every Databricks runtime (clusters and serverless); Spark Connect clients set SPARK_REMOTE.
DATABRICKS_RUNTIME_ENV_VAR = "DATABRICKS_RUNTIME_VERSION"
SPARK_REMOTE_ENV_VAR = "SPARK_REMOTE"


class WrongPlaceError(CareerLakeError):
    """An environment that needs Databricks, started where there is none."""


def require_compute_for(config: Config) -> None:
    """Refuse a Databricks environment off Databricks before a session exists or anything is written."""
    if not config.on_databricks or {DATABRICKS_RUNTIME_ENV_VAR, SPARK_REMOTE_ENV_VAR} & set(os.environ):
        return
    raise WrongPlaceError(
        f"environment {config.env!r} runs on Databricks only and this machine has no Databricks runtime: "
        f"use --env local here, or deploy the bundle (databricks bundle deploy -t {config.env}) "
        "and run the job in the workspace"
    )


def is_spark_connect(spark: SparkSession) -> bool:
    """True for a Spark Connect session (Databricks serverless, or a local Connect server)."""
    return type(spark).__module__.startswith("pyspark.sql.connect")


@dataclass(frozen=True)
class Platform:
    spark: SparkSession
    config: Config

    @property
    def kind(self) -> Kind:
        if is_spark_connect(self.spark):
            return "serverless"
        return "classic" if self.config.on_databricks else "local"

    @property
    def can_cache(self) -> bool:
        # Only the local session caches: serverless cannot, and on Databricks job clusters a
        # recompute is cheaper than guessing the cluster's memory.
        return self.kind == "local"

    def cache(self, frame: DataFrame) -> DataFrame:
        """`frame`, computed once where the platform can keep it, else recomputed per use."""
        return frame.persist() if self.can_cache else frame

    def release(self, *frames: DataFrame) -> None:
        """Drop what `cache` kept."""
        if self.can_cache:
            for frame in frames:
                frame.unpersist()

    def pin(self, frame: DataFrame) -> DataFrame:
        """`frame` computed now with its lineage cut (locally), so later queries plan over a leaf."""
        return frame.localCheckpoint(eager=True) if self.can_cache else frame

    def landing_stream(self, folder: str) -> DataFrame:
        """New files of `folder` as a stream of (path, modificationTime, length, content).

        Databricks reads them with Auto Loader; locally the binaryFile file source is its twin.
        """
        if self.config.on_databricks:
            reader = (
                self.spark.readStream.format("cloudFiles")
                .option("cloudFiles.format", "binaryFile")
                .option("cloudFiles.maxFilesPerTrigger", MAX_FILES_PER_TRIGGER)
            )
        else:
            reader = (
                self.spark.readStream.format("binaryFile")
                .schema(BINARY_FILE_SCHEMA)
                .option("maxFilesPerTrigger", MAX_FILES_PER_TRIGGER)
            )
        return reader.load(folder)

    def drain_new_files(
        self, folder: str, checkpoint: str, query_name: str, on_batch: Callable[[DataFrame], None]
    ) -> None:
        """Call `on_batch`, in this process, on the files of `folder` the stream at `checkpoint` has not seen.

        Classic and local: foreachBatch of an availableNow stream; the checkpoint commits a batch
        only after `on_batch` returned. Serverless: foreachBatch functions run in a server-side
        Python worker, out of reach of the job's step counts and run report; so the stream only
        appends the new files to a staging Delta table beside its checkpoint (exactly once, by the
        Delta sink's transaction ids), and this process runs `on_batch` on what is staged, then
        empties it. A crash or a failed batch leaves the files staged for the next run, where the
        jobs' insert-only MERGEs make a replay add nothing.
        """
        if self.kind == "serverless":
            self._drain_through_staging(folder, checkpoint, query_name, on_batch)
        else:
            self._drain_through_foreach_batch(folder, checkpoint, query_name, on_batch)

    def _drain_through_foreach_batch(
        self, folder: str, checkpoint: str, query_name: str, on_batch: Callable[[DataFrame], None]
    ) -> None:
        failures: list[BaseException] = []

        def guarded(files: DataFrame, _batch_id: int) -> None:
            try:
                on_batch(files)
            except BaseException as exc:
                failures.append(exc)
                raise

        query = (
            self.landing_stream(folder)
            .writeStream.queryName(query_name)
            .foreachBatch(guarded)
            .option("checkpointLocation", checkpoint)
            .trigger(availableNow=True)
            .start()
        )
        try:
            query.awaitTermination()
        except Exception:
            # Surface our own error (e.g. a quality breach) rather than the stream's wrapper.
            if failures:
                raise failures[0] from None
            raise

    def _drain_through_staging(
        self, folder: str, checkpoint: str, query_name: str, on_batch: Callable[[DataFrame], None]
    ) -> None:
        staging = checkpoint.rstrip("/") + STAGED_SUFFIX
        query = (
            self.landing_stream(folder)
            .writeStream.queryName(query_name)
            .format("delta")
            .outputMode("append")
            .option("checkpointLocation", checkpoint)
            .trigger(availableNow=True)
            .start(staging)
        )
        query.awaitTermination()
        # The sink creates the table with its first batch; none yet means no file was ever new.
        if not Path(staging, "_delta_log").is_dir():
            return
        staged = self.spark.read.format("delta").load(staging)
        if staged.isEmpty():
            return
        on_batch(staged)
        self.spark.sql(f"DELETE FROM delta.`{staging}`")

    def secret(self, scope: str, key: str) -> str | None:
        """A Databricks secret; None off Databricks, where secrets come from the environment."""
        if not self.config.on_databricks:
            return None
        from pyspark.dbutils import DBUtils  # type: ignore[import-not-found]  # only on Databricks

        return DBUtils(self.spark).secrets.get(scope=scope, key=key)
