"""schema.org JobPosting JSON-LD object -> common shape.

Fixed-shape fields go through `from_json`; fields schema.org allows in several shapes
(hiringOrganization as text or Organization, jobLocation as one Place or a list, baseSalary
value as a number or a QuantitativeValue) are read with `get_json_object` paths instead.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats.common import blank_to_null, iso_timestamp, to_common

SCHEMA = (
    "title string, description string, datePosted string, validThrough string, employmentType string, "
    "jobLocationType string, url string, skills string, experienceLevel string, "
    "identifier struct<value: string>"
)


def _scalar(path: str) -> Column:
    """The text of a JSON path when it is a scalar (an object or array there is not text)."""
    value = blank_to_null(F.get_json_object("raw_record", path))
    return F.when(~value.rlike(r"^[\[{]"), value)


def _path(*paths: str) -> Column:
    return F.coalesce(*(_scalar(p) for p in paths))


def _address(field: str) -> Column:
    return _path(f"$.jobLocation.address.{field}", f"$.jobLocation[0].address.{field}")


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", SCHEMA))
    j = F.col("j")
    value = "$.baseSalary.value"
    # One figure: a QuantitativeValue `value`, a bare number as value, or baseSalary itself a Number.
    single = _path(f"{value}.value", value, "$.baseSalary")
    return to_common(
        parsed,
        {
            "title": blank_to_null(j["title"]),
            "company": F.coalesce(_path("$.hiringOrganization.name", "$.hiringOrganization"), F.col("board")),
            "description_html": j["description"],
            "skills_text": F.regexp_replace(j["skills"], r'[\[\]"]', ""),
            "location_text": _path("$.jobLocation.address.name", "$.jobLocation.name"),
            "city": _address("addressLocality"),
            "region": _address("addressRegion"),
            # The first place of several; a remote posting names where applicants may live instead.
            "country_raw": F.coalesce(
                _address("addressCountry.name"),
                _address("addressCountry"),
                _path(
                    "$.applicantLocationRequirements.name",
                    "$.applicantLocationRequirements[0].name",
                    "$.applicantLocationRequirements",
                ),
            ),
            "workplace_raw": j["jobLocationType"],
            "employment_type_raw": F.regexp_replace(j["employmentType"], r'[\[\]"]', ""),
            "experience_level_raw": j["experienceLevel"],
            "pay_min": F.coalesce(_path(f"{value}.minValue"), single).try_cast("double"),
            "pay_max": F.coalesce(_path(f"{value}.maxValue"), single).try_cast("double"),
            "pay_currency": _path("$.baseSalary.currency", "$.salaryCurrency"),
            "pay_period_raw": _path(f"{value}.unitText", "$.baseSalary.unitText"),
            "pay_in_cents": F.lit(False),
            "url": j["url"],
            "posted_at": iso_timestamp(j["datePosted"]),
            "valid_through": iso_timestamp(j["validThrough"]),
            "is_closed": F.lit(False),
        },
    )
