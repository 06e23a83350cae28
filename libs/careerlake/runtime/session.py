"""The one place a SparkSession is built.

On Databricks the active session is returned untouched. Locally: `local[*]` with the Delta
extension and catalog, a Derby metastore and a warehouse under one lakehouse folder, so
separate processes (jobs, `careerlake sql`, `spark-sql`, the Thrift server) see the same
tables by name (a process whose names die with it may keep them in memory instead:
`SparkSettings.local_catalog`).
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import sys
import warnings
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from careerlake.runtime.class_archive import (
    archive_path,
    can_record,
    claim_recording,
    keep_recording,
    recording_options,
    sharing_options,
)
from careerlake.runtime.config import Config
from careerlake.runtime.jars import LOCAL_FILE_SYSTEM_CLASS
from careerlake.runtime.java import current_java, use_supported_java
from careerlake.runtime.jvm_names import remember_jvm_names
from careerlake.runtime.lakehouse_lock import lock_lakehouse
from careerlake.runtime.platform import require_compute_for
from careerlake.runtime.spark_home import local_spark_home

DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension"
DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog"
# "1": the local session is a Spark Connect client of an in-process Connect server, the local
# twin of Databricks serverless (Platform.kind == "serverless"). An `sc://` URL: a client of the
# Connect server already serving there, with no JVM in this process.
CONNECT_ENV_VAR = "CAREERLAKE_SPARK_CONNECT"
CONNECT_SCHEME = "sc://"
# Under the lakehouse folder: the schemas' and tables' folders of the local metastore.
WAREHOUSE_FOLDER = "warehouse"
LOG4J_CONFIG = Path(__file__).with_name("log4j2.properties").as_uri()
CONNECT_HOST = "127.0.0.1"
# The client sends its token over local channel credentials only to a host named "localhost".
CONNECT_URL = "sc://localhost:{port}"
LOCAL_GARBAGE_COLLECTOR = "-XX:+UseParallelGC"
# Methods are JIT-compiled after 4x the default invocation counts: a sample run's JVM spent about
# 135 s of CPU, 115 s with this, in the same wall time; the JIT threads compete with the queries
# (and, in the test suite, the other processes) for the few local cores.
LOCAL_JIT_THRESHOLDS = "-XX:CompileThresholdScaling=4"
# And the optimizing compiler (C2, tier 4) three times later again: a local JVM runs many small
# queries, each over different code, and C2's code rarely pays back its compilation there. Side
# by side, in the same wall time, the machine's CPU with it: a whole sample run 0.91 and 0.93 of
# it, `pipeline.py --small` 0.91, at 200,000 postings 0.96 (docs/benchmarks.md).
LOCAL_C2_THRESHOLDS = (
    "-XX:Tier4InvocationThreshold=15000 -XX:Tier4MinInvocationThreshold=1800 "
    "-XX:Tier4CompileThreshold=45000 -XX:Tier4BackEdgeThreshold=120000"
)
# The class metadata a local Spark JVM loads (about 95 MiB) fits under this from the start: by
# default the JVM runs a full collection each time that metadata passes a small, growing
# threshold (two in a job's first 40 s, about half a second each, were measured).
LOCAL_METASPACE = "-XX:MetaspaceSize=256m"
# pyspark's daemon without the archives Spark puts on the workers' path (runtime.python_daemon).
LOCAL_PYTHON_DAEMON = "careerlake.runtime.python_daemon"
# How Spark builds expression evaluators and stages: generated code (falling back to interpreted
# where generation fails), or interpreted only (`use_compiled_plans`).
CODEGEN_FACTORY_MODE = "spark.sql.codegen.factoryMode"
COMPILED, INTERPRETED = "FALLBACK", "NO_CODEGEN"
# Whether PySpark sends the JVM the Python call site of each column it builds (local_spark_conf).
PYTHON_CALL_SITES = "spark.python.sql.dataFrameDebugging.enabled"
# Columns whose statistics Delta collects on a new local table (local_spark_conf).
LOCAL_STATS_COLUMNS = 8
# The largest Arrow data kept in a plan as a local relation (local_spark_conf).
LOCAL_RELATION_BYTES = 1 << 20


def local_java() -> Path:
    return Path(current_java() or "java")


def class_archive() -> Path:
    """The class archive of the local Spark JVM (careerlake.runtime.class_archive)."""
    return archive_path(local_java(), local_spark_home() / "jars")


def local_schema_folder(config: Config, layer: str) -> Path:
    """Where the local warehouse keeps a layer's schema, and so its tables' folders."""
    return Path(config.lakehouse).resolve() / WAREHOUSE_FOLDER / f"{config.schema_for(layer)}.db"


def local_spark_conf(lakehouse: str, shuffle_partitions: int) -> dict[str, str]:
    """Spark settings of the local lakehouse; also passed to spark-sql and the Thrift server."""
    root = Path(lakehouse).resolve()
    metastore = root / "metastore_db"
    # The parallel collector: G1's concurrent threads compete with the queries for the few local
    # cores; a whole sample run takes about 0.87 of its time under G1 (docs/benchmarks.md).
    java_options = (
        f"-Dderby.system.home={root} -Dlog4j2.configurationFile={LOG4J_CONFIG} "
        f"{LOCAL_GARBAGE_COLLECTOR} {LOCAL_JIT_THRESHOLDS} {LOCAL_C2_THRESHOLDS} {LOCAL_METASPACE}"
    )
    return {
        "spark.sql.extensions": DELTA_EXTENSION,
        "spark.sql.catalog.spark_catalog": DELTA_CATALOG,
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": str(root / WAREHOUSE_FOLDER),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={metastore};create=true",
        "spark.driver.extraJavaOptions": f"{java_options} {sharing_options(class_archive())}".strip(),
        "spark.python.daemon.module": LOCAL_PYTHON_DAEMON,
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        # PySpark records the Python call site of every function that builds a column, so that a
        # failing query can name the line that built it: about ten calls into the JVM and a walk
        # of the Python stack per function. Building silver's plan made about 18,600 calls into
        # the JVM with it and 8,700 without, in about 0.58 of the time; errors are reported in one
        # line here anyway (the query-context loggers are off, `_local_classic_session`).
        PYTHON_CALL_SITES: "false",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # Off locally: every query then pays one re-plan per stage, which measured 3-4x the
        # cost of a whole small aggregate; shuffle partitions are already sized to the cores.
        "spark.sql.adaptive.enabled": "false",
        # Plans run interpreted instead of as generated Java (`use_compiled_plans`).
        CODEGEN_FACTORY_MODE: INTERPRETED,
        "spark.databricks.delta.snapshotPartitions": "2",
        # Delta keeps min, max and null count of a new table's first 32 columns for every row
        # written. Interpreted, that projection's cost grows with the square of the number of
        # statistics (it indexes a linked list of them for each value): writing 76,746 rows of
        # silver.postings_history took 3.5 s, against 1.15 s with 8 columns. Local tables are a
        # file or two, so the statistics skip almost nothing; every table's keys are among its
        # first LOCAL_STATS_COLUMNS columns and keep theirs.
        "spark.databricks.delta.properties.defaults.dataSkippingNumIndexedCols": str(LOCAL_STATS_COLUMNS),
        "spark.databricks.delta.retentionDurationCheck.enabled": "false",
        "spark.sql.sources.parallelPartitionDiscovery.parallelism": "2",
        # Every sort and hash aggregate of a task takes a whole memory page, and every broadcast
        # (each stage's task binary among them) a whole block, before its first row: by default
        # 32 MiB (sized from the 4 GiB heap) and 4 MiB, about a third of what a test session's
        # JVM allocated and collected over a few thousand rows. Larger data takes more of them.
        "spark.buffer.pageSize": "2m",
        "spark.broadcast.blockSize": "1m",
        # Local writes MERGE a batch the quality gate has already cached; Delta's own source
        # materialization (triggered by pandas UDFs) fails in local mode with an internal NPE.
        "spark.databricks.delta.merge.materializeSource": "none",
        # Without Hadoop's native library, a rename through Hadoop's FileContext (Delta's default
        # log store, Spark's default stream checkpoint manager) forks `readlink` twice, about 5 ms
        # each: 1,328 forks in a sample run. These two rename through FileSystem instead, a plain
        # rename(2). Delta's local log store keeps commits exclusive within this JVM only; the
        # lakehouse lock (runtime.lakehouse_lock) keeps every other process off the lakehouse.
        "spark.delta.logStore.file.impl": "io.delta.storage.LocalLogStore",
        "spark.sql.streaming.checkpointFileManagerClass": (
            "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager"
        ),
        # Rows the driver sends as Arrow (runtime.local_rows) become a local relation inside the
        # plan up to this size and an RDD of Arrow batches beyond it (Spark's default: 48 MB). A
        # local relation's rows are copied on the driver by every query that reads them: a join
        # on the 147,215 place names took about 0.8 s per query that way, 0.4 s as an RDD.
        "spark.sql.execution.arrow.localRelationThreshold": str(LOCAL_RELATION_BYTES),
        # Sets permissions without forking `chmod` per file created (runtime.jars).
        "spark.hadoop.fs.file.impl": LOCAL_FILE_SYSTEM_CLASS,
    }


def local_session_conf(config: Config) -> dict[str, str]:
    """Spark settings of a local session on `config`'s lakehouse: `local_spark_conf` with the
    config's task threads, driver memory and catalog."""
    conf = local_spark_conf(config.lakehouse, config.spark.shuffle_partitions)
    conf["spark.master"] = f"local[{config.spark.local_threads or '*'}]"
    if config.spark.driver_memory:
        conf["spark.driver.memory"] = config.spark.driver_memory
    if config.spark.local_catalog == "in-memory":
        conf["spark.sql.catalogImplementation"] = "in-memory"
    return conf


def use_compiled_plans(spark: SparkSession, config: Config, compiled: bool) -> None:
    """Locally, run the next plans compiled or interpreted; Databricks keeps its defaults.

    Locally most plans run once, over a few thousand rows, and generating, cleaning up and
    compiling their code (about 1,950 classes per sample run, then JIT-compiled anew) costs more
    than it saves: interpreted, a sample run took 71.7 s instead of 80.4 s, `make test` 567 s
    instead of 619 s (docs/benchmarks.md). A plan that expands its rows (features: every key on
    every day) runs faster compiled from a few thousand postings on. factoryMode is internal to
    Spark: NO_CODEGEN is the interpreted path its own tests run every expression through, and
    it leaves out whole-stage code generation too.
    """
    if not config.on_databricks:
        spark.conf.set(CODEGEN_FACTORY_MODE, COMPILED if compiled else INTERPRETED)


def use_compiled_plans_from(spark: SparkSession, config: Config, table: str, rows: int) -> None:
    """Locally, run the next plans compiled if `table` holds at least `rows` rows, else interpreted
    (`use_compiled_plans`); Delta counts a table's rows from its log. Databricks keeps its
    defaults and runs no count."""
    if config.on_databricks:
        return
    held = spark.table(table).count() if spark.catalog.tableExists(table) else 0
    use_compiled_plans(spark, config, held >= rows)


def free_loopback_port() -> int:
    """A TCP port free on the loopback address now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((CONNECT_HOST, 0))
        return int(probe.getsockname()[1])


def _local_connect_session(conf: dict[str, str], app_name: str) -> SparkSession:
    """A Spark Connect session on a Connect server this process starts: the serverless twin.

    pyspark's own `remote("local[*]")` serves on the fixed port 15002, so a second such process
    on the machine (a test beside a run) would reach the first one's server and be refused: the
    server here listens on loopback on a free port, started the way `remote("local[*]")` does.
    """
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    port = free_loopback_port()
    options: dict[str, Any] = conf | {
        "spark.app.name": app_name,
        "spark.connect.grpc.binding.address": CONNECT_HOST,
        "spark.connect.grpc.binding.port": str(port),
    }
    # As remote("local[*]"): stopping the session then stops the server too, and
    # pyspark.sql.functions builds Connect columns although this process also has a SparkContext.
    os.environ["SPARK_LOCAL_REMOTE"] = "1"
    # Starts the server in this process's JVM and keeps in `options` only the runtime settings.
    ConnectSession._start_connect_server(conf["spark.master"], options)
    return _connect_client(CONNECT_URL.format(port=port), options)


def _connect_client(url: str, options: dict[str, Any]) -> SparkSession:
    """A Spark Connect session on the server at `url`, setting `options` as runtime settings."""
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
    # The Connect builder itself: the classic one would send a process with a local server to
    # the default port.
    builder = ConnectSession.builder.remote(url)
    for key, value in options.items():
        builder = builder.config(key, value)
    # The client also sets each option the server kept as a runtime conf; for the ones the server
    # took at start (the binding) that warns although the server has them.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Failed to set", category=UserWarning)
        return builder.getOrCreate()


def _local_classic_session(conf: dict[str, str], app_name: str) -> SparkSession:
    builder = SparkSession.builder.appName(app_name)
    for key, value in conf.items():
        builder = builder.config(key, value)
    # The master and the catalog are the conf's (`local_session_conf`).
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # PySpark looks up the same Java classes and methods by name for every column it builds.
    remember_jvm_names()
    # PySpark also logs every failed query as JSON; the CLI reports the one-line error itself.
    for logger in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        logging.getLogger(logger).setLevel(logging.CRITICAL)
    return spark


def _keep_recording_at_exit(spark: SparkSession, recording: Path, archive: Path) -> None:
    """The first process records the JVM's class archive; keep it once that JVM has exited."""
    from pyspark import SparkContext

    jvm = getattr(SparkContext._gateway, "proc", None)
    if jvm is None:
        return

    def keep() -> None:
        spark.stop()
        keep_recording(jvm, recording, archive)

    atexit.register(keep)


def get_spark(config: Config, app_name: str = "careerlake") -> SparkSession:
    """Return the session for this environment, creating the local lakehouse on first use."""
    require_compute_for(config)
    if config.on_databricks:
        active = SparkSession.getActiveSession()
        return active if active is not None else SparkSession.builder.getOrCreate()
    # Before the JVM starts: a second process on the lakehouse is refused in one line.
    lock_lakehouse(config.lakehouse)
    connect = os.environ.get(CONNECT_ENV_VAR, "")
    if connect.startswith(CONNECT_SCHEME):
        # The server has its own settings, metastore and warehouse; this process keeps only its
        # checkpoints, Data Docs and reports in the lakehouse folder.
        return _connect_client(connect, {})
    use_supported_java()
    # The JVM launches from the shared home, whose class path the class archive was recorded with.
    os.environ["SPARK_HOME"] = str(local_spark_home())
    # Python workers (pandas UDFs) must run the interpreter that has this package installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    conf = local_session_conf(config)
    archive = class_archive()
    recording = claim_recording(archive) if can_record(local_java()) else None
    if recording is not None:
        conf["spark.driver.extraJavaOptions"] += f" {recording_options(recording)}"
    if connect == "1":
        spark = _local_connect_session(conf, app_name)
    else:
        spark = _local_classic_session(conf, app_name)
    if recording is not None:
        _keep_recording_at_exit(spark, recording, archive)
    return spark
