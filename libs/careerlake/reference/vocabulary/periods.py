"""Pay periods: what sources and writers call them, and how many make a year."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map

# Documented annualization factors: 2,080 working hours, 260 working days, 52 weeks, 12 months.
ANNUAL_FACTORS: dict[str, float] = {"hour": 2080.0, "day": 260.0, "week": 52.0, "month": 12.0, "year": 1.0}


def annual_factor(period: Column) -> Column:
    """How many of `period` (hour .. year) make a year; null for another value."""
    return F.element_at(literal_map(ANNUAL_FACTORS), period)


def pay_period(raw: Column) -> Column:
    """Any source's period vocabulary (per-hour-wage, 1 YEAR, YEARLY, Annual Salary, /hr ...) -> hour..year."""
    text = F.lower(F.trim(raw))
    return (
        F.when(text.rlike(r"^bi|semi"), F.lit(None))
        .when(text.rlike(r"hour|^hr$|^h$"), "hour")
        .when(text.rlike(r"day|daily"), "day")
        .when(text.rlike(r"week|^wk$"), "week")
        .when(text.rlike(r"month|^mo$"), "month")
        .when(text.rlike(r"year|annual|annum|^yr$|salary"), "year")
    )


def period_after_amount(text_after: Column) -> Column:
    """The period named right after an amount in prose ("$45/hr", "6k a month"); a year when none."""
    start = F.lower(F.substring(text_after, 1, 25))
    return (
        F.when(start.rlike(r"^\s*(/\s*h(ou)?r\b|per hour|an hour|hourly|/h\b)"), "hour")
        .when(start.rlike(r"^\s*(/\s*mo(nth)?\b|per month|a month|monthly)"), "month")
        .when(start.rlike(r"^\s*(/\s*day\b|per day|a day|daily)"), "day")
        .otherwise("year")
    )
