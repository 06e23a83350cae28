"""gold.salary_benchmarks: posting salary percentiles per cell, beside guide bands and community pay."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.gold.common import (
    ALL,
    ALL_COUNTRIES,
    community_doc_ids,
    latest_usd_rates,
    median,
)
from careerlake.reference.vocabulary.periods import annual_factor

PERCENTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
FIGURE_COLUMNS = ("p10_usd", "p25_usd", "p50_usd", "p75_usd", "p90_usd")
# Community mentions of these components are pay, not equity grants or one-off bonuses.
SALARY_COMPONENTS = ("base", "total", "unspecified")


def _cells(seniority: Column, country: Column, work_model: Column) -> Column:
    """Every rollup of a posting: each dimension either its own value or the 'all' bucket."""
    return F.array(
        *(
            F.struct(
                (F.lit(ALL) if roll_s else seniority).alias("seniority"),
                (F.lit(ALL_COUNTRIES) if roll_c else country).alias("country"),
                (F.lit(ALL) if roll_w else work_model).alias("work_model"),
            )
            for roll_s in (False, True)
            for roll_c in (False, True)
            for roll_w in (False, True)
        )
    )


def posting_percentiles(role_postings: DataFrame, min_cell_postings: int) -> DataFrame:
    """role × seniority × country × work model (with 'all' rollups) -> count and exact percentiles.

    A posting with an unknown dimension only counts in that dimension's 'all' bucket.
    Cells below `min_cell_postings` keep their count but lose every figure.
    """
    cells = (
        role_postings.where(F.col("salary_usd").isNotNull())
        .select(
            "role_id",
            "salary_usd",
            F.explode(_cells(F.col("seniority"), F.col("country"), F.col("work_model"))).alias("c"),
        )
        .select("role_id", "c.*", "salary_usd")
        .where(
            F.col("seniority").isNotNull() & F.col("country").isNotNull() & F.col("work_model").isNotNull()
        )
    )
    stats = cells.groupBy("role_id", "seniority", "country", "work_model").agg(
        F.count(F.lit(1)).alias("posting_count"),
        F.percentile("salary_usd", list(PERCENTILES)).alias("pcts"),
    )
    suppressed = F.col("posting_count") < F.lit(min_cell_postings)
    return stats.select(
        "role_id",
        "seniority",
        "country",
        "work_model",
        "posting_count",
        suppressed.alias("is_suppressed"),
        *(
            F.when(~suppressed, F.round(F.col("pcts")[i], 2)).alias(name)
            for i, name in enumerate(FIGURE_COLUMNS)
        ),
    )


def guide_bands(role_guides: DataFrame, usd_rates: DataFrame) -> DataFrame:
    """Guide salary bands in USD per (role_id, seniority, band_country); seniority 'all' spans levels.

    band_country null means the guide did not say which country the band is for.
    """
    bands = (
        role_guides.where(F.col("salary_min").isNotNull())
        .join(usd_rates, role_guides["salary_currency"] == usd_rates["currency"], "inner")
        .select(
            "role_id",
            F.col("level").alias("seniority"),
            F.col("salary_country").alias("band_country"),
            (F.col("salary_min") * F.col("usd_per_unit")).alias("band_min"),
            (F.col("salary_max") * F.col("usd_per_unit")).alias("band_max"),
        )
    )
    return bands.unionByName(bands.withColumn("seniority", F.lit(ALL))).distinct()


def community_pay(compensation_mentions: DataFrame, documents: DataFrame, usd_rates: DataFrame) -> DataFrame:
    """Community pay mentions per (role_id, seniority incl. 'all'): count and median annual USD."""
    factor = annual_factor(F.col("period"))
    midpoint = (F.col("amount_min") + F.coalesce("amount_max", "amount_min")) / 2
    mentions = (
        compensation_mentions.where(
            F.col("role_id").isNotNull()
            & F.col("component").isin(*SALARY_COMPONENTS)
            & F.col("amount_min").isNotNull()
        )
        .join(community_doc_ids(documents), "doc_id", "left_semi")
        .join(usd_rates, "currency", "inner")
        .select(
            "mention_id",
            "role_id",
            "seniority",
            (midpoint * factor * F.col("usd_per_unit")).alias("annual_usd"),
        )
        .where(F.col("annual_usd").isNotNull())
    )
    by_level = mentions.where(F.col("seniority").isNotNull())
    both = by_level.unionByName(mentions.withColumn("seniority", F.lit(ALL)))
    return both.groupBy("role_id", "seniority").agg(
        F.count(F.lit(1)).alias("community_mention_count"),
        F.round(median("annual_usd"), 2).alias("community_median_usd"),
    )


def salary_benchmarks(
    role_postings: DataFrame,
    role_guides: DataFrame,
    compensation_mentions: DataFrame,
    documents: DataFrame,
    fx_rates: DataFrame,
    min_cell_postings: int,
    refreshed_at: datetime,
) -> DataFrame:
    """Rows of gold.salary_benchmarks (see the registry for every column)."""
    usd_rates = latest_usd_rates(fx_rates)
    cells = posting_percentiles(role_postings, min_cell_postings)
    bands = guide_bands(role_guides, usd_rates)
    band_applies = (
        (cells["role_id"] == bands["role_id"])
        & (cells["seniority"] == bands["seniority"])
        & (
            bands["band_country"].isNull()
            | (cells["country"] == F.lit(ALL_COUNTRIES))
            | (cells["country"] == bands["band_country"])
        )
    )
    keys = ("role_id", "seniority", "country", "work_model")
    with_bands = (
        cells.join(bands, band_applies, "left")
        .groupBy(*(cells[k] for k in keys), "posting_count", "is_suppressed", *FIGURE_COLUMNS)
        .agg(
            F.round(F.min("band_min"), 2).alias("guide_band_min_usd"),
            F.round(F.max("band_max"), 2).alias("guide_band_max_usd"),
        )
    )
    community = community_pay(compensation_mentions, documents, usd_rates)
    return with_bands.join(community, ["role_id", "seniority"], "left").select(
        *keys,
        "posting_count",
        "is_suppressed",
        *FIGURE_COLUMNS,
        "guide_band_min_usd",
        "guide_band_max_usd",
        F.coalesce("community_mention_count", F.lit(0)).cast("bigint").alias("community_mention_count"),
        "community_median_usd",
        F.lit(refreshed_at).cast("timestamp").alias("refreshed_at"),
    )
