"""LinkedIn job-postings CSV dumps (the public Kaggle `postings.csv` layout).

Parsed with Spark's CSV reader (multi-line quoted descriptions, PERMISSIVE with a corrupt-record
column); each row is kept as a JSON object of its 31 columns, values as the text in the file.

Silver reads each row as a map of text values.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from careerlake.runtime.local_rows import rows_frame
from careerlake.sources.postings.csv_salvage import salvaged_records
from careerlake.sources.postings.mapping import blank_to_null, epoch_millis, to_common
from careerlake.sources.postings.parsing import CORRUPT, is_blank
from careerlake.sources.postings.plugin import PostingFormat
from careerlake.sources.postings.synthetic import DAY_MS, SyntheticPosting

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
        return rows_frame(
            files.sparkSession, [], f"{SCHEMA}, source_file string, file_modification_time timestamp"
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
        # The reader skips empty lines but not a blank CRLF line, which it reads as a row whose
        # one value is the CR: not a record either.
        .where(F.exists(F.array(*COLUMNS, CORRUPT), lambda v: ~v.rlike(r"^\s*$")))
    )


def _without_cr(name: str) -> F.Column:
    """The CR a CRLF row end leaves on the row's last value (null when nothing else is there)."""
    value = F.regexp_replace(F.col(name), "\r$", "")
    return F.when(value != "", value).alias(name)


def _in_file_order(rows: DataFrame) -> DataFrame:
    # multiLine CSV files are not split: one file is read in order by one task, so the
    # monotonically increasing id orders a file's rows as they appear in it.
    order = Window.partitionBy("source_file").orderBy(F.monotonically_increasing_id())
    # An unclosed quote makes the reader swallow text up to the next quote: the row parses
    # with a value that still starts with a quote, which a well-formed CSV never yields.
    broken_quote = F.exists(F.array(*COLUMNS), lambda v: F.coalesce(v.startswith('"'), F.lit(False)))
    malformed = F.col(CORRUPT).isNotNull() | broken_quote
    return rows.select(
        "*",
        F.row_number().over(order).alias("position"),
        F.max(malformed).over(Window.partitionBy("source_file")).alias("file_malformed"),
        F.lit(False).alias("unbalanced"),
    )


def salvaged_rows(files: DataFrame) -> DataFrame:
    """The rows of `files` read record by record (csv_salvage): a row with an unclosed quote is
    cut at its line end and marked `unbalanced`, and the rows after it are read as written."""
    records = files.select(
        F.col("path").alias("source_file"),
        F.col("modificationTime").alias("file_modification_time"),
        F.posexplode(salvaged_records(F.col("content"))).alias("index", "record"),
    ).where((F.col("index") > 0) & ~is_blank(F.col("record.text")))  # record 0 is the header
    line = F.regexp_replace("record.text", r"\r?\n$", "")
    values = F.from_csv(
        line, SCHEMA, {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT, "escape": '"'}
    )
    return records.select(
        "source_file",
        "file_modification_time",
        values.alias("v"),
        F.row_number().over(Window.partitionBy("source_file").orderBy("index")).alias("position"),
        (~F.col("record.balanced")).alias("unbalanced"),
        line.alias("line"),
    ).select(
        "source_file",
        "file_modification_time",
        *[F.col(f"v.{c}").alias(c) for c in COLUMNS],
        F.when(F.col("unbalanced"), F.col("line")).otherwise(F.col(f"v.{CORRUPT}")).alias(CORRUPT),
        "position",
        "unbalanced",
    )


def parse(files: DataFrame) -> DataFrame:
    read = _in_file_order(read_rows(files))
    # A file the reader found a malformed row in is read again record by record, so that an
    # unclosed quote costs its own row only; Python reads those files, Spark the rest.
    malformed_files = read.where("file_malformed").select(F.col("source_file").alias("path")).distinct()
    rows = (
        read.where(~F.col("file_malformed"))
        .drop("file_malformed")
        .unionByName(salvaged_rows(files.join(malformed_files, "path", "left_semi")))
    )
    as_json = F.to_json(F.struct(*[F.col(c) for c in COLUMNS]), {"ignoreNullFields": "false"})
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
        F.format_string("row %d", "position").alias("record_ref"),
        F.col("company_name").alias("board"),
        F.col("job_id").alias("source_posting_id"),
        F.coalesce(F.col(CORRUPT), as_json).alias("raw_record"),
        F.when(F.col("unbalanced"), F.lit("malformed csv row: unbalanced quote"))
        .when(F.col(CORRUPT).isNotNull(), F.lit("malformed csv row: wrong number of columns"))
        .alias("error"),
    ).unionByName(compressed)


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", "map<string, string>"))

    def field(name: str) -> F.Column:
        return blank_to_null(F.col("j")[name])

    def amount(name: str) -> F.Column:
        return field(name).try_cast("double")

    median = amount("med_salary")
    remote = field("remote_allowed").try_cast("double")
    return to_common(
        parsed,
        {
            "title": field("title"),
            "company": F.coalesce(field("company_name"), F.col("board")),
            "description_html": field("description"),
            "skills_text": field("skills_desc"),
            "location_text": field("location"),
            # remote_allowed is a flag (1 or empty), weaker than a hybrid schedule in the text.
            "is_remote": F.when(remote == 1, F.lit(True)),
            "employment_type_raw": F.coalesce(field("formatted_work_type"), field("work_type")),
            "experience_level_raw": field("formatted_experience_level"),
            # A single published figure (med_salary) is both ends of the range.
            "pay_min": F.coalesce(amount("min_salary"), median),
            "pay_max": F.coalesce(amount("max_salary"), median),
            "pay_currency": field("currency"),
            "pay_period_raw": field("pay_period"),
            "pay_in_cents": F.lit(False),
            "url": F.coalesce(field("job_posting_url"), field("application_url")),
            "posted_at": epoch_millis(F.coalesce(field("original_listed_time"), field("listed_time"))),
            "valid_through": epoch_millis(field("expiry")),
            "is_closed": field("closed_time").isNotNull(),
        },
    )


SYNTHETIC_ROWS_PER_FILE = 10_000
SYNTHETIC_PERIODS = {"year": "YEARLY", "month": "MONTHLY", "hour": "HOURLY"}


def _synthetic_row(i: int, p: SyntheticPosting) -> list[str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        job_id=str(3_000_000_000 + i),
        company_name=p["company"],
        title=p["title"],
        description=p["text"].replace(". ", ".\n"),
        location=p["city"],
        formatted_work_type="Internship" if "Intern" in p["title"] else "Full-time",
        original_listed_time=f"{p['posted_ms']:.1f}",
        listed_time=f"{p['posted_ms']:.1f}",
        expiry=f"{p['posted_ms'] + 30 * DAY_MS:.1f}",
        remote_allowed="1.0" if p["workplace"] == "remote" else "",
        job_posting_url=f"https://www.linkedin.com/jobs/view/{3_000_000_000 + i}/",
        application_type="OffsiteApply",
        sponsored="0",
        work_type="INTERNSHIP" if "Intern" in p["title"] else "FULL_TIME",
    )
    if p["currency"]:
        row.update(
            min_salary=f"{p['low']:.1f}",
            max_salary=f"{p['high']:.1f}",
            pay_period=SYNTHETIC_PERIODS[p["period"]],
            currency=p["currency"],
            compensation_type="BASE_SALARY",
        )
    return [row[c] for c in COLUMNS]


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    """CSV dumps of SYNTHETIC_ROWS_PER_FILE rows each, named `job_postings-<first id>.csv`."""
    for first in range(ids.start, ids.stop, SYNTHETIC_ROWS_PER_FILE):
        path = folder / f"job_postings-{first:09d}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(
                _synthetic_row(i, posting(i))
                for i in range(first, min(first + SYNTHETIC_ROWS_PER_FILE, ids.stop))
            )


FORMAT = PostingFormat(
    name="linkedin_csv",
    priority=5,
    parse=parse,
    required_fields=REQUIRED_FIELDS,
    optional_fields=OPTIONAL_FIELDS,
    map_records=map_records,
    # CSV values carry no type: silver reads every column as text.
    schema=None,
    write_synthetic=write_synthetic,
    drift_from_header=True,
)
