"""Pure transforms from parsed candidate records to bronze, quarantine and schema-drift rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.registry.bronze import POSTINGS, POSTINGS_QUARANTINE, SCHEMA_DRIFT
from careerlake.runtime.sql_text import sql_string

RAW_TEXT_MAX_CHARS = 1_000_000
EXAMPLE_MAX_CHARS = 200
REPLACEMENT_CHAR = "\ufffd"


def _sha256(*parts: Column) -> Column:
    # \u0001 cannot occur in the parts, so distinct part lists never hash the same.
    return F.sha2(F.concat_ws("\u0001", *[F.coalesce(p, F.lit("")) for p in parts]), 256)


def classify(candidates: DataFrame) -> DataFrame:
    """Final rejection reason of every candidate: the parser's, else invalid UTF-8, else a missing id."""
    missing_id = F.col("source_posting_id").isNull() | (F.trim("source_posting_id") == "")
    return candidates.withColumn(
        "error",
        F.coalesce(
            F.col("error"),
            F.when(F.col("raw_record").contains(REPLACEMENT_CHAR), F.lit("invalid utf-8")),
            F.when(missing_id, F.lit("missing id")),
        ),
    )


def to_bronze(candidates: DataFrame, source_format: str, run_id: str, ingested_at: datetime) -> DataFrame:
    """Accepted candidates as bronze.postings rows, one per record_id."""
    content_hash = F.sha2("raw_record", 256)
    rows = candidates.where(F.col("error").isNull()).select(
        _sha256(F.lit(source_format), F.col("board"), F.col("source_posting_id"), content_hash).alias(
            "record_id"
        ),
        F.lit(source_format).alias("source_format"),
        "board",
        "source_posting_id",
        "raw_record",
        content_hash.alias("content_hash"),
        "source_file",
        "record_ref",
        F.col("file_modified_at").cast("timestamp").alias("file_modified_at"),
        F.lit(ingested_at).cast("timestamp").alias("ingested_at"),
        F.lit(run_id).alias("run_id"),
    )
    # The same posting twice in one batch (e.g. a file re-delivered under a second name) is one row.
    return rows.dropDuplicates(["record_id"]).select(*POSTINGS.column_names)


def to_quarantine(
    candidates: DataFrame, source_format: str, run_id: str, quarantined_at: datetime
) -> DataFrame:
    """Rejected candidates as bronze.postings_quarantine rows."""
    source = f"postings/{source_format}"
    return (
        candidates.where(F.col("error").isNotNull())
        .select(
            _sha256(F.lit(source), F.col("source_file"), F.col("record_ref")).alias("quarantine_id"),
            F.lit(source).alias("source"),
            "source_file",
            "record_ref",
            F.col("error").alias("reason"),
            F.substring("raw_record", 1, RAW_TEXT_MAX_CHARS).alias("raw_text"),
            F.lit(run_id).alias("run_id"),
            F.lit(quarantined_at).cast("timestamp").alias("quarantined_at"),
        )
        .select(*POSTINGS_QUARANTINE.column_names)
    )


def empty_file_quarantine(
    spark_df: DataFrame, source_format: str, run_id: str, quarantined_at: datetime
) -> DataFrame:
    """Zero-byte landing files (`source_file` column), which Spark's file scans skip, as quarantine rows."""
    with_fields = spark_df.select(
        "source_file",
        F.lit(None).cast("timestamp").alias("file_modified_at"),
        F.lit("file").alias("record_ref"),
        F.lit("").alias("raw_record"),
        F.lit("empty file").alias("error"),
    )
    return to_quarantine(with_fields, source_format, run_id, quarantined_at)


def _drift_rows(observed: DataFrame, source_format: str, run_id: str, seen_at: datetime) -> DataFrame:
    return (
        observed.groupBy("field_path", "change")
        .agg(
            F.count(F.lit(1)).alias("record_count"),
            F.first(F.substring("example_value", 1, EXAMPLE_MAX_CHARS), ignorenulls=True).alias(
                "example_value"
            ),
        )
        .select(
            F.lit(source_format).alias("source_format"),
            "field_path",
            "change",
            "example_value",
            F.lit(run_id).alias("first_seen_run_id"),
            F.lit(seen_at).cast("timestamp").alias("first_seen_at"),
            "record_count",
        )
        .select(*SCHEMA_DRIFT.column_names)
    )


def _drift_from_fields(
    units: DataFrame,
    fields: Column,
    example: Column | None,
    required: frozenset[str],
    known: frozenset[str],
) -> DataFrame:
    """Added and missing fields of each unit (a record or a file) whose field names are `fields`."""
    known_array = F.expr(f"array({', '.join(sql_string(k) for k in sorted(known))})")
    required_array = F.expr(f"array({', '.join(sql_string(k) for k in sorted(required))})")
    staged = units.select("*", fields.alias("fields"))
    added = staged.select("*", F.explode(F.array_except("fields", known_array)).alias("field_path")).select(
        "field_path",
        F.lit("added").alias("change"),
        (example if example is not None else F.lit(None).cast("string")).alias("example_value"),
    )
    missing = staged.select(F.explode(F.array_except(required_array, "fields")).alias("field_path")).select(
        "field_path", F.lit("missing").alias("change"), F.lit(None).cast("string").alias("example_value")
    )
    return added.unionByName(missing)


def _field_value(field_path: Column) -> Column:
    """The JSON text of the top-level field named by `field_path` in each record's raw_record."""
    path = F.concat(F.lit("$['"), field_path, F.lit("']"))
    return F.call_function("get_json_object", F.col("raw_record"), path)


def _json_type(spark_type: str) -> str:
    """SQL: the JSON type of a variant, as `json_types` names them, from its `schema_of_variant`;
    null for JSON null or an absent field."""
    return (
        f"CASE WHEN {spark_type} IS NULL OR {spark_type} = 'VOID' THEN NULL"
        f" WHEN startswith({spark_type}, 'OBJECT') THEN 'object'"
        f" WHEN startswith({spark_type}, 'ARRAY') THEN 'array'"
        f" WHEN {spark_type} = 'STRING' THEN 'string'"
        f" WHEN {spark_type} = 'BOOLEAN' THEN 'boolean'"
        " ELSE 'number' END"
    )


def _field_type(field: str, kind: str) -> str:
    """SQL: a struct of the field's name, its expected JSON type and its `schema_of_variant`."""
    path = sql_string(f"$['{field}']")
    value = f"try_variant_get(_document, {path}, 'variant')"
    return (
        f"named_struct('field_path', {sql_string(field)}, 'expected', {sql_string(kind)}, "
        f"'spark_type', schema_of_variant({value}))"
    )


def _type_changes(records: DataFrame, expected: Mapping[str, str]) -> DataFrame:
    """Known fields whose JSON type the silver mapping cannot read (`expected`: field -> JSON type).

    Every other JSON type counts, a number where text was expected too (epoch seconds where an
    ISO date was). One exception: a string field reads an array as JSON text that the mappers
    strip to a list (schema.org's multi-valued `employmentType`).

    The fields' expressions are SQL text: built from functions, they cost about 30 calls into
    the JVM per field, for every batch.
    """
    seen = ", ".join(_field_type(field, kind) for field, kind in sorted(expected.items()))
    readable = (F.col("observed") == F.col("expected")) | (
        (F.col("expected") == "string") & (F.col("observed") == "array")
    )
    return (
        records.select("raw_record", F.expr("try_parse_json(raw_record)").alias("_document"))
        .select("raw_record", F.expr(f"inline(array({seen}))"))
        .select("raw_record", "field_path", "expected", F.expr(_json_type("spark_type")).alias("observed"))
        .where(F.col("observed").isNotNull() & ~readable)
        .select(
            "field_path",
            F.lit("type_changed").alias("change"),
            F.concat(
                F.col("observed"),
                F.lit(" (expected "),
                F.col("expected"),
                F.lit("): "),
                _field_value(F.col("field_path")),
            ).alias("example_value"),
        )
    )


def schema_drift_from_records(
    accepted: DataFrame,
    source_format: str,
    required: frozenset[str],
    known: frozenset[str],
    run_id: str,
    seen_at: datetime,
    json_types: Mapping[str, str] | None = None,
) -> DataFrame:
    """Top-level JSON keys of accepted records that the format does not know, required ones absent,
    and known ones whose JSON type the mapping cannot read (`json_types`: field -> JSON type)."""
    records = accepted.select("raw_record")
    observed = _drift_from_fields(
        records, F.json_object_keys("raw_record"), _field_value(F.col("field_path")), required, known
    )
    if json_types:
        observed = observed.unionByName(_type_changes(records, json_types))
    return _drift_rows(observed, source_format, run_id, seen_at)


def schema_drift_from_headers(
    headers: DataFrame,
    source_format: str,
    required: frozenset[str],
    known: frozenset[str],
    run_id: str,
    seen_at: datetime,
) -> DataFrame:
    """CSV header lines (`header` column) whose columns differ from the known column list."""
    columns = F.transform(
        F.split(F.regexp_replace("header", r"[\r\n]+$", ""), ","),
        lambda c: F.trim(F.regexp_replace(c, '"', "")),
    )
    observed = _drift_from_fields(headers, columns, None, required, known)
    return _drift_rows(observed, source_format, run_id, seen_at)
