"""Spark expressions shared by the formats' bronze parsers (landing files -> candidate records)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.sources.postings.salvage import salvaged_elements

CORRUPT = "_corrupt_record"


def strip(text: Column) -> Column:
    """Trim all whitespace (Spark's trim removes spaces only, not newlines)."""
    return F.regexp_replace(text, r"^\s+|\s+$", "")


def is_blank(text: Column) -> Column:
    return text.rlike(r"^\s*$")


def file_name(path: Column) -> Column:
    return F.regexp_extract(path, r"[^/]+$", 0)


def board_from_file_name(path: Column) -> Column:
    """`<board>.json` or `<board>-<anything>.json` -> board."""
    return F.regexp_extract(file_name(path), r"^([^-.]+)", 1)


def file_text(files: DataFrame) -> DataFrame:
    """The batch's files with their bytes as text (invalid UTF-8 bytes become U+FFFD when parsed)."""
    return files.select(
        F.col("path").alias("source_file"),
        F.col("modificationTime").alias("file_modified_at"),
        F.col("content").cast("string").alias("text"),
    )


def text_error(text: Column, malformed: Column, reason: str) -> Column:
    """Reason a whole file is rejected: empty, not UTF-8 (when it also did not parse), malformed."""
    return (
        F.when(is_blank(text), F.lit("empty file"))
        .when(malformed & ~F.expr("is_valid_utf8(text)"), F.lit("invalid utf-8"))
        .when(malformed, F.lit(reason))
    )


def element_error(raw_record: Column) -> Column:
    """Why one element salvaged from a file that did not parse is rejected (null: it parses)."""
    malformed = F.from_json(raw_record, "map<string, string>").isNull()
    return F.when(malformed & raw_record.contains("\ufffd"), F.lit("invalid utf-8")).when(
        malformed, F.lit("malformed json")
    )


def explode_json_records(
    texts: DataFrame, records: Column, error: Column, ref_prefix: str, board: Column, salvaged: Column
) -> DataFrame:
    """One candidate per element of `records` (original JSON text), or one per rejected file.

    `salvaged` is true where `records` were split out of a file that did not parse as a whole
    (salvage.py): each such element is parsed on its own, and only a bad one is rejected.
    """
    staged = texts.select(
        "source_file",
        "file_modified_at",
        "text",
        error.alias("file_error"),
        records.alias("records"),
        board.alias("board"),
        salvaged.alias("salvaged"),
    )
    items = F.when(F.col("file_error").isNull(), F.col("records")).otherwise(F.array(F.col("text")))
    exploded = staged.select("*", F.posexplode(items).alias("pos", "raw_record"))
    is_object = F.col("raw_record").rlike(r"^\s*\{")
    return exploded.select(
        "source_file",
        "file_modified_at",
        F.when(F.col("file_error").isNull(), F.format_string(f"{ref_prefix}[%d]", F.col("pos")))
        .otherwise(F.lit("file"))
        .alias("record_ref"),
        F.col("board"),
        F.when(is_object, F.get_json_object("raw_record", "$.id")).alias("source_posting_id"),
        "raw_record",
        F.coalesce(
            F.col("file_error"),
            F.when(~is_object, F.lit("not a json object: element of the array")),
            F.when(F.col("salvaged"), element_error(F.col("raw_record"))),
        ).alias("error"),
    )


def object_with_array(texts: DataFrame, field: str, ref_prefix: str) -> DataFrame:
    """Files holding one JSON object whose `field` is the array of postings."""
    parsed = F.from_json(
        "text", f"struct<{field}: array<string>, {CORRUPT}: string>", {"columnNameOfCorruptRecord": CORRUPT}
    )
    staged = texts.withColumn("parsed", parsed)
    malformed = F.col("parsed").isNull() | F.col(f"parsed.{CORRUPT}").isNotNull()
    staged = staged.withColumn(
        "salvaged", salvaged_elements(F.when(malformed, F.expr("make_valid_utf8(text)")), field)
    )
    error = F.coalesce(
        text_error(F.col("text"), malformed & F.col("salvaged").isNull(), "malformed json"),
        F.when(~malformed & F.col(f"parsed.{field}").isNull(), F.lit(f"malformed json: no '{field}' array")),
    )
    records = F.when(malformed, F.col("salvaged")).otherwise(F.col(f"parsed.{field}"))
    return explode_json_records(
        staged, records, error, ref_prefix, board_from_file_name(F.col("source_file")), malformed
    )


def top_level_array(texts: DataFrame) -> DataFrame:
    """Files holding a JSON array of postings."""
    staged = texts.withColumn("parsed", F.from_json("text", "array<string>"))
    malformed = F.col("parsed").isNull()
    staged = staged.withColumn(
        "salvaged", salvaged_elements(F.when(malformed, F.expr("make_valid_utf8(text)")))
    )
    error = text_error(
        F.col("text"), malformed & F.col("salvaged").isNull(), "malformed json: not a json array"
    )
    records = F.coalesce(F.col("parsed"), F.col("salvaged"))
    return explode_json_records(
        staged, records, error, "", board_from_file_name(F.col("source_file")), malformed
    )
