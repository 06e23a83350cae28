"""The shared vocabulary: currencies, seniority words and pay periods, one named case per row."""

from __future__ import annotations

import pycountry
from chispa import assert_df_equality
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.reference.taxonomy import seniority_ordinals
from careerlake.reference.vocabulary.currency import CURRENCY_CODES, CURRENCY_SYMBOLS, currency_code
from careerlake.reference.vocabulary.periods import annual_factor
from careerlake.reference.vocabulary.seniority import SENIORITY_WORDS, seniority_of
from careerlake.runtime.local_rows import rows_frame


def test_currencies_are_iso_4217() -> None:
    iso = {c.alpha_3 for c in pycountry.currencies}
    assert set(CURRENCY_CODES) - iso == set()
    assert set(CURRENCY_SYMBOLS.values()) - set(CURRENCY_CODES) == set()


def test_seniority_words_name_taxonomy_levels() -> None:
    assert set(SENIORITY_WORDS.values()) - set(seniority_ordinals()) == set()


def test_lookups(spark: SparkSession) -> None:
    rows = [
        ("symbol", "CA$", "CAD", "Entry-Level", "entry", "hour", 2080.0),
        ("code_lower_case", "usd ", "USD", "sr.", "senior", "month", 12.0),
        ("rupee", "₹", "INR", "entry_level", "entry", "year", 1.0),
        ("unknown", "XYZ", None, "Mid-Senior level", None, "fortnight", None),
        ("null", None, None, None, None, None, None),
    ]
    schema = (
        "case string, symbol string, currency string, word string, seniority string, period string, "
        "factor double"
    )
    df = rows_frame(
        spark,
        [(r[0], r[1], r[3], r[5]) for r in rows],
        "case string, symbol string, word string, period string",
    )
    got = df.select(
        "case",
        "symbol",
        currency_code(F.col("symbol")).alias("currency"),
        "word",
        seniority_of(F.col("word")).alias("seniority"),
        "period",
        annual_factor(F.col("period")).alias("factor"),
    )
    assert_df_equality(got, rows_frame(spark, rows, schema), ignore_nullable=True)
