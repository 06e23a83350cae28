"""Career-site HTML pages with schema.org JobPosting JSON-LD.

Each `<script type="application/ld+json">` block holds one object, an array, or an object
with an `@graph`; only JobPosting items are postings, other types (Organization,
BreadcrumbList, ...) beside them are page furniture and are skipped. A malformed block costs
that block only. A posting without `identifier` or `url` (most real pages) gets an id derived
from what the page has: its canonical URL (else its file name), organization, title, location
and date posted.

Silver reads fixed-shape fields with `from_json`; fields schema.org allows in several shapes
(hiringOrganization as text or Organization, jobLocation as one Place or a list, baseSalary
value as a number or a QuantitativeValue) with `get_json_object` paths instead.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from selectolax.lexbor import LexborHTMLParser, LexborNode

from careerlake.sources.postings.mapping import blank_to_null, iso_timestamp, to_common
from careerlake.sources.postings.parsing import CORRUPT, file_name, strip
from careerlake.sources.postings.plugin import PostingFormat
from careerlake.sources.postings.synthetic import SyntheticPosting, iso, write_json_files

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
# The fixed-shape fields silver reads with from_json.
SCHEMA = (
    "title string, name string, description string, datePosted string, validThrough string, employmentType string, "
    "jobLocationType string, url string, skills string, experienceLevel string, "
    "identifier struct<value: string>"
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
        F.coalesce(_text(item, "$.title"), _text(item, "$.name")),
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


def _scalar(path: str) -> Column:
    """The text of a JSON path when it is a scalar (an object or array there is not text)."""
    value = blank_to_null(F.get_json_object("raw_record", path))
    return F.when(~value.rlike(r"^[\[{]"), value)


def _path(*paths: str) -> Column:
    return F.coalesce(*(_scalar(p) for p in paths))


def _address(field: str) -> Column:
    return _path(f"$.jobLocation.address.{field}", f"$.jobLocation[0].address.{field}")


def map_records(bronze: DataFrame) -> DataFrame:
    parsed = bronze.withColumn("j", F.from_json("raw_record", SCHEMA))
    j = F.col("j")
    value = "$.baseSalary.value"
    # One figure: a QuantitativeValue `value`, a bare number as value, or baseSalary itself a Number.
    single = _path(f"{value}.value", value, "$.baseSalary")
    return to_common(
        parsed,
        {
            "title": blank_to_null(F.coalesce(j["title"], j["name"])),
            "company": F.coalesce(_path("$.hiringOrganization.name", "$.hiringOrganization"), F.col("board")),
            "description_html": j["description"],
            "skills_text": F.regexp_replace(j["skills"], r'[\[\]"]', ""),
            "location_text": _path("$.jobLocation.address.name", "$.jobLocation.name"),
            "city": _address("addressLocality"),
            "region": _address("addressRegion"),
            # The first place of several; a remote posting names where applicants may live instead.
            "country_raw": F.coalesce(
                _address("addressCountry.name"),
                _address("addressCountry"),
                _path(
                    "$.applicantLocationRequirements.name",
                    "$.applicantLocationRequirements[0].name",
                    "$.applicantLocationRequirements",
                ),
            ),
            "workplace_raw": j["jobLocationType"],
            "employment_type_raw": F.regexp_replace(j["employmentType"], r'[\[\]"]', ""),
            "experience_level_raw": j["experienceLevel"],
            "pay_min": F.coalesce(_path(f"{value}.minValue"), single).try_cast("double"),
            "pay_max": F.coalesce(_path(f"{value}.maxValue"), single).try_cast("double"),
            "pay_currency": _path("$.baseSalary.currency", "$.salaryCurrency"),
            "pay_period_raw": _path(f"{value}.unitText", "$.baseSalary.unitText"),
            "pay_in_cents": F.lit(False),
            "url": j["url"],
            "posted_at": iso_timestamp(j["datePosted"]),
            "valid_through": iso_timestamp(j["validThrough"]),
            "is_closed": F.lit(False),
        },
    )


SYNTHETIC_UNITS = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}


def _synthetic_posting(i: int, p: SyntheticPosting) -> dict[str, Any]:
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": p["title"],
        "description": f"<p>{html.escape(p['text'])}</p>",
        "datePosted": iso(p["posted_ms"])[:10],
        "employmentType": "INTERN" if "Intern" in p["title"] else "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": p["company"]},
        "jobLocation": {
            "@type": "Place",
            "address": {"addressLocality": p["city"], "addressCountry": p["country"]},
        },
        "identifier": {"@type": "PropertyValue", "name": p["company"], "value": f"SYN-{i}"},
    }
    if p["workplace"] == "remote":
        posting["jobLocationType"] = "TELECOMMUTE"
    if p["currency"]:
        value = {"@type": "QuantitativeValue", "minValue": p["low"], "maxValue": p["high"]}
        value["unitText"] = SYNTHETIC_UNITS[p["period"]]
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": p["currency"], "value": value}
    return posting


def _synthetic_page(records: list[dict[str, Any]]) -> str:
    script = json.dumps(records, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Careers</title>\n'
        f'<script type="application/ld+json">{script}</script>\n</head><body><h1>Open roles</h1></body></html>\n'
    )


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    write_json_files(folder, ids, posting, _synthetic_posting, _synthetic_page, "html")


FORMAT = PostingFormat(
    name="jsonld",
    priority=4,
    parse=parse,
    required_fields=REQUIRED_FIELDS,
    optional_fields=OPTIONAL_FIELDS,
    map_records=map_records,
    schema=SCHEMA,
    write_synthetic=write_synthetic,
    # schema.org's JobPosting names its title `title`; many pages give only the Thing's `name`.
    title_paths=("$.title", "$.name"),
)
