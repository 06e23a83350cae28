"""Career-site HTML pages with schema.org JobPosting JSON-LD.

Each `<script type="application/ld+json">` block holds one object, an array, or an object
with an `@graph`; only JobPosting items are postings, other types (Organization,
BreadcrumbList, ...) beside them are page furniture and are skipped.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.ingest.formats.common import CORRUPT, file_name, file_text, strip, text_error

NAME = "jsonld"
REQUIRED_FIELDS = frozenset({"@type", "title", "description", "datePosted", "hiringOrganization"})
OPTIONAL_FIELDS = frozenset(
    {
        "@context",
        "@id",
        "validThrough",
        "employmentType",
        "jobLocation",
        "jobLocationType",
        "applicantLocationRequirements",
        "baseSalary",
        "estimatedSalary",
        "salaryCurrency",
        "identifier",
        "url",
        "directApply",
        "industry",
        "occupationalCategory",
        "qualifications",
        "responsibilities",
        "skills",
        "experienceRequirements",
        "educationRequirements",
        "jobBenefits",
        "workHours",
        "totalJobOpenings",
        "incentiveCompensation",
        "employerOverview",
        "jobStartDate",
        "name",
        "image",
        "sameAs",
    }
)
SCRIPT_PATTERN = r"""(?is)<script[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>"""
_REF = "script[%d]/%d"


def _block_items() -> tuple[F.Column, F.Column]:
    """Items of one JSON-LD block as JSON texts, and the reason the block is rejected."""
    block = strip(F.col("block"))
    as_array = F.from_json(block, "array<string>")
    as_object = F.from_json(
        block, f"struct<`@graph`: array<string>, {CORRUPT}: string>", {"columnNameOfCorruptRecord": CORRUPT}
    )
    is_array = block.startswith("[")
    items = F.when(is_array, as_array).otherwise(F.coalesce(as_object["@graph"], F.array(block)))
    malformed = F.when(is_array, as_array.isNull()).otherwise(
        as_object.isNull() | as_object[CORRUPT].isNotNull()
    )
    error = F.when(malformed, F.lit("malformed json-ld"))
    return items, error


def _posting_fields(item: F.Column) -> list[F.Column]:
    organization = F.get_json_object(item, "$.hiringOrganization")
    identifier = F.get_json_object(item, "$.identifier")
    board = F.coalesce(
        F.get_json_object(item, "$.hiringOrganization.name"),
        F.when(~organization.rlike(r"^\s*\{"), organization),
        F.regexp_extract(file_name(F.col("source_file")), r"^([^.]+)", 1),
    )
    posting_id = F.coalesce(
        F.when(identifier.startswith("{"), F.get_json_object(item, "$.identifier.value")).otherwise(
            identifier
        ),
        F.get_json_object(item, "$.url"),
    )
    return [board.alias("board"), posting_id.alias("source_posting_id")]


def parse(files: DataFrame) -> DataFrame:
    texts = file_text(files).withColumn(
        "blocks", F.regexp_extract_all("text", F.lit(SCRIPT_PATTERN), F.lit(1))
    )
    blocks = texts.select(
        "source_file", "file_modified_at", F.posexplode("blocks").alias("block_pos", "block")
    )
    items, block_error = _block_items()
    staged = blocks.select("*", block_error.alias("block_error"), items.alias("items"))
    rejected_blocks = staged.where(F.col("block_error").isNotNull()).select(
        "source_file",
        "file_modified_at",
        F.format_string("script[%d]", F.col("block_pos")).alias("record_ref"),
        F.lit(None).cast("string").alias("board"),
        F.lit(None).cast("string").alias("source_posting_id"),
        F.col("block").alias("raw_record"),
        "block_error",
    )
    item_rows = staged.where(F.col("block_error").isNull()).select(
        "source_file", "file_modified_at", "block_pos", F.posexplode("items").alias("item_pos", "raw_record")
    )
    item_type = F.get_json_object("raw_record", "$['@type']")
    postings = item_rows.where(item_type.rlike(r'(^|")JobPosting("|$)')).select(
        "source_file",
        "file_modified_at",
        F.format_string(_REF, F.col("block_pos"), F.col("item_pos")).alias("record_ref"),
        *_posting_fields(F.col("raw_record")),
        "raw_record",
        F.lit(None).cast("string").alias("error"),
    )
    found = postings.select("source_file").union(rejected_blocks.select("source_file")).distinct()
    no_postings = texts.join(found, "source_file", "left_anti").select(
        "source_file",
        "file_modified_at",
        F.lit("file").alias("record_ref"),
        F.lit(None).cast("string").alias("board"),
        F.lit(None).cast("string").alias("source_posting_id"),
        F.col("text").alias("raw_record"),
        F.coalesce(
            text_error(F.col("text"), F.lit(False), "unused"),
            F.when(~F.expr("is_valid_utf8(text)") & (F.size("blocks") == 0), F.lit("invalid utf-8")),
            F.when(F.size("blocks") == 0, F.lit("no json-ld")).otherwise(F.lit("no JobPosting in json-ld")),
        ).alias("error"),
    )
    return postings.unionByName(rejected_blocks.withColumnRenamed("block_error", "error")).unionByName(
        no_postings
    )
