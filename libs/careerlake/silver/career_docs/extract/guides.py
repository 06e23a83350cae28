"""Career guide sections -> silver.role_guides: lists, skills and salary bands per level."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_matched_ids
from careerlake.reference.taxonomy import skills_taxonomy
from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.reference.vocabulary.seniority import LEVEL_PATTERN, seniority_of
from careerlake.silver.career_docs.extract.compensation import money_matches
from careerlake.silver.career_docs.extract.sentences import nonempty

_COUNTRIES = {
    "US": "US",
    "USA": "US",
    "UK": "GB",
    "Canada": "CA",
    "Germany": "DE",
    "India": "IN",
    "France": "FR",
}


def _section(name: str) -> Column:
    return F.coalesce(
        F.max(F.when(F.col("section") == name, F.col("items"))), F.array().cast("array<string>")
    )


def _skill_ids(guide_sections: DataFrame, section: str, out_col: str) -> DataFrame:
    """(doc_id, role_id, out_col): canonical skill ids of a section's items, in list order."""
    items = guide_sections.where(F.col("section") == section).select(
        "doc_id", "role_id", F.posexplode("items").alias("pos", "item")
    )
    matched = with_matched_ids(items, "item", skills_taxonomy(), "ids")
    ordered = F.array_sort(F.collect_list(F.struct("pos", "ids")))
    return matched.groupBy("doc_id", "role_id").agg(
        F.array_distinct(F.flatten(F.transform(ordered, lambda x: x["ids"]))).alias(out_col)
    )


def role_guides(guide_sections: DataFrame) -> DataFrame:
    """Guide sections (doc_id, role_id, section, items) -> silver.role_guides: one 'all' row + one per level."""
    lists = (
        guide_sections.groupBy("doc_id", "role_id")
        .agg(
            _section("responsibilities").alias("responsibilities"),
            _section("employers").alias("employers"),
            _section("sectors").alias("sectors"),
            _section("next_steps").alias("next_steps"),
            _section("growth_trend").alias("growth_trend_items"),
        )
        .join(_skill_ids(guide_sections, "top_skills", "top_skills"), ["doc_id", "role_id"], "left")
        .join(_skill_ids(guide_sections, "skill_gaps", "skill_gaps"), ["doc_id", "role_id"], "left")
    )
    empty = F.array().cast("array<string>")
    all_row = lists.select(
        "doc_id",
        "role_id",
        F.lit("all").alias("level"),
        F.lit(None).cast("double").alias("salary_min"),
        F.lit(None).cast("double").alias("salary_max"),
        F.lit(False).alias("salary_open_ended"),
        F.lit(None).cast("string").alias("salary_currency"),
        F.lit(None).cast("string").alias("salary_country"),
        F.lit(None).cast("string").alias("salary_basis"),
        "responsibilities",
        F.coalesce("top_skills", empty).alias("top_skills"),
        F.coalesce("skill_gaps", empty).alias("skill_gaps"),
        "employers",
        "sectors",
        "next_steps",
        F.when(F.size("growth_trend_items") > 0, F.array_join("growth_trend_items", " ")).alias(
            "growth_trend"
        ),
    )
    lines = guide_sections.where(F.col("section") == "salary").select(
        "doc_id", "role_id", F.explode("items").alias("line")
    )
    band = F.try_element_at(money_matches(F.col("line")), F.lit(1))
    # A label may run into the next word ("Mid LevelEU (est.)"): a capital letter ends it too.
    country = F.regexp_extract(
        "line", r"(?<![A-Z])(" + "|".join(sorted(_COUNTRIES, key=len, reverse=True)) + r")(?![A-Za-z])", 1
    )
    level = F.regexp_extract("line", rf"(?i)^\s*({LEVEL_PATTERN}|mid|entry)(?:[- ]level)?(?-i:(?![a-z]))", 1)
    levels = lines.select(
        "doc_id",
        "role_id",
        seniority_of(nonempty(level)).alias("level"),
        band["amount_min"].alias("salary_min"),
        F.when(~band["open_ended"] | (band["amount_max"] != band["amount_min"]), band["amount_max"]).alias(
            "salary_max"
        ),
        F.coalesce(band["open_ended"], F.lit(False)).alias("salary_open_ended"),
        band["currency"].alias("salary_currency"),
        literal_map(_COUNTRIES)[nonempty(country)].alias("salary_country"),
        F.when(F.col("line").rlike(r"(?i)total comp|\bTC\b"), "total_compensation")
        .when(F.col("line").rlike(r"(?i)\bbase\b"), "base")
        .alias("salary_basis"),
        *(
            empty.alias(c)
            for c in ("responsibilities", "top_skills", "skill_gaps", "employers", "sectors", "next_steps")
        ),
        F.lit(None).cast("string").alias("growth_trend"),
    ).where(F.col("level").isNotNull() & F.col("salary_min").isNotNull())
    # A guide listing one level twice keeps its first line.
    levels = levels.dropDuplicates(["doc_id", "role_id", "level"])
    return all_row.unionByName(levels)
