"""One mapping module per bronze source format, each returning the common shape."""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from typing import cast

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, BooleanType, DataType, NumericType, StructType

from careerlake.silver.postings.formats import ashby, greenhouse, jsonld, lever, linkedin_csv
from careerlake.silver.postings.formats.common import COMMON_COLUMNS

MAPPERS: dict[str, Callable[[DataFrame], DataFrame]] = {
    "greenhouse": greenhouse.map_records,
    "lever": lever.map_records,
    "ashby": ashby.map_records,
    "jsonld": jsonld.map_records,
    "linkedin_csv": linkedin_csv.map_records,
}

__all__ = ["COMMON_COLUMNS", "MAPPERS", "field_json_types", "json_types", "map_bronze"]


# Spark type of a from_json schema -> the JSON type it reads; any other type reads strings.
_JSON_TYPE_NAMES: tuple[tuple[type[DataType], str], ...] = (
    (StructType, "object"),
    (ArrayType, "array"),
    (BooleanType, "boolean"),
    (NumericType, "number"),
)


def json_types(ddl: str) -> dict[str, str]:
    """Top-level field -> the JSON type a `from_json` schema reads it as: 'object', 'array',
    'boolean', 'number' or 'string' (dates and timestamps are read from strings).

    Spark parses the DDL, so a Spark session must be active.
    """
    schema = cast(StructType, StructType.fromDDL(ddl))

    def kind(data_type: DataType) -> str:
        return next((name for t, name in _JSON_TYPE_NAMES if isinstance(data_type, t)), "string")

    return {field.name: kind(field.dataType) for field in schema.fields}


# The formats whose records are JSON; CSV values carry no type.
_JSON_SCHEMAS = {
    "greenhouse": greenhouse.SCHEMA,
    "lever": lever.SCHEMA,
    "ashby": ashby.SCHEMA,
    "jsonld": jsonld.SCHEMA,
}


def field_json_types(source_format: str) -> dict[str, str]:
    """`json_types` of the format's mapping schema; empty for a format that is not JSON."""
    ddl = _JSON_SCHEMAS.get(source_format)
    return json_types(ddl) if ddl else {}


def map_bronze(bronze: DataFrame) -> DataFrame:
    """Every bronze row of a known format in the common shape (unknown formats are left out)."""
    mapped = [mapper(bronze.where(F.col("source_format") == name)) for name, mapper in MAPPERS.items()]
    return reduce(DataFrame.unionByName, mapped)
