"""One expectation suite per registry table, generated from the registry's own metadata.

Every check names a Great Expectations expectation, carries a severity (critical or
warning) and says which engine decides it. Every critical check is decided before the write:

- `spark`: row-level rules that are one boolean expression per row (NOT NULL columns, value
  sets, ISO code patterns, salary ranges, dates not in the future and the registry's Delta
  CHECK constraints). They are all counted in the same Spark pass that computes the batch.
- `keys`: the table's keys identify one row; one small query over the computed batch.
- `schema`: column set and types, read from the batch's schema (no Spark job).
- `gx`: distribution checks of the whole batch (freshness of the newest timestamp, gold p50
  drift). They are warnings, so Great Expectations decides them once per job, after the writes.

Great Expectations validates the `gx` expectation of every check that has one (schema, keys,
freshness, drift) once per job for the Data Docs; the row rules are recorded in
ops.quality_results only, as one Spark pass is far cheaper than GX's metric-per-expectation plan.

Table-specific extras are declared in `TABLE_EXTRAS`, keyed by table id.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from careerlake.registry import ALL_TABLES, Table
from careerlake.registry.silver import SALARY_PERIODS, SENIORITY_VALUES, WORK_MODELS
from careerlake.registry.table import Column, parse_type
from careerlake.runtime.config import Config

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"

# Gold and feature cells use these for "every value" rows beside the real codes.
ALL_MARKERS = ("all", "ALL")
SALARY_USD_SUFFIXES = ("_annual_usd", "_usd")
# Spreads and differences of salaries (IQR, uplift, premium) are legitimately small or negative.
SALARY_DIFFERENCE_SUFFIXES = ("_iqr_usd", "_uplift_usd", "_premium_usd")
# Dates the source publishes, or versions that follow them (clock skew, pre-announced
# postings): a future value is a warning.
SOURCE_DATES = frozenset({"posted_at", "published_date", "file_modified_at", "valid_from", "valid_to"})
# Dates that legitimately lie ahead.
FUTURE_ALLOWED = frozenset({"valid_through"})
# Seconds of clock skew tolerated before a timestamp counts as "in the future".
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Check:
    """One expectation of a suite: its name as recorded, severity and how it runs."""

    expectation: str
    severity: Severity
    engine: Literal["spark", "keys", "schema", "gx"]
    # spark: SQL that is true for a good row (NULL counts as failing, as in Delta CHECK).
    predicate: str | None = None
    # The GX expectation validated for the Data Docs (its meta carries the severity and our name).
    gx: Expectation | None = None
    row_level: bool = True
    # schema: the column this check types, and its Spark type name (None: the column set).
    column: str | None = None
    spark_type: str | None = None


@dataclass(frozen=True)
class Suite:
    table: Table
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.table.id

    @property
    def spark_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.engine == "spark")

    @property
    def key_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.engine == "keys")

    @property
    def schema_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.engine == "schema")

    @property
    def gx_checks(self) -> tuple[Check, ...]:
        """What Great Expectations validates once per job (Data Docs)."""
        return tuple(c for c in self.checks if c.gx is not None)


@cache
def known_currencies() -> tuple[str, ...]:
    """ISO 4217 codes the packaged FX table can convert."""
    text = resources.files("careerlake.reference").joinpath("data/fx_rates.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(sorted({row["currency"] for row in csv.DictReader(lines)}))


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _spark(expectation: str, predicate: str, severity: Severity = CRITICAL) -> Check:
    return Check(expectation, severity, "spark", predicate=predicate)


def gx_check(
    expectation: str,
    gx: Expectation,
    severity: Severity = CRITICAL,
    *,
    row_level: bool,
    engine: Literal["keys", "schema", "gx"] = "gx",
) -> Check:
    gx.meta = {"severity": severity, "careerlake_expectation": expectation}
    return Check(expectation, severity, engine, gx=gx, row_level=row_level)


def _value_set(table: Table, column: str, values: tuple[str, ...], severity: Severity = CRITICAL) -> Check:
    allowed = values + ALL_MARKERS if table.layer == "gold" else values
    return _spark(
        f"expect_column_values_to_be_in_set({column})",
        f"`{column}` IS NULL OR `{column}` IN ({_sql_list(allowed)})",
        severity,
    )


def _pattern(table: Table, column: str, regex: str) -> Check:
    markers = f" OR `{column}` IN ({_sql_list(ALL_MARKERS)})" if table.layer == "gold" else ""
    return _spark(
        f"expect_column_values_to_match_regex({column})",
        f"`{column}` IS NULL OR `{column}` RLIKE '{regex}'{markers}",
    )


def _column_checks(table: Table, column: Column, config: Config) -> list[Check]:
    name, checks = column.name, []
    if not column.nullable:
        checks.append(_spark(f"expect_column_values_to_not_be_null({name})", f"`{name}` IS NOT NULL"))
    if name == "seniority" or (name == "level" and table.id == "reference.seniority_levels"):
        checks.append(_value_set(table, name, SENIORITY_VALUES))
    elif name == "work_model":
        checks.append(_value_set(table, name, WORK_MODELS))
    elif name in {"salary_period", "period"}:
        checks.append(_value_set(table, name, SALARY_PERIODS, WARNING))
    elif name in {"salary_currency", "currency"}:
        checks.append(_pattern(table, name, "^[A-Z]{3}$"))
        checks.append(_value_set(table, name, known_currencies(), WARNING))
    elif name == "country":
        checks.append(_pattern(table, name, "^[A-Z]{2}$"))
    if (
        column.type == "double"
        and "salary" in name + table.name
        and name.endswith(SALARY_USD_SUFFIXES)
        and not name.endswith(SALARY_DIFFERENCE_SUFFIXES)
    ):
        low, high = config.quality.annual_salary_usd_min, config.quality.annual_salary_usd_max
        checks.append(
            _spark(
                f"expect_column_values_to_be_between({name})",
                f"`{name}` IS NULL OR `{name}` BETWEEN {low!r} AND {high!r}",
            )
        )
    if column.type in {"date", "timestamp"} and name not in FUTURE_ALLOWED:
        latest = f"current_timestamp() + INTERVAL {int(FUTURE_TOLERANCE.total_seconds())} SECONDS"
        checks.append(
            _spark(
                f"expect_column_values_to_not_be_in_future({name})",
                f"`{name}` IS NULL OR CAST(`{name}` AS TIMESTAMP) <= {latest}",
                WARNING if name in SOURCE_DATES else CRITICAL,
            )
        )
    return checks


def _schema_checks(table: Table) -> list[Check]:
    checks = [
        gx_check(
            "expect_table_columns_to_match_set",
            gxe.ExpectTableColumnsToMatchSet(column_set=table.column_names, exact_match=True),
            row_level=False,
            engine="schema",
        )
    ]
    # Types are read off the batch's schema; one GX expectation per column would cost GX
    # a validation step each for what the schema already says.
    for column in table.columns:
        checks.append(
            Check(
                f"expect_column_values_to_be_of_type({column.name})",
                CRITICAL,
                "schema",
                row_level=False,
                column=column.name,
                spark_type=type(parse_type(column.type)).__name__,
            )
        )
    return checks


def _key_checks(table: Table) -> list[Check]:
    keys = list(table.keys)
    expectation: Expectation = (
        gxe.ExpectColumnValuesToBeUnique(column=keys[0])
        if len(keys) == 1
        else gxe.ExpectCompoundColumnsToBeUnique(column_list=keys)
    )
    kind = "column_values" if len(keys) == 1 else "compound_columns"
    return [
        gx_check(f"expect_{kind}_to_be_unique({', '.join(keys)})", expectation, row_level=True, engine="keys")
    ]


def freshness_check(column: str, config: Config) -> Check:
    """Newest value of `column` in the batch at most `quality.freshness_max_days` old."""
    oldest = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=config.quality.freshness_max_days)
    return gx_check(
        f"expect_column_max_to_be_between({column})",
        gxe.ExpectColumnMaxToBeBetween(column=column, min_value=oldest),
        WARNING,
        row_level=False,
    )


def _freshness(column: str) -> Callable[[Table, Config], list[Check]]:
    return lambda _table, config: [freshness_check(column, config)]


# Table-specific expectations beyond what the registry metadata implies.
TABLE_EXTRAS: dict[str, Callable[[Table, Config], list[Check]]] = {
    "silver.postings": _freshness("posted_at"),
    "bronze.postings": _freshness("ingested_at"),
    "gold.salary_benchmarks": lambda _t, _c: [
        _spark(
            "expect_column_pair_values_a_to_be_less_than_or_equal_to_b(p25_usd, p75_usd)",
            "p25_usd IS NULL OR p75_usd IS NULL OR p25_usd <= p75_usd",
        ),
        _spark(
            "expect_column_values_to_be_between(posting_count)",
            "posting_count >= 0",
        ),
    ],
    "gold.skill_demand": lambda _t, _c: [
        _spark(
            "expect_column_values_to_be_between(share_of_role_postings)",
            "share_of_role_postings BETWEEN 0 AND 1",
        )
    ],
    "features.posting_features": lambda table, config: [
        *_freshness("posted_at")(table, config),
        _spark(
            "expect_column_values_to_be_between(seniority_ordinal)",
            f"seniority_ordinal IS NULL OR seniority_ordinal BETWEEN 0 AND {len(SENIORITY_VALUES) - 1}",
        ),
    ],
}


def _constraint_checks(table: Table) -> list[Check]:
    # Delta enforces these at commit time too, but a failed commit would name no row count;
    # counting them first turns a breach into a QualityBreachError with nothing written.
    return [
        _spark(f"expect_delta_check_constraint({name})", expression)
        for name, expression in table.constraints.items()
    ]


def build_suite(table: Table, config: Config) -> Suite:
    """The suite of one registry table in this environment's configuration."""
    checks: list[Check] = [*_schema_checks(table), *_key_checks(table)]
    for column in table.columns:
        checks.extend(_column_checks(table, column, config))
    checks.extend(_constraint_checks(table))
    checks.extend(TABLE_EXTRAS.get(table.id, lambda _t, _c: [])(table, config))
    unique: dict[str, Check] = {}
    for check in checks:
        unique.setdefault(check.expectation, check)
    late = [c.expectation for c in unique.values() if c.engine == "gx" and c.severity == CRITICAL]
    if late:
        raise AssertionError(f"{table.id}: critical checks must be decided before the write: {late}")
    return Suite(table, tuple(unique.values()))


def all_suites(config: Config) -> dict[str, Suite]:
    return {table.id: build_suite(table, config) for table in ALL_TABLES}


def describe(suite: Suite) -> list[dict[str, Any]]:
    """Plain rows for docs and the CLI: expectation, severity, engine."""
    return [{"expectation": c.expectation, "severity": c.severity, "engine": c.engine} for c in suite.checks]
