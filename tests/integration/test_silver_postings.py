"""silver_postings on local Delta: five formats, a cross-source duplicate, SCD2, quarantine, idempotency."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pyspark.sql import SparkSession

from careerlake.registry import Table
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.silver import POSTING_PAY_RANGES as PAY_RANGES
from careerlake.registry.silver import POSTINGS
from careerlake.registry.silver import POSTINGS_HISTORY as HISTORY
from careerlake.registry.silver import POSTINGS_QUARANTINE as QUARANTINE
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import full_name, merge_into
from careerlake.silver.postings.job import silver_postings

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
    merge_into(spark, config, BRONZE, spark.createDataFrame(rows, BRONZE.schema), insert_only=True)


KEY_COLUMNS = (
    "company_normalized, title, role_id, seniority, city, region, country, work_model, salary_currency, "
    "salary_period, salary_min_annual, salary_max_annual, salary_source, source_formats, skills"
)


def test_five_formats_dedup_scd2_and_idempotency(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    t1 = datetime(2026, 9, 3, 8, 0)
    write_bronze(
        spark,
        isolated_config,
        [
            bronze_row("greenhouse", "northwind", GREENHOUSE, t1, "gh1"),
            bronze_row("linkedin_csv", "linkedin", LINKEDIN, t1, "li1"),
            bronze_row("lever", "kestrel", LEVER, t1, "lv1"),
            bronze_row("ashby", "finchpay", ASHBY, t1, "as1"),
            bronze_row("jsonld", "umbrella", JSONLD, t1, "jl1"),
            bronze_row("greenhouse", "northwind", "{not json", t1, "bad1"),
            bronze_row("lever", "kestrel", {"id": "x", "text": "  "}, t1, "bad2"),
        ],
    )
    silver_postings(make_context(isolated_config, "silver_postings"))

    assert rows(spark, f"SELECT {KEY_COLUMNS} FROM {name(isolated_config, POSTINGS)} ORDER BY title") == [
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
    quarantine = (
        f"SELECT record_ref, source, reason FROM {name(isolated_config, QUARANTINE)} ORDER BY record_ref"
    )
    assert rows(spark, quarantine) == [
        {"record_ref": "bad1", "source": "postings/greenhouse", "reason": "unparseable_json: raw_record is not a JSON object"},
        {"record_ref": "bad2", "source": "postings/lever", "reason": "missing_title: the record has no title"},
    ]  # fmt: skip
    history = f"SELECT title, salary_max_annual, valid_from, valid_to, is_current FROM {name(isolated_config, HISTORY)}"
    assert len(rows(spark, history)) == 4

    versions = table_versions(spark, isolated_config)
    silver_postings(make_context(isolated_config, "silver_postings"))
    assert table_versions(spark, isolated_config) == versions, "a re-run with no new bronze wrote something"

    t2 = datetime(2026, 9, 10, 8, 0)
    raise_salary = {**LEVER, "salaryRange": {**LEVER["salaryRange"], "max": 90000}}
    write_bronze(spark, isolated_config, [bronze_row("lever", "kestrel", raise_salary, t2, "lv2")])
    silver_postings(make_context(isolated_config, "silver_postings"))

    assert rows(spark, f"{history} WHERE title = 'Data Engineer' ORDER BY valid_from") == [
        {"title": "Data Engineer", "salary_max_annual": 80000.0, "valid_from": t1, "valid_to": t2, "is_current": False},
        {"title": "Data Engineer", "salary_max_annual": 90000.0, "valid_from": t2, "valid_to": None, "is_current": True},
    ]  # fmt: skip
    current = f"SELECT salary_max_annual FROM {name(isolated_config, POSTINGS)} WHERE title = 'Data Engineer'"
    assert rows(spark, current) == [{"salary_max_annual": 90000.0}]
    assert spark.table(name(isolated_config, POSTINGS)).count() == 4


def name(config: Config, table: Table) -> str:
    return full_name(config, table)


def rows(spark: SparkSession, query: str) -> list[dict[str, Any]]:
    return [r.asDict() for r in spark.sql(query).collect()]


def table_versions(spark: SparkSession, config: Config) -> dict[str, int]:
    """Latest Delta version of each silver postings table: unchanged means nothing was written."""
    return {
        table.id: spark.sql(f"DESCRIBE HISTORY {name(config, table)} LIMIT 1").first()["version"]
        for table in (POSTINGS, HISTORY, QUARANTINE)
    }


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


def test_every_pay_tier_is_kept_and_the_headline_is_the_postings_own_location(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    t1 = datetime(2026, 9, 3, 8, 0)
    write_bronze(
        spark,
        isolated_config,
        [
            bronze_row("ashby", "finchpay", TIERED, t1, "as1"),
            bronze_row("lever", "kestrel", LEVER, t1, "lv1"),
        ],
    )
    silver_postings(make_context(isolated_config, "silver_postings"))

    headline = (
        f"SELECT title, country, salary_currency, salary_min_annual FROM {name(isolated_config, POSTINGS)}"
    )
    assert rows(spark, f"{headline} ORDER BY title") == [
        {"title": "Data Engineer", "country": "DE", "salary_currency": "EUR", "salary_min_annual": 65000.0},
        {"title": "Staff Data Engineer", "country": "GB", "salary_currency": "GBP", "salary_min_annual": 120000.0},
    ]  # fmt: skip
    ranges = f"SELECT {RANGE_COLUMNS} FROM {name(isolated_config, PAY_RANGES)} ORDER BY pay_location"
    assert rows(spark, ranges) == [
        {"pay_location": "Berlin", "salary_currency": "EUR", "salary_period": "year", "salary_min_annual": 130000.0, "salary_max_annual": 160000.0, "is_headline": False},
        {"pay_location": "Berlin, Germany", "salary_currency": "EUR", "salary_period": "year", "salary_min_annual": 65000.0, "salary_max_annual": 80000.0, "is_headline": True},
        {"pay_location": "London", "salary_currency": "GBP", "salary_period": "year", "salary_min_annual": 120000.0, "salary_max_annual": 150000.0, "is_headline": True},
        {"pay_location": "San Francisco", "salary_currency": "USD", "salary_period": "year", "salary_min_annual": 200000.0, "salary_max_annual": 250000.0, "is_headline": False},
    ]  # fmt: skip
    usd = f"SELECT salary_min_annual_usd, salary_max_annual_usd FROM {name(isolated_config, PAY_RANGES)} WHERE salary_currency = 'USD'"
    assert rows(spark, usd) == [{"salary_min_annual_usd": 200000.0, "salary_max_annual_usd": 250000.0}]

    versions = spark.sql(f"DESCRIBE HISTORY {name(isolated_config, PAY_RANGES)} LIMIT 1").first()["version"]
    silver_postings(make_context(isolated_config, "silver_postings"))
    assert (
        spark.sql(f"DESCRIBE HISTORY {name(isolated_config, PAY_RANGES)} LIMIT 1").first()["version"]
        == versions
    )

    # The next delivery drops the Berlin tier and raises London's: the tier is gone, not left behind.
    tiers = [_tier("San Francisco", "USD", 200000, 250000), _tier("London", "GBP", 125000, 150000)]
    redelivered = {**TIERED, "compensation": {"compensationTiers": tiers}}
    write_bronze(
        spark, isolated_config, [bronze_row("ashby", "finchpay", redelivered, datetime(2026, 9, 10), "as2")]
    )
    silver_postings(make_context(isolated_config, "silver_postings"))
    tiered = f"SELECT pay_location, salary_min_annual, is_headline FROM {name(isolated_config, PAY_RANGES)} WHERE salary_currency <> 'EUR' ORDER BY pay_location"
    assert rows(spark, tiered) == [
        {"pay_location": "London", "salary_min_annual": 125000.0, "is_headline": True},
        {"pay_location": "San Francisco", "salary_min_annual": 200000.0, "is_headline": False},
    ]  # fmt: skip
    assert spark.table(name(isolated_config, PAY_RANGES)).count() == 3
