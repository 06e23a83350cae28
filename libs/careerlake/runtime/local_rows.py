"""DataFrames of rows the driver already holds: ops rows, packaged reference data, lookups.

`SparkSession.createDataFrame` of a Python list, on a classic session, ships the pickled rows as
an RDD that a Python worker unpickles again every time a query reads them: a Spark job (and a
Python worker, forked anew after a minute idle) for each read, each broadcast of a lookup among
them. Sent as an Arrow table instead, the rows become a local relation inside the plan: reading
or broadcasting them runs no Spark job and no Python. Spark Connect sends local rows as Arrow
anyway, so this is what a serverless session does too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import DataType, StructType


def rows_frame(spark: SparkSession, rows: Iterable[Sequence[Any]], schema: StructType | str) -> DataFrame:
    """The rows (tuples in the schema's column order) as a DataFrame with `schema` (a StructType
    or a DDL string). A null in a non-nullable column is refused, as `createDataFrame` would."""
    struct = schema if isinstance(schema, StructType) else DataType.fromDDL(schema)
    if not isinstance(struct, StructType):
        raise TypeError(f"rows need a schema of named columns, not {struct.simpleString()}")
    arrow = to_arrow_schema(struct)
    rows = list(rows)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in struct.fields]
    for field, values in zip(struct.fields, columns, strict=True):
        if not field.nullable and any(v is None for v in values):
            raise ValueError(f"column {field.name} is not nullable, but a row holds null there")
    table = pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, arrow, strict=True)],
        schema=arrow,
    )
    return spark.createDataFrame(table, struct)
