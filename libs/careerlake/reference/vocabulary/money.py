"""Money as written: amounts with multipliers, pay components, and the two money grammars.

Postings state pay in one line ("USD 120-150k per year"); prose mentions it in passing ("base
was 180k plus 40k RSUs over 4 years"). Both grammars are built from the same currency
vocabulary and read amounts with `amount_value`.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.currency import CODE_PATTERN, SYMBOL_CHARS, SYMBOL_PATTERN
from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.reference.vocabulary.numbers import decimal_value
from careerlake.reference.vocabulary.seniority import LEVEL_PATTERN

MULTIPLIERS: dict[str, float] = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def multiplier(suffix: Column) -> Column:
    """A MULTIPLIERS suffix in any case as its factor; anything else (or none) -> 1."""
    # One lookup: `suffix` is often a long expression that must not be repeated.
    return F.coalesce(literal_map(MULTIPLIERS)[F.lower(F.trim(suffix))], F.lit(1.0))


def amount_value(digits: Column, suffix: Column) -> Column:
    """'120,000' with '' -> 120000.0; '85' with 'k' -> 85000.0."""
    return decimal_value(digits) * multiplier(suffix)


# ---- a posting's pay line -------------------------------------------------------------------
# The whole number, never a prefix of it: "$12B" must not read as "$1" followed by "2B".
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?(?![.,]?[0-9])"
# One salary mention: a currency (code and/or symbol) is required so "3 days a week" or "5 years"
# never parse; "$5M funding" is excluded. Groups: 1 code, 2 symbol, 3 low, 4 k, 5 high, 6 k,
# 7 period after "/", "per", "an", "a", 8 period adverb.
SALARY_TEXT_PATTERN = (
    rf"(?i)(?=\b(?:{CODE_PATTERN})\b|{SYMBOL_PATTERN})(?:\b({CODE_PATTERN})\b\s*)?({SYMBOL_PATTERN})?\s*({_NUMBER})\s*(k)?"
    r"(?!\s*(?:m|mm|bn?|million|billion)\b)"
    rf"(?:\s*(?:-|–|—|to)\s*(?:\b(?:{CODE_PATTERN})\b\s*)?(?:{SYMBOL_PATTERN})?\s*({_NUMBER})\s*(k)?)?"
    rf"(?:\s*(?:{CODE_PATTERN})\b)?"
    r"\s*(?:(?:/|\bper\b|\ban\b|\ba\b)\s*(hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b|\b(hourly|annually|yearly|annual|monthly|weekly|daily)\b)?"
)

# An on-target-earnings figure, the OTE words before or after it ("OTE: £110,000", "$180k OTE").
_FIGURE = rf"(?:{SYMBOL_PATTERN})?\s?\d[\d,.]*\s*k?"
_OTE = r"\b(?:on[- ]target earnings|ote)\b"
OTE_FIGURE_PATTERN = rf"(?i){_OTE}\s*(?:[:=]|of|is|at)?\s*{_FIGURE}|{_FIGURE}\s*{_OTE}"

# ---- money in prose -------------------------------------------------------------------------
# Words naming a pay component; `pay_component` maps them.
COMPONENT_PATTERN = (
    r"sign[- ]?on(?: bonus)?|signing(?: bonus)?|bonus(?:es)?|rsus?|equity|stock(?: options)?|options|shares|espp"
    r"|tc|total comp(?:ensation)?|total pay|base(?: salary| pay)?|salary"
)
_CURRENCY = rf"{SYMBOL_PATTERN}|(?:{CODE_PATTERN})\s?"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SUFFIX = r"[km]|\s?million|\s?thousand"
# After an amount a dollar sign starts the next amount, so only codes and € £ close one.
_CLOSING = rf"{CODE_PATTERN}|€|£"
_MONEY_START = rf"[{SYMBOL_CHARS}]|\b\d+(?:\.\d+)?[km]\b"
MONEY_PATTERN = (
    rf"(?i)(?:\b({LEVEL_PATTERN})\b[^{SYMBOL_CHARS}\d.!?]{{0,60}}?)?"  # 1 level named before the amount
    rf"(?:\b({COMPONENT_PATTERN})\b\s*(?:(?::|=|is|was|went|jumped|grew|rose|of|at|around|about|roughly|~)\s*){{0,2}})?"  # 2
    r"(from\s+)?"  # 3 "from 80k to 115k" is two amounts, not a range
    rf"(?<![\w.,{SYMBOL_CHARS}])({_CURRENCY})?({_DIGITS})({_SUFFIX})?(?![a-z0-9])(?:\s?({_CLOSING})(?![a-z]))?"  # 4-7
    rf"(?:\s*(~|-|–|—|\bto\b)\s*({_CURRENCY})?({_DIGITS})({_SUFFIX})?(?![a-z0-9])(?:\s?({_CLOSING})(?![a-z]))?)?"  # 8-12
    r"(\+)?"  # 13
    rf"(?=((?:(?!{_MONEY_START}).){{0,80}}))"  # 14 trailing context, not consumed
)
MONEY_GROUPS = (
    "level", "lead", "from_kw", "cur1", "num1", "suf1", "code1", "sep", "cur2", "num2", "suf2", "code2",
    "plus", "trailing",
)  # fmt: skip


def pay_component(keyword: Column) -> Column:
    """A COMPONENT_PATTERN word -> sign_on, bonus, equity, total or base."""
    k = F.lower(keyword)
    return (
        F.when(k.rlike(r"^sign"), "sign_on")
        .when(k.rlike(r"^bonus"), "bonus")
        .when(k.rlike(r"^(rsu|equity|stock|option|share|espp)"), "equity")
        .when(k.rlike(r"^(tc|total)"), "total")
        .when(k.rlike(r"^(base|salary)"), "base")
    )
