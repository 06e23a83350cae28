"""Data-quality checks declared as data next to the tables they guard, as dbt schema tests and
DQX check lists are: each names a rule and its criticality; `careerlake.quality` knows how to
run every kind.

- critical: a failing row stops the write (nothing is written);
- warning: recorded in ops.quality_results and printed; the write goes on.

A table's NOT NULL columns, keys, column types and Delta CHECK constraints are checks too: the
quality suite derives them from the table itself, so they are not repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Criticality = Literal["critical", "warning"]
CRITICAL: Criticality = "critical"
WARNING: Criticality = "warning"


@dataclass(frozen=True)
class Setting:
    """A number from the config's `quality` section (e.g. `annual_salary_usd_min`), read when
    the suite is built, so each environment sets its own bound."""

    name: str


Number = int | float | Setting


# Column checks: declared on a Column, about that column's values. NULL passes each of them
# (NOT NULL is the column's own `nullable`).


@dataclass(frozen=True)
class InSet:
    """Every value is one of `values`."""

    values: tuple[str, ...]
    criticality: Criticality = CRITICAL


@dataclass(frozen=True)
class InReference:
    """Every value is one of a column of a packaged reference table, e.g. the currencies the
    FX table can convert; the values are passed in when the suite is built."""

    table: str
    column: str
    criticality: Criticality = CRITICAL


@dataclass(frozen=True)
class Matches:
    """Every value matches the regex `pattern`, or is one of `also` (e.g. roll-up markers)."""

    pattern: str
    also: tuple[str, ...] = ()
    criticality: Criticality = CRITICAL


@dataclass(frozen=True)
class Between:
    """Every value lies in [low, high]; a missing bound is open."""

    low: Number | None = None
    high: Number | None = None
    criticality: Criticality = CRITICAL


@dataclass(frozen=True)
class NotInFuture:
    """No value lies more than a day (clock skew) ahead of now. `col` and `key` give every date
    and timestamp column one (critical) unless the column declares its own or may lie ahead."""

    criticality: Criticality = CRITICAL


ColumnCheck = InSet | InReference | Matches | Between | NotInFuture


# Table checks: declared on a Table, about more than one column or the batch as a whole.


@dataclass(frozen=True)
class Ordered:
    """`low` <= `high` in every row where both are set."""

    low: str
    high: str
    criticality: Criticality = CRITICAL

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Fresh:
    """The batch's newest `column` is at most `max_age_days` old. Decided on the whole batch by
    Great Expectations after the write, so it can only be a warning."""

    column: str
    max_age_days: Number
    criticality: Literal["warning"] = WARNING

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)


@dataclass(frozen=True)
class Drift:
    """Per key, `column` in the batch moved at most `max_change_pct` % from the table's value
    before the write; validated as suite `<table>.<name>_drift` on column `<name>_change_pct`.
    Decided after the write, so it can only be a warning. The first write records nothing."""

    column: str
    name: str
    max_change_pct: Number
    criticality: Literal["warning"] = WARNING

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)


TableCheck = Ordered | Fresh | Drift


# Rules several tables share.
ISO_COUNTRY = Matches("^[A-Z]{2}$")
ISO_CURRENCY = Matches("^[A-Z]{3}$")
# A currency the FX table cannot convert leaves the USD figures empty: worth a look, not a stop.
CONVERTIBLE_CURRENCY = InReference("reference.fx_rates", "currency", WARNING)
ANNUAL_USD_SALARY = Between(Setting("annual_salary_usd_min"), Setting("annual_salary_usd_max"))
# Dates the source publishes, or versions that follow them (clock skew, pre-announced
# postings): a future value is a warning.
SOURCE_DATE = NotInFuture(WARNING)
FRESHNESS_MAX_DAYS = Setting("freshness_max_days")
