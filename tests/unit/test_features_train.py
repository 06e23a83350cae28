"""The salary baseline on a pandas frame: time split, both MAEs, empty features dropped."""

from __future__ import annotations

import math

import pandas as pd

from careerlake.features.train import CATEGORICAL, NUMERIC, SALARY_LABEL, fit_salary_baseline


def labelled_postings(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        row = {c: "data_engineer" if c == "role_id" else "US" for c in CATEGORICAL}
        row.update({c: float(i) for c in NUMERIC})
        row.update(
            posting_id=f"p{i:02d}",
            posted_at=pd.Timestamp("2026-09-01") + pd.Timedelta(days=i),
            skill_vector=[i % 2, 1],
        )
        row[SALARY_LABEL] = 100_000.0 + 1_000.0 * i
        rows.append(row)
    return pd.DataFrame(rows)


def test_split_is_by_time_and_both_maes_are_reported() -> None:
    report = fit_salary_baseline(labelled_postings(10))

    assert (report["rows_train"], report["rows_test"]) == (8, 2)
    assert report["split_at"] == "2026-09-09 00:00:00"
    # Median of the 8 training labels is 103,500; the test labels are 108,000 and 109,000.
    assert report["mae_median_by_role"] == 5_000.0
    assert math.isfinite(report["mae_model"])


def test_a_numeric_feature_empty_in_training_is_dropped() -> None:
    frame = labelled_postings(10)
    frame[NUMERIC[0]] = None

    report = fit_salary_baseline(frame)

    assert NUMERIC[0] not in report["features"]
    assert math.isfinite(report["mae_model"])
