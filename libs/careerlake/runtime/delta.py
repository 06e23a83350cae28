"""Delta Lake writes done one way everywhere: tables created from the registry, MERGE on keys.

Every write is a single Delta commit (atomic: nothing half-written after a crash) and a
MERGE on the table's natural keys (idempotent: re-running a batch changes nothing); locally, the
first write of a table the process has just created is an append, which is what that MERGE
would do. Concurrent-writer conflicts are retried with bounded exponential backoff.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse
from urllib.request import url2pathname

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.registry import ALL_TABLES, Table
from careerlake.registry.table import CHANGE_FEED_PROPERTY
from careerlake.runtime.config import Config
from careerlake.runtime.errors import MissingSourceError, WriteConflictError
from careerlake.runtime.sql_text import sql_string

T = TypeVar("T")
MAX_ATTEMPTS = 6
# Delta's optimistic-concurrency conflicts (ConcurrentAppend/DeleteRead/DeleteDelete/Transaction/
# Write, MetadataChanged, ProtocolChanged): the error classes carry them through Spark Connect too.
CONFLICT_ERROR_CLASSES = ("DELTA_CONCURRENT_", "DELTA_METADATA_CHANGED", "DELTA_PROTOCOL_CHANGED")
BASE_BACKOFF_SECONDS = 0.5
# merge_into's source column that marks a stale key (a row to delete), never a table column.
_STALE = "_careerlake_stale"
# A batch of up to this many rows is handled in one task where that saves stages or files: a new
# table's first write (`_append_to_empty`) and the quality gate's key count.
SMALL_BATCH_ROWS = 100_000


def full_name(config: Config, table: Table) -> str:
    return f"{config.schema_for(table.layer)}.{table.name}"


def create_table_sql(config: Config, table: Table) -> str:
    columns = ",\n  ".join(
        f"`{c.name}` {c.type}{'' if c.nullable else ' NOT NULL'} COMMENT {sql_string(c.comment)}"
        for c in table.columns
    )
    partition = f"\nPARTITIONED BY ({', '.join(table.partitioned_by)})" if table.partitioned_by else ""
    # CHECK constraints go in with the table (Delta keeps them as `delta.constraints.*`
    # properties): one commit, where an ALTER TABLE ADD CONSTRAINT per constraint costs a commit
    # and a scan each (1.5 s apiece locally).
    constraints = {f"delta.constraints.{name.lower()}": rule for name, rule in table.constraints.items()}
    props = ", ".join(
        f"{sql_string(k)} = {sql_string(v)}" for k, v in (table.properties | constraints).items()
    )
    return (
        f"CREATE TABLE IF NOT EXISTS {full_name(config, table)} (\n  {columns}\n) USING DELTA{partition}\n"
        f"COMMENT {sql_string(table.comment)}\nTBLPROPERTIES ({props})"
    )


# Schemas this process has created (or found): one catalog round trip each, not one per table.
_SCHEMAS: set[tuple[int, str]] = set()


def ensure_schema(spark: SparkSession, config: Config, layer: str) -> None:
    schema = config.schema_for(layer)
    if (id(spark), schema) not in _SCHEMAS:
        spark.sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        _SCHEMAS.add((id(spark), schema))


def _without_spaces(sql: str) -> str:
    return re.sub(r"\s+", "", sql)


# Tables this process has already reconciled with the registry: the check is three catalog
# round trips, and every MERGE would repeat it. A table's constraints can grow within a process
# (a posting format registered), so they and the properties are part of the key.
_ENSURED: set[tuple[int, str, str]] = set()
# Local tables this process created and has not written yet, with the thread that created them.
# Their first write from that thread is an append: on an empty table a MERGE inserts every source
# row too, and costs about three appends (a join to find matches, then the write). An append is
# blind (Delta does not check it against concurrent writers), so it is safe only where nothing
# else writes the table meanwhile: locally the lakehouse lock keeps other processes out and a run
# writes from one thread; another thread (a stream's micro-batch) and Databricks always MERGE.
_EMPTY: dict[tuple[int, str], int] = {}


def ensure_table(spark: SparkSession, config: Config, table: Table) -> str:
    """Create the table from the registry if missing; add new registry columns and constraints,
    replace a constraint whose expression changed (bronze's formats when one is added), and turn
    on the change feed the registry asks for."""
    name = full_name(config, table)
    cache_key = (id(spark), name, repr((sorted(table.constraints.items()), sorted(table.properties.items()))))
    if cache_key in _ENSURED:
        return name
    if not spark.catalog.tableExists(name):
        ensure_schema(spark, config, table.layer)
        spark.sql(create_table_sql(config, table))
        _ENSURED.add(cache_key)
        if not config.on_databricks:
            _EMPTY[(id(spark), name)] = threading.get_ident()
        return name
    existing = set(spark.table(name).columns)
    missing = [c for c in table.columns if c.name not in existing]
    if missing:
        added = ", ".join(f"`{c.name}` {c.type} COMMENT {sql_string(c.comment)}" for c in missing)
        spark.sql(f"ALTER TABLE {name} ADD COLUMNS ({added})")
    properties = {row["key"]: row["value"] for row in spark.sql(f"SHOW TBLPROPERTIES {name}").collect()}
    for constraint, expression in table.constraints.items():
        stored = properties.get(f"delta.constraints.{constraint.lower()}")
        # Delta keeps the expression re-spaced token by token: compare without whitespace.
        if stored is not None and _without_spaces(stored) == _without_spaces(expression):
            continue
        if stored is not None:
            spark.sql(f"ALTER TABLE {name} DROP CONSTRAINT {constraint}")
        spark.sql(f"ALTER TABLE {name} ADD CONSTRAINT {constraint} CHECK ({expression})")
    if table.change_data_feed and properties.get(CHANGE_FEED_PROPERTY, "").lower() != "true":
        # Created before the registry asked for its change feed: recorded from this version on;
        # a reader of earlier versions gets DELTA_MISSING_CHANGE_DATA and recomputes instead.
        spark.sql(f"ALTER TABLE {name} SET TBLPROPERTIES ('{CHANGE_FEED_PROPERTY}' = 'true')")
    _ENSURED.add(cache_key)
    return name


def ensure_tables(spark: SparkSession, config: Config, tables: tuple[Table, ...] = ALL_TABLES) -> None:
    for table in tables:
        ensure_table(spark, config, table)


def with_conflict_retry(action: Callable[[], T], what: str) -> T:
    """Run a Delta commit, retrying optimistic-concurrency conflicts with bounded backoff."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return action()
        except Exception as exc:
            conflict = "Concurrent" in type(exc).__name__ or any(
                c in str(exc) for c in CONFLICT_ERROR_CLASSES
            )
            if not conflict:
                raise
            if attempt == MAX_ATTEMPTS:
                raise WriteConflictError(
                    f"{what}: gave up after {MAX_ATTEMPTS} attempts on concurrent Delta writes ({type(exc).__name__})"
                ) from None
            time.sleep(BASE_BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def merge_into(
    spark: SparkSession,
    config: Config,
    table: Table,
    source: DataFrame,
    *,
    update_condition: str | None = None,
    insert_only: bool = False,
    delete_unmatched: bool | str = False,
    stale: DataFrame | None = None,
    rows: int | None = None,
) -> int:
    """MERGE `source` into `table` on its registry keys; return rows inserted + updated + deleted.

    `update_condition` (SQL over `t` and `s`) limits updates to real changes so a re-run
    writes nothing; `insert_only` keeps existing rows untouched (append-once tables);
    `delete_unmatched` deletes rows whose keys are not in `source`: every such row (True, a full
    recompute) or those of them a SQL condition over `t` holds for (the part of the table that
    `source` recomputes whole); `stale` (the registry keys of some rows, none of them in
    `source`) deletes those rows, in the same commit. `rows` is `source`'s row count where the
    caller has it (the quality gate counted the batch), so a new table's first write does not
    count it again.
    """
    name = ensure_table(spark, config, table)
    # Any write ends a table's first-write shortcut; only its creating thread takes it.
    if _EMPTY.pop((id(spark), name), None) == threading.get_ident():
        return _append_to_empty(spark, name, table, source, rows)
    on = " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in table.keys)
    columns = {c: f"s.`{c}`" for c in table.column_names}
    inserted = "WHEN NOT MATCHED"
    if stale is not None:
        # The stale keys ride in the source, flagged, so their delete is part of this commit.
        source = source.select(*table.column_names, F.lit(False).alias(_STALE)).unionByName(
            stale.select(*table.keys, F.lit(True).alias(_STALE)), allowMissingColumns=True
        )
        inserted = f"WHEN NOT MATCHED AND NOT s.`{_STALE}`"

    # MERGE as SQL over a temporary view rather than the DeltaTable API: Spark Connect (serverless)
    # runs SQL MERGE with no Delta Connect plugin on the server. The view lives in the source's
    # own session (a streaming micro-batch has a session of its own).
    session = source.sparkSession
    view = f"merge_source_{uuid.uuid4().hex}"
    sets = ", ".join(f"t.`{c}` = {v}" for c, v in columns.items())
    matched = f"WHEN MATCHED AND ({update_condition})" if update_condition else "WHEN MATCHED"
    clauses = [] if stale is None else [f"WHEN MATCHED AND s.`{_STALE}` THEN DELETE"]
    if not insert_only:
        clauses.append(f"{matched} THEN UPDATE SET {sets}")
    names, values = ", ".join(f"`{c}`" for c in columns), ", ".join(columns.values())
    clauses.append(f"{inserted} THEN INSERT ({names}) VALUES ({values})")
    if delete_unmatched:
        within = "" if delete_unmatched is True else f" AND ({delete_unmatched})"
        clauses.append(f"WHEN NOT MATCHED BY SOURCE{within} THEN DELETE")
    statement = f"MERGE INTO {name} AS t USING {view} AS s ON {on} {' '.join(clauses)}"

    def commit() -> int:
        result = session.sql(statement).first()
        if result is None:
            return 0
        return int(result["num_inserted_rows"] + result["num_updated_rows"] + result["num_deleted_rows"])

    source.createOrReplaceTempView(view)
    try:
        return with_conflict_retry(commit, f"MERGE into {name}")
    finally:
        session.catalog.dropTempView(view)


def _append_to_empty(
    spark: SparkSession, name: str, table: Table, source: DataFrame, rows: int | None
) -> int:
    """The first write of a table this thread created: an append of `source` (what a MERGE on
    the empty table would do), in one commit; return rows inserted (`rows`, counted if None)."""
    if rows is None:
        rows = source.count()
    if rows:
        # A small batch goes into one file, not one per partition: each later scan of the table
        # then runs one task (reading, caching and aggregating a sample table took 0.87 to 0.91
        # of the time with one file as with four, docs/benchmarks.md).
        batch = source.coalesce(1) if rows <= SMALL_BATCH_ROWS else source
        batch.select(*table.column_names).write.format("delta").mode("append").saveAsTable(name)
    else:
        _EMPTY[(id(spark), name)] = threading.get_ident()
    return rows


def read_changes(spark: SparkSession, config: Config, table: Table, after: int, upto: int) -> DataFrame:
    """Delta's change feed of `table` for versions after+1..upto: each inserted, deleted, and
    before- and after-image of an updated row, with `_change_type` (the table has
    `change_data_feed` in the registry)."""
    return (
        spark.read.option("readChangeFeed", "true")
        .option("startingVersion", after + 1)
        .option("endingVersion", upto)
        .table(full_name(config, table))
    )


def recorded_changes(
    spark: SparkSession, config: Config, table: Table, after: int, upto: int
) -> DataFrame | None:
    """`read_changes`, or None when the table did not record its change feed for every one of
    those versions (the feed was turned on after `after`): the caller then reads everything."""
    feed = read_changes(spark, config, table, after, upto)
    try:
        # Delta tells a missing feed only when the read runs, not when it is planned.
        feed.isEmpty()
    except AnalysisException as exc:
        if "DELTA_MISSING_CHANGE_DATA" not in str(exc):
            raise
        return None
    return feed


def latest_version(spark: SparkSession, config: Config, table: Table) -> int | None:
    """The table's latest Delta version; None when it does not exist."""
    name = full_name(config, table)
    if not spark.catalog.tableExists(name):
        return None
    return int(spark.sql(f"DESCRIBE HISTORY {name} LIMIT 1").first()["version"])


def local_latest_version(spark: SparkSession, config: Config, table: Table) -> int | None:
    """`latest_version` of a table of the local lakehouse, from the names of its commit files.

    A local table lives in its schema's folder (a managed table, or one registered there by
    location): listing its Delta log costs about a millisecond, where `DESCRIBE HISTORY` and the
    lookup before it cost about 0.16 s. A table with no log in that folder is looked up in the
    catalog instead.
    """
    try:
        location = spark.catalog.getDatabase(config.schema_for(table.layer)).locationUri
    except AnalysisException:
        return None
    version = log_version(Path(url2pathname(urlparse(location).path)) / table.name)
    return version if version is not None else latest_version(spark, config, table)


def log_version(table_folder: Path) -> int | None:
    """The latest version of the Delta table at `table_folder`: its highest commit file's number;
    None when the folder holds no Delta log."""
    log = table_folder / "_delta_log"
    versions = [int(f.stem) for f in log.glob("*.json") if f.stem.isdigit()] if log.is_dir() else []
    return max(versions, default=None)


def source_name(
    spark: SparkSession, config: Config, table: Table, written_by: str = "the job that writes it"
) -> str:
    """The full name of input `table`; MissingSourceError when it does not exist yet."""
    name = full_name(config, table)
    if not spark.catalog.tableExists(name):
        raise MissingSourceError(f"input table {name} does not exist: run {written_by} first")
    return name


def read_source(
    spark: SparkSession, config: Config, table: Table, written_by: str = "the job that writes it"
) -> DataFrame:
    """Input `table`; MissingSourceError naming `written_by` when it does not exist yet."""
    return spark.table(source_name(spark, config, table, written_by))
