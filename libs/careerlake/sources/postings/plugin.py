"""What a posting format declares: the contract every module of this package fulfils as `FORMAT`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pyspark.sql import DataFrame
from pyspark.sql.types import ArrayType, BooleanType, DataType, NumericType, StructType

from careerlake.sources.postings.synthetic import SyntheticPosting

# What `parse` returns, one row per record found (or per rejected file); an `error` that is not
# null sends the record to quarantine with that reason.
CANDIDATE_COLUMNS = (
    "source_file",
    "file_modified_at",
    "record_ref",
    "board",
    "source_posting_id",
    "raw_record",
    "error",
)


@dataclass(frozen=True)
class PostingFormat:
    """One posting format, from landing file to the common silver shape.

    - `name`: the landing folder `postings/<name>/`, bronze's `source_format`, the config toggle
      `sources.postings.<name>`.
    - `priority`: when two formats deliver one posting at the same instant, the lower number
      wins (the richer ATS feeds before the aggregators); unique among the formats.
    - `parse`: a batch of landing files (the binaryFile columns `path`, `modificationTime`,
      `length`, `content`) -> candidate records with CANDIDATE_COLUMNS.
    - `required_fields`, `optional_fields`: the top-level fields (CSV: columns) schema drift
      watches; `drift_from_header` reads a CSV file's header line instead of each record's keys.
    - `map_records`: bronze.postings rows of this format -> mapping.COMMON_COLUMNS.
    - `schema`: the `from_json` schema `map_records` reads, whose field types drift checks; None
      when the records carry no types (CSV rows, every value text).
    - `title_paths`: the JSON paths of the title, the first found wins; a record with none of
      them is quarantined by silver.
    - `write_synthetic(folder, ids, posting)`: write landing files holding the synthetic
      postings numbered `ids`, each drawn by `posting(i)` (the benchmark's generator).
    """

    name: str
    priority: int
    parse: Callable[[DataFrame], DataFrame]
    required_fields: frozenset[str]
    optional_fields: frozenset[str]
    map_records: Callable[[DataFrame], DataFrame]
    schema: str | None
    write_synthetic: Callable[[Path, range, Callable[[int], SyntheticPosting]], None]
    title_paths: tuple[str, ...] = ("$.title",)
    drift_from_header: bool = False

    @property
    def known_fields(self) -> frozenset[str]:
        return self.required_fields | self.optional_fields

    def field_json_types(self) -> dict[str, str]:
        """`json_types` of the mapping's schema; empty for a format whose records are untyped."""
        return json_types(self.schema) if self.schema else {}


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
