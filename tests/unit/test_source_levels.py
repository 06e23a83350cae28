"""Each format's own level field (where its payload has one) reaches experience_level_raw."""

from __future__ import annotations

import json
from datetime import datetime

from chispa import assert_df_equality
from pyspark.sql import DataFrame, SparkSession

from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.runtime.local_rows import rows_frame
from careerlake.sources.postings import FORMATS

AT = datetime(2026, 10, 1)


def _levels(spark: SparkSession, source_format: str, records: list[dict]) -> DataFrame:
    rows = [
        (f"r{i}", source_format, "acme", str(i), json.dumps(r), f"h{i}", "file:/x", str(i), None, AT, "run")
        for i, r in enumerate(records)
    ]
    mapped = FORMATS[source_format].map_records(rows_frame(spark, rows, BRONZE.schema))
    return mapped.select("record_id", "experience_level_raw")


def test_source_level_fields(spark: SparkSession) -> None:
    cases = {
        "linkedin_csv": [
            (
                {"job_id": "1", "title": "Account Executive", "formatted_experience_level": "Entry level"},
                "Entry level",
            ),
            ({"job_id": "2", "title": "Buyer", "formatted_experience_level": ""}, None),
        ],
        "lever": [
            ({"id": "a", "text": "Recruiter", "categories": {"level": "Senior", "team": "People"}}, "Senior"),
            ({"id": "b", "text": "Recruiter", "categories": {"team": "People"}}, None),
        ],
        "greenhouse": [
            (
                {"id": 1, "title": "Paralegal", "metadata": [{"name": "Job Level", "value": "Associate"}]},
                "Associate",
            ),
            (
                {"id": 2, "title": "Paralegal", "metadata": [{"name": "Seniority", "value": ["Senior"]}]},
                "Senior",
            ),
        ],
    }
    for source_format, records in cases.items():
        got = _levels(spark, source_format, [r for r, _ in records])
        expected = rows_frame(
            spark,
            [(f"r{i}", level) for i, (_, level) in enumerate(records)],
            "record_id string, experience_level_raw string",
        )
        assert_df_equality(got, expected, ignore_nullable=True, ignore_row_order=True)
