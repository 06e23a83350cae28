"""LinkedIn job postings dataset row (31 columns, every value as text) -> common shape."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats.common import blank_to_null, epoch_millis, to_common


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", "map<string, string>"))

    def field(name: str) -> F.Column:
        return blank_to_null(F.col("j")[name])

    def amount(name: str) -> F.Column:
        return field(name).try_cast("double")

    median = amount("med_salary")
    remote = field("remote_allowed").try_cast("double")
    return to_common(
        parsed,
        {
            "title": field("title"),
            "company": F.coalesce(field("company_name"), F.col("board")),
            "description_html": field("description"),
            "skills_text": field("skills_desc"),
            "location_text": field("location"),
            # remote_allowed is a flag (1 or empty), weaker than a hybrid schedule in the text.
            "is_remote": F.when(remote == 1, F.lit(True)),
            "employment_type_raw": F.coalesce(field("formatted_work_type"), field("work_type")),
            "experience_level_raw": field("formatted_experience_level"),
            # A single published figure (med_salary) is both ends of the range.
            "pay_min": F.coalesce(amount("min_salary"), median),
            "pay_max": F.coalesce(amount("max_salary"), median),
            "pay_currency": field("currency"),
            "pay_period_raw": field("pay_period"),
            "pay_in_cents": F.lit(False),
            "url": F.coalesce(field("job_posting_url"), field("application_url")),
            "posted_at": epoch_millis(F.coalesce(field("original_listed_time"), field("listed_time"))),
            "valid_through": epoch_millis(field("expiry")),
            "is_closed": field("closed_time").isNotNull(),
        },
    )
