"""The one shape every format's silver mapping turns bronze.postings rows into (before normalization)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# One stated pay range and the place it applies to, in the source's own units.
PAY_RANGE = (
    "struct<location: string, pay_min: double, pay_max: double, pay_currency: string, pay_period_raw: string>"
)
# name -> Spark SQL type of every column a format mapping returns, in order.
COMMON_COLUMNS: dict[str, str] = {
    "record_id": "string",
    "source_format": "string",
    "board": "string",
    "source_posting_id": "string",
    "ingested_at": "timestamp",
    "raw_record": "string",
    "title": "string",
    "company": "string",
    "description_html": "string",
    "skills_text": "string",
    "location_text": "string",
    "city": "string",
    "region": "string",
    "country_raw": "string",
    "workplace_raw": "string",
    "is_remote": "boolean",
    "employment_type_raw": "string",
    "experience_level_raw": "string",
    "pay_min": "double",
    "pay_max": "double",
    "pay_currency": "string",
    "pay_period_raw": "string",
    "pay_in_cents": "boolean",
    # Every pay range the source states per location (Ashby's compensation tiers), null when it
    # states one range only (the pay_* columns above are then the posting's only range).
    "pay_ranges": f"array<{PAY_RANGE}>",
    "url": "string",
    "posted_at": "timestamp",
    "valid_through": "timestamp",
    "is_closed": "boolean",
}

BRONZE_COLUMNS = ("record_id", "source_format", "board", "source_posting_id", "ingested_at", "raw_record")


def blank_to_null(column: Column) -> Column:
    trimmed = F.trim(column)
    return F.when(trimmed != "", trimmed)


def epoch_millis(column: Column) -> Column:
    """Epoch milliseconds (number or numeric text such as '1788426000000.0') as a timestamp."""
    return F.timestamp_millis(column.try_cast("double").cast("bigint"))


def iso_timestamp(column: Column) -> Column:
    """ISO-8601 date or date-time text, with or without offset, as a UTC timestamp."""
    return F.try_to_timestamp(column)


def to_common(frame: DataFrame, values: dict[str, Column]) -> DataFrame:
    """Select bronze columns plus `values`, typed and ordered as COMMON_COLUMNS (missing ones null)."""
    columns = []
    for name, type_ in COMMON_COLUMNS.items():
        value = F.col(name) if name in BRONZE_COLUMNS else values.get(name, F.lit(None))
        columns.append(value.cast(type_).alias(name))
    return frame.select(*columns)
