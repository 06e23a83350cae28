"""One mapping module per bronze source format, each returning the common shape."""

from __future__ import annotations

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

__all__ = ["COMMON_COLUMNS", "MAPPERS", "map_bronze"]


def map_bronze(bronze: DataFrame) -> DataFrame:
    """Every bronze row of a known format in the common shape (unknown formats are left out)."""
    mapped = [mapper(bronze.where(F.col("source_format") == name)) for name, mapper in MAPPERS.items()]
    return reduce(DataFrame.unionByName, mapped)
