"""Bronze tables: raw landing records kept losslessly, plus their quarantine."""

from collections.abc import Iterable
from dataclasses import replace

from careerlake.registry.checks import FRESHNESS_MAX_DAYS, SOURCE_DATE, Fresh
from careerlake.registry.table import Table, col, key, quarantine_table

POSTINGS = Table(
    layer="bronze",
    name="postings",
    comment="Raw job postings from every landing format, one row per source record, kept losslessly.",
    columns=(
        key(
            "record_id",
            "string",
            "Stable id: SHA-256 of format, board, source posting id and content hash (not the file path, "
            "so a re-delivered identical record is the same row).",
        ),
        key("source_format", "string", "Landing format: greenhouse, lever, ashby, jsonld, linkedin_csv."),
        col("board", "string", "Board token or company the feed belongs to (from the file or the record)."),
        col("source_posting_id", "string", "The id the source gives the posting."),
        key(
            "raw_record",
            "string",
            "The original record: the posting's JSON object (greenhouse, lever, ashby), the JobPosting "
            "JSON-LD object (jsonld), or the CSV row as a JSON object of its 31 columns as text (linkedin_csv).",
        ),
        key("content_hash", "string", "SHA-256 of raw_record."),
        key("source_file", "string", "Landing file the record came from."),
        col("record_ref", "string", "Position of the record in its file: jobs[3], [0], script[0]/1, row 12."),
        col("file_modified_at", "timestamp", "Modification time of the landing file.", SOURCE_DATE),
        key("ingested_at", "timestamp", "When the record was ingested (UTC)."),
        key("run_id", "string", "Pipeline run that ingested the record."),
    ),
    keys=("record_id",),
    partitioned_by=("source_format",),
    change_data_feed=True,
    checks=(Fresh("ingested_at", FRESHNESS_MAX_DAYS),),
)


def postings_accepting(formats: Iterable[str]) -> Table:
    """bronze.postings with the `known_format` constraint: `source_format` is one of `formats`.

    The posting formats are plugins (`careerlake.sources.postings`), a layer above the registry,
    which imports nothing above itself. So POSTINGS carries no list of formats, and its one
    writer, the ingest job, writes through this table built from the registered formats
    (`careerlake.sources.postings.bronze_postings`): adding a format edits no registry file, and
    on an existing lakehouse the wider constraint replaces the narrower one (`ensure_table`).
    """
    names = ",".join(f"'{name}'" for name in formats)
    return replace(POSTINGS, constraints={"known_format": f"source_format IN ({names})"})


POSTINGS_QUARANTINE = quarantine_table("bronze", "postings_quarantine", "landing posting records")

CAREER_DOCS = Table(
    layer="bronze",
    name="career_docs",
    comment="Raw career-path documents (threads, articles, guides), one row per file, text kept losslessly.",
    columns=(
        key(
            "doc_id",
            "string",
            "Stable id: hash of the file path relative to the landing root and content hash.",
        ),
        key("source_file", "string", "Landing file path."),
        key("file_name", "string", "File name, e.g. mle-guide.md."),
        col("file_modified_at", "timestamp", "Modification time of the landing file.", SOURCE_DATE),
        key("content_hash", "string", "SHA-256 of the file bytes."),
        key("raw_text", "string", "Full document text as UTF-8."),
        key("ingested_at", "timestamp", "When the document was ingested (UTC)."),
        key("run_id", "string", "Pipeline run that ingested the document."),
    ),
    keys=("doc_id",),
    change_data_feed=True,
)

CAREER_DOCS_QUARANTINE = quarantine_table("bronze", "career_docs_quarantine", "career documents")

SCHEMA_DRIFT = Table(
    layer="bronze",
    name="schema_drift",
    comment=(
        "Fields seen in a landing format that its mapping does not know, known fields that vanished, "
        "and known fields whose JSON type the mapping cannot read."
    ),
    columns=(
        key("source_format", "string", "Landing format."),
        key("field_path", "string", "Dotted JSON path (or CSV column) of the drifting field."),
        key("change", "string", "added, missing or type_changed."),
        col(
            "example_value",
            "string",
            "A sample value, truncated to 200 characters; for type_changed, led by the JSON type seen and the one expected.",
        ),
        key("first_seen_run_id", "string", "Run that first saw the drift."),
        key("first_seen_at", "timestamp", "When it was first seen."),
        key("record_count", "bigint", "Records with the drift in the first run that saw it."),
    ),
    keys=("source_format", "field_path", "change"),
)

TABLES = (POSTINGS, POSTINGS_QUARANTINE, CAREER_DOCS, CAREER_DOCS_QUARANTINE, SCHEMA_DRIFT)
