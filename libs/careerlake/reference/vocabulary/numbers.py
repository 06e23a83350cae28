"""Counts written as digits or words ("3", "three"), as in years of experience or of vesting."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map

NUMBER_WORDS: dict[str, float] = {
    "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0,
    "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0,
}  # fmt: skip
COUNT_PATTERN = r"\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS)


def decimal_value(digits: Column) -> Column:
    """'120,000.50' -> 120000.5: thousands separators dropped."""
    return F.regexp_replace(digits, ",", "").try_cast("double")


def count_value(text: Column) -> Column:
    """A COUNT_PATTERN match as a double; null for an empty match."""
    return F.coalesce(literal_map(NUMBER_WORDS)[F.lower(text)], decimal_value(F.when(text != "", text)))
