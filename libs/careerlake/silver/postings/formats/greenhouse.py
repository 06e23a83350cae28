"""Greenhouse Job Board API job object (`/v1/boards/{token}/jobs?content=true`) -> common shape."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats.common import blank_to_null, iso_timestamp, to_common

SCHEMA = (
    "id bigint, title string, company_name string, absolute_url string, updated_at string, "
    "first_published string, content string, location struct<name: string>, "
    "metadata array<struct<name: string, value: string>>, "
    "pay_input_ranges array<struct<min_cents: double, max_cents: double, currency_type: string, title: string>>"
)


def _metadata(job: Column, name_pattern: str) -> Column:
    """Value of the first custom field whose name matches `name_pattern` (values can be lists)."""
    hit = F.try_element_at(F.filter(job["metadata"], lambda m: m["name"].rlike(name_pattern)), F.lit(1))
    return F.regexp_replace(hit["value"], r'[\[\]"]', "")


def map_records(bronze: DataFrame) -> DataFrame:
    job = F.from_json("raw_record", SCHEMA)
    pay = F.try_element_at(job["pay_input_ranges"], F.lit(1))
    parsed = bronze.withColumn("j", job)
    j = F.col("j")
    return to_common(
        parsed,
        {
            "title": blank_to_null(j["title"]),
            "company": F.coalesce(blank_to_null(j["company_name"]), F.col("board")),
            # content is HTML-escaped by the API; html_to_text decodes it.
            "description_html": j["content"],
            "location_text": j["location"]["name"],
            "workplace_raw": _metadata(j, "(?i)workplace|remote|location type"),
            "employment_type_raw": _metadata(j, "(?i)employment type"),
            "experience_level_raw": _metadata(j, "(?i)seniority|experience level|career level"),
            "pay_min": pay["min_cents"],
            "pay_max": pay["max_cents"],
            "pay_currency": pay["currency_type"],
            "pay_period_raw": F.when(pay.isNotNull(), F.coalesce(pay["title"], F.lit("year"))),
            "pay_in_cents": pay.isNotNull(),
            "url": j["absolute_url"],
            "posted_at": iso_timestamp(F.coalesce(j["first_published"], j["updated_at"])),
            "is_closed": F.lit(False),
        },
    )
