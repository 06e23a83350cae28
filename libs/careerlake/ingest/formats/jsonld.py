"""Career-site HTML pages with schema.org JobPosting JSON-LD.

Each `<script type="application/ld+json">` block holds one object, an array, or an object
with an `@graph`; only JobPosting items are postings, other types (Organization,
BreadcrumbList, ...) beside them are page furniture and are skipped. A malformed block costs
that block only. A posting without `identifier` or `url` (most real pages) gets an id derived
from what the page has: its canonical URL (else its file name), organization, title, location
and date posted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from selectolax.lexbor import LexborHTMLParser, LexborNode

from careerlake.ingest.formats.common import CORRUPT, file_name, strip

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
_REF = "script[%d]/%d"
# One row per JSON-LD block of a page (block_pos, block), or one row (text) for a page without any.
_BLOCKS_SCHEMA = (
    "source_file string, file_modified_at timestamp, block_pos int, block string, "
    "page_url string, text string"
)


def _page_url(page: LexborHTMLParser) -> str | None:
    """The page's own address: <link rel="canonical">, else the og:url meta tag."""
    for selector, attribute in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = page.css_first(selector)
        value = (node.attributes.get(attribute) or "").strip() if node is not None else ""
        if value:
            return value
    return None


def _is_json_ld(script: LexborNode) -> bool:
    kind = script.attributes.get("type") or ""
    return kind.split(";")[0].strip().lower() == "application/ld+json"


def _page_blocks(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The JSON-LD blocks of each page, found with an HTML parser (Lexbor) rather than regexes.

    Python because Spark has no HTML parser; Arrow batches keep it one call per batch of pages.
    Scripts inside comments are not blocks; invalid UTF-8 bytes become U+FFFD.
    """
    for batch in batches:
        take: list[int] = []
        positions: list[int | None] = []
        blocks: list[str | None] = []
        urls: list[str | None] = []
        texts: list[str | None] = []
        for row, content in enumerate(batch.column("content").to_pylist()):
            text = (content or b"").decode("utf-8", errors="replace")
            page = LexborHTMLParser(text)
            url = _page_url(page)
            found = [script.text(deep=True) for script in page.css("script") if _is_json_ld(script)]
            rows = [(i, block, None) for i, block in enumerate(found)] or [(None, None, text)]
            for pos, block, page_text in rows:
                take.append(row)
                positions.append(pos)
                blocks.append(block)
                urls.append(url)
                texts.append(page_text)
        indices = pa.array(take, pa.int64())
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("path").take(indices),
                batch.column("modificationTime").take(indices),
                pa.array(positions, pa.int32()),
                pa.array(blocks, pa.string()),
                pa.array(urls, pa.string()),
                pa.array(texts, pa.string()),
            ],
            names=["source_file", "file_modified_at", "block_pos", "block", "page_url", "text"],
        )


def _block_items() -> tuple[Column, Column]:
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


def _text(item: Column, path: str) -> Column:
    """A field that schema.org allows as text or as a Thing with a `name` (or `value`)."""
    value = F.get_json_object(item, path)
    return F.when(value.rlike(r"^\s*[\[{]"), None).otherwise(F.trim(value))


def _derived_id(item: Column) -> Column:
    """A stable id from what the page has: its canonical URL or file name, organization, title,
    place and date posted (the same posting fetched again gets the same id)."""
    place = F.coalesce(
        F.get_json_object(item, "$.jobLocation.address"),
        F.get_json_object(item, "$.jobLocation[0].address"),
        F.get_json_object(item, "$.applicantLocationRequirements"),
        F.get_json_object(item, "$.jobLocationType"),
    )
    parts = [
        F.coalesce(F.col("page_url"), file_name(F.col("source_file"))),
        F.coalesce(_text(item, "$.hiringOrganization.name"), _text(item, "$.hiringOrganization")),
        _text(item, "$.title"),
        place,
        _text(item, "$.datePosted"),
    ]
    key = F.concat_ws("\u0001", *[F.coalesce(p, F.lit("")) for p in parts])
    return F.concat(F.lit("derived:"), F.substring(F.sha2(key, 256), 1, 32))


def _posting_fields(item: Column) -> list[Column]:
    board = F.coalesce(
        _text(item, "$.hiringOrganization.name"),
        _text(item, "$.hiringOrganization"),
        F.regexp_extract(file_name(F.col("source_file")), r"^([^.]+)", 1),
    )
    identifier = F.coalesce(_text(item, "$.identifier.value"), _text(item, "$.identifier"))
    posting_id = F.coalesce(
        F.when(identifier != "", identifier), F.when(F.trim(_text(item, "$.url")) != "", _text(item, "$.url"))
    )
    return [board.alias("board"), F.coalesce(posting_id, _derived_id(item)).alias("source_posting_id")]


def _file_rows(pages: DataFrame) -> DataFrame:
    """Pages without any JSON-LD block, with the reason."""
    text = F.col("text")
    return pages.where(F.col("block_pos").isNull()).select(
        "source_file",
        "file_modified_at",
        F.lit("file").alias("record_ref"),
        F.lit(None).cast("string").alias("board"),
        F.lit(None).cast("string").alias("source_posting_id"),
        text.alias("raw_record"),
        F.when(text.rlike(r"^\s*$"), F.lit("empty file"))
        .when(text.contains("\ufffd"), F.lit("invalid utf-8"))
        .otherwise(F.lit("no json-ld"))
        .alias("error"),
    )


def parse(files: DataFrame) -> DataFrame:
    pages = files.select("path", "modificationTime", "content").mapInArrow(_page_blocks, _BLOCKS_SCHEMA)
    blocks = pages.where(F.col("block_pos").isNotNull())
    items, block_error = _block_items()
    staged = blocks.select("*", block_error.alias("block_error"), items.alias("items"))
    rejected_blocks = staged.where(F.col("block_error").isNotNull()).select(
        "source_file",
        "file_modified_at",
        F.format_string("script[%d]", F.col("block_pos")).alias("record_ref"),
        F.lit(None).cast("string").alias("board"),
        F.lit(None).cast("string").alias("source_posting_id"),
        F.col("block").alias("raw_record"),
        F.col("block_error").alias("error"),
    )
    item_rows = staged.where(F.col("block_error").isNull()).select(
        "source_file",
        "file_modified_at",
        "page_url",
        "block_pos",
        F.posexplode("items").alias("item_pos", "raw_record"),
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
    # A page whose blocks hold no JobPosting (only page furniture) is reported once.
    found = postings.select("source_file").union(rejected_blocks.select("source_file")).distinct()
    furniture_only = (
        blocks.join(found, "source_file", "left_anti")
        .groupBy("source_file", "file_modified_at")
        .agg(F.to_json(F.collect_list("block")).alias("raw_record"))
        .select(
            "source_file",
            "file_modified_at",
            F.lit("file").alias("record_ref"),
            F.lit(None).cast("string").alias("board"),
            F.lit(None).cast("string").alias("source_posting_id"),
            "raw_record",
            F.lit("no JobPosting in json-ld").alias("error"),
        )
    )
    return postings.unionByName(rejected_blocks).unionByName(furniture_only).unionByName(_file_rows(pages))
