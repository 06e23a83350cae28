"""One mapping module per bronze source format, each returning the common shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.silver.postings.formats import ashby, greenhouse, jsonld, lever, linkedin_csv
from careerlake.silver.postings.formats.common import COMMON_COLUMNS

MAPPERS: dict[str, Callable[[DataFrame], DataFrame]] = {
    "greenhouse": greenhouse.map_records,
    "lever": lever.map_records,
    "ashby": ashby.map_records,
    "jsonld": jsonld.map_records,
    "linkedin_csv": linkedin_csv.map_records,
}

__all__ = ["COMMON_COLUMNS", "FIELD_JSON_TYPES", "MAPPERS", "json_types", "map_bronze"]


def json_types(ddl: str) -> dict[str, str]:
    """Top-level field -> the JSON type a `from_json` schema reads it as.

    'object' (struct), 'array', 'boolean', 'number' (any numeric type) or 'string'.
    """
    fields, depth, start = [], 0, 0
    for i, char in enumerate(ddl):
        depth += {"<": 1, "(": 1, ">": -1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            fields.append(ddl[start:i])
            start = i + 1
    fields.append(ddl[start:])
    kinds = {"struct": "object", "array": "array", "boolean": "boolean", "string": "string"}
    types = {}
    for field in fields:
        name, spark_type = field.strip().split(maxsplit=1)
        types[name] = kinds.get(re.split(r"[<(\s]", spark_type.lower(), maxsplit=1)[0], "number")
    return types


# JSON formats only: CSV values carry no type.
FIELD_JSON_TYPES: dict[str, dict[str, str]] = {
    name: json_types(module.SCHEMA)
    for name, module in (("greenhouse", greenhouse), ("lever", lever), ("ashby", ashby), ("jsonld", jsonld))
}


def map_bronze(bronze: DataFrame) -> DataFrame:
    """Every bronze row of a known format in the common shape (unknown formats are left out)."""
    mapped = [mapper(bronze.where(F.col("source_format") == name)) for name, mapper in MAPPERS.items()]
    return reduce(DataFrame.unionByName, mapped)
