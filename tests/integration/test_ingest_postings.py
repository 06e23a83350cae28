"""Job ingest_postings on local Spark + Delta: incremental, exactly-once, bad input quarantined."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession

from careerlake.ingest.postings_job import ingest_postings
from careerlake.registry import Table
from careerlake.registry.bronze import POSTINGS, POSTINGS_QUARANTINE
from careerlake.runtime.config import Config
from careerlake.runtime.context import Gated, JobContext
from careerlake.runtime.errors import MissingSourceError
from careerlake.sources.postings import FORMATS

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "landing" / "postings"
BAD_CORPUS = REPO / "tests" / "data" / "bad_postings"


def only(config: Config, *formats: str) -> Config:
    postings = {
        name: toggle.model_copy(update={"enabled": name in formats})
        for name, toggle in config.sources.postings.items()
    }
    return config.model_copy(update={"sources": config.sources.model_copy(update={"postings": postings})})


def landing(config: Config, source_format: str) -> Path:
    folder = Path(config.landing) / "postings" / source_format
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run(
    make_context: Callable[..., JobContext], config: Config, gated: list[str] | None = None
) -> tuple[JobContext, dict[str, tuple[int, int, int]]]:
    """ingest_postings once; the ids of the tables whose batches went through the gate are
    added to `gated`."""
    ctx = make_context(config, "ingest_postings")
    if gated is not None:
        gate = ctx.gate

        def recording(ctx: JobContext, table: Table, batch: DataFrame) -> Gated:
            gated.append(table.id)
            return gate(ctx, table, batch)

        ctx.gate = recording
    ingest_postings(ctx)
    steps = {
        s.table.split(":")[1]: (s.rows_read, s.rows_written, s.rows_quarantined) for s in ctx.report.steps
    }
    return ctx, steps


def count(spark: SparkSession, ctx: JobContext, table, where: str = "true") -> int:
    return spark.table(ctx.name(table)).where(where).count()


def test_incremental_idempotent_and_redelivered(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    config = only(isolated_config, "greenhouse")
    folder = landing(config, "greenhouse")
    shutil.copy(SAMPLE / "greenhouse" / "northwind.json", folder / "northwind.json")
    (folder / "closed-board.json").touch()

    ctx, steps = run(make_context, config)
    # The empty file is one record read and quarantined.
    assert steps == {"greenhouse": (7, 6, 1)}
    rows = spark.table(ctx.name(POSTINGS)).collect()
    source_jobs = {str(j["id"]): j for j in json.loads((folder / "northwind.json").read_text())["jobs"]}
    assert {r.source_posting_id for r in rows} == set(source_jobs)
    for r in rows:
        assert (r.source_format, r.board, r.run_id) == ("greenhouse", "northwind", ctx.run_id)
        assert json.loads(r.raw_record) == source_jobs[r.source_posting_id]
    version = spark.sql(f"DESCRIBE HISTORY {ctx.name(POSTINGS)}").count()

    # Nothing new: the empty file, listed again, was quarantined before, so no batch is gated.
    gated: list[str] = []
    ctx, steps = run(make_context, config, gated)
    assert steps == {"greenhouse": (0, 0, 0)}
    assert gated == []
    assert spark.sql(f"DESCRIBE HISTORY {ctx.name(POSTINGS)}").count() == version

    shutil.copy(folder / "northwind.json", folder / "northwind-redelivered.json")
    ctx, steps = run(make_context, config)
    assert steps == {"greenhouse": (6, 0, 0)}
    assert count(spark, ctx, POSTINGS) == 6

    shutil.copy(SAMPLE / "greenhouse" / "helixbio.json", folder / "helixbio.json")
    ctx, steps = run(make_context, config)
    assert steps == {"greenhouse": (5, 5, 0)}
    assert count(spark, ctx, POSTINGS, f"run_id = '{ctx.run_id}' AND board = 'helixbio'") == 5
    assert count(spark, ctx, POSTINGS) == 11


def write_big_greenhouse_file(path: Path, jobs: int) -> None:
    """A ~50 MB board response: many postings with long descriptions."""
    body = "&lt;p&gt;Python, Spark, Kubernetes and dbt. " * 600
    items = (
        json.dumps(
            {"id": 900000 + i, "title": f"Data Engineer {i}", "location": {"name": "Remote"}, "content": body}
        )
        for i in range(jobs)
    )
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"jobs": [')
        fh.write(",".join(items))
        fh.write(f'], "meta": {{"total": {jobs}}}}}')


def test_bad_corpus_is_quarantined_and_counts_reconcile(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    shutil.copytree(BAD_CORPUS, Path(isolated_config.landing) / "postings")
    big = Path(isolated_config.landing) / "postings" / "greenhouse" / "bigboard.json"
    write_big_greenhouse_file(big, 2000)
    assert big.stat().st_size > 50_000_000

    ctx, steps = run(make_context, isolated_config)
    # acme-truncated.json is cut off inside its second job: the first one lands.
    good = {"greenhouse": 2000 + 4, "lever": 1, "ashby": 1, "jsonld": 1, "linkedin_csv": 3}
    bad = {"greenhouse": 8, "lever": 2, "ashby": 1, "jsonld": 3, "linkedin_csv": 4}
    for name in FORMATS:
        seen, written, quarantined = steps[name]
        in_bronze = count(spark, ctx, POSTINGS, f"source_format = '{name}' AND run_id = '{ctx.run_id}'")
        in_quarantine = count(spark, ctx, POSTINGS_QUARANTINE, f"source = 'postings/{name}'")
        assert (in_bronze, in_quarantine) == (good[name], bad[name]), name
        assert seen == in_bronze + in_quarantine == written + quarantined, name
    reasons = {
        (r.source_file.rsplit("/", 1)[-1], r.reason)
        for r in spark.table(ctx.name(POSTINGS_QUARANTINE)).select("source_file", "reason").collect()
    }
    assert ("acme-empty.json", "empty file") in reasons
    assert ("acme-truncated.json", "malformed json") in reasons
    assert ("zed-bad.csv", "invalid utf-8") in reasons
    assert ("no-jsonld.html", "no json-ld") in reasons

    _, steps = run(make_context, isolated_config)
    assert set(steps.values()) == {(0, 0, 0)}


def test_missing_landing_folder_is_an_operator_error(
    isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    landing(isolated_config, "greenhouse")
    with pytest.raises(MissingSourceError, match=r"landing folder for postings format 'lever' not found"):
        ingest_postings(make_context(only(isolated_config, "greenhouse", "lever"), "ingest_postings"))
