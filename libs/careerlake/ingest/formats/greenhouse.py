"""Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true` -> {"jobs": [...], "meta": {...}}.

One file per board response, named `<board token>.json` or `<board token>-<anything>.json`.
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.ingest.formats.common import file_text, object_with_array

NAME = "greenhouse"
REQUIRED_FIELDS = frozenset({"id", "title", "updated_at", "location", "absolute_url"})
OPTIONAL_FIELDS = frozenset(
    {
        "internal_job_id",
        "requisition_id",
        "company_name",
        "first_published",
        "language",
        "content",
        "departments",
        "offices",
        "metadata",
        "data_compliance",
        "pay_input_ranges",
    }
)


def parse(files: DataFrame) -> DataFrame:
    return object_with_array(file_text(files), "jobs", "jobs")
