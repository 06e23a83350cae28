"""A Python dict as a Spark map literal, for lookups inside expressions (no join, no UDF)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pyspark.sql import Column
from pyspark.sql import functions as F


def literal_map(mapping: Mapping[str, str | float]) -> Column:
    """`mapping` as a map<string, string> (all values text) or map<string, double> column.

    One JSON literal that Spark folds into a map constant when it plans the query: a literal per
    key and value cost a call into the JVM each, seconds per job for the lookups of thousands of
    place names.
    """
    values = mapping.values()
    if all(isinstance(v, str) for v in values):
        value_type = "string"
    elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        value_type = "double"
    else:
        raise TypeError("literal_map takes text values or numbers, not a mix")
    return F.from_json(F.lit(json.dumps(dict(mapping))), f"map<string,{value_type}>")
