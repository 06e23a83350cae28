"""A posting format added as one module: registered, then through ingest_postings and silver_postings.

The format below is all a new format needs besides its config line and landing files: JSON
lines, one posting per line, `{"ref", "role", "employer", "city", "country", "posted"}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.ingest.postings_job import ingest_postings
from careerlake.ingest.synthetic import write_postings
from careerlake.registry import Table
from careerlake.registry.bronze import POSTINGS_QUARANTINE, SCHEMA_DRIFT, postings_accepting
from careerlake.registry.silver import POSTINGS
from careerlake.registry.silver import POSTINGS_QUARANTINE as SILVER_QUARANTINE
from careerlake.runtime.config import Config, SourceToggle
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import ensure_table, full_name
from careerlake.silver.postings.job import silver_postings
from careerlake.sources.postings import FORMATS, PostingFormat, bronze_postings, register
from careerlake.sources.postings.mapping import blank_to_null, iso_timestamp, to_common
from careerlake.sources.postings.parsing import board_from_file_name, file_text
from careerlake.sources.postings.synthetic import SyntheticPosting

# ---- the throwaway format: one module's worth ----

SCHEMA = "ref string, role string, employer string, city string, country string, posted string"


def parse(files: DataFrame) -> DataFrame:
    lines = file_text(files).select(
        "source_file", "file_modified_at", F.posexplode(F.split("text", "\n")).alias("pos", "raw_record")
    )
    return lines.where(F.trim("raw_record") != "").select(
        "source_file",
        "file_modified_at",
        F.format_string("line %d", F.col("pos") + 1).alias("record_ref"),
        board_from_file_name(F.col("source_file")).alias("board"),
        F.get_json_object("raw_record", "$.ref").alias("source_posting_id"),
        "raw_record",
        F.lit(None).cast("string").alias("error"),
    )


def map_records(bronze: DataFrame) -> DataFrame:
    j = F.col("j")
    return to_common(
        bronze.withColumn("j", F.from_json("raw_record", SCHEMA)),
        {
            "title": blank_to_null(j["role"]),
            "company": j["employer"],
            "city": j["city"],
            "country_raw": j["country"],
            "posted_at": iso_timestamp(j["posted"]),
            "is_closed": F.lit(False),
        },
    )


def write_synthetic(folder: Path, ids: range, posting: Callable[[int], SyntheticPosting]) -> None:
    lines = [
        json.dumps({"ref": f"syn-{i}", "role": p["title"], "employer": p["company"], "city": p["city"]})
        for i in ids
        for p in (posting(i),)
    ]
    (folder / f"synthetic-{ids.start:09d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


JSONL = PostingFormat(
    name="jsonl",
    priority=99,
    parse=parse,
    required_fields=frozenset({"ref", "role", "employer"}),
    optional_fields=frozenset({"city", "country", "posted"}),
    map_records=map_records,
    schema=SCHEMA,
    write_synthetic=write_synthetic,
    title_paths=("$.role",),
)

# ---- the test ----

LANDING = [
    {"ref": "j-1", "role": "Senior Data Engineer", "employer": "Acme Robotics", "city": "Berlin",
     "country": "DE", "posted": "2026-10-01"},
    {"ref": "j-2", "role": "Data Analyst", "employer": "Acme Robotics", "city": "Paris", "country": "FR",
     "posted": "2026-10-02", "team": "BI"},
    {"role": "Data Scientist", "employer": "Acme Robotics"},
    {"ref": "j-4", "role": " ", "employer": "Acme Robotics"},
]  # fmt: skip


@pytest.fixture
def jsonl_format() -> Iterator[PostingFormat]:
    register(JSONL)
    yield JSONL
    del FORMATS[JSONL.name]


def only_jsonl(config: Config) -> Config:
    """The config with one more line, `jsonl: {enabled: true}`, and the other formats off."""
    postings = {name: SourceToggle(enabled=False) for name in config.sources.postings}
    postings["jsonl"] = SourceToggle(enabled=True)
    return config.model_copy(update={"sources": config.sources.model_copy(update={"postings": postings})})


def rows(spark: SparkSession, config: Config, table: Table, columns: str) -> list[tuple[Any, ...]]:
    query = f"SELECT {columns} FROM {full_name(config, table)} ORDER BY 1, 2"
    return [tuple(r) for r in spark.sql(query).collect()]


def test_a_format_added_as_one_module_reaches_silver(
    spark: SparkSession,
    isolated_config: Config,
    make_context: Callable[..., JobContext],
    jsonl_format: PostingFormat,
) -> None:
    config = only_jsonl(isolated_config)
    folder = Path(config.landing) / "postings" / "jsonl"
    folder.mkdir(parents=True)
    (folder / "acme.jsonl").write_text("\n".join(json.dumps(r) for r in LANDING) + "\n", encoding="utf-8")

    # A lakehouse from before the format was added: bronze accepts the other formats only.
    ensure_table(spark, config, postings_accepting(name for name in FORMATS if name != "jsonl"))

    ingest = make_context(config, "ingest_postings")
    ingest_postings(ingest)
    silver_postings(make_context(config, "silver_postings"))

    bronze = bronze_postings()
    assert [s.table for s in ingest.report.steps] == ["bronze.postings:jsonl"]
    assert rows(spark, config, bronze, "source_posting_id, board, source_format, record_ref") == [
        ("j-1", "acme", "jsonl", "line 1"),
        ("j-2", "acme", "jsonl", "line 2"),
        ("j-4", "acme", "jsonl", "line 4"),
    ]
    assert rows(spark, config, POSTINGS_QUARANTINE, "source, record_ref, reason") == [
        ("postings/jsonl", "line 3", "missing id"),
    ]
    assert rows(spark, config, SCHEMA_DRIFT, "source_format, field_path, change") == [
        ("jsonl", "team", "added"),
    ]
    properties = spark.sql(f"SHOW TBLPROPERTIES {full_name(config, bronze)}").collect()
    constraint = next(r["value"] for r in properties if r["key"] == "delta.constraints.known_format")
    assert (
        constraint
        == "source_format IN ( 'greenhouse' , 'lever' , 'ashby' , 'jsonld' , 'linkedin_csv' , 'jsonl' )"
    )

    silver_columns = "title, company_normalized, role_id, seniority, city, country, posted_at, source_formats"
    assert rows(spark, config, POSTINGS, silver_columns) == [
        ("Data Analyst", "acme robotics", "data_analyst", None, "Paris", "FR", datetime(2026, 10, 2), ["jsonl"]),
        ("Senior Data Engineer", "acme robotics", "data_engineer", "senior", "Berlin", "DE",
         datetime(2026, 10, 1), ["jsonl"]),
    ]  # fmt: skip
    assert rows(spark, config, SILVER_QUARANTINE, "source, reason") == [
        ("postings/jsonl", "missing_title: the record has no title"),
    ]


def test_the_synthetic_generator_writes_a_registered_format(
    tmp_path: Path, jsonl_format: PostingFormat
) -> None:
    counts = write_postings(tmp_path, postings=12, seed=3)
    assert counts == {"greenhouse": 2, "lever": 2, "ashby": 2, "jsonld": 2, "linkedin_csv": 2, "jsonl": 2}
    lines = (tmp_path / "postings" / "jsonl" / "synthetic-000000010.jsonl").read_text().splitlines()
    assert [json.loads(line)["ref"] for line in lines] == ["syn-10", "syn-11"]
