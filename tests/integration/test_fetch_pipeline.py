"""fetch -> ingest -> silver over the board twin on local Delta: landing, the log, unchanged days,
a failing board, and the posting that disappears from its board closed in silver."""

from __future__ import annotations

import json
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.entrypoint import run_jobs
from careerlake.fetch_commands import with_boards
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.ops import BOARD_FRESHNESS, FETCH_LOG
from careerlake.registry.silver import POSTING_PAY_RANGES, POSTINGS, POSTINGS_HISTORY, POSTINGS_QUARANTINE
from careerlake.runtime.config import Boards, Config
from careerlake.runtime.delta import full_name
from careerlake.runtime.errors import FetchFailedError
from careerlake.sources.postings import FORMATS
from support.board_twin import Answer, BoardTwin

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
JOBS = ["fetch_postings", "ingest_postings", "silver_postings"]
BOARD = json.loads((REPO / "data/landing/postings/greenhouse/northwind.json").read_text())
KEPT, GONE = BOARD["jobs"][0], BOARD["jobs"][1]
BEFORE = json.dumps({"jobs": [KEPT, GONE], "meta": {"total": 2}}).encode()
AFTER = json.dumps({"jobs": [KEPT], "meta": {"total": 1}}).encode()
GH_PATH = "/v1/boards/northwind/jobs?content=true"


@pytest.fixture
def twin() -> Iterator[BoardTwin]:
    with BoardTwin().running() as running:
        yield running


def fetching(config: Config, twin: BoardTwin, boards: Boards) -> Config:
    for fmt in FORMATS:
        Path(config.landing, "postings", fmt).mkdir(parents=True, exist_ok=True)
    endpoints = {name: twin.base_url for name in ("greenhouse", "lever", "ashby")}
    fetch = config.fetch.model_copy(
        update={"endpoints": config.fetch.endpoints.model_copy(update=endpoints), "backoff_seconds": 0.01}
    )
    return with_boards(config.model_copy(update={"fetch": fetch}), boards)


def rows(spark: SparkSession, config: Config, table: object, columns: str, order: str) -> list[tuple]:
    frame = spark.sql(f"SELECT {columns} FROM {full_name(config, table)} ORDER BY {order}")  # type: ignore[arg-type]
    return [tuple(r) for r in frame.collect()]


def test_fetch_ingest_silver_lands_logs_and_closes_the_disappeared_posting(
    spark: SparkSession, isolated_config: Config, twin: BoardTwin
) -> None:
    twin.script(GH_PATH, Answer(body=BEFORE), Answer(body=BEFORE), Answer(body=AFTER))
    twin.script("/v0/postings/datadyne?mode=json", Answer(500, b"oops"), Answer(body=b"[]"))
    config = fetching(
        isolated_config, twin, Boards(greenhouse=["northwind"], ashby=["ghost"], lever=["datadyne"])
    )

    for run in ("first", "quiet", "closing"):
        run_jobs(config, JOBS, Namespace(run_id=run, run_date=None, full_refresh=False))

    log = rows(
        spark,
        config,
        FETCH_LOG,
        "run_id, source, board, status, attempts, postings, "
        "CASE WHEN file LIKE '%/postings/%' THEN regexp_extract(file, '[^/]+/[^/]+$', 0) ELSE file END, error",
        "source, fetched_at",
    )
    landed = sorted(p.name for p in Path(config.landing, "postings", "greenhouse").iterdir())
    assert len(landed) == 2
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[7]) for r in log] == [
        ("first", "ashby", "ghost", 404, 1, None, "HTTP 404 Not Found"),
        ("quiet", "ashby", "ghost", 404, 1, None, "HTTP 404 Not Found"),
        ("closing", "ashby", "ghost", 404, 1, None, "HTTP 404 Not Found"),
        ("first", "greenhouse", "northwind", 200, 1, 2, None),
        ("quiet", "greenhouse", "northwind", 200, 1, 2, None),
        ("closing", "greenhouse", "northwind", 200, 1, 1, None),
        ("first", "lever", "datadyne", 200, 2, 0, None),
        ("quiet", "lever", "datadyne", 200, 1, 0, None),
        ("closing", "lever", "datadyne", 200, 1, 0, None),
    ]
    files = {(r[0], r[2]): r[6] for r in log}
    assert files[("first", "northwind")] == f"greenhouse/{landed[0]}"
    assert files[("quiet", "northwind")] == "unchanged"
    assert files[("quiet", "datadyne")] == "unchanged"
    assert files[("closing", "northwind")] == f"greenhouse/{landed[1]}"
    assert files[("first", "ghost")] is None
    assert Path(config.landing, "postings", "greenhouse", landed[1]).read_bytes() == AFTER

    assert rows(
        spark, config, BRONZE, "source_format, board, source_posting_id", "source_posting_id"
    ) == sorted(
        [("greenhouse", "northwind", str(KEPT["id"])), ("greenhouse", "northwind", str(GONE["id"]))],
        key=lambda r: r[2],
    )
    assert rows(spark, config, POSTINGS, "title, is_closed", "title") == sorted(
        [(KEPT["title"], False), (GONE["title"], True)]
    )
    closed_at = spark.sql(
        f"SELECT fetched_at FROM {full_name(config, FETCH_LOG)} WHERE run_id = 'closing' AND board = 'northwind'"
    ).first()[0]
    history = rows(
        spark,
        config,
        POSTINGS_HISTORY,
        "title, is_closed, is_current, valid_to = (SELECT min(valid_from) FROM "
        f"{full_name(config, POSTINGS_HISTORY)} WHERE is_closed), valid_from",
        "title, valid_from",
    )
    assert [h[:3] for h in history] == sorted(
        [(KEPT["title"], False, True), (GONE["title"], False, False), (GONE["title"], True, True)]
    )
    assert [h[4] for h in history if h[1]] == [closed_at]
    assert [h[3] for h in history if h[0] == GONE["title"] and not h[1]] == [True]

    freshness = rows(
        spark,
        config,
        BOARD_FRESHNESS,
        "source, board, last_status, last_error, last_success_at IS NOT NULL, postings, failures_since_success",
        "source, board",
    )
    assert freshness == [
        ("ashby", "ghost", 404, "HTTP 404 Not Found", False, None, 3),
        ("greenhouse", "northwind", 200, None, True, 1, 0),
        ("lever", "datadyne", 200, None, True, 0, 0),
    ]

    # A re-run with nothing new changes nothing in silver, and each of its steps says why: nothing
    # new in bronze, nothing more to close.
    before = rows(spark, config, POSTINGS, "posting_id, updated_at, attributes_hash", "posting_id")
    again = run_jobs(
        config, ["silver_postings"], Namespace(run_id="again", run_date=None, full_refresh=False)
    )
    assert rows(spark, config, POSTINGS, "posting_id, updated_at, attributes_hash", "posting_id") == before
    bronze_version = spark.sql(f"DESCRIBE HISTORY {full_name(config, BRONZE)} LIMIT 1").first()["version"]
    nothing_new = f"nothing new: bronze.postings has no version after {bronze_version}"
    nothing_to_close = "nothing to close: no open posting left its fetched boards"
    assert [(s.table, s.status, s.rows_read, s.rows_written, s.message) for s in again.steps] == [
        *(
            (table.id, "succeeded", 0, 0, nothing_new)
            for table in (POSTINGS_QUARANTINE, POSTINGS_HISTORY, POSTINGS, POSTING_PAY_RANGES)
        ),
        *(
            (f"{table.id}:closures", "succeeded", 0, 0, nothing_to_close)
            for table in (POSTINGS_HISTORY, POSTINGS)
        ),
    ]

    only_ghost = with_boards(config, Boards(ashby=["ghost"]))
    with pytest.raises(FetchFailedError, match="every one of the 1 fetches failed"):
        run_jobs(only_ghost, ["fetch_postings"], Namespace(run_id="down", run_date=None, full_refresh=False))
