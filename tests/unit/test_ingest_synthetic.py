"""The synthetic generator writes every format in a shape the parsers accept, with unique ids."""

from __future__ import annotations

import json
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.ingest.records import classify
from careerlake.ingest.synthetic import write_landing
from careerlake.runtime.platform import BINARY_FILE_SCHEMA
from careerlake.sources.postings import FORMATS


def test_synthetic_landing_parses_cleanly(spark: SparkSession, tmp_path: Path) -> None:
    counts = write_landing(tmp_path, postings=2_503, documents=4, seed=11)
    assert counts == {
        "greenhouse": 501,
        "lever": 501,
        "ashby": 501,
        "jsonld": 500,
        "linkedin_csv": 500,
        "career_docs": 4,
    }
    assert len(list((tmp_path / "career_docs").glob("*.md"))) == 4
    assert len(list((tmp_path / "postings" / "greenhouse").iterdir())) == 1
    for name, fmt in FORMATS.items():
        files = (
            spark.read.format("binaryFile").schema(BINARY_FILE_SCHEMA).load(str(tmp_path / "postings" / name))
        )
        stats = (
            classify(fmt.parse(files))
            .agg(F.count(F.lit(1)), F.count("error"), F.countDistinct("source_posting_id"))
            .first()
        )
        assert tuple(stats) == (counts[name], 0, counts[name]), name


def test_a_later_delivery_adds_new_files_with_new_ids(tmp_path: Path) -> None:
    write_landing(tmp_path, postings=2_000, documents=3)
    write_landing(tmp_path, postings=20, documents=1, first_id=2_000)

    folder = tmp_path / "postings" / "greenhouse"
    ids = [job["id"] for path in sorted(folder.iterdir()) for job in json.loads(path.read_text())["jobs"]]
    assert len(list(folder.iterdir())) == 2
    assert len(ids) == 400 + 4
    assert len(set(ids)) == len(ids)
    assert len(list((tmp_path / "career_docs").glob("*.md"))) == 4
