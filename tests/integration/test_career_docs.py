"""ingest_career_docs without its landing folder: an operator error, not an empty run; with an
empty one, an empty run.

The sample documents through both career-document jobs are checked on the staged sample run
(tests/e2e/test_sample_documents.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.ingest.career_docs_job import ingest_career_docs
from careerlake.registry.bronze import CAREER_DOCS, CAREER_DOCS_QUARANTINE
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.errors import MissingSourceError


def test_missing_career_documents_are_an_operator_error(
    isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    with pytest.raises(MissingSourceError, match="career documents not found"):
        ingest_career_docs(make_context(isolated_config, "ingest_career_docs"))


def test_an_empty_landing_folder_is_an_empty_run_that_leaves_both_tables(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    Path(isolated_config.landing, "career_docs").mkdir(parents=True)
    ctx = make_context(isolated_config, "ingest_career_docs")
    ingest_career_docs(ctx)
    assert [(s.rows_read, s.rows_written, s.rows_quarantined) for s in ctx.report.steps] == [(0, 0, 0)]
    # silver_career_docs reads both.
    assert [spark.table(ctx.name(t)).count() for t in (CAREER_DOCS, CAREER_DOCS_QUARANTINE)] == [0, 0]
