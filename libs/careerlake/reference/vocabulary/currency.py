"""Currency symbols and ISO 4217 codes as written next to amounts."""

from __future__ import annotations

import re

from pyspark.sql import Column
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map

# Symbol -> ISO 4217 code; "$" alone is taken as USD.
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD", "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD",
    "€": "EUR", "£": "GBP", "₹": "INR",
}  # fmt: skip
# The ISO 4217 codes recognised in text: a chosen few, as "ALL" or "TOP" are English words too.
CURRENCY_CODES = (
    "USD", "CAD", "EUR", "GBP", "AUD", "NZD", "CHF", "SGD", "INR", "SEK", "NOK", "DKK", "PLN", "JPY",
    "MXN", "BRL", "ZAR", "HKD", "ILS", "AED",
)  # fmt: skip
# Longest first, so "CA$" is not read as "C" and "$" ... alternation takes the first that fits.
SYMBOL_PATTERN = "|".join(map(re.escape, sorted(CURRENCY_SYMBOLS, key=len, reverse=True)))
CODE_PATTERN = "|".join(CURRENCY_CODES)
# The characters that start a symbol, for character classes ("[^$€£₹\d]").
SYMBOL_CHARS = "".join(dict.fromkeys(s[-1] for s in CURRENCY_SYMBOLS))


_CURRENCIES = CURRENCY_SYMBOLS | {code: code for code in CURRENCY_CODES}


def currency_code(symbol_or_code: Column) -> Column:
    """ISO 4217 code of a symbol or a code in any case; null when unknown."""
    # One lookup: the argument is often a long regex expression that must not be repeated.
    return literal_map(_CURRENCIES)[F.upper(F.trim(symbol_or_code))]
