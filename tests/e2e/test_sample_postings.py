"""ingest_postings on the bundled sample landing: every format's postings in bronze, read from the
staged uninterrupted run (tests/e2e/conftest.py), which ingested the sample."""

from __future__ import annotations

from pyspark.sql import SparkSession

from careerlake.registry.bronze import POSTINGS, POSTINGS_QUARANTINE
from support.chaos import StagedRun, read_table


def test_sample_landing_every_format(spark: SparkSession, sample_run: StagedRun) -> None:
    first = sample_run.copy("first")
    steps = {
        s["table"].split(":")[1]: (s["rows_read"], s["rows_written"], s["rows_quarantined"])
        for run in sample_run.runs()
        if run["run_id"].startswith("e2e-first")
        for s in run["steps"]
        if s["job"] == "ingest_postings"
    }
    # Re-delivered board files repeat unchanged postings: seen > written for those formats.
    assert steps == {
        "greenhouse": (21, 17, 0),
        "lever": (19, 16, 0),
        "ashby": (13, 13, 0),
        "jsonld": (6, 6, 0),
        "linkedin_csv": (18, 18, 0),
    }
    by_format = {
        r.source_format: r.n
        for r in read_table(spark, first, POSTINGS)
        .groupBy("source_format")
        .agg({"*": "count"})
        .toDF("source_format", "n")
        .collect()
    }
    assert by_format == {"greenhouse": 17, "lever": 16, "ashby": 13, "jsonld": 6, "linkedin_csv": 18}
    assert read_table(spark, first, POSTINGS_QUARANTINE).count() == 0
