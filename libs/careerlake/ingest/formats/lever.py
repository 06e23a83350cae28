"""Lever postings API: `GET /v0/postings/{site}?mode=json` -> a JSON array of postings.

One file per site, named `<site>.json` or `<site>-<anything>.json`.
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.ingest.formats.common import file_text, top_level_array

NAME = "lever"
REQUIRED_FIELDS = frozenset({"id", "text", "createdAt", "categories", "hostedUrl"})
OPTIONAL_FIELDS = frozenset(
    {
        "country",
        "workplaceType",
        "description",
        "descriptionPlain",
        "descriptionBody",
        "descriptionBodyPlain",
        "opening",
        "openingPlain",
        "lists",
        "additional",
        "additionalPlain",
        "applyUrl",
        "salaryRange",
        "salaryDescription",
        "salaryDescriptionPlain",
    }
)


def parse(files: DataFrame) -> DataFrame:
    return top_level_array(file_text(files))
