"""`careerlake quality report`: the latest run's results and the Data Docs path."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyspark.sql import SparkSession

from careerlake.quality.commands import print_report
from careerlake.quality.results import CheckResult, enforce
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.errors import CareerLakeError, QualityBreachError


def test_report_prints_the_latest_run_and_the_docs_path(
    spark: SparkSession,
    isolated_config: Config,
    make_context: Callable[..., JobContext],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(CareerLakeError, match="does not exist yet"):
        print_report(spark, isolated_config)
    older, latest = make_context(isolated_config, job="older"), make_context(isolated_config, job="latest")
    enforce(older, "bronze.postings", [CheckResult("bronze.postings", "expect_a", "critical", True, None, 0)])
    with pytest.raises(QualityBreachError):
        enforce(
            latest,
            "silver.postings",
            [
                CheckResult("silver.postings", "expect_b", "critical", False, "2 of 3 row(s) unexpected", 2),
                CheckResult("silver.postings", "expect_c", "warning", True, None, 0),
            ],
        )
    older.finish()
    latest.finish()
    capsys.readouterr()

    print_report(spark, isolated_config)

    printed = capsys.readouterr().err
    assert latest.run_id in printed
    assert "silver.postings" in printed
    assert "bronze.postings" not in printed
    assert "2 check(s): 1 passed, 1 critical and 0 warning failure(s)" in printed
    assert f"Data Docs: {isolated_config.data_docs}/index.html" in printed

    print_report(spark, isolated_config, older.run_id)
    assert "bronze.postings" in capsys.readouterr().err
