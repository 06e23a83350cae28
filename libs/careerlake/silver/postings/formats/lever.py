"""Lever Postings API posting object (`/v0/postings/{site}?mode=json`) -> common shape."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats.common import blank_to_null, epoch_millis, to_common

SCHEMA = (
    "id string, text string, createdAt bigint, description string, descriptionPlain string, "
    "additional string, lists array<struct<text: string, content: string>>, "
    "categories struct<commitment: string, department: string, location: string, team: string>, "
    "country string, workplaceType string, hostedUrl string, "
    "salaryRange struct<currency: string, interval: string, min: double, max: double>"
)


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", SCHEMA))
    j = F.col("j")
    lists = F.array_join(
        F.transform(
            j["lists"],
            lambda item: F.concat_ws(
                "", F.lit("<h3>"), item["text"], F.lit("</h3><ul>"), item["content"], F.lit("</ul>")
            ),
        ),
        "",
    )
    salary = j["salaryRange"]
    return to_common(
        parsed,
        {
            "title": blank_to_null(j["text"]),
            # The Lever API does not name the company: the site (board) token stands for it.
            "company": F.col("board"),
            "description_html": F.concat_ws("", j["description"], lists, j["additional"]),
            "location_text": j["categories"]["location"],
            "country_raw": j["country"],
            "workplace_raw": j["workplaceType"],
            "employment_type_raw": j["categories"]["commitment"],
            "pay_min": salary["min"],
            "pay_max": salary["max"],
            "pay_currency": salary["currency"],
            "pay_period_raw": salary["interval"],
            "pay_in_cents": F.lit(False),
            "url": j["hostedUrl"],
            "posted_at": epoch_millis(j["createdAt"]),
            "is_closed": F.lit(False),
        },
    )
