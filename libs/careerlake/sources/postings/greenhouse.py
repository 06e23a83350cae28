"""Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true` -> {"jobs": [...], "meta": {...}}.

One file per board response, named `<board token>.json` or `<board token>-<anything>.json`.
"""

from __future__ import annotations

import html
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
SCHEMA = (
    "id bigint, title string, company_name string, absolute_url string, updated_at string, "
    "first_published string, content string, location struct<name: string>, "
    "metadata array<struct<name: string, value: string>>, "
    "pay_input_ranges array<struct<min_cents: double, max_cents: double, currency_type: string, title: string>>"
)
SYNTHETIC_PAY_TITLES = {"year": "Annual Salary", "month": "Monthly Salary", "hour": "Hourly Rate"}


def parse(files: DataFrame) -> DataFrame:
    return object_with_array(file_text(files), "jobs", "jobs")


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
            "experience_level_raw": _metadata(
                j, "(?i)seniority|experience level|career level|job level|^level$"
            ),
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


def _synthetic_job(i: int, p: SyntheticPosting) -> dict[str, Any]:
    job: dict[str, Any] = {
        "id": 10_000_000 + i,
        "title": p["title"],
        "updated_at": iso(p["posted_ms"]),
        "first_published": iso(p["posted_ms"]),
        "location": {"name": p["city"]},
        "absolute_url": f"https://job-boards.greenhouse.io/{slug(p['company'])}/jobs/{10_000_000 + i}",
        "company_name": p["company"],
        "metadata": None,
        "content": html.escape(f"<p>{p['text']}</p><p>Workplace: {p['workplace']}.</p>"),
        "departments": [{"id": 1, "name": "Data", "child_ids": [], "parent_id": None}],
        "offices": [{"id": 2, "name": p["city"], "location": p["city"], "child_ids": [], "parent_id": None}],
    }
    if p["currency"]:
        job["pay_input_ranges"] = [
            {
                "min_cents": int(p["low"] * 100),
                "max_cents": int(p["high"] * 100),
                "currency_type": p["currency"],
                "title": SYNTHETIC_PAY_TITLES[p["period"]],
                "blurb": "",
            }
        ]
    return job


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    write_json_files(
        folder, ids, posting, _synthetic_job, lambda rs: json.dumps({"jobs": rs, "meta": {"total": len(rs)}})
    )


FORMAT = PostingFormat(
    name="greenhouse",
    priority=1,
    parse=parse,
    required_fields=REQUIRED_FIELDS,
    optional_fields=OPTIONAL_FIELDS,
    map_records=map_records,
    schema=SCHEMA,
    write_synthetic=write_synthetic,
)
