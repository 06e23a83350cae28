"""Lever postings API: `GET /v0/postings/{site}?mode=json` -> a JSON array of postings.

One file per site, named `<site>.json` or `<site>-<anything>.json`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.sources.postings.mapping import blank_to_null, epoch_millis, to_common
from careerlake.sources.postings.parsing import file_text, top_level_array
from careerlake.sources.postings.plugin import PostingFormat
from careerlake.sources.postings.synthetic import SyntheticPosting, slug, write_json_files

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
SCHEMA = (
    "id string, text string, createdAt bigint, description string, descriptionPlain string, "
    "additional string, lists array<struct<text: string, content: string>>, "
    "categories struct<commitment: string, department: string, location: string, team: string, level: string>, "
    "country string, workplaceType string, hostedUrl string, "
    "salaryRange struct<currency: string, interval: string, min: double, max: double>"
)
SYNTHETIC_INTERVALS = {"year": "per-year-salary", "month": "per-month-salary", "hour": "per-hour-wage"}


def parse(files: DataFrame) -> DataFrame:
    return top_level_array(file_text(files))


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
            # A site's own level category ("Senior", "Entry Level"), where it keeps one.
            "experience_level_raw": j["categories"]["level"],
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


def _synthetic_posting(i: int, p: SyntheticPosting) -> dict[str, Any]:
    posting_id = f"{i:08x}-5eed-4000-8000-{i:012x}"
    job: dict[str, Any] = {
        "id": posting_id,
        "text": p["title"],
        "createdAt": p["posted_ms"],
        "categories": {
            "location": p["city"],
            "commitment": "Full-time",
            "team": "Data",
            "allLocations": [p["city"]],
        },
        "country": p["country"],
        "workplaceType": p["workplace"],
        "descriptionPlain": p["text"],
        "description": f"<div>{html.escape(p['text'])}</div>",
        "lists": [],
        "hostedUrl": f"https://jobs.lever.co/{slug(p['company'])}/{posting_id}",
    }
    if p["currency"]:
        job["salaryRange"] = {
            "currency": p["currency"],
            "interval": SYNTHETIC_INTERVALS[p["period"]],
            "min": p["low"],
            "max": p["high"],
        }
    return job


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    write_json_files(folder, ids, posting, _synthetic_posting, json.dumps)


FORMAT = PostingFormat(
    name="lever",
    priority=2,
    parse=parse,
    required_fields=REQUIRED_FIELDS,
    optional_fields=OPTIONAL_FIELDS,
    map_records=map_records,
    schema=SCHEMA,
    write_synthetic=write_synthetic,
    title_paths=("$.text",),
)
