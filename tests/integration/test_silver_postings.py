"""silver_postings on local Delta: five formats, a cross-source duplicate, SCD2, quarantine, idempotency."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from pyspark.sql import SparkSession

from careerlake.registry import Table
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.silver import POSTING_PAY_RANGES as PAY_RANGES
from careerlake.registry.silver import POSTINGS
from careerlake.registry.silver import POSTINGS_HISTORY as HISTORY
from careerlake.registry.silver import POSTINGS_QUARANTINE as QUARANTINE
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name, local_latest_version, merge_into
from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.postings.job import silver_postings
from support.contexts import job_context
from support.gold_inputs import config_of_its_own

GREENHOUSE = {
    "id": 4287156,
    "title": "Senior Data Engineer",
    "company_name": "Northwind Analytics",
    "absolute_url": "https://job-boards.greenhouse.io/northwind/jobs/4287156",
    "location": {"name": "New York, NY"},
    "first_published": "2026-09-02T06:00:00-04:00",
    "content": "&lt;p&gt;Build pipelines with Python, SQL and PySpark on GCP.&lt;/p&gt;",
    "metadata": [{"id": 2002, "name": "Workplace Type", "value": "Hybrid", "value_type": "single_select"}],
    "pay_input_ranges": [
        {"min_cents": 16500000, "max_cents": 19500000, "currency_type": "USD", "title": "Annual Salary"}
    ],
}
LINKEDIN = {
    "job_id": "3904203535",
    "company_name": "Northwind Analytics Inc.",
    "title": "Senior Data Engineer",
    "description": "Python, SQL, Spark, Airflow.",
    "max_salary": "195000.0",
    "min_salary": "165000.0",
    "pay_period": "YEARLY",
    "currency": "USD",
    "location": "New York, NY",
    "remote_allowed": "",
    "formatted_experience_level": "Mid-Senior level",
    "skills_desc": "Python, SQL",
    "listed_time": "1788433200000.0",
    "job_posting_url": "https://www.linkedin.com/jobs/view/3904203535/",
}
LEVER = {
    "id": "ac281bba",
    "text": "Data Engineer",
    "categories": {"commitment": "Full-time", "location": "Berlin, Germany", "team": "Data"},
    "country": "DE",
    "workplaceType": "hybrid",
    "createdAt": 1787911200000,
    "description": "<p>Kafka and dbt.</p>",
    "lists": [{"text": "Requirements", "content": "<li>Airflow</li>"}],
    "hostedUrl": "https://jobs.lever.co/kestrel/ac281bba",
    "salaryRange": {"currency": "EUR", "interval": "per-year-salary", "min": 65000, "max": 80000},
}
ASHBY = {
    "id": "f3f6a29a",
    "title": "Machine Learning Engineer",
    "location": "London, England, United Kingdom",
    "isRemote": False,
    "workplaceType": "OnSite",
    "publishedAt": "2026-09-01T10:00:00.000+00:00",
    "jobUrl": "https://jobs.ashbyhq.com/finchpay/f3f6a29a",
    "descriptionHtml": "<p>PyTorch and Kubernetes (k8s).</p>",
    "address": {"postalAddress": {"addressLocality": "London", "addressRegion": "", "addressCountry": "GB"}},
    "compensation": {
        "compensationTiers": [
            {
                "components": [
                    {
                        "compensationType": "Salary",
                        "interval": "1 YEAR",
                        "currencyCode": "GBP",
                        "minValue": 65000,
                        "maxValue": 80000,
                    }
                ]
            }
        ]
    },
}
JSONLD = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Data Analyst",
    "description": "<p>Excel and Tableau. Salary: $38/hour.</p>",
    "datePosted": "2026-08-28",
    "hiringOrganization": {"@type": "Organization", "name": "Umbrella Health"},
    "jobLocation": {
        "@type": "Place",
        "address": {"addressLocality": "Austin", "addressRegion": "TX", "addressCountry": "US"},
    },
    "jobLocationType": "TELECOMMUTE",
    "url": "https://umbrella.example/careers/analyst",
}


def bronze_row(fmt: str, board: str, raw: dict[str, Any] | str, ingested: datetime, rid: str) -> tuple:
    text = raw if isinstance(raw, str) else json.dumps(raw)
    return (
        rid,
        fmt,
        board,
        rid,
        text,
        f"hash-{rid}",
        f"/landing/{fmt}/{board}.json",
        "[0]",
        None,
        ingested,
        "r1",
    )


def write_bronze(spark: SparkSession, config: Config, rows: list[tuple]) -> None:
    merge_into(spark, config, BRONZE, rows_frame(spark, rows, BRONZE.schema), insert_only=True)


KEY_COLUMNS = (
    "company_normalized, title, role_id, seniority, city, region, country, work_model, salary_currency, "
    "salary_period, salary_min_annual, salary_max_annual, salary_source, source_formats, skills"
)


def name(config: Config, table: Table) -> str:
    return full_name(config, table)


def rows(spark: SparkSession, query: str) -> list[dict[str, Any]]:
    return [r.asDict() for r in spark.sql(query).collect()]


def table_versions(spark: SparkSession, config: Config) -> dict[str, int]:
    """Latest Delta version of each silver postings table: unchanged means nothing was written."""
    versions = {}
    for table in (POSTINGS, HISTORY, QUARANTINE, PAY_RANGES):
        version = local_latest_version(spark, config, table)
        assert version is not None, f"{table.id}: no Delta log"
        versions[table.id] = version
    return versions


def _tier(place: str, currency: str, low: int, high: int) -> dict[str, Any]:
    pay = {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": currency}
    equity = {"compensationType": "EquityPercentage", "interval": "NONE", "minValue": 0.1, "maxValue": 0.2}
    return {"title": place, "components": [equity, {**pay, "minValue": low, "maxValue": high}]}


TIERED = {
    **ASHBY,
    "id": "77aa01",
    "title": "Staff Data Engineer",
    "jobUrl": "https://jobs.ashbyhq.com/finchpay/77aa01",
    "compensation": {
        "compensationTiers": [
            _tier("San Francisco", "USD", 200000, 250000),
            _tier("London", "GBP", 120000, 150000),
            _tier("Berlin", "EUR", 130000, 160000),
        ]
    },
}
RANGE_COLUMNS = (
    "pay_location, salary_currency, salary_period, salary_min_annual, salary_max_annual, is_headline"
)


T1, T2 = datetime(2026, 9, 3, 8, 0), datetime(2026, 9, 10, 8, 0)
STAFF = "Staff Data Engineer"
# The pay ranges of the tiered posting and of the Lever posting.
TWO_POSTINGS_RANGES = (
    "SELECT r.* FROM {ranges} r JOIN {postings} p USING (posting_id) "
    f"WHERE p.title IN ('Data Engineer', '{STAFF}')"
)


@dataclass(frozen=True)
class Delivered:
    """One scenario for both tests, so silver_postings runs three times instead of six: a first
    delivery (five formats, two bad records, a posting with three pay tiers), a re-run with
    nothing new, and a second delivery (the Lever posting's raise, the tiers redelivered).
    `first` and `second` hold the results of `queries` after each delivery."""

    first: dict[str, list[dict[str, Any]]]
    second: dict[str, list[dict[str, Any]]]
    versions_before_rerun: dict[str, int]
    versions_after_rerun: dict[str, int]


def queries(config: Config) -> dict[str, str]:
    postings, history = name(config, POSTINGS), name(config, HISTORY)
    two = TWO_POSTINGS_RANGES.format(ranges=name(config, PAY_RANGES), postings=postings)
    history_columns = "title, salary_max_annual, valid_from, valid_to, is_current"
    return {
        "postings": f"SELECT {KEY_COLUMNS} FROM {postings} WHERE title <> '{STAFF}' ORDER BY title",
        "posting_count": f"SELECT count(*) AS postings FROM {postings} WHERE title <> '{STAFF}'",
        "quarantine": f"SELECT record_ref, source, reason FROM {name(config, QUARANTINE)} ORDER BY record_ref",
        "history": f"SELECT {history_columns} FROM {history} WHERE title <> '{STAFF}'",
        "engineer_history": f"SELECT {history_columns} FROM {history} WHERE title = 'Data Engineer' "
        "ORDER BY valid_from",
        "engineer_salary": f"SELECT salary_max_annual FROM {postings} WHERE title = 'Data Engineer'",
        "headlines": f"SELECT title, country, salary_currency, salary_min_annual FROM {postings} "
        f"WHERE title IN ('Data Engineer', '{STAFF}') ORDER BY title",
        "ranges": f"SELECT {RANGE_COLUMNS} FROM ({two}) ORDER BY pay_location",
        "usd_ranges": f"SELECT salary_min_annual_usd, salary_max_annual_usd FROM ({two}) "
        "WHERE salary_currency = 'USD'",
        "tiers": f"SELECT pay_location, salary_min_annual, is_headline FROM ({two}) "
        "WHERE salary_currency <> 'EUR' ORDER BY pay_location",
    }


@pytest.fixture(scope="module")
def delivered(
    spark: SparkSession, base_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> Delivered:
    config = config_of_its_own(base_config, tmp_path_factory.mktemp("silver-postings"), "sp")

    def run() -> None:
        silver_postings(job_context(spark, config, "silver_postings"))

    def snapshot() -> dict[str, list[dict[str, Any]]]:
        return {key: rows(spark, query) for key, query in queries(config).items()}

    write_bronze(
        spark,
        config,
        [
            bronze_row("greenhouse", "northwind", GREENHOUSE, T1, "gh1"),
            bronze_row("linkedin_csv", "linkedin", LINKEDIN, T1, "li1"),
            bronze_row("lever", "kestrel", LEVER, T1, "lv1"),
            bronze_row("ashby", "finchpay", ASHBY, T1, "as1"),
            bronze_row("jsonld", "umbrella", JSONLD, T1, "jl1"),
            bronze_row("greenhouse", "northwind", "{not json", T1, "bad1"),
            bronze_row("lever", "kestrel", {"id": "x", "text": "  "}, T1, "bad2"),
            bronze_row("ashby", "finchpay", TIERED, T1, "as3"),
        ],
    )
    run()
    first = snapshot()

    before = table_versions(spark, config)
    run()
    after = table_versions(spark, config)

    raise_salary = {**LEVER, "salaryRange": {**LEVER["salaryRange"], "max": 90000}}
    # The tiers' next delivery drops the Berlin tier and raises London's.
    tiers = [_tier("San Francisco", "USD", 200000, 250000), _tier("London", "GBP", 125000, 150000)]
    redelivered = {**TIERED, "compensation": {"compensationTiers": tiers}}
    write_bronze(
        spark,
        config,
        [
            bronze_row("lever", "kestrel", raise_salary, T2, "lv2"),
            bronze_row("ashby", "finchpay", redelivered, T2, "as4"),
        ],
    )
    run()
    return Delivered(first, snapshot(), before, after)


def test_five_formats_dedup_scd2_and_idempotency(delivered: Delivered) -> None:
    assert delivered.first["postings"] == [
        {
            "company_normalized": "umbrella health", "title": "Data Analyst", "role_id": "data_analyst",
            "seniority": None, "city": "Austin", "region": "TX", "country": "US", "work_model": "remote",
            "salary_currency": "USD", "salary_period": "hour", "salary_min_annual": 79040.0,
            "salary_max_annual": 79040.0, "salary_source": "text", "source_formats": ["jsonld"],
            "skills": ["excel", "tableau"],
        },
        {
            "company_normalized": "kestrel", "title": "Data Engineer", "role_id": "data_engineer",
            "seniority": None, "city": "Berlin", "region": None, "country": "DE", "work_model": "hybrid",
            "salary_currency": "EUR", "salary_period": "year", "salary_min_annual": 65000.0,
            "salary_max_annual": 80000.0, "salary_source": "structured", "source_formats": ["lever"],
            "skills": ["apache_airflow", "apache_kafka", "dbt"],
        },
        {
            "company_normalized": "finchpay", "title": "Machine Learning Engineer",
            "role_id": "machine_learning_engineer", "seniority": None, "city": "London", "region": "England",
            "country": "GB", "work_model": "onsite", "salary_currency": "GBP", "salary_period": "year",
            "salary_min_annual": 65000.0, "salary_max_annual": 80000.0, "salary_source": "structured",
            "source_formats": ["ashby"], "skills": ["kubernetes", "machine_learning", "pytorch"],
        },
        # Greenhouse and LinkedIn list the same job: one posting, both sources.
        {
            "company_normalized": "northwind analytics", "title": "Senior Data Engineer",
            "role_id": "data_engineer", "seniority": "senior", "city": "New York", "region": "NY",
            "country": "US", "work_model": "hybrid", "salary_currency": "USD", "salary_period": "year",
            "salary_min_annual": 165000.0, "salary_max_annual": 195000.0, "salary_source": "structured",
            "source_formats": ["greenhouse", "linkedin_csv"],
            "skills": ["apache_spark", "google_cloud", "python", "sql"],
        },
    ]  # fmt: skip
    assert delivered.first["quarantine"] == [
        {"record_ref": "bad1", "source": "postings/greenhouse", "reason": "unparseable_json: raw_record is not a JSON object"},
        {"record_ref": "bad2", "source": "postings/lever", "reason": "missing_title: the record has no title"},
    ]  # fmt: skip
    assert len(delivered.first["history"]) == 4

    assert delivered.versions_after_rerun == delivered.versions_before_rerun, (
        "a re-run with no new bronze wrote something"
    )

    assert delivered.second["engineer_history"] == [
        {"title": "Data Engineer", "salary_max_annual": 80000.0, "valid_from": T1, "valid_to": T2, "is_current": False},
        {"title": "Data Engineer", "salary_max_annual": 90000.0, "valid_from": T2, "valid_to": None, "is_current": True},
    ]  # fmt: skip
    assert delivered.second["engineer_salary"] == [{"salary_max_annual": 90000.0}]
    assert delivered.second["posting_count"] == [{"postings": 4}]


def test_every_pay_tier_is_kept_and_the_headline_is_the_postings_own_location(delivered: Delivered) -> None:
    assert delivered.first["headlines"] == [
        {"title": "Data Engineer", "country": "DE", "salary_currency": "EUR", "salary_min_annual": 65000.0},
        {"title": STAFF, "country": "GB", "salary_currency": "GBP", "salary_min_annual": 120000.0},
    ]  # fmt: skip
    assert delivered.first["ranges"] == [
        {"pay_location": "Berlin", "salary_currency": "EUR", "salary_period": "year", "salary_min_annual": 130000.0, "salary_max_annual": 160000.0, "is_headline": False},
        {"pay_location": "Berlin, Germany", "salary_currency": "EUR", "salary_period": "year", "salary_min_annual": 65000.0, "salary_max_annual": 80000.0, "is_headline": True},
        {"pay_location": "London", "salary_currency": "GBP", "salary_period": "year", "salary_min_annual": 120000.0, "salary_max_annual": 150000.0, "is_headline": True},
        {"pay_location": "San Francisco", "salary_currency": "USD", "salary_period": "year", "salary_min_annual": 200000.0, "salary_max_annual": 250000.0, "is_headline": False},
    ]  # fmt: skip
    assert delivered.first["usd_ranges"] == [
        {"salary_min_annual_usd": 200000.0, "salary_max_annual_usd": 250000.0}
    ]

    assert delivered.versions_after_rerun[PAY_RANGES.id] == delivered.versions_before_rerun[PAY_RANGES.id]

    # The next delivery drops the Berlin tier and raises London's: the tier is gone, not left behind.
    assert delivered.second["tiers"] == [
        {"pay_location": "London", "salary_min_annual": 125000.0, "is_headline": True},
        {"pay_location": "San Francisco", "salary_min_annual": 200000.0, "is_headline": False},
    ]  # fmt: skip
    assert len(delivered.second["ranges"]) == 3
