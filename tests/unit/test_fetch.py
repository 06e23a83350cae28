"""Live fetching against the local board twin (127.0.0.1 only): landing, retries, faults, state."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerlake.fetch_commands import boards_from_file, with_boards
from careerlake.runtime.config import Fetch, load_config
from careerlake.runtime.errors import ConfigError
from careerlake.sources.fetch.run import UNCHANGED, FetchResult, fetch_boards
from support.board_twin import Answer, BoardTwin

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "landing" / "postings"
GREENHOUSE = (SAMPLE / "greenhouse" / "northwind.json").read_bytes()
LEVER = (SAMPLE / "lever" / "kestrel.json").read_bytes()
ASHBY = (SAMPLE / "ashby" / "finchpay.json").read_bytes()
PAGE = (SAMPLE / "jsonld" / "kestrel-data-engineer.html").read_bytes()
GH_PATH = "/v1/boards/{}/jobs?content=true"
LEVER_PATH = "/v0/postings/{}?mode=json"
ASHBY_PATH = "/posting-api/job-board/{}?includeCompensation=true"
USER_AGENT = "CareerLake-test/1.0 (+tests)"


@pytest.fixture
def twin() -> Iterator[BoardTwin]:
    with BoardTwin().running() as running:
        yield running


def settings(twin: BoardTwin, **overrides: object) -> Fetch:
    boards = {
        "greenhouse": [],
        "lever": [],
        "ashby": [],
        "jsonld_pages": [],
        "jsonld_sitemaps": [],
        **dict(overrides.pop("boards", {})),  # type: ignore[call-overload]
    }
    values = {
        "user_agent": USER_AGENT,
        "timeout_seconds": 2.0,
        "retries": 2,
        "backoff_seconds": 0.01,
        "max_retry_after_seconds": 5.0,
        "per_host_in_flight": 2,
        "max_sitemap_pages": 10,
        "endpoints": {"greenhouse": twin.base_url, "lever": twin.base_url, "ashby": twin.base_url},
        "boards": boards,
        **overrides,
    }
    return Fetch.model_validate(values)


def landed(landing: Path) -> dict[str, bytes]:
    """Every file under postings/<format>/ (hidden temporary files included), by relative path."""
    return {
        str(p.relative_to(landing / "postings")): p.read_bytes()
        for p in sorted((landing / "postings").glob("*/*"))
        if not p.parent.name.startswith("_")
    }


def by_board(results: list[FetchResult]) -> dict[str, FetchResult]:
    return {r.board: r for r in results}


def without(body: bytes, field: str, posting_id: object) -> bytes:
    document = json.loads(body)
    items = document[field] if field else document
    kept = [p for p in items if p["id"] != posting_id]
    if field:
        document[field] = kept
        return json.dumps(document).encode()
    return json.dumps(kept).encode()


def test_every_good_response_lands_once_whole_and_named_by_board_and_time(
    twin: BoardTwin, tmp_path: Path
) -> None:
    twin.script(GH_PATH.format("northwind"), Answer(body=GREENHOUSE))
    twin.script(LEVER_PATH.format("kestrel"), Answer(body=LEVER))
    twin.script(ASHBY_PATH.format("finchpay"), Answer(body=ASHBY))
    twin.script("/jobs/data-engineer", Answer(body=PAGE))
    config = settings(
        twin,
        boards={
            "greenhouse": ["northwind"],
            "lever": ["kestrel"],
            "ashby": ["finchpay"],
            "jsonld_pages": [{"name": "kestrel", "url": f"{twin.base_url}/jobs/data-engineer"}],
        },
    )

    results = {r.source: r for r in fetch_boards(config, str(tmp_path))}

    files = landed(tmp_path)
    assert sorted(files.values()) == sorted([GREENHOUSE, LEVER, ASHBY, PAGE])
    assert len(files) == 4
    for name in files:
        assert re.fullmatch(
            r"(greenhouse/northwind|lever/kestrel|ashby/finchpay)-\d{8}T\d{12}Z\.json", name
        ) or (re.fullmatch(r"jsonld/kestrel-\d{8}T\d{12}Z\.html", name)), name
    assert {r.source: (r.status, r.error, r.attempts) for r in results.values()} == {
        "greenhouse": (200, None, 1),
        "lever": (200, None, 1),
        "ashby": (200, None, 1),
        "jsonld": (200, None, 1),
    }
    assert len(results["greenhouse"].posting_ids or ()) == len(json.loads(GREENHOUSE)["jobs"])
    assert len(results["lever"].posting_ids or ()) == len(json.loads(LEVER))
    assert len(results["jsonld"].posting_ids or ()) == 1  # the page holds one JobPosting
    assert results["ashby"].bytes == len(ASHBY)
    assert all(seen.headers["User-Agent"] == USER_AGENT for seen in twin.requests)


def test_429_with_retry_after_and_500_then_success_are_retried_and_land(
    twin: BoardTwin, tmp_path: Path
) -> None:
    gh, lv = GH_PATH.format("northwind"), LEVER_PATH.format("kestrel")
    twin.script(gh, Answer(429, b"slow down", {"Retry-After": "1"}), Answer(body=GREENHOUSE))
    twin.script(lv, Answer(500, b"oops"), Answer(body=LEVER))
    config = settings(twin, boards={"greenhouse": ["northwind"], "lever": ["kestrel"]})

    results = by_board(fetch_boards(config, str(tmp_path)))

    assert {b: (r.status, r.attempts, r.error) for b, r in results.items()} == {
        "northwind": (200, 2, None),
        "kestrel": (200, 2, None),
    }
    first, second = twin.hits(gh)
    assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
    assert sorted(landed(tmp_path).values()) == sorted([GREENHOUSE, LEVER])


def test_retries_are_bounded_and_a_failing_board_does_not_stop_the_others(
    twin: BoardTwin, tmp_path: Path
) -> None:
    twin.script(GH_PATH.format("down"), Answer(503, b"unavailable"))
    twin.script(GH_PATH.format("northwind"), Answer(body=GREENHOUSE))
    config = settings(twin, retries=3, boards={"greenhouse": ["down", "northwind", "gone"]})

    results = by_board(fetch_boards(config, str(tmp_path)))

    assert len(twin.hits(GH_PATH.format("down"))) == 4
    assert (results["down"].status, results["down"].attempts, results["down"].file) == (503, 4, None)
    assert results["down"].error == "HTTP 503 Service Unavailable"
    assert (results["gone"].status, results["gone"].error) == (404, "HTTP 404 Not Found")
    assert len(twin.hits(GH_PATH.format("gone"))) == 1  # a 404 is not retried
    assert list(landed(tmp_path).values()) == [GREENHOUSE]


def test_timeouts_truncated_bodies_and_invalid_json_are_logged_and_never_landed(
    twin: BoardTwin, tmp_path: Path
) -> None:
    twin.script(LEVER_PATH.format("slow"), Answer(body=LEVER, delay=1.0))
    twin.script(LEVER_PATH.format("cut"), Answer(body=LEVER, truncate_to=100))
    twin.script(LEVER_PATH.format("garbled"), Answer(body=b'[{"id": "x", "text": '))
    twin.script(ASHBY_PATH.format("noshape"), Answer(body=b'{"apiVersion": "1"}'))
    twin.script(LEVER_PATH.format("kestrel"), Answer(body=LEVER))
    config = settings(
        twin,
        timeout_seconds=0.3,
        retries=1,
        boards={"lever": ["slow", "cut", "garbled", "kestrel"], "ashby": ["noshape"]},
    )

    results = by_board(fetch_boards(config, str(tmp_path)))

    assert results["slow"].attempts == 2
    assert len(twin.hits(LEVER_PATH.format("slow"))) == 2
    assert "timed out" in str(results["slow"].error)
    assert results["cut"].error is not None
    assert results["cut"].error.startswith("ChunkedEncodingError")
    assert str(results["garbled"].error).startswith("bad response: invalid JSON")
    assert results["noshape"].error == "bad response: no 'jobs' array"
    assert all(results[b].file is None for b in ("slow", "cut", "garbled", "noshape"))
    assert list(landed(tmp_path).values()) == [LEVER]


def test_unchanged_content_writes_nothing_and_etags_are_sent_back(twin: BoardTwin, tmp_path: Path) -> None:
    twin.script(GH_PATH.format("northwind"), Answer(body=GREENHOUSE))
    twin.script(ASHBY_PATH.format("finchpay"), Answer(body=ASHBY, headers={"ETag": '"v1"'}, conditional=True))
    config = settings(twin, boards={"greenhouse": ["northwind"], "ashby": ["finchpay"]})

    first = by_board(fetch_boards(config, str(tmp_path)))
    files = landed(tmp_path)
    second = by_board(fetch_boards(config, str(tmp_path)))

    assert landed(tmp_path) == files
    assert len(files) == 2
    assert (second["northwind"].status, second["northwind"].file) == (200, UNCHANGED)
    assert second["northwind"].content_hash == first["northwind"].content_hash
    assert (second["finchpay"].status, second["finchpay"].file) == (304, UNCHANGED)
    assert twin.hits(ASHBY_PATH.format("finchpay"))[1].headers["If-None-Match"] == '"v1"'
    assert second["finchpay"].content_hash == first["finchpay"].content_hash


def test_a_changed_response_lands_a_second_file_without_the_disappeared_posting(
    twin: BoardTwin, tmp_path: Path
) -> None:
    gone = json.loads(GREENHOUSE)["jobs"][0]["id"]
    smaller = without(GREENHOUSE, "jobs", gone)
    twin.script(GH_PATH.format("northwind"), Answer(body=GREENHOUSE), Answer(body=smaller))
    config = settings(twin, boards={"greenhouse": ["northwind"]})

    first = fetch_boards(config, str(tmp_path))[0]
    second = fetch_boards(config, str(tmp_path))[0]

    assert sorted(landed(tmp_path).values()) == sorted([GREENHOUSE, smaller])
    assert set(first.posting_ids or ()) - set(second.posting_ids or ()) == {str(gone)}


def test_requests_in_flight_per_host_are_bounded(twin: BoardTwin, tmp_path: Path) -> None:
    # Two host names of the one twin: each gets its own bound, and both are served at once.
    port = twin.base_url.rsplit(":", 1)[1]
    boards = [f"board{i}" for i in range(6)]
    for board in boards:
        twin.script(LEVER_PATH.format(board), Answer(body=LEVER, delay=0.3))
        twin.script(GH_PATH.format(board), Answer(body=GREENHOUSE, delay=0.3))
    config = settings(twin, per_host_in_flight=2, boards={"lever": boards, "greenhouse": boards})
    config = config.model_copy(
        update={"endpoints": config.endpoints.model_copy(update={"lever": f"http://localhost:{port}"})}
    )

    results = fetch_boards(config, str(tmp_path))

    assert [r.error for r in results] == [None] * 12
    assert twin.max_in_flight == {f"127.0.0.1:{port}": 2, f"localhost:{port}": 2}


def test_a_sitemap_is_expanded_into_its_pages(twin: BoardTwin, tmp_path: Path) -> None:
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{twin.base_url}/jobs/1</loc></url><url><loc>{twin.base_url}/jobs/2</loc></url>"
        "</urlset>"
    ).encode()
    twin.script("/sitemap.xml", Answer(body=sitemap))
    twin.script("/jobs/1", Answer(body=PAGE))
    twin.script("/jobs/2", Answer(body=PAGE.replace(b"Data Engineer", b"Analytics Engineer")))
    config = settings(
        twin, boards={"jsonld_sitemaps": [{"name": "kestrel", "url": f"{twin.base_url}/sitemap.xml"}]}
    )

    results = fetch_boards(config, str(tmp_path))

    assert [(r.url.rsplit("/", 1)[1], r.file is None, r.error) for r in results] == [
        ("sitemap.xml", True, None),
        ("1", False, None),
        ("2", False, None),
    ]
    names = sorted(landed(tmp_path))
    assert len(names) == 2
    assert all(re.fullmatch(r"jsonld/kestrel-\d{8}T\d{12}Z-[0-9a-f]{12}\.html", n) for n in names)


def test_board_names_that_ingestion_could_not_read_back_are_a_config_error(twin: BoardTwin) -> None:
    with pytest.raises(ValueError, match=r"boards\.lever\.0"):
        settings(twin, boards={"lever": ["acme-corp"]})


def test_a_boards_file_replaces_the_conf_boards_and_its_mistakes_name_the_key(tmp_path: Path) -> None:
    good = tmp_path / "boards.yml"
    good.write_text(
        "greenhouse: [northwind]\njsonld_pages:\n  - {name: acme, url: 'https://acme.example/j/1'}\n"
    )
    bad = tmp_path / "bad.yml"
    bad.write_text("lever: [ok, not-ok]\n")
    config = load_config("local", directory=REPO / "conf")

    fetching = with_boards(config, boards_from_file(good)).fetch.boards

    assert config.fetch.boards.count() == 0  # locally nothing is fetched unless asked
    assert (fetching.greenhouse, [p.url for p in fetching.jsonld_pages], fetching.count()) == (
        ["northwind"],
        ["https://acme.example/j/1"],
        2,
    )
    with pytest.raises(ConfigError, match=r"bad\.yml: key 'lever\.1'"):
        boards_from_file(bad)
    with pytest.raises(ConfigError, match="boards file not found"):
        boards_from_file(tmp_path / "missing.yml")
