"""One expectation suite per registry table, built from what the table declares.

The table itself implies the column set and types, NOT NULL columns, keys and Delta CHECK
constraints; its columns and the table declare the rest (`careerlake.registry.checks`). Every
check names a Great Expectations expectation, carries a severity (critical or warning) and says
which engine decides it. Every critical check is decided before the write:

- `spark`: row-level rules that are one boolean expression per row (NOT NULL columns, value
  sets, patterns, ranges, dates not in the future, ordered pairs and the registry's Delta
  CHECK constraints). They are all counted in the same Spark pass that computes the batch.
- `keys`: the table's keys identify one row; one small query over the computed batch.
- `schema`: column set and types, read from the batch's schema (no Spark job).
- `gx`: distribution checks of the whole batch (freshness, drift against the table). They
  are warnings, so Great Expectations decides them once per job, after the writes.

Great Expectations validates the `gx` expectation of every check that has one (the column
set, freshness, drift) once per job for the Data Docs; the row rules and the keys are recorded in
ops.quality_results only, as one Spark pass (and one small query for the keys) is far cheaper
than GX's metric-per-expectation plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from careerlake.registry import Table
from careerlake.registry.checks import (
    Between,
    ColumnCheck,
    Criticality,
    Drift,
    Fresh,
    InReference,
    InSet,
    Matches,
    NotInFuture,
    Number,
    Ordered,
    Setting,
)
from careerlake.registry.table import Column, parse_type
from careerlake.runtime.config import Config
from careerlake.runtime.sql_text import sql_string

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

Severity = Criticality
CRITICAL: Severity = "critical"

# Seconds of clock skew tolerated before a timestamp counts as "in the future".
FUTURE_TOLERANCE = timedelta(days=1)

# The values of one column of a packaged reference table: (table id, column) -> values.
ReferenceValues = Callable[[str, str], tuple[str, ...]]


@dataclass(frozen=True)
class GxExpectation:
    """A Great Expectations expectation by class and arguments, built only when GX validates.

    Importing GX costs about 3 s of CPU; a job imports it at its end, where GX validates once,
    and a job that fails or is killed before then never does.
    """

    name: str  # a class of great_expectations.expectations
    arguments: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Check:
    """One expectation of a suite: its name as recorded, severity and how it runs."""

    expectation: str
    severity: Severity
    engine: Literal["spark", "keys", "schema", "gx"]
    # spark: SQL that is true for a good row (NULL counts as failing, as in Delta CHECK).
    predicate: str | None = None
    # The GX expectation validated for the Data Docs (its meta carries the severity and our name).
    gx: GxExpectation | None = None
    row_level: bool = True
    # schema: the column this check types, and its Spark type name (None: the column set).
    column: str | None = None
    spark_type: str | None = None

    def build_gx(self) -> Expectation:
        """The GX expectation of this check, its meta carrying our name and the severity."""
        import great_expectations.expectations as gxe

        assert self.gx is not None, f"{self.expectation} has no GX expectation"
        meta = {"severity": self.severity, "careerlake_expectation": self.expectation}
        expectation: Expectation = getattr(gxe, self.gx.name)(**dict(self.gx.arguments), meta=meta)
        return expectation


@dataclass(frozen=True)
class DriftSuite:
    """A declared `Drift`: GX validates `check` over the batch's % moves (column `change_column`)
    as its own suite, since it runs on a frame computed from the batch and the table."""

    name: str
    column: str
    change_column: str
    check: Check


@dataclass(frozen=True)
class Suite:
    table: Table
    checks: tuple[Check, ...] = field(default_factory=tuple)
    drifts: tuple[DriftSuite, ...] = ()

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


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_string(v) for v in values)


def _spark(expectation: str, predicate: str, severity: Severity = CRITICAL) -> Check:
    return Check(expectation, severity, "spark", predicate=predicate)


def _gx_check(
    expectation: str,
    gx_class: str,
    arguments: dict[str, Any],
    severity: Severity = CRITICAL,
    *,
    row_level: bool,
    engine: Literal["schema", "gx"] = "gx",
) -> Check:
    gx = GxExpectation(gx_class, tuple(arguments.items()))
    return Check(expectation, severity, engine, gx=gx, row_level=row_level)


def _number(value: Number, config: Config) -> int | float:
    return getattr(config.quality, value.name) if isinstance(value, Setting) else value


def _in_set(name: str, values: tuple[str, ...], severity: Severity) -> Check:
    return _spark(
        f"expect_column_values_to_be_in_set({name})",
        f"`{name}` IS NULL OR `{name}` IN ({_sql_list(values)})",
        severity,
    )


def _range(name: str, check: Between, config: Config) -> str:
    low = None if check.low is None else _number(check.low, config)
    high = None if check.high is None else _number(check.high, config)
    if low is not None and high is not None:
        return f"`{name}` BETWEEN {low!r} AND {high!r}"
    if low is not None:
        return f"`{name}` >= {low!r}"
    return f"`{name}` <= {high!r}"


def _column_check(name: str, check: ColumnCheck, config: Config, reference: ReferenceValues) -> Check:
    match check:
        case InSet(values, severity):
            return _in_set(name, values, severity)
        case InReference(table_id, column, severity):
            return _in_set(name, reference(table_id, column), severity)
        case Matches(pattern, also, severity):
            markers = f" OR `{name}` IN ({_sql_list(also)})" if also else ""
            return _spark(
                f"expect_column_values_to_match_regex({name})",
                f"`{name}` IS NULL OR `{name}` RLIKE {sql_string(pattern)}{markers}",
                severity,
            )
        case Between():
            return _spark(
                f"expect_column_values_to_be_between({name})",
                f"`{name}` IS NULL OR {_range(name, check, config)}",
                check.criticality,
            )
        case NotInFuture(severity):
            latest = f"current_timestamp() + INTERVAL {int(FUTURE_TOLERANCE.total_seconds())} SECONDS"
            return _spark(
                f"expect_column_values_to_not_be_in_future({name})",
                f"`{name}` IS NULL OR CAST(`{name}` AS TIMESTAMP) <= {latest}",
                severity,
            )
    raise TypeError(f"unknown column check {check!r}")


def _column_checks(column: Column, config: Config, reference: ReferenceValues) -> list[Check]:
    name, checks = column.name, []
    if not column.nullable:
        checks.append(_spark(f"expect_column_values_to_not_be_null({name})", f"`{name}` IS NOT NULL"))
    checks.extend(_column_check(name, check, config, reference) for check in column.checks)
    return checks


def _schema_checks(table: Table) -> list[Check]:
    checks = [
        _gx_check(
            "expect_table_columns_to_match_set",
            "ExpectTableColumnsToMatchSet",
            {"column_set": table.column_names, "exact_match": True},
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
    # Decided in each batch before its write and recorded in ops.quality_results, like the row
    # rules, and not validated by GX again at the job's end: GX's uniqueness metrics cost three
    # Spark jobs per table, about a seventh of a warm sample run (docs/benchmarks.md).
    keys = list(table.keys)
    kind = "column_values" if len(keys) == 1 else "compound_columns"
    return [Check(f"expect_{kind}_to_be_unique({', '.join(keys)})", CRITICAL, "keys")]


def _constraint_checks(table: Table) -> list[Check]:
    # Delta enforces these at commit time too, but a failed commit would name no row count;
    # counting them first turns a breach into a QualityBreachError with nothing written.
    return [
        _spark(f"expect_delta_check_constraint({name})", expression)
        for name, expression in table.constraints.items()
    ]


def _table_checks(table: Table, config: Config) -> list[Check]:
    checks = []
    for check in table.checks:
        match check:
            case Ordered(low, high, severity):
                checks.append(
                    _spark(
                        f"expect_column_pair_values_a_to_be_less_than_or_equal_to_b({low}, {high})",
                        f"`{low}` IS NULL OR `{high}` IS NULL OR `{low}` <= `{high}`",
                        severity,
                    )
                )
            case Fresh(column, max_age_days, severity):
                days = _number(max_age_days, config)
                oldest = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
                checks.append(
                    _gx_check(
                        f"expect_column_max_to_be_between({column})",
                        "ExpectColumnMaxToBeBetween",
                        {"column": column, "min_value": oldest},
                        severity,
                        row_level=False,
                    )
                )
    return checks


def _drift_suites(table: Table, config: Config) -> tuple[DriftSuite, ...]:
    suites = []
    for drift in (c for c in table.checks if isinstance(c, Drift)):
        change = f"{drift.name}_change_pct"
        check = _gx_check(
            f"expect_column_values_to_be_between({change})",
            "ExpectColumnValuesToBeBetween",
            {"column": change, "min_value": 0.0, "max_value": _number(drift.max_change_pct, config)},
            drift.criticality,
            row_level=True,
        )
        suites.append(DriftSuite(f"{table.id}.{drift.name}_drift", drift.column, change, check))
    return tuple(suites)


def build_suite(table: Table, config: Config, reference: ReferenceValues) -> Suite:
    """The suite of one registry table in this environment's configuration; `reference` gives
    the values of the reference columns its checks name."""
    checks: list[Check] = [*_schema_checks(table), *_key_checks(table)]
    for column in table.columns:
        checks.extend(_column_checks(column, config, reference))
    checks.extend(_constraint_checks(table))
    checks.extend(_table_checks(table, config))
    drifts = _drift_suites(table, config)
    names = [c.expectation for c in checks]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{table.id}: checks declared twice: {duplicates}")
    every = (*checks, *(d.check for d in drifts))
    late = [c.expectation for c in every if c.engine == "gx" and c.severity == CRITICAL]
    if late:
        raise ValueError(f"{table.id}: critical checks must be decided before the write: {late}")
    return Suite(table, tuple(checks), drifts)
