"""Every difference between the compute CareerLake runs on, in one place.

Three kinds: `local` (embedded Spark + Delta), Databricks `classic` (a job cluster) and
`serverless` (Spark Connect: no persist, no `sparkContext`, no JVM access). Jobs ask the
platform to cache, pin or stream and never branch on where they run themselves.

Serverless keeps a frame by staging it: written once as scratch Parquet files under the
checkpoints folder (a Volume on Databricks) and read back, the stand-in for `checkpoint` there;
the job's end drops what it staged.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pyspark.sql import DataFrame, SparkSession

from careerlake.registry import Table
from careerlake.runtime import feature_store
from careerlake.runtime.config import Config
from careerlake.runtime.delta import latest_version, local_latest_version, merge_into, read_source
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.feature_store import FeatureLookup

Kind = Literal["local", "classic", "serverless"]

BINARY_FILE_SCHEMA = "path string, modificationTime timestamp, length bigint, content binary"
# Bounds the file bytes one micro-batch holds; a trigger still drains every new file.
MAX_FILES_PER_TRIGGER = 500
# Beside a file stream's checkpoint on serverless: the new files the stream staged for the client.
STAGED_SUFFIX = ".staged"
# Set by every Databricks runtime (clusters and serverless); Spark Connect clients set SPARK_REMOTE.
DATABRICKS_RUNTIME_ENV_VAR = "DATABRICKS_RUNTIME_VERSION"
SPARK_REMOTE_ENV_VAR = "SPARK_REMOTE"
# Under the checkpoints folder: the frames serverless stages for `cache` and `pin`.
SCRATCH_FOLDER = "_scratch"


# Joins one lookup's stored feature rows to the labels as of each label's time.
PointInTimeJoin = Callable[[DataFrame, FeatureLookup, DataFrame], DataFrame]


class JobEnd(Protocol):
    """What runs actions when the job ends (the run report)."""

    def collect_until_job_end(self, key: str, item: Any, action: Callable[[list[Any]], None]) -> None: ...


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


def _drop_staged(folders: list[str]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Platform:
    spark: SparkSession
    config: Config
    # Drops staged frames when the job ends; without it serverless recomputes instead of staging.
    job_end: JobEnd | None = None

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

    @property
    def stages(self) -> bool:
        # Through Connect a recompute re-sends and re-runs the whole plan: about 10x the classic
        # time on the sample's multi-use frames, against one Parquet write and read.
        return self.kind == "serverless" and self.job_end is not None

    @property
    def pins_until_job_end(self) -> bool:
        """True where `pin` computes the frame with an action (which can count what the frame
        observes) and keeps it until the job ends: a local checkpoint, or a staged table on
        serverless."""
        return self.stages or self.can_cache

    def latest_version(self, table: Table) -> int | None:
        """The table's latest Delta version, None when it does not exist: read off its commit
        files locally, `DESCRIBE HISTORY` elsewhere (Unity Catalog gives no path to list)."""
        if self.kind == "local":
            return local_latest_version(self.spark, self.config, table)
        return latest_version(self.spark, self.config, table)

    def cache(self, frame: DataFrame) -> DataFrame:
        """`frame`, computed once where the platform can keep it, else recomputed per use."""
        return self._stage(frame) if self.stages else self.cache_read(frame)

    def cache_read(self, frame: DataFrame) -> DataFrame:
        """A table read that a job uses several times: kept in memory where the platform can
        cache, so each later use skips the Delta file listing and scan; elsewhere read per use
        (staging a copy would cost a write to save a read)."""
        return frame.persist() if self.can_cache else frame

    def release(self, *frames: DataFrame) -> None:
        """Drop what `cache` or `cache_read` kept."""
        if self.can_cache:
            for frame in frames:
                frame.unpersist()

    def pin(self, frame: DataFrame) -> DataFrame:
        """`frame` computed now with its lineage cut (locally, staged on serverless), so later
        queries plan over a leaf."""
        if self.stages:
            return self._stage(frame)
        return frame.localCheckpoint(eager=True) if self.can_cache else frame

    def _stage(self, frame: DataFrame) -> DataFrame:
        """`frame` written to scratch Parquet files and read back; dropped when the job ends.

        Parquet, not a Delta table: the job that writes the folder is its only reader and deletes
        it at its end, so a transaction log would only add a commit and, on every read, a
        snapshot (a warm Connect run of the sample took 0.67 of its time without them,
        docs/benchmarks.md). The reader gets the schema, so it runs no job to infer one and an
        empty frame reads back empty.
        """
        assert self.job_end is not None
        folder = f"{self.config.checkpoints.rstrip('/')}/{SCRATCH_FOLDER}/{uuid.uuid4().hex}"
        self.job_end.collect_until_job_end(SCRATCH_FOLDER, folder, _drop_staged)
        schema = frame.schema
        frame.write.parquet(folder)
        return self.spark.read.schema(schema).parquet(folder)

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

    def write_feature_table(
        self,
        table: Table,
        batch: DataFrame,
        rows: int,
        *,
        update_condition: str,
        delete_unmatched: bool | str = False,
        stale: DataFrame | None = None,
    ) -> int:
        """Write a checked batch of `rows` rows of a feature table; return the rows written and
        deleted. The stored rows the batch recomputes whole and no longer holds are deleted:
        `delete_unmatched` and `stale` as in `merge_into`.

        Databricks: through the Feature Engineering client, after registering the table with its
        TIMESERIES key in Unity Catalog. Elsewhere: a MERGE on the keys updating rows where
        `update_condition` holds, deleting in the same commit.
        """
        if not self.config.on_databricks:
            return merge_into(
                self.spark,
                self.config,
                table,
                batch,
                update_condition=update_condition,
                delete_unmatched=delete_unmatched,
                stale=stale,
                rows=rows,
            )
        feature_store.register_feature_table(self.spark, self.config, table)
        feature_store.write_feature_table(self.config, table, batch)
        if not delete_unmatched and stale is None:
            return rows
        # The client's merge mode only upserts: the deletions follow in a MERGE of their own, in
        # which every batch row, written just before, matches and is left as it is.
        return rows + merge_into(
            self.spark,
            self.config,
            table,
            batch,
            update_condition="false",
            delete_unmatched=delete_unmatched,
            stale=stale,
        )

    def training_set(
        self,
        labels: DataFrame,
        lookups: Sequence[FeatureLookup],
        *,
        label: str | None,
        exclude_columns: Sequence[str],
        join: PointInTimeJoin,
    ) -> DataFrame:
        """`labels` plus each lookup's features as of the label time: Databricks' client joins
        there; elsewhere `join` does, over the stored feature tables."""
        if self.config.on_databricks:
            return feature_store.create_training_set(
                self.config, labels, lookups, label=label, exclude_columns=exclude_columns
            )
        result = labels
        for lookup in lookups:
            stored = read_source(self.spark, self.config, lookup.table, "the features job")
            result = join(result, lookup, stored)
        return result.drop(*exclude_columns)
