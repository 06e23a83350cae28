"""A Python dict as a Spark map literal, for lookups inside expressions (no join, no UDF)."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain

from pyspark.sql import Column
from pyspark.sql import functions as F


def literal_map(mapping: Mapping[str, str | float]) -> Column:
    return F.create_map(*chain.from_iterable((F.lit(k), F.lit(v)) for k, v in mapping.items()))
