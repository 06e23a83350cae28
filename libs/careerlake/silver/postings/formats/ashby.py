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
    f"compensationTiers: array<struct<title: string, components: array<{_COMPONENT}>>>>"
)


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", SCHEMA))
    j = F.col("j")
    tiers = F.coalesce(j["compensation"]["compensationTiers"], F.array())
    address = j["address"]["postalAddress"]
    # One tier per location, each in its own currency: the headline is the tier of the posting's
    # own location, else the summary, else the first tier.
    own_places = F.array(F.lower(F.trim(j["location"])), F.lower(F.trim(address["addressLocality"])))
    own_tiers = F.filter(tiers, lambda t: F.array_contains(own_places, F.lower(F.trim(t["title"]))))
    components = F.concat(
        F.flatten(F.transform(own_tiers, lambda t: t["components"])),
        F.coalesce(j["compensation"]["summaryComponents"], F.array()),
        F.flatten(F.transform(tiers, lambda t: t["components"])),
    )
    # Base pay only: equity, bonus and commission components are not salary.
    pay = F.try_element_at(
        F.filter(components, lambda c: F.lower(c["compensationType"]).isin("salary", "hourly")), F.lit(1)
    )
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
