"""Years of experience in sentences -> silver.experience_mentions."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.currency import SYMBOL_CHARS
from careerlake.reference.vocabulary.numbers import COUNT_PATTERN, count_value
from careerlake.reference.vocabulary.seniority import CAREER_STAGE_PATTERN
from careerlake.silver.career_docs.extract.sentences import mention_id, nonempty

EXPERIENCE_PATTERN = (
    rf"(?i)(?:\b({CAREER_STAGE_PATTERN})\b[^0-9.!?{SYMBOL_CHARS}]{{0,40}}?)?"  # 1 stage named before the years
    r"(\bover\s+)?"  # 2 "over 4 years" (vesting when the sentence is about equity)
    r"\b(first\s+)?"  # 3 "your first two years"
    rf"({COUNT_PATTERN})(?:\s*(?:-|–|—|to)\s*({COUNT_PATTERN}))?\s*(\+)?"  # 4-6
    r"\s*(?:years?|yrs?|yoe)\b(?!\s+(?:old|ago|younger|older))"
)
_EXP_GROUPS = ("stage", "over", "first", "lo", "hi", "plus")


def experience_matches(text: Column) -> Column:
    groups = [
        F.regexp_extract_all(text, F.lit(EXPERIENCE_PATTERN), i + 1).alias(n)
        for i, n in enumerate(_EXP_GROUPS)
    ]
    vesting_sentence = text.rlike(r"(?i)\b(rsus?|equity|stock|options|vest\w*|shares)\b")

    def parse(m: Column) -> Column:
        lo, hi = count_value(m["lo"]), count_value(m["hi"])
        first = m["first"] != ""
        return F.struct(
            F.when(first, F.lit(0.0)).otherwise(lo).alias("years_min"),
            F.when(m["plus"] == "+", F.lit(None).cast("double"))
            .when(first, lo)
            .otherwise(F.coalesce(hi, lo))
            .alias("years_max"),
            (m["plus"] == "+").alias("open_ended"),
            F.lower(nonempty(m["stage"])).alias("career_stage"),
            ((m["over"] != "") & vesting_sentence).alias("is_vesting"),
        )

    return F.filter(F.transform(F.arrays_zip(*groups), parse), lambda x: ~x["is_vesting"])


def experience_mentions(sentences: DataFrame) -> DataFrame:
    exploded = sentences.select(
        "*", F.posexplode(experience_matches(F.col("sentence"))).alias("match_index", "m")
    )
    return exploded.select(
        mention_id("match_index").alias("mention_id"),
        "doc_id",
        "comment_position",
        "m.years_min",
        "m.years_max",
        "m.open_ended",
        "m.career_stage",
        "sentence",
    )
