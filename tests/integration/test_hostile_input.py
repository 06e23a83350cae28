"""Hostile landing input through the real jobs (ingest_postings, then silver_postings) on local Delta.

Every record of a hostile corpus (truncated gzip, empty files, a 100,000-character title,
<script> in descriptions, SQL-looking strings, NUL bytes, invalid UTF-8, NaN and Infinity,
year-9999 dates, a 1e30 salary) ends either in silver.postings (through bronze) or in a
quarantine table with its reason and source, and the counts reconcile per landing file.
Schema drift in one source (a field added, one renamed, types changed) is recorded and does
not stop ingestion.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.ingest.postings_job import ingest_postings
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.bronze import POSTINGS_QUARANTINE as BRONZE_QUARANTINE
from careerlake.registry.bronze import SCHEMA_DRIFT
from careerlake.registry.ops import QUALITY_RESULTS
from careerlake.registry.silver import POSTINGS as SILVER
from careerlake.registry.silver import POSTINGS_QUARANTINE as SILVER_QUARANTINE
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.silver.postings.job import silver_postings
from careerlake.sources.postings import FORMATS
from careerlake.sources.postings.linkedin_csv import COLUMNS as LINKEDIN_COLUMNS

LONG_TITLE = "Data Engineer " + "x" * 100_000
SQL = "'; DROP TABLE silver.postings; --"
HUGE = 1e30
YEAR_9999_MS = 253402300799000  # 9999-12-31T23:59:59Z
GH_URL = "https://job-boards.greenhouse.io/hostile/jobs/"


def _json(value: object) -> str:
    # allow_nan (the default) writes NaN / Infinity / -Infinity: not JSON, but what buggy feeds send.
    return json.dumps(value, ensure_ascii=False)


def greenhouse_job(job_id: int, title: str, **extra: object) -> dict[str, object]:
    return {
        "id": job_id,
        "title": title,
        "updated_at": "2026-09-01T10:00:00-04:00",
        "location": {"name": "Remote"},
        "absolute_url": f"{GH_URL}{job_id}",
        **extra,
    }


def truncated_gzip(text: str) -> bytes:
    data = gzip.compress(text.encode("utf-8"))
    return data[: len(data) // 2]


def csv_row(values: dict[str, str]) -> str:
    def quote(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v

    return ",".join(quote(values.get(c, "")) for c in LINKEDIN_COLUMNS)


def linkedin(job_id: str, title: str, **extra: str) -> dict[str, str]:
    return {
        "job_id": job_id,
        "company_name": "Hostile Co",
        "title": title,
        "description": "Python and SQL.",
        "pay_period": "YEARLY",
        "location": "New York, NY",
        "original_listed_time": "1788426000000.0",
        "currency": "USD",
        **extra,
    }


def write_corpus(landing: Path) -> dict[str, int]:
    """Write the hostile corpus; return records per landing file name (a whole rejected file is one)."""
    expected: dict[str, int] = {}

    def put(fmt: str, name: str, content: bytes, records: int) -> None:
        folder = landing / "postings" / fmt
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
        expected[f"{fmt}/{name}"] = records

    # --- greenhouse: {"jobs": [...]} ---
    jobs = [
        greenhouse_job(1001, LONG_TITLE),
        greenhouse_job(
            1002,
            "Platform Engineer",
            content="&lt;p&gt;Build pipelines.&lt;/p&gt;&lt;script&gt;alert('xss')&lt;/script&gt;"
            "&lt;SCRIPT src=x&gt;document.cookie&lt;/SCRIPT&gt;",
        ),
        greenhouse_job(1003, SQL, content=f"&lt;p&gt;{SQL} Robert'); DROP TABLE students;--&lt;/p&gt;"),
        greenhouse_job(1004, "Analytics\u0000 Engineer", content="NUL\u0000inside"),
        greenhouse_job(
            1005,
            "Staff Machine Learning Engineer",
            pay_input_ranges=[
                {"min_cents": HUGE * 100, "max_cents": HUGE * 100, "currency_type": "USD", "title": "Annual"}
            ],
        ),
        greenhouse_job(1006, "Data Analyst", first_published="9999-12-31T23:59:59Z"),
    ]
    body = _json({"jobs": jobs})[:-2]
    # One more job with a Latin-1 byte (invalid UTF-8) in its title.
    latin1 = b', {"id": 1007, "title": "Ing\xe9nieur", "location": {"name": "Remote"}}]}'
    put("greenhouse", "hostile-main.json", body.encode("utf-8") + latin1, 7)
    nan_jobs = [
        greenhouse_job(
            1010,
            "NaN Engineer",
            pay_input_ranges=[{"min_cents": float("nan"), "max_cents": float("inf"), "currency_type": "USD"}],
        ),
        greenhouse_job(1011, "Infinity Engineer", pay_input_ranges=[{"min_cents": float("-inf")}]),
    ]
    put("greenhouse", "hostile-nan.json", _json({"jobs": nan_jobs}).encode(), 2)
    # A raw NUL byte inside a JSON string is not JSON (control characters must be escaped).
    raw_nul = _json({"jobs": [greenhouse_job(1012, "Raw NUL")]}).replace("Raw NUL", "Raw\x00NUL")
    put("greenhouse", "hostile-rawnul.json", raw_nul.encode(), 1)
    put("greenhouse", "hostile-gz.json.gz", truncated_gzip(_json({"jobs": jobs})), 1)
    # One job with a stray comma: the response is not JSON, its other jobs are.
    one_bad = [_json(greenhouse_job(1020, "Good One")), '{"id": 1021,, "title": "Bad"}']
    one_bad.append(_json(greenhouse_job(1022, "Good Two")))
    put("greenhouse", "hostile-onebad.json", ('{"jobs": [' + ", ".join(one_bad) + "]}").encode(), 3)
    put("greenhouse", "hostile-empty.json", b"", 1)

    # --- lever: [...] ---
    def lever_job(job_id: str, text: str, **extra: object) -> dict[str, object]:
        return {
            "id": job_id,
            "text": text,
            "createdAt": 1788426000000,
            "categories": {"location": "Berlin, Germany", "commitment": "Full-time"},
            "hostedUrl": f"https://jobs.lever.co/hostile/{job_id}",
            **extra,
        }

    lever = [
        lever_job(
            "lv-1",
            "Data Engineer Lever",
            description="<p>Spark</p><script>alert(document.cookie)</script><ScRiPt>x()</sCrIpT>",
        ),
        lever_job(
            "lv-2",
            "Machine Learning Engineer Lever",
            salaryRange={"currency": "USD", "interval": "per-year-salary", "min": HUGE, "max": HUGE},
        ),
        lever_job("lv-3", "Data Scientist Lever", createdAt=YEAR_9999_MS),
        lever_job("lv-4", SQL),
        lever_job(
            "lv-5",
            "NaN Lever",
            salaryRange={"currency": "USD", "interval": "per-year-salary", "min": float("nan")},
        ),
    ]
    put("lever", "hostile.json", _json(lever).encode(), 5)
    put("lever", "hostile-gz.json.gz", truncated_gzip(_json(lever)), 1)

    # --- ashby: {"apiVersion": "1", "jobs": [...]} ---
    ashby = {
        "apiVersion": "1",
        "jobs": [
            {
                "id": "ab-1",
                "title": "Data Scientist\u0000Ashby",
                "location": SQL,
                "publishedAt": "9999-12-31T00:00:00.000+00:00",
                "jobUrl": "https://jobs.ashbyhq.com/hostile/ab-1",
                "descriptionHtml": "<script>evil()</script><p>Python</p>",
                "compensation": {
                    "summaryComponents": [
                        {
                            "compensationType": "Salary",
                            "interval": "1 YEAR",
                            "currencyCode": "USD",
                            "minValue": HUGE,
                            "maxValue": HUGE,
                        }
                    ]
                },
            }
        ],
    }
    put("ashby", "hostile.json", _json(ashby).encode(), 1)
    put("ashby", "hostile-empty.json", b"", 1)

    # --- jsonld: HTML pages with <script type="application/ld+json"> blocks ---
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Backend Engineer",
        "description": "<script>alert(1)</script><p>Go and Kafka</p>",
        "datePosted": "9999-12-31",
        "validThrough": "9999-12-31T23:59:59Z",
        "hiringOrganization": {"@type": "Organization", "name": "Hostile Co"},
        "identifier": {"@type": "PropertyValue", "value": "J-1"},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {"minValue": HUGE, "maxValue": HUGE, "unitText": "YEAR"},
        },
    }
    # json.dumps escapes nothing in "</script>": inside the page it ends the block early.
    cut = {**posting, "title": "Cut short", "identifier": "J-2", "description": "a</script>b"}
    nan = {
        **posting,
        "title": "NaN Poster",
        "identifier": "J-3",
        "baseSalary": {"currency": "USD", "value": float("nan")},
    }
    safe = _json(posting).replace("<", "\\u003c")
    page = (
        "<html><head>"
        f'<script type="application/ld+json">{safe}</script>'
        f'<script type="application/ld+json">{_json(cut)}</script>'
        f'<script type="application/ld+json">{_json(nan)}</script>'
        "</head></html>"
    )
    put("jsonld", "hostile.html", page.encode(), 3)

    # --- linkedin_csv ---
    rows = [
        linkedin(
            "7001",
            SQL,
            description="<script>alert(1)</script>Python",
            max_salary="1e30",
            min_salary="1e30",
        ),
        linkedin("7002", "NUL\x00Engineer"),
        linkedin("7003", "NaN Analyst", max_salary="NaN", min_salary="Infinity"),
        linkedin(
            "7004",
            "Year 9999 Engineer",
            original_listed_time=f"{YEAR_9999_MS}.0",
            expiry=f"{YEAR_9999_MS}.0",
        ),
    ]
    text = "\n".join([",".join(LINKEDIN_COLUMNS), *map(csv_row, rows)]) + "\n"
    bad_byte = csv_row(linkedin("7005", "Caf\ufffe")).encode().replace("\ufffe".encode(), b"\xe9") + b"\n"
    put("linkedin_csv", "hostile.csv", text.encode() + bad_byte, 5)
    put("linkedin_csv", "hostile-gz.csv.gz", truncated_gzip(text), 1)
    # Rows ending in CRLF and LF in one file, one of them short.
    mixed = [",".join(LINKEDIN_COLUMNS), csv_row(linkedin("7101", "Mixed One")), "7102,Hostile Co"]
    mixed += [csv_row(linkedin("7103", "Mixed Three")), csv_row(linkedin("7104", "Mixed Four"))]
    put(
        "linkedin_csv",
        "hostile-mixed.csv",
        ("\r\n".join(mixed[:3]) + "\n" + "\r\n".join(mixed[3:]) + "\n").encode(),
        4,
    )
    return expected


def by_file(spark: SparkSession, table: str, run_id: str | None = None) -> dict[str, int]:
    frame = spark.table(table)
    if run_id:
        frame = frame.where(F.col("run_id") == run_id)
    name = F.regexp_extract("source_file", r"[^/]+/[^/]+$", 0)
    return {r[0]: r[1] for r in frame.groupBy(name).count().collect()}


def test_hostile_corpus_is_accepted_or_quarantined_and_reconciles(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    expected = write_corpus(Path(isolated_config.landing))

    ingest = make_context(isolated_config, "ingest_postings")
    ingest_postings(ingest)
    silver = make_context(isolated_config, "silver_postings")
    silver_postings(silver)
    ingest.finish()
    silver.finish()

    # --- bronze: every landing record is in bronze or its quarantine, per file ---
    bronze_q = spark.table(ingest.name(BRONZE_QUARANTINE))
    in_bronze = by_file(spark, ingest.name(BRONZE), ingest.run_id)
    in_quarantine = by_file(spark, ingest.name(BRONZE_QUARANTINE))
    for name, records in expected.items():
        assert in_bronze.get(name, 0) + in_quarantine.get(name, 0) == records, name
    assert set(in_bronze) | set(in_quarantine) == set(expected)
    steps = {s.table.split(":")[1]: s for s in ingest.report.steps}
    for fmt in FORMATS:
        step = steps[fmt]
        bronze_n = spark.table(ingest.name(BRONZE)).where(F.col("source_format") == fmt).count()
        quarantine_n = bronze_q.where(F.col("source") == f"postings/{fmt}").count()
        assert step.rows_read == bronze_n + quarantine_n == step.rows_written + step.rows_quarantined, fmt
    assert (
        bronze_q.where("reason IS NULL OR trim(reason) = '' OR source IS NULL OR source_file IS NULL").count()
        == 0
    )
    reasons = {(r.source_file.split("/postings/")[-1], r.record_ref, r.reason) for r in bronze_q.collect()}
    print(sorted(reasons))
    assert ("greenhouse/hostile-empty.json", "file", "empty file") in reasons
    assert ("ashby/hostile-empty.json", "file", "empty file") in reasons
    assert ("greenhouse/hostile-main.json", "jobs[6]", "invalid utf-8") in reasons
    assert ("linkedin_csv/hostile-gz.csv.gz", "file", "compressed file: not supported") in reasons
    assert ("jsonld/hostile.html", "script[1]", "malformed json-ld") in reasons
    # A partly bad file costs its bad record only.
    assert ("greenhouse/hostile-onebad.json", "jobs[1]", "malformed json") in reasons
    assert (
        "linkedin_csv/hostile-mixed.csv",
        "row 2",
        "malformed csv row: wrong number of columns",
    ) in reasons
    assert (in_bronze["greenhouse/hostile-onebad.json"], in_bronze["linkedin_csv/hostile-mixed.csv"]) == (
        2,
        3,
    )

    # --- silver: every bronze record is in silver.postings or silver's quarantine ---
    bronze_ids = {r.record_id for r in spark.table(ingest.name(BRONZE)).select("record_id").collect()}
    postings = spark.table(silver.name(SILVER))
    folded = {
        r.record_id for r in postings.select(F.explode("source_record_ids").alias("record_id")).collect()
    }
    silver_q = spark.table(silver.name(SILVER_QUARANTINE))
    quarantined = {r.record_ref for r in silver_q.select("record_ref").collect()}
    assert folded | quarantined == bronze_ids
    assert not folded & quarantined
    assert silver_q.where("reason IS NULL OR trim(reason) = '' OR source IS NULL").count() == 0

    rows = postings.collect()
    for r in rows:
        print(
            r.source_formats,
            repr((r.title or "")[:40]),
            r.salary_flags,
            r.salary_min_original,
            r.salary_mid_annual_usd,
            r.posted_at,
            r.valid_through,
            repr((r.description_text or "")[:60]),
        )
    titles = {r.title for r in rows}
    assert LONG_TITLE in titles
    assert SQL in titles
    # No script survives into the clean text.
    for r in rows:
        text = (r.description_text or "").lower()
        assert not any(s in text for s in ("<script", "alert(", "evil(", "document.cookie", "x()")), r.title
    assert any(r.description_text == "Build pipelines." for r in rows)
    # A 1e30 salary is flagged and its USD figures stay null, in every format that carries it.
    huge = [r for r in rows if (r.salary_max_original or 0) >= HUGE / 10]
    assert {f for r in huge for f in r.source_formats} == set(FORMATS)
    for r in huge:
        assert "out_of_range" in r.salary_flags, r.title
        assert (r.salary_min_annual_usd, r.salary_max_annual_usd, r.salary_mid_annual_usd) == (None,) * 3
    # NaN / Infinity never become a USD figure.
    for r in rows:
        for usd in (r.salary_min_annual_usd, r.salary_max_annual_usd, r.salary_mid_annual_usd):
            assert usd is None or (math.isfinite(usd) and usd < 1e7), r.title
    # Year 9999: kept as published (valid_through may legitimately lie ahead); a posted_at in
    # the future is flagged by the quality gate's warning, recorded in ops.quality_results.
    future = [r for r in rows if r.posted_at is not None and r.posted_at.year == 9999]
    assert future
    assert any(r.valid_through and r.valid_through.year == 9999 for r in rows)
    warning = (
        spark.table(silver.name(QUALITY_RESULTS))
        .where(F.col("run_id") == silver.run_id)
        .where("table_name = 'silver.postings'")
        .where("expectation = 'expect_column_values_to_not_be_in_future(posted_at)'")
        .collect()
    )
    assert [(w.severity, w.success, w.failing_count) for w in warning] == [("warning", False, len(future))]


def test_schema_drift_is_recorded_and_ingestion_goes_on(
    spark: SparkSession, isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    folder = Path(isolated_config.landing) / "postings" / "greenhouse"
    folder.mkdir(parents=True)
    for other in FORMATS:
        (Path(isolated_config.landing) / "postings" / other).mkdir(parents=True, exist_ok=True)
    base = greenhouse_job(3001, "Data Engineer", content="&lt;p&gt;Spark&lt;/p&gt;")
    # v2 of the feed: remote_policy added, absolute_url -> job_url and content -> job_content
    # renamed, id now a string and updated_at epoch seconds instead of ISO text.
    drifted = {
        "id": "3002",
        "title": "Drifted Data Engineer",
        "updated_at": 1788426000,
        "location": {"name": "Berlin, Germany"},
        "job_url": f"{GH_URL}3002",
        "job_content": "&lt;p&gt;Kafka&lt;/p&gt;",
        "remote_policy": "hybrid",
    }
    (folder / "drift-base.json").write_text(_json({"jobs": [base]}))
    (folder / "drift-v2.json").write_text(_json({"jobs": [drifted]}))

    ingest = make_context(isolated_config, "ingest_postings")
    ingest_postings(ingest)
    silver = make_context(isolated_config, "silver_postings")
    silver_postings(silver)
    ingest.finish()
    silver.finish()

    bronze = {r.source_posting_id: r for r in spark.table(ingest.name(BRONZE)).collect()}
    assert set(bronze) == {"3001", "3002"}
    assert json.loads(bronze["3002"].raw_record) == drifted  # the new field is kept losslessly
    assert spark.table(ingest.name(BRONZE_QUARANTINE)).count() == 0

    drift = {
        (r.field_path, r.change): (r.example_value, r.record_count)
        for r in spark.table(ingest.name(SCHEMA_DRIFT)).where("source_format = 'greenhouse'").collect()
    }
    assert drift[("remote_policy", "added")] == ("hybrid", 1)
    assert drift[("job_url", "added")] == (f"{GH_URL}3002", 1)
    assert ("job_content", "added") in drift
    assert drift[("absolute_url", "missing")] == (None, 1)
    assert drift[("id", "type_changed")] == ("string (expected number): 3002", 1)
    assert drift[("updated_at", "type_changed")] == ("number (expected string): 1788426000", 1)
    assert len(drift) == 6

    postings = {r.title: r for r in spark.table(silver.name(SILVER)).collect()}
    assert spark.table(silver.name(SILVER_QUARANTINE)).count() == 0
    assert set(postings) == {"Data Engineer", "Drifted Data Engineer"}
    row = postings["Drifted Data Engineer"]

    assert (row.city, row.country) == ("Berlin", "DE")
    assert row.url is None
    assert row.description_text is None
    assert row.posted_at is None  # a number where ISO text was expected is not a date
    assert postings["Data Engineer"].description_text == "Spark"
