"""Closures from the fetch log, and gold's days open, on inline rows with exact expected frames."""

from __future__ import annotations

from datetime import datetime

import pytest
from chispa import assert_df_equality
from pyspark.sql import SparkSession

# Tables built from the registry schemas, as the gold transform tests do.
from test_gold_transforms import silver

from careerlake.gold.lifecycle import posting_lifecycle
from careerlake.registry.ops import FETCH_LOG
from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.postings.closures import closed_postings, listed_postings

pytestmark = pytest.mark.slow

DAY1, DAY2, DAY3 = datetime(2026, 11, 1, 6), datetime(2026, 11, 2, 6), datetime(2026, 11, 3, 6)


def log_row(source: str, board: str, at: datetime, ids: list[str] | None, error: str | None = None) -> tuple:
    full = source != "jsonld"
    postings = None if ids is None else len(ids)
    return (
        "run",
        source,
        board,
        f"https://x/{board}",
        at,
        full,
        200,
        1,
        10,
        postings,
        ids,
        "h",
        "f",
        0.1,
        error,
    )


def test_a_posting_missing_from_the_latest_full_response_closes_at_that_fetch(spark: SparkSession) -> None:
    log = rows_frame(
        spark,
        [
            log_row("greenhouse", "acme", DAY1, ["1", "2", "3"]),
            log_row("greenhouse", "acme", DAY2, ["1", "3"]),
            log_row("greenhouse", "acme", DAY3, None, error="HTTP 500"),  # a failed fetch closes nothing
            log_row("lever", "beta", DAY1, ["x"]),
            log_row("lever", "beta", DAY2, []),
            log_row("jsonld", "page", DAY1, ["u"]),  # a page is not a full board
            log_row("jsonld", "page", DAY2, []),
        ],
        FETCH_LOG.schema,
    )

    listed = listed_postings(log)

    expected = rows_frame(
        spark,
        [
            ("greenhouse", "acme", "1", None),
            ("greenhouse", "acme", "2", DAY2),
            ("greenhouse", "acme", "3", None),
            ("lever", "beta", "x", DAY2),
        ],
        "source_format string, board string, source_posting_id string, closed_at timestamp",
    )
    assert_df_equality(listed, expected, ignore_row_order=True, ignore_nullable=True, ignore_metadata=True)


def test_a_silver_posting_closes_only_when_none_of_its_board_postings_is_still_listed(
    spark: SparkSession,
) -> None:
    listed = rows_frame(
        spark,
        [("greenhouse", "acme", "2", DAY2), ("greenhouse", "acme", "1", None), ("lever", "beta", "x", DAY2)],
        "source_format string, board string, source_posting_id string, closed_at timestamp",
    )
    bronze = silver(
        spark,
        "bronze.postings",
        [
            {"record_id": "r1", "source_format": "greenhouse", "board": "acme", "source_posting_id": "1"},
            {"record_id": "r2", "source_format": "greenhouse", "board": "acme", "source_posting_id": "2"},
            {"record_id": "rx", "source_format": "lever", "board": "beta", "source_posting_id": "x"},
            {"record_id": "rl", "source_format": "linkedin_csv", "board": None, "source_posting_id": "9"},
        ],
    )
    postings = silver(
        spark,
        "silver.postings",
        [
            {"posting_id": "p1", "source_record_ids": ["r1"]},  # still listed
            {"posting_id": "p2", "source_record_ids": ["r2", "rl"]},  # gone; the CSV copy says nothing
            {"posting_id": "p3", "source_record_ids": ["rx", "r1"]},  # gone from lever, listed on greenhouse
            {"posting_id": "p4", "source_record_ids": ["rl"]},  # never fetched
        ],
    )

    closed = closed_postings(listed, bronze, postings)

    expected = rows_frame(spark, [("p2", DAY2)], "posting_id string, closed_at timestamp")
    assert_df_equality(closed, expected, ignore_nullable=True, ignore_metadata=True)


def test_gold_counts_open_and_closed_postings_and_days_open_by_role(spark: SparkSession) -> None:
    posted = datetime(2026, 10, 1, 6)
    postings = silver(
        spark,
        "silver.postings",
        [
            {"posting_id": "a", "role_id": "data_engineer", "posted_at": posted, "is_closed": True},
            {"posting_id": "b", "role_id": "data_engineer", "posted_at": posted, "is_closed": True},
            {"posting_id": "c", "role_id": "data_engineer", "posted_at": posted, "is_closed": False},
            {"posting_id": "d", "role_id": "data_analyst", "first_seen_at": posted, "is_closed": False},
            # Delivered already closed by its source: closed, but no days open to measure.
            {"posting_id": "e", "role_id": "data_analyst", "posted_at": posted, "is_closed": True},
        ],
    )
    history = silver(
        spark,
        "silver.postings_history",
        [
            {"posting_id": "a", "valid_from": posted, "is_current": False, "is_closed": False},
            {
                "posting_id": "a",
                "valid_from": datetime(2026, 10, 11, 6),
                "is_current": True,
                "is_closed": True,
            },
            {"posting_id": "b", "valid_from": posted, "is_current": False, "is_closed": False},
            {
                "posting_id": "b",
                "valid_from": datetime(2026, 10, 31, 18),
                "is_current": True,
                "is_closed": True,
            },
            {"posting_id": "c", "valid_from": posted, "is_current": True, "is_closed": False},
            {"posting_id": "d", "valid_from": posted, "is_current": True, "is_closed": False},
            {"posting_id": "e", "valid_from": posted, "is_current": True, "is_closed": True},
        ],
    )

    lifecycle = posting_lifecycle(postings, history, DAY3)

    expected = rows_frame(
        spark,
        [("data_analyst", 1, 0, None, None, DAY3), ("data_engineer", 1, 2, 20.25, 20.25, DAY3)],
        "role_id string, open_postings bigint, closed_postings bigint, median_days_open double, "
        "avg_days_open double, refreshed_at timestamp",
    )
    assert_df_equality(lifecycle, expected, ignore_row_order=True, ignore_nullable=True, ignore_metadata=True)
