"""A Spark Connect server in the test session's own JVM, for clients in subprocesses.

The serverless twin's client then runs with no JVM of its own (as on Databricks serverless), and
its plans run on the test session's JVM, already started and warmed by the tests before it,
instead of on a new one.
"""

from __future__ import annotations

from functools import cache

from pyspark.sql import SparkSession

from careerlake.runtime.session import CONNECT_HOST, CONNECT_URL, free_loopback_port


@cache
def serve_connect(spark: SparkSession) -> str:
    """Start a Connect server on loopback in `spark`'s JVM (once per session); return its URL.

    A Connect client's session is a new session of this one's SparkContext: the same settings,
    metastore and warehouse.
    """
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    port = free_loopback_port()
    # The server reads where to listen from the running context's settings when it starts.
    settings = jvm.org.apache.spark.SparkEnv.get().conf()
    settings.set("spark.connect.grpc.binding.address", CONNECT_HOST)
    settings.set("spark.connect.grpc.binding.port", str(port))
    jvm.org.apache.spark.sql.connect.service.SparkConnectService.start(spark.sparkContext._jsc.sc())
    return CONNECT_URL.format(port=port)
