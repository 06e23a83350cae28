"""Ashby Job Postings API job object (`/posting-api/job-board/{name}?includeCompensation=true`) -> common shape."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats.common import blank_to_null, iso_timestamp, to_common

_COMPONENT = "struct<compensationType: string, interval: string, currencyCode: string, minValue: double, maxValue: double>"
SCHEMA = (
    "id string, title string, department string, employmentType string, location string, "
    "isRemote boolean, workplaceType string, publishedAt string, jobUrl string, descriptionHtml string, "
    "address struct<postalAddress: struct<addressLocality: string, addressRegion: string, addressCountry: string>>, "
    f"compensation struct<summaryComponents: array<{_COMPONENT}>, "
    f"compensationTiers: array<struct<components: array<{_COMPONENT}>>>>"
)


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", SCHEMA))
    j = F.col("j")
    components = F.concat(
        F.coalesce(j["compensation"]["summaryComponents"], F.array()),
        F.coalesce(
            F.flatten(F.transform(j["compensation"]["compensationTiers"], lambda t: t["components"])),
            F.array(),
        ),
    )
    # Base pay only: equity, bonus and commission components are not salary.
    pay = F.try_element_at(
        F.filter(components, lambda c: F.lower(c["compensationType"]).isin("salary", "hourly")), F.lit(1)
    )
    address = j["address"]["postalAddress"]
    return to_common(
        parsed,
        {
            "title": blank_to_null(j["title"]),
            # The Ashby posting API does not name the company: the board name stands for it.
            "company": F.col("board"),
            "description_html": j["descriptionHtml"],
            "location_text": j["location"],
            "city": blank_to_null(address["addressLocality"]),
            "region": blank_to_null(address["addressRegion"]),
            "country_raw": blank_to_null(address["addressCountry"]),
            "workplace_raw": j["workplaceType"],
            "is_remote": j["isRemote"],
            "employment_type_raw": j["employmentType"],
            "pay_min": pay["minValue"],
            "pay_max": pay["maxValue"],
            "pay_currency": pay["currencyCode"],
            "pay_period_raw": pay["interval"],
            "pay_in_cents": F.lit(False),
            "url": j["jobUrl"],
            "posted_at": iso_timestamp(j["publishedAt"]),
            "is_closed": F.lit(False),
        },
    )
