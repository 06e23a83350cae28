"""silver.posting_pay_ranges: every pay range a posting states, one row per place it applies to.

A posting that pays per location (Ashby's compensation tiers, each in its local currency) keeps
every tier here, while silver.postings carries the tier of the posting's own location as its
salary; any other posting with a salary has its one range. Amounts are annualized and converted
to USD as silver.postings does: the period's annual factor, the newest rate on or before the
posting month.
"""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.periods import annual_factor, pay_period
from careerlake.registry.silver import POSTING_PAY_RANGES
from careerlake.silver.postings.fx import with_usd_rate
from careerlake.silver.postings.history import latest_records
from careerlake.silver.postings.normalize import ANNUAL_USD_MAX, ANNUAL_USD_MIN


def _stated_ranges() -> Column:
    """The record's ranges: the source's per-location ones, else its one normalized salary."""
    per_location = F.transform(
        F.col("pay_ranges"),
        lambda r: F.struct(
            F.coalesce(r["location"], F.lit("")).alias("pay_location"),
            r["pay_min"].alias("salary_min_original"),
            r["pay_max"].alias("salary_max_original"),
            F.upper(F.trim(r["pay_currency"])).alias("salary_currency"),
            pay_period(r["pay_period_raw"]).alias("salary_period"),
        ),
    )
    headline = F.struct(
        F.coalesce(F.col("location_text"), F.lit("")).alias("pay_location"),
        F.col("salary_min_original"),
        F.col("salary_max_original"),
        F.col("salary_currency"),
        F.col("salary_period"),
    )
    stated = F.col("salary_min_original").isNotNull() | F.col("salary_max_original").isNotNull()
    return F.coalesce(per_location, F.when(stated, F.array(headline)), F.array())


def posting_pay_ranges(records: DataFrame, fx_rates: DataFrame, updated_at: datetime) -> DataFrame:
    """The pay ranges of the postings in `records`, from each posting's latest record."""
    ranges = latest_records(records).select(
        "posting_id",
        F.trunc(F.coalesce("posted_at", "ingested_at"), "month").alias("_month"),
        F.struct("salary_min_original", "salary_max_original", "salary_currency").alias("_headline"),
        F.posexplode(_stated_ranges()).alias("_position", "r"),
    )
    joined = with_usd_rate(ranges, fx_rates, F.col("r.salary_currency"), F.col("_month"))
    # One row per place: the first tier the source lists for it.
    first_tier = Window.partitionBy("posting_id", "r.pay_location").orderBy("_position")
    rated = joined.withColumn("_rank", F.row_number().over(first_tier)).where("_rank = 1")
    factor = annual_factor(F.col("r.salary_period"))
    low, high = (F.col(f"r.salary_{end}_original") * factor * F.col("_fx_rate") for end in ("min", "max"))
    # As on silver.postings, an implausible range (negative, reversed, outside the plausible
    # annual pay) keeps its published figures but gets no USD ones, so benchmarks are not skewed.
    plausible = (
        F.coalesce(low.between(ANNUAL_USD_MIN, ANNUAL_USD_MAX), F.lit(True))
        & F.coalesce(high.between(ANNUAL_USD_MIN, ANNUAL_USD_MAX), F.lit(True))
        & F.coalesce(low <= high, F.lit(True))
    )
    range_of = F.struct("r.salary_min_original", "r.salary_max_original", "r.salary_currency")
    return rated.select(
        "posting_id",
        "r.pay_location",
        "r.salary_min_original",
        "r.salary_max_original",
        "r.salary_currency",
        "r.salary_period",
        (F.col("r.salary_min_original") * factor).alias("salary_min_annual"),
        (F.col("r.salary_max_original") * factor).alias("salary_max_annual"),
        F.when(plausible, low).alias("salary_min_annual_usd"),
        F.when(plausible, high).alias("salary_max_annual_usd"),
        F.col("_fx_date").alias("fx_rate_date"),
        range_of.eqNullSafe(F.col("_headline")).alias("is_headline"),
        F.lit(updated_at).cast("timestamp").alias("updated_at"),
    ).select(*POSTING_PAY_RANGES.column_names)
