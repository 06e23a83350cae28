"""The serverless twin: a local Spark Connect session is the serverless platform, and the write
path (MERGE on keys, idempotent), the keyed hash and staged pins work through it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerlake.privacy import hmac_hex
from support.jvm_options import short_lived_jvm

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from datetime import datetime
from pathlib import Path
from pyspark.sql import functions as F
from careerlake.privacy import pseudonym
from careerlake.registry.ops import JOB_RUNS
from careerlake.runtime import delta
from careerlake.runtime.config import load_config
from careerlake.runtime.context import RunReport
from careerlake.runtime.platform import SCRATCH_FOLDER, Platform
from careerlake.runtime.session import get_spark

config = load_config("local", lakehouse=sys.argv[1], directory=Path(sys.argv[2]))
spark = get_spark(config, app_name="connect-twin")
platform = Platform(spark, config)
finished = datetime(2026, 11, 1, 12, 0)
rows = [("run-c", "connect", f"t{i}", i, i, 0, 1.0, "succeeded", None, finished) for i in range(3)]
frame = spark.createDataFrame(rows, JOB_RUNS.schema)
first = delta.merge_into(spark, config, JOB_RUNS, frame)
again = delta.merge_into(spark, config, JOB_RUNS, frame, update_condition="t.seconds <> s.seconds")
stored = sorted(r.table_name for r in spark.table(delta.full_name(config, JOB_RUNS)).collect())
who = spark.createDataFrame([("u/Ann",)], "who string").select(pseudonym(F.col("who"), "k")).first()[0]
report = RunReport("run-c")
pinned = Platform(spark, config, report).pin(frame.filter("rows_read > 0"))
none_pinned = Platform(spark, config, report).pin(frame.filter("rows_read < 0"))
read_once = Platform(spark, config, report).cache_read(frame)
scratch = Path(config.checkpoints) / SCRATCH_FOLDER
staged = [p.name for p in scratch.iterdir()]
pinned_rows = sorted(r.table_name for r in pinned.collect())
none_pinned_rows = none_pinned.collect()
report.end_job()
try:
    spark.sparkContext
    jvm = "reachable"
except Exception as error:
    jvm = type(error).__name__
print(json.dumps({
    "session": type(spark).__module__, "kind": platform.kind, "cache_is_identity": platform.cache(frame) is frame,
    "cache_read_is_identity": read_once is frame,
    "first": first, "again": again, "stored": stored, "who": who, "jvm": jvm, "staged": len(staged),
    "pinned": pinned_rows, "none_pinned": len(none_pinned_rows), "left": [p.name for p in scratch.iterdir()],
}))
"""


@pytest.mark.slow
def test_a_local_connect_session_is_serverless_and_writes_through_merge(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SPARK_REMOTE"}
    env |= {"CAREERLAKE_SPARK_CONNECT": "1"} | short_lived_jvm(env)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "lakehouse"), str(REPO / "conf")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["session"].startswith("pyspark.sql.connect")
    assert outcome["kind"] == "serverless"
    assert outcome["cache_is_identity"] is True
    # A table read is not staged: a copy would cost a write to save a read.
    assert outcome["cache_read_is_identity"] is True
    assert outcome["first"] == 3
    assert outcome["again"] == 0  # a rerun of the same batch changes nothing
    assert outcome["stored"] == ["t0", "t1", "t2"]
    assert outcome["who"] == hmac_hex("k", "ann")
    assert outcome["jvm"] != "reachable"
    # Within a job, pin stages the frame as scratch Parquet files, also an empty one; the job's
    # end drops them.
    assert outcome["staged"] == 2
    assert outcome["pinned"] == ["t1", "t2"]
    assert outcome["none_pinned"] == 0
    assert outcome["left"] == []
