"""Role and skill mentions per text unit -> silver.role_mentions and silver.skill_mentions."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_id_counts
from careerlake.reference.taxonomy import Taxonomy, roles_taxonomy, skills_taxonomy

_PLURAL_ROLES = (
    r"(?i)\b(engineer|developer|scientist|analyst|manager|architect|designer|researcher|administrator"
    r"|consultant|sre|mle|swe|tester|director)s\b"
)


def singular_roles(text: Column) -> Column:
    """'MLOps engineers' -> 'MLOps engineer': role aliases are singular, text often plural."""
    return F.regexp_replace(text, _PLURAL_ROLES, "$1")


def _counts(units: DataFrame, taxonomy: Taxonomy, id_name: str) -> DataFrame:
    staged = units.withColumn(
        "_match_text", singular_roles(F.col("text")) if id_name == "role_id" else F.col("text")
    )
    counted = with_id_counts(staged, "_match_text", taxonomy, "_counts")
    return counted.select(
        "doc_id", "comment_position", F.explode("_counts").alias(id_name, "mention_count")
    ).withColumn("mention_count", F.col("mention_count").cast("int"))


def role_mentions(units: DataFrame) -> DataFrame:
    """Text units (doc_id, comment_position, text) -> silver.role_mentions."""
    return _counts(units, roles_taxonomy(), "role_id")


def skill_mentions(units: DataFrame) -> DataFrame:
    return _counts(units, skills_taxonomy(), "skill_id")
