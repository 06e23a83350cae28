"""`careerlake sql-server`: the Spark Thrift (JDBC/ODBC) server on 127.0.0.1, on the local lakehouse.

It is pyspark's own HiveThriftServer2 started through spark-submit in the foreground, with
the same settings as every other local session, so beeline, DBeaver or any Hive JDBC/ODBC
client can query the gold tables by name.
"""

from __future__ import annotations

import os

from careerlake.runtime.config import Config
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.java import use_supported_java
from careerlake.runtime.session import local_spark_conf
from careerlake.runtime.spark_home import local_spark_home

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
BIND_HOST = "127.0.0.1"


def jdbc_url(port: int) -> str:
    return f"jdbc:hive2://{BIND_HOST}:{port}/"


def thrift_server_command(config: Config, port: int) -> list[str]:
    """spark-submit command line of the Thrift server bound to 127.0.0.1:<port>."""
    if config.on_databricks:
        raise CareerLakeError(
            "sql-server runs on the local lakehouse only; on Databricks use a SQL warehouse"
        )
    use_supported_java()
    command = [
        str(local_spark_home() / "bin" / "spark-submit"),
        "--master",
        "local[*]",
        "--class",
        THRIFT_SERVER_CLASS,
        "--name",
        "careerlake-sql-server",
    ]
    for key, value in local_spark_conf(config.lakehouse, config.spark.shuffle_partitions).items():
        command += ["--conf", f"{key}={value}"]
    if config.spark.driver_memory:
        command += ["--driver-memory", config.spark.driver_memory]
    # "spark-internal" is the primary resource of a class shipped with Spark (as in
    # sbin/start-thriftserver.sh); --hiveconf arguments go to the server itself.
    return [
        *command,
        "spark-internal",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={BIND_HOST}",
        "--hiveconf",
        f"hive.server2.thrift.port={port}",
        "--hiveconf",
        "hive.server2.transport.mode=binary",
    ]


def server_environment(port: int) -> dict[str, str]:
    """Environment of the server: HiveServer2 lets these variables override --hiveconf, so pin them."""
    env = dict(os.environ)
    env["SPARK_HOME"] = str(local_spark_home())
    env["HIVE_SERVER2_THRIFT_BIND_HOST"] = BIND_HOST
    env["HIVE_SERVER2_THRIFT_PORT"] = str(port)
    return env
