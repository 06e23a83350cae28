"""bronze.postings rows -> silver posting records (one per bronze record) and quarantine rows."""

from __future__ import annotations

from datetime import datetime
from functools import reduce

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.registry.bronze import POSTINGS as BRONZE_POSTINGS
from careerlake.registry.silver import POSTINGS, POSTINGS_HISTORY, POSTINGS_QUARANTINE
from careerlake.silver.postings.families import normalize_role_family
from careerlake.silver.postings.normalize import (
    extract_skills,
    normalize_company,
    normalize_employment_type,
    normalize_location,
    normalize_salary,
    normalize_title,
)
from careerlake.silver.postings.text import html_to_text
from careerlake.sources.postings import FORMATS

RAW_TEXT_MAX_CHARS = 1_000_000
ATTRIBUTES = [c for c in POSTINGS_HISTORY.column_names if c in POSTINGS.column_names and c != "posting_id"]
ATTRIBUTES = [c for c in ATTRIBUTES if c not in {"attributes_hash"}]
# Attributes whose change is a new version; url, description and skills differ between the
# sources of one job and would otherwise flip versions on every cross-source delivery.
TRACKED = [
    "company_normalized", "title", "role_id", "seniority", "employment_type", "city", "region", "country",
    "work_model", "salary_min_original", "salary_max_original", "salary_currency", "salary_period",
    "salary_min_annual", "salary_max_annual", "valid_through", "is_closed",
]  # fmt: skip


def sha(*parts: Column) -> Column:
    # \u0001 cannot occur in the parts, so distinct part lists never hash the same.
    return F.sha2(F.concat_ws("\u0001", *[F.coalesce(p.cast("string"), F.lit("")) for p in parts]), 256)


def attributes_hash() -> Column:
    return F.sha2(F.to_json(F.struct(*[F.col(c) for c in TRACKED])), 256)


def rejection_reason() -> Column:
    """Why a bronze record cannot be mapped; null when it can."""
    # The title at the record's format's title paths ($.title, Lever's $.text, ...).
    title = F.coalesce(
        *(
            F.when(
                F.col("source_format") == name,
                F.coalesce(*(F.get_json_object("raw_record", path) for path in fmt.title_paths)),
            )
            for name, fmt in FORMATS.items()
        )
    )
    # Only a record without a title is parsed a second time, to tell text that is no JSON
    # object from an object without a title.
    return F.when(
        ~F.col("source_format").isin(*FORMATS),
        F.concat(F.lit("unknown_format: "), F.col("source_format")),
    ).when(
        F.coalesce(F.trim(title), F.lit("")) == "",
        F.when(
            F.json_object_keys("raw_record").isNull(),
            F.lit("unparseable_json: raw_record is not a JSON object"),
        ).otherwise(F.lit("missing_title: the record has no title")),
    )


def with_rejection_reason(bronze: DataFrame) -> DataFrame:
    """Bronze rows with `reason`, why each cannot be mapped (null when it can): computed once
    where the frame is cached, however many times it is split."""
    return bronze.withColumn("reason", rejection_reason())


def split_rejected(checked: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(mappable rows, rejected rows with their `reason`) of bronze rows `with_rejection_reason` checked."""
    return checked.where("reason IS NULL").drop("reason"), checked.where("reason IS NOT NULL")


def to_quarantine(rejected: DataFrame, run_id: str, quarantined_at: datetime) -> DataFrame:
    return rejected.select(
        sha(F.col("record_id"), F.col("reason")).alias("quarantine_id"),
        F.concat(F.lit("postings/"), F.col("source_format")).alias("source"),
        F.lit(BRONZE_POSTINGS.id).alias("source_file"),
        F.col("record_id").alias("record_ref"),
        F.col("reason"),
        F.substring("raw_record", 1, RAW_TEXT_MAX_CHARS).alias("raw_text"),
        F.lit(run_id).alias("run_id"),
        F.lit(quarantined_at).cast("timestamp").alias("quarantined_at"),
    ).select(*POSTINGS_QUARANTINE.column_names)


def map_bronze(bronze: DataFrame) -> DataFrame:
    """Every bronze row of a known format in the common shape, through its format's mapping."""
    mapped = [fmt.map_records(bronze.where(F.col("source_format") == name)) for name, fmt in FORMATS.items()]
    return reduce(DataFrame.unionByName, mapped)


def posting_key(frame: DataFrame) -> DataFrame:
    """posting_id: hash of company_normalized | lower-case alphanumeric title | city or 'remote' | country.

    The region is left out because sources disagree on it (Berlin/Berlin vs Berlin, Germany).
    """
    title = F.trim(F.regexp_replace(F.lower("title"), r"[^\p{L}\p{N}+#]+", " "))
    place = F.coalesce(F.lower("city"), F.when(F.col("work_model") == "remote", F.lit("remote")))
    return frame.withColumn("posting_id", sha(F.col("company_normalized"), title, place, F.col("country")))


def normalize_records(mappable: DataFrame, fx_rates: DataFrame) -> DataFrame:
    """Every mappable bronze record as a normalized posting record with posting_id and attributes_hash."""
    frame = map_bronze(mappable)
    for step in (
        html_to_text,
        normalize_company,
        normalize_title,
        normalize_role_family,
        normalize_employment_type,
        normalize_location,
    ):
        frame = step(frame)
    frame = extract_skills(normalize_salary(frame, fx_rates))
    frame = posting_key(frame)
    return frame.withColumn("attributes_hash", attributes_hash()).select(
        "posting_id", "record_id", "source_format", "ingested_at", "attributes_hash", *ATTRIBUTES,
        # For silver.posting_pay_ranges: the source's per-location ranges and the place it names.
        "location_text", "pay_ranges",
    )  # fmt: skip
