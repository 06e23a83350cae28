"""Ashby public job board API: `GET /posting-api/job-board/{board}?includeCompensation=true`.

A response is {"apiVersion": "1", "jobs": [...]}; one file per board, named `<board>.json`
or `<board>-<anything>.json`.
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.ingest.formats.common import file_text, object_with_array

NAME = "ashby"
REQUIRED_FIELDS = frozenset({"id", "title", "location", "publishedAt", "jobUrl"})
OPTIONAL_FIELDS = frozenset(
    {
        "department",
        "team",
        "employmentType",
        "secondaryLocations",
        "isListed",
        "isRemote",
        "workplaceType",
        "address",
        "applyUrl",
        "descriptionHtml",
        "descriptionPlain",
        "compensation",
        "shouldDisplayCompensationOnJobPostings",
    }
)


def parse(files: DataFrame) -> DataFrame:
    return object_with_array(file_text(files), "jobs", "jobs")
