"""LinkedIn job-postings CSV dumps (the public Kaggle `postings.csv` layout).

Parsed with Spark's CSV reader (multi-line quoted descriptions, PERMISSIVE with a corrupt-record
column); each row is kept as a JSON object of its 31 columns, values as the text in the file.
"""

from __future__ import annotations

import re

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from careerlake.ingest.formats.common import CORRUPT

NAME = "linkedin_csv"
DRIFT_FROM_HEADER = True
COLUMNS = (
    "job_id",
    "company_name",
    "title",
    "description",
    "max_salary",
    "pay_period",
    "location",
    "company_id",
    "views",
    "med_salary",
    "min_salary",
    "formatted_work_type",
    "applies",
    "original_listed_time",
    "remote_allowed",
    "job_posting_url",
    "application_url",
    "application_type",
    "expiry",
    "closed_time",
    "formatted_experience_level",
    "skills_desc",
    "listed_time",
    "posting_domain",
    "sponsored",
    "work_type",
    "currency",
    "compensation_type",
    "normalized_salary",
    "zip_code",
    "fips",
)
REQUIRED_FIELDS = frozenset(COLUMNS)
OPTIONAL_FIELDS: frozenset[str] = frozenset()
SCHEMA = ", ".join(f"`{c}` string" for c in (*COLUMNS, CORRUPT))
# Names Spark's CSV reader decompresses by extension (Hadoop codecs): a truncated or corrupt
# archive fails the whole read, so such files are quarantined instead of read.
COMPRESSED = r"(?i)\.(gz|gzip|bz2|deflate|lz4|snappy|zst|zstd|xz|lzo|br)$"


def read_rows(files: DataFrame) -> DataFrame:
    """The CSV rows of the batch's files; the file list of one micro-batch is small."""
    paths = [row.path for row in files.select("path").collect() if not re.search(COMPRESSED, row.path)]
    if not paths:
        return files.sparkSession.createDataFrame(
            [], f"{SCHEMA}, source_file string, file_modification_time timestamp"
        )
    return (
        files.sparkSession.read.schema(SCHEMA)
        .options(
            header=True,
            multiLine=True,
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            escape='"',
            encoding="UTF-8",
            # Rows end in LF or CRLF, mixed within one file. Left to detect the separator, the
            # reader takes the first line's CRLF and runs LF-ended rows together into one record.
            lineSep="\n",
        )
        .csv(paths)
        .select(
            *[_without_cr(c) if c in (COLUMNS[-1], CORRUPT) else F.col(c) for c in (*COLUMNS, CORRUPT)],
            F.col("_metadata.file_path").alias("source_file"),
            "_metadata.file_modification_time",
        )
    )


def _without_cr(name: str) -> F.Column:
    """The CR a CRLF row end leaves on the row's last value (null when nothing else is there)."""
    value = F.regexp_replace(F.col(name), "\r$", "")
    return F.when(value != "", value).alias(name)


def parse(files: DataFrame) -> DataFrame:
    rows = read_rows(files)
    # multiLine CSV files are not split: one file is read in order by one task, so the
    # monotonically increasing id orders a file's rows as they appear in it.
    position = F.row_number().over(Window.partitionBy("source_file").orderBy(F.monotonically_increasing_id()))
    as_json = F.to_json(F.struct(*[F.col(c) for c in COLUMNS]), {"ignoreNullFields": "false"})
    # An unclosed quote makes the parser swallow text up to the next quote: the row parses
    # with a value that still starts with a quote, which a well-formed CSV never yields.
    broken_quote = F.exists(F.array(*[F.col(c) for c in COLUMNS]), lambda v: v.startswith('"'))
    compressed = files.where(F.col("path").rlike(COMPRESSED)).select(
        F.col("path").alias("source_file"),
        F.col("modificationTime").alias("file_modified_at"),
        F.lit("file").alias("record_ref"),
        F.lit(None).cast("string").alias("board"),
        F.lit(None).cast("string").alias("source_posting_id"),
        F.lit("").alias("raw_record"),
        F.lit("compressed file: not supported").alias("error"),
    )
    return rows.select(
        "source_file",
        F.col("file_modification_time").alias("file_modified_at"),
        F.format_string("row %d", position).alias("record_ref"),
        F.col("company_name").alias("board"),
        F.col("job_id").alias("source_posting_id"),
        F.coalesce(F.col(CORRUPT), as_json).alias("raw_record"),
        F.when(F.col(CORRUPT).isNotNull(), F.lit("malformed csv row: wrong number of columns"))
        .when(broken_quote, F.lit("malformed csv row: unbalanced quote"))
        .alias("error"),
    ).unionByName(compressed)
