"""What a table is: layer, name, keys, typed columns with comments, constraints, checks, properties."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pyspark.sql.types import (
    ArrayType,
    BinaryType,
    BooleanType,
    DataType,
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from careerlake.registry.checks import ColumnCheck, NotInFuture, TableCheck

_ATOMIC_TYPES: dict[str, DataType] = {
    "string": StringType(),
    "int": IntegerType(),
    "bigint": LongType(),
    "double": DoubleType(),
    "boolean": BooleanType(),
    "date": DateType(),
    "timestamp": TimestampType(),
    "binary": BinaryType(),
}


def parse_type(ddl: str) -> DataType:
    """Parse the registry's Spark SQL type strings (atomic, array<...>, map<...,...>) without a JVM."""
    text = ddl.strip().lower()
    if text in _ATOMIC_TYPES:
        return _ATOMIC_TYPES[text]
    if text.startswith("array<") and text.endswith(">"):
        return ArrayType(parse_type(text[6:-1]), containsNull=True)
    if text.startswith("map<") and text.endswith(">"):
        inner, depth = text[4:-1], 0
        for i, ch in enumerate(inner):
            depth += {"<": 1, ">": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                return MapType(parse_type(inner[:i]), parse_type(inner[i + 1 :]), valueContainsNull=True)
    raise ValueError(f"unsupported column type '{ddl}'")


LAYERS = ("reference", "bronze", "silver", "gold", "features", "ops")

CHANGE_FEED_PROPERTY = "delta.enableChangeDataFeed"
_DEFAULT_PROPERTIES = MappingProxyType(
    {
        "delta.minReaderVersion": "3",
        "delta.minWriterVersion": "7",
        "delta.enableDeletionVectors": "true",
    }
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str
    nullable: bool = True
    checks: tuple[ColumnCheck, ...] = ()


_DATE_TYPES = frozenset({"date", "timestamp"})


def _with_type_checks(
    type_: str, checks: tuple[ColumnCheck, ...], may_lie_ahead: bool
) -> tuple[ColumnCheck, ...]:
    # Dates and times the pipeline records lie in the past; a column says so when it differs.
    if type_ in _DATE_TYPES and not may_lie_ahead and not any(isinstance(c, NotInFuture) for c in checks):
        return (*checks, NotInFuture())
    return checks


def col(
    name: str,
    type_: str,
    comment: str,
    *checks: ColumnCheck,
    nullable: bool = True,
    may_lie_ahead: bool = False,
) -> Column:
    """A column and its checks; `may_lie_ahead` exempts a date (e.g. an expiry) from NotInFuture."""
    return Column(name, type_, comment, nullable, _with_type_checks(type_, checks, may_lie_ahead))


def key(name: str, type_: str, comment: str, *checks: ColumnCheck) -> Column:
    """A NOT NULL column (keys, and anything the data guarantees) and its checks."""
    return Column(name, type_, comment, False, _with_type_checks(type_, checks, False))


@dataclass(frozen=True)
class Table:
    layer: str
    name: str
    comment: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    partitioned_by: tuple[str, ...] = ()
    constraints: Mapping[str, str] = field(default_factory=dict)
    timeseries_key: str | None = None
    change_data_feed: bool = False
    extra_properties: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[TableCheck, ...] = ()

    def __post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise ValueError(f"{self.name}: unknown layer {self.layer}")
        names = [c.name for c in self.columns]
        referenced = (*self.keys, *self.partitioned_by, *(n for c in self.checks for n in c.columns))
        missing = [k for k in referenced if k not in names]
        if self.timeseries_key and self.timeseries_key not in names:
            missing.append(self.timeseries_key)
        if missing or len(set(names)) != len(names):
            raise ValueError(f"{self.id}: unknown columns {missing} (keys, partitions, checks) or duplicates")

    @property
    def id(self) -> str:
        """Layer-qualified name as analysts write it locally, e.g. `silver.postings`."""
        return f"{self.layer}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def schema(self) -> StructType:
        return StructType(
            [
                StructField(c.name, parse_type(c.type), c.nullable, {"comment": c.comment})
                for c in self.columns
            ]
        )

    @property
    def properties(self) -> dict[str, str]:
        props = dict(_DEFAULT_PROPERTIES)
        if self.change_data_feed:
            props[CHANGE_FEED_PROPERTY] = "true"
        props.update(self.extra_properties)
        return props

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


QUARANTINE_COLUMNS: tuple[Column, ...] = (
    key("quarantine_id", "string", "Stable id of the quarantined record: hash of source, file and position."),
    key("source", "string", "Where the record came from, e.g. postings/greenhouse or career_docs."),
    col("source_file", "string", "Landing file path (bronze) or upstream table (silver) of the record."),
    col("record_ref", "string", "Position in the file or upstream record id, for tracing."),
    key("reason", "string", "Why the record was rejected, one short machine-groupable phrase plus detail."),
    col("raw_text", "string", "The rejected record as text, truncated to 1 MB, for replay and debugging."),
    key("run_id", "string", "Pipeline run that quarantined the record."),
    key("quarantined_at", "timestamp", "When the record was quarantined (UTC)."),
)


def quarantine_table(layer: str, name: str, what: str) -> Table:
    return Table(
        layer=layer,
        name=name,
        comment=f"Rejected {what}: every record that could not be accepted, with the reason and its source.",
        columns=QUARANTINE_COLUMNS,
        keys=("quarantine_id",),
    )
