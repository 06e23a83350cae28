"""Ashby public job board API: `GET /posting-api/job-board/{board}?includeCompensation=true`.

A response is {"apiVersion": "1", "jobs": [...]}; one file per board, named `<board>.json`
or `<board>-<anything>.json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.sources.postings.mapping import blank_to_null, iso_timestamp, to_common
from careerlake.sources.postings.parsing import file_text, object_with_array
from careerlake.sources.postings.plugin import PostingFormat
from careerlake.sources.postings.synthetic import SyntheticPosting, iso, slug, write_json_files

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
_COMPONENT = "struct<compensationType: string, interval: string, currencyCode: string, minValue: double, maxValue: double>"
SCHEMA = (
    "id string, title string, department string, employmentType string, location string, "
    "isRemote boolean, workplaceType string, publishedAt string, jobUrl string, descriptionHtml string, "
    "address struct<postalAddress: struct<addressLocality: string, addressRegion: string, addressCountry: string>>, "
    f"compensation struct<summaryComponents: array<{_COMPONENT}>, "
    f"compensationTiers: array<struct<title: string, components: array<{_COMPONENT}>>>>"
)
SYNTHETIC_INTERVALS = {"year": "1 YEAR", "month": "1 MONTH", "hour": "1 HOUR"}
SYNTHETIC_WORKPLACES = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}


def parse(files: DataFrame) -> DataFrame:
    return object_with_array(file_text(files), "jobs", "jobs")


def _base_pay(components: Column) -> Column:
    """The first base-pay component: equity, bonus and commission components are not salary."""
    return F.try_element_at(
        F.filter(components, lambda c: F.lower(c["compensationType"]).isin("salary", "hourly")), F.lit(1)
    ).alias("pay")


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
    pay = _base_pay(components)
    tier_pay = F.transform(
        tiers, lambda t: F.struct(F.trim(t["title"]).alias("location"), _base_pay(t["components"]))
    )
    ranges = F.transform(
        F.filter(tier_pay, lambda t: t["pay"].isNotNull()),
        lambda t: F.struct(
            t["location"].alias("location"),
            t["pay"]["minValue"].alias("pay_min"),
            t["pay"]["maxValue"].alias("pay_max"),
            t["pay"]["currencyCode"].alias("pay_currency"),
            t["pay"]["interval"].alias("pay_period_raw"),
        ),
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
            "pay_ranges": F.when(F.size(ranges) > 1, ranges),
            "url": j["jobUrl"],
            "posted_at": iso_timestamp(j["publishedAt"]),
            "is_closed": F.lit(False),
        },
    )


def _synthetic_job(i: int, p: SyntheticPosting) -> dict[str, Any]:
    posting_id = f"a5b0{i:04x}-0000-4000-8000-{i:012x}"
    job: dict[str, Any] = {
        "id": posting_id,
        "title": p["title"],
        "location": p["city"],
        "isRemote": p["workplace"] == "remote",
        "workplaceType": SYNTHETIC_WORKPLACES[p["workplace"]],
        "employmentType": "Intern" if "Intern" in p["title"] else "FullTime",
        "publishedAt": iso(p["posted_ms"]),
        "address": {
            "postalAddress": {"addressLocality": p["city"].split(",")[0], "addressCountry": p["country"]}
        },
        "jobUrl": f"https://jobs.ashbyhq.com/{slug(p['company'])}/{posting_id}",
        "descriptionPlain": p["text"],
    }
    if p["currency"]:
        component = {
            "compensationType": "Salary",
            "interval": SYNTHETIC_INTERVALS[p["period"]],
            "currencyCode": p["currency"],
            "minValue": p["low"],
            "maxValue": p["high"],
        }
        job["compensation"] = {"compensationTiers": [{"components": [component]}]}
    return job


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    write_json_files(
        folder, ids, posting, _synthetic_job, lambda rs: json.dumps({"apiVersion": "1", "jobs": rs})
    )


FORMAT = PostingFormat(
    name="ashby",
    priority=3,
    parse=parse,
    required_fields=REQUIRED_FIELDS,
    optional_fields=OPTIONAL_FIELDS,
    map_records=map_records,
    schema=SCHEMA,
    write_synthetic=write_synthetic,
)
