"""The local lakehouse: Delta configured, a JVM launched from the shared Spark home, columns
built without sending Python call sites to the JVM or resolving a Java name again, its files
written without Hadoop's native library, a JVM on the parallel garbage collector, Python workers
without Spark's archives on their path, and separate processes see the same tables by name."""

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyspark
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.cache import cache_root
from careerlake.runtime.config import Config
from careerlake.runtime.jars import LOCAL_FILE_SYSTEM_CLASS, local_jars
from careerlake.runtime.session import use_compiled_plans, use_compiled_plans_from
from careerlake.runtime.spark_home import local_spark_home
from support.jvm_options import short_lived_jvm

REPO = Path(__file__).resolve().parents[2]


def test_session_has_delta_and_the_lakehouse(spark: SparkSession, base_config: Config) -> None:
    conf = spark.sparkContext.getConf()
    assert conf.get("spark.sql.extensions") == "io.delta.sql.DeltaSparkSessionExtension"
    # Spark may qualify the folder as a file: URI once the catalog is up.
    assert conf.get("spark.sql.warehouse.dir").removeprefix("file:").startswith(base_config.lakehouse)
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"


def test_the_local_jvm_runs_from_the_shared_spark_home(spark: SparkSession) -> None:
    # Every clone with the same jars launches the same class path, so maps the same class archive
    # (runtime.spark_home); the class path still names pyspark's own jars, linked.
    home = local_spark_home()
    assert home.parent == cache_root() / "spark-homes"
    assert os.environ["SPARK_HOME"] == str(home)
    class_path = spark.sparkContext._jvm.System.getProperty("java.class.path").split(os.pathsep)
    jars = [Path(entry) for entry in class_path if entry.endswith(".jar")]
    assert {jar.parent for jar in jars} == {home / "jars"}
    assert {jar.name for jar in jars} >= {f"spark-core_2.13-{pyspark.__version__}.jar"} | {
        jar.name for jar in local_jars()
    }


@contextmanager
def commands_to_the_jvm(spark: SparkSession) -> Iterator[list[str]]:
    """Every py4j command this process sends the JVM inside the block."""
    client = spark.sparkContext._gateway._gateway_client
    sent: list[str] = []
    send = client.send_command

    def recording(command: str, *args: object, **kwargs: object) -> object:
        sent.append(command)
        return send(command, *args, **kwargs)

    client.send_command = recording
    try:
        yield sent
    finally:
        client.send_command = send


def test_building_a_column_sends_the_jvm_no_python_call_site(spark: SparkSession) -> None:
    # Each call site costs about ten calls into the JVM per function (runtime.session).
    with commands_to_the_jvm(spark) as sent:
        spark.range(1).select(F.upper(F.col("id").cast("string")).alias("id"))
    assert sent, "building the column made no call into the JVM"
    assert [c for c in sent if "PySparkCurrentOrigin" in c] == []


def test_a_column_built_again_resolves_no_java_name(spark: SparkSession) -> None:
    # PySpark names `functions`, its methods and `PythonUtils` for each column (runtime.jvm_names).
    def build() -> None:
        spark.range(1).select(F.concat_ws("-", F.col("id").cast("string"), F.lit("x")).alias("id"))

    build()
    with commands_to_the_jvm(spark) as sent:
        build()
    assert sent, "building the column made no call into the JVM"
    # py4j's reflection commands (`r`): a class, package or method looked up by name.
    assert [c for c in sent if c.startswith("r\n")] == []
    integer = spark.sparkContext._jvm.java.lang.Integer
    assert integer.MAX_VALUE == 2**31 - 1
    assert "MAX_VALUE" not in vars(integer), "a static field's value was kept"


def test_local_files_get_their_permissions_through_java(spark: SparkSession, tmp_path: Path) -> None:
    # Every file: path of the session (Delta's logs and data, checkpoints) goes through this one
    # cached file system: a plain one cached first would fork `chmod` again for every file.
    jvm = spark.sparkContext._jvm
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(tmp_path.as_uri() + "/part-0")
    fs = path.getFileSystem(hadoop)
    assert fs.getClass().getName() == LOCAL_FILE_SYSTEM_CLASS

    fs.create(path, False).close()
    fs.setPermission(path, jvm.org.apache.hadoop.fs.permission.FsPermission.createImmutable(0o604))
    assert stat.S_IMODE(os.stat(tmp_path / "part-0").st_mode) == 0o604
    assert fs.getFileStatus(path).getPermission().toShort() == 0o604


def test_the_local_jvm_collects_with_the_parallel_collector(spark: SparkSession) -> None:
    # G1's concurrent threads take cores from the queries on a small machine (runtime.session).
    beans = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
    assert sorted(bean.getName() for bean in beans) == ["PS MarkSweep", "PS Scavenge"]


def test_local_plans_run_interpreted_unless_a_job_asks_for_compiled_ones(
    spark: SparkSession, base_config: Config
) -> None:
    # Generating and compiling code costs more than it saves on local data (runtime.session).
    def query() -> DataFrame:
        return (
            spark.range(1000).selectExpr("id % 7 AS k", "id * 2 AS v").where("v > 10").groupBy("k").sum("v")
        )

    def compiled_stages() -> bool:
        # A new frame: a frame keeps the plan it was first given.
        plan = query()._jdf.queryExecution().executedPlan().toString()
        assert "HashAggregate" in plan
        # A compiled stage shows its operators as "*(<stage id>) <operator>".
        return "*(" in plan

    assert sorted(tuple(row) for row in query().collect())[0] == (0, 142142)
    assert not compiled_stages()
    # Projections, predicates and orderings are interpreted too.
    assert spark.conf.get("spark.sql.codegen.factoryMode") == "NO_CODEGEN"
    use_compiled_plans(spark, base_config, True)
    try:
        assert compiled_stages()
    finally:
        use_compiled_plans(spark, base_config, False)
    assert not compiled_stages()


def test_a_job_compiles_its_plans_once_its_input_holds_enough_rows(
    spark: SparkSession, isolated_config: Config
) -> None:
    # Features compiles its plans from a number of postings on (JobSpec.compiled_plans_from).
    schema = isolated_config.schema_for("silver")
    spark.sql(f"CREATE SCHEMA {schema}")
    spark.range(3).write.format("delta").saveAsTable(f"{schema}.counted")
    mode = "spark.sql.codegen.factoryMode"
    try:
        use_compiled_plans_from(spark, isolated_config, f"{schema}.counted", 3)
        assert spark.conf.get(mode) == "FALLBACK"
        use_compiled_plans_from(spark, isolated_config, f"{schema}.counted", 4)
        assert spark.conf.get(mode) == "NO_CODEGEN"
        use_compiled_plans_from(spark, isolated_config, f"{schema}.counted", 3)
        use_compiled_plans_from(spark, isolated_config, f"{schema}.missing", 1)
        assert spark.conf.get(mode) == "NO_CODEGEN"
    finally:
        use_compiled_plans(spark, isolated_config, False)


def test_python_workers_import_pyspark_from_the_package_without_archives(spark: SparkSession) -> None:
    # Spark's archives on the workers' path cost a directory read per task (runtime.python_daemon).
    def worker_paths(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pyspark

        for _ in batches:
            archives = [entry for entry in sys.path if entry.endswith((".zip", ".jar"))]
            yield pd.DataFrame({"archives": [",".join(archives)], "pyspark": [pyspark.__file__]})

    seen = spark.range(1).mapInPandas(worker_paths, "archives string, pyspark string").collect()
    assert [tuple(row) for row in seen] == [("", pyspark.__file__)]


def test_two_processes_share_tables_by_name(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "careerlake.cli"]
    common = ["--lakehouse", str(tmp_path / "lh")]
    # The SQL shell creates a schema and a table in it; `careerlake sql`, another process, finds
    # both by name.
    created = subprocess.run(
        [
            *cli,
            "sql-shell",
            *common,
            "--",
            "-e",
            "CREATE SCHEMA IF NOT EXISTS gold; CREATE TABLE gold.shared USING DELTA AS SELECT 42 AS answer",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ | short_lived_jvm(),
    )
    assert created.returncode == 0, created.stderr
    read = subprocess.run(
        [*cli, "sql", "SELECT answer FROM gold.shared", "--format", "csv", *common],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ | short_lived_jvm(),
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines() == ["answer", "42"]


def test_unknown_table_is_one_clear_line_without_java_trace(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "careerlake.cli",
            "sql",
            "SELECT * FROM nowhere.t",
            "--lakehouse",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ | short_lived_jvm(),
    )
    assert result.returncode == 1
    assert "TABLE_OR_VIEW_NOT_FOUND" in result.stderr
    assert "at org.apache" not in result.stderr
