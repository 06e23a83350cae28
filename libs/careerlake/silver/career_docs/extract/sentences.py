"""Text units -> sentences, and the helpers every per-sentence extraction shares."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

SENTENCE_SPLIT = r"\n+|(?<=[.!?])\s+(?=[A-Z0-9\"'(\[$€£])"


def sentences(units: DataFrame) -> DataFrame:
    """Text units -> one row per sentence or list line (markdown markers stripped), with its index."""
    parts = units.select(
        "*", F.posexplode(F.split(F.col("text"), SENTENCE_SPLIT)).alias("sentence_index", "raw")
    )
    clean = F.trim(F.regexp_replace("raw", r"^\s*(?:#{1,6}|[-*•]|\d{1,2}[.)])\s+", ""))
    return parts.withColumn("sentence", clean).where(F.col("sentence") != "").drop("raw", "text")


def nonempty(c: Column) -> Column:
    return F.when(c != "", c)


def mention_id(index: str) -> Column:
    return F.sha2(
        F.concat_ws("|", "doc_id", F.col("comment_position").cast("string"),
                    F.col("sentence_index").cast("string"), F.col(index).cast("string")),
        256,
    )  # fmt: skip
