"""A job's context as the entry point builds it, for tests that call a job function directly."""

from __future__ import annotations

import uuid
from datetime import date

from pyspark.sql import SparkSession

from careerlake.quality.gate import check_batch
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext, RunReport


def job_context(
    spark: SparkSession, config: Config, job: str = "test", run_date: date = date(2026, 11, 1)
) -> JobContext:
    """A context with a run of its own and the real quality gate."""
    run_id = f"test-{uuid.uuid4().hex[:8]}"
    return JobContext(spark, config, job, run_id, run_date, RunReport(run_id), check_batch)
