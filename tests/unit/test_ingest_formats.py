"""Format parsers and bronze transforms: a landing file in, the exact candidate / bronze rows out."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from chispa import assert_df_equality
from pyspark.sql import DataFrame, SparkSession

from careerlake.ingest.records import classify, schema_drift_from_records, to_bronze, to_quarantine
from careerlake.registry.bronze import POSTINGS, POSTINGS_QUARANTINE, SCHEMA_DRIFT
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.platform import BINARY_FILE_SCHEMA
from careerlake.sources.postings import FORMATS
from careerlake.sources.postings.linkedin_csv import COLUMNS as LINKEDIN_COLUMNS
from careerlake.sources.postings.plugin import json_types

MODIFIED = datetime(2026, 10, 1, 12, 0)
NOW = datetime(2026, 11, 1, 8, 0)
BAD_CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_postings"


def files_frame(spark: SparkSession, files: dict[str, bytes]) -> DataFrame:
    rows = [(path, MODIFIED, len(content), bytearray(content)) for path, content in files.items()]
    return rows_frame(spark, rows, BINARY_FILE_SCHEMA)


def candidates(spark: SparkSession, source_format: str, files: dict[str, bytes]) -> list[tuple]:
    parsed = classify(FORMATS[source_format].parse(files_frame(spark, files)))
    return [
        (r.source_file.rsplit("/", 1)[-1], r.record_ref, r.board, r.source_posting_id, r.raw_record, r.error)
        for r in parsed.orderBy("source_file", "record_ref").collect()
    ]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_greenhouse_file_to_exact_bronze_rows(spark: SparkSession) -> None:
    job = '{"id":4012345,"title":"Senior Data Engineer","location":{"name":"New York, NY"},"content":"&lt;p&gt;Spark&lt;/p&gt;"}'
    payload = '{"jobs": [' + job + '], "meta": {"total": 1}}'
    files = files_frame(spark, {"file:/landing/greenhouse/northwind-2026-10-15.json": payload.encode()})
    bronze = to_bronze(classify(FORMATS["greenhouse"].parse(files)), "greenhouse", "run-1", NOW)
    content_hash = sha(job)
    expected = rows_frame(
        spark,
        [
            (
                sha("\x01".join(["greenhouse", "northwind", "4012345", content_hash])),
                "greenhouse",
                "northwind",
                "4012345",
                job,
                content_hash,
                "file:/landing/greenhouse/northwind-2026-10-15.json",
                "jobs[0]",
                MODIFIED,
                NOW,
                "run-1",
            )
        ],
        POSTINGS.schema,
    )
    assert_df_equality(bronze, expected, ignore_nullable=True, ignore_metadata=True)


def test_lever_array_elements_keep_their_json_text(spark: SparkSession) -> None:
    first = '{"id":"5f1c-a","text":"Data Scientist","createdAt":1788426000000,"salaryRange":{"currency":"EUR","interval":"per-year-salary","min":65000,"max":80000}}'
    second = '{"id":"5f1c-b","text":"Intern","lists":[{"text":"Requirements","content":"<li>Python</li>"}]}'
    got = candidates(spark, "lever", {"file:/l/kestrel.json": f"[\n  {first},\n  {second}\n]".encode()})
    assert got == [
        ("kestrel.json", "[0]", "kestrel", "5f1c-a", first, None),
        ("kestrel.json", "[1]", "kestrel", "5f1c-b", second, None),
    ]


def test_ashby_jobs_array_and_board_from_file_name(spark: SparkSession) -> None:
    job = '{"id":"a1b2","title":"MLOps Engineer","compensation":{"compensationTiers":[{"components":[{"compensationType":"Salary","interval":"1 YEAR","currencyCode":"GBP","minValue":65000,"maxValue":80000}]}]}}'
    got = candidates(
        spark, "ashby", {"file:/a/finchpay.json": f'{{"apiVersion":"1","jobs":[{job}]}}'.encode()}
    )
    assert got == [("finchpay.json", "jobs[0]", "finchpay", "a1b2", job, None)]


def test_jsonld_object_array_and_graph(spark: SparkSession) -> None:
    single = '{"@context":"https://schema.org","@type":"JobPosting","title":"Data Engineer","hiringOrganization":{"@type":"Organization","name":"Acme"},"identifier":{"@type":"PropertyValue","value":"AR-1"}}'
    in_array = '{"@type":"JobPosting","title":"Intern","hiringOrganization":"Globex","url":"https://globex.example/jobs/intern"}'
    in_graph = '{"@type":["JobPosting"],"title":"MLOps","identifier":"INI-77"}'
    page = (
        "<html><head>\n"
        f'<script type="application/ld+json">\n{single}\n</script>\n'
        f"<script type='application/ld+json'>[{in_array}]</script>\n"
        '<script type="application/ld+json">{"@graph":[{"@type":"Organization","name":"Initech"},'
        f"{in_graph}]}}</script>\n"
        "</head></html>"
    )
    got = candidates(spark, "jsonld", {"file:/j/careers.html": page.encode()})
    assert got == [
        ("careers.html", "script[0]/0", "Acme", "AR-1", single, None),
        ("careers.html", "script[1]/0", "Globex", "https://globex.example/jobs/intern", in_array, None),
        ("careers.html", "script[2]/1", "careers", "INI-77", in_graph, None),
    ]


def test_jsonld_posting_without_identifier_or_url_gets_a_derived_id(spark: SparkSession) -> None:
    posting = '{"@type":"JobPosting","title":"Account Executive","hiringOrganization":{"@type":"Organization","name":"Acme"},"datePosted":"2026-09-01","jobLocation":{"@type":"Place","address":{"addressLocality":"Berlin","addressCountry":"DE"}},"description":"&lt;p&gt;Sell&lt;/p&gt;"}'
    canonical = '<link rel="canonical" href="https://acme.example/jobs/ae-berlin">'
    page = (
        f"<html><head>{canonical}"
        '<script type="application/ld+json">{"@type":"Organization","name":"Acme"}</script>'
        '<!-- <script type="application/ld+json">{"@type":"JobPosting","title":"Old"}</script> -->'
        '<script type="application/ld+json">{"@type":"JobPosting", broken</script>'
        f'<script type="application/ld+json">{posting}</script>'
        "</head><body></body></html>"
    )
    key = "\x01".join(
        [
            "https://acme.example/jobs/ae-berlin",
            "Acme",
            "Account Executive",
            '{"addressLocality":"Berlin","addressCountry":"DE"}',
            "2026-09-01",
        ]
    )
    derived = "derived:" + sha(key)[:32]
    # The same page saved under two names is one posting: the id comes from its canonical URL.
    got = candidates(spark, "jsonld", {"file:/j/a.html": page.encode(), "file:/k/a-copy.html": page.encode()})
    assert got == [
        ("a.html", "script[1]", None, None, '{"@type":"JobPosting", broken', "malformed json-ld"),
        ("a.html", "script[2]/0", "Acme", derived, posting, None),
        ("a-copy.html", "script[1]", None, None, '{"@type":"JobPosting", broken', "malformed json-ld"),
        ("a-copy.html", "script[2]/0", "Acme", derived, posting, None),
    ]


def test_jsonld_derived_id_falls_back_to_the_file_name(spark: SparkSession) -> None:
    posting = '{"@type":"JobPosting","title":"Nurse","hiringOrganization":"Mercy Hospital","identifier":{"@type":"PropertyValue","name":"Mercy"}}'
    page = f'<script type="application/ld+json">{posting}</script>'
    got = candidates(spark, "jsonld", {"file:/j/nurse.html": page.encode()})
    derived = "derived:" + sha("\x01".join(["nurse.html", "Mercy Hospital", "Nurse", "", ""]))[:32]
    assert got == [("nurse.html", "script[0]/0", "Mercy Hospital", derived, posting, None)]


def test_linkedin_csv_row_as_json_object_of_all_columns(spark: SparkSession, tmp_path: Path) -> None:
    columns = FORMATS["linkedin_csv"].required_fields
    header = "job_id,company_name,title,description,max_salary,pay_period,location,company_id,views,med_salary,min_salary,formatted_work_type,applies,original_listed_time,remote_allowed,job_posting_url,application_url,application_type,expiry,closed_time,formatted_experience_level,skills_desc,listed_time,posting_domain,sponsored,work_type,currency,compensation_type,normalized_salary,zip_code,fips"
    row = '3904203535,Northwind Analytics,Senior Data Engineer,"Spark, dbt\nand ""k8s""",195000.0,YEARLY,"New York, NY",5724437.0,5.0,,165000.0,Full-time,,1788426000000.0,,https://www.linkedin.com/jobs/view/3904203535/,,ComplexOnsiteApply,1791018000000.0,,Mid-Senior level,,1788433200000.0,,0,FULL_TIME,USD,BASE_SALARY,180000.0,10001,36061.0'
    path = tmp_path / "dump.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    got = candidates(spark, "linkedin_csv", {f"file:{path}": path.read_bytes()})
    values = dict(zip(header.split(","), [None] * 31, strict=True))
    values.update(
        job_id="3904203535",
        company_name="Northwind Analytics",
        title="Senior Data Engineer",
        description='Spark, dbt\nand "k8s"',
        max_salary="195000.0",
        pay_period="YEARLY",
        location="New York, NY",
        company_id="5724437.0",
        views="5.0",
        min_salary="165000.0",
        formatted_work_type="Full-time",
        original_listed_time="1788426000000.0",
        job_posting_url="https://www.linkedin.com/jobs/view/3904203535/",
        application_type="ComplexOnsiteApply",
        expiry="1791018000000.0",
        formatted_experience_level="Mid-Senior level",
        listed_time="1788433200000.0",
        sponsored="0",
        work_type="FULL_TIME",
        currency="USD",
        compensation_type="BASE_SALARY",
        normalized_salary="180000.0",
        zip_code="10001",
        fips="36061.0",
    )
    [(name, ref, board, posting_id, raw, error)] = got
    assert (name, ref, board, posting_id, error) == (
        "dump.csv",
        "row 1",
        "Northwind Analytics",
        "3904203535",
        None,
    )
    assert json.loads(raw) == values
    assert set(values) == columns


def test_linkedin_csv_mixed_line_endings_cost_only_the_bad_rows(spark: SparkSession, tmp_path: Path) -> None:
    columns = FORMATS["linkedin_csv"].required_fields
    header = ",".join(c for c in LINKEDIN_COLUMNS if c in columns)

    def row(job_id: str, fips: str = "36061.0") -> bytes:
        values = {c: "" for c in LINKEDIN_COLUMNS} | {"job_id": job_id, "title": "Analyst", "fips": fips}
        values["description"] = '"two\r\nlines"'
        return ",".join(values[c] for c in LINKEDIN_COLUMNS).encode()

    content = (
        header.encode() + b"\r\n"
        + row("1") + b"\r\n"
        + row("2", fips="") + b"\n"
        + b"3,short row\n"
        + row("4").replace(b"Analyst", b"Caf\xe9") + b"\r\n"
        + row("5") + b"\n"
    )  # fmt: skip
    path = tmp_path / "mixed.csv"
    path.write_bytes(content)
    got = candidates(spark, "linkedin_csv", {f"file:{path}": content})
    assert [(ref, posting_id, error) for _, ref, _, posting_id, _, error in got] == [
        ("row 1", "1", None),
        ("row 2", "2", None),
        ("row 3", "3", "malformed csv row: wrong number of columns"),
        ("row 4", "4", "invalid utf-8"),
        ("row 5", "5", None),
    ]
    fips = [json.loads(raw)["fips"] for _, ref, _, _, raw, error in got if error is None]
    descriptions = {json.loads(raw)["description"] for _, _, _, _, raw, error in got if error is None}
    assert (fips, descriptions) == (["36061.0", None, "36061.0"], {"two\r\nlines"})


def landed_and_quarantined(
    spark: SparkSession, source_format: str, files: dict[str, bytes]
) -> tuple[list[tuple], list[tuple]]:
    """What ingestion writes for `files`: bronze (file, record_ref, posting id) and quarantine
    (source, file, record_ref, reason) rows, through the job's own transforms."""
    parsed = classify(FORMATS[source_format].parse(files_frame(spark, files)))
    bronze = to_bronze(parsed, source_format, "run-1", NOW).orderBy("source_file", "record_ref")
    quarantine = to_quarantine(parsed, source_format, "run-1", NOW).orderBy("source_file", "record_ref")
    return (
        [(r.source_file.rsplit("/", 1)[-1], r.record_ref, r.source_posting_id) for r in bronze.collect()],
        [(r.source, r.source_file.rsplit("/", 1)[-1], r.record_ref, r.reason) for r in quarantine.collect()],
    )


def linkedin_row(job_id: str, title: str = "Data Analyst") -> bytes:
    values = dict.fromkeys(LINKEDIN_COLUMNS, "") | {"job_id": job_id, "title": title, "fips": "36061.0"}
    values["description"] = '"Python, SQL\r\nand dbt"'
    return ",".join(values[c] for c in LINKEDIN_COLUMNS).encode()


LINKEDIN_HEADER = ",".join(LINKEDIN_COLUMNS).encode()


def csv_file(folder: Path, name: str, content: bytes) -> dict[str, bytes]:
    """The CSV reader reads files from disk, not the batch's bytes."""
    (folder / name).write_bytes(content)
    return {f"file:{folder / name}": content}


def test_csv_with_mixed_crlf_and_lf_rows_lands_every_good_row(spark: SparkSession, tmp_path: Path) -> None:
    content = (
        LINKEDIN_HEADER + b"\n"
        + linkedin_row("11") + b"\r\n"
        + linkedin_row("12") + b"\n"
        + b"13,Zed Co,short row\r\n"
        + b"\r\n"  # a blank line is no record
        + linkedin_row("14") + b"\r\n"
        + linkedin_row("15")  # no line end at all
    )  # fmt: skip
    landed, quarantined = landed_and_quarantined(
        spark, "linkedin_csv", csv_file(tmp_path, "mixed.csv", content)
    )
    assert landed == [("mixed.csv", "row 1", "11"), ("mixed.csv", "row 2", "12"), ("mixed.csv", "row 4", "14"), ("mixed.csv", "row 5", "15")]  # fmt: skip
    assert quarantined == [
        ("postings/linkedin_csv", "mixed.csv", "row 3", "malformed csv row: wrong number of columns")
    ]


def test_short_csv_row_costs_that_row_only(spark: SparkSession, tmp_path: Path) -> None:
    content = b"\n".join([LINKEDIN_HEADER, linkedin_row("21"), b"22,Zed Co", linkedin_row("23"), b""])
    landed, quarantined = landed_and_quarantined(
        spark, "linkedin_csv", csv_file(tmp_path, "short.csv", content)
    )
    assert landed == [("short.csv", "row 1", "21"), ("short.csv", "row 3", "23")]
    assert quarantined == [
        ("postings/linkedin_csv", "short.csv", "row 2", "malformed csv row: wrong number of columns")
    ]


@pytest.mark.parametrize(
    ("bad", "after"),
    [
        # the quote is closed by the next row's quoted description
        ('"Python, SQL and dbt, the quote never closes', [linkedin_row("43"), linkedin_row("44")]),
        # no quote follows before the end of the file
        (
            '"Python, SQL and dbt, the quote never closes',
            [linkedin_row("43").replace(b'"Python, SQL\r\nand dbt"', b"plain"), b"44,Zed Co"],
        ),
        # a quoted value with text after its closing quote
        ('"Python" and SQL', [linkedin_row("43"), linkedin_row("44")]),
    ],
)
def test_unbalanced_quote_in_a_csv_row_costs_that_row_only(
    spark: SparkSession, tmp_path: Path, bad: str, after: list[bytes]
) -> None:
    broken = linkedin_row("42").replace(b'"Python, SQL\r\nand dbt"', bad.encode())
    content = b"\n".join([LINKEDIN_HEADER, linkedin_row("41"), broken, *after, b""])
    landed, quarantined = landed_and_quarantined(
        spark, "linkedin_csv", csv_file(tmp_path, "quote.csv", content)
    )
    short = [("postings/linkedin_csv", "quote.csv", "row 4", "malformed csv row: wrong number of columns")]
    assert landed == [("quote.csv", "row 1", "41"), ("quote.csv", "row 3", "43")] + (
        [] if after[-1] == b"44,Zed Co" else [("quote.csv", "row 4", "44")]
    )
    assert quarantined == [
        ("postings/linkedin_csv", "quote.csv", "row 2", "malformed csv row: unbalanced quote")
    ] + (short if after[-1] == b"44,Zed Co" else [])


def test_undecodable_bytes_in_a_csv_row_cost_that_row_only(spark: SparkSession, tmp_path: Path) -> None:
    latin1 = linkedin_row("32", title="Ingenieur").replace(b"Ingenieur", b"Ing\xe9nieur")
    content = b"\r\n".join([LINKEDIN_HEADER, linkedin_row("31"), latin1, linkedin_row("33"), b""])
    landed, quarantined = landed_and_quarantined(
        spark, "linkedin_csv", csv_file(tmp_path, "bytes.csv", content)
    )
    assert landed == [("bytes.csv", "row 1", "31"), ("bytes.csv", "row 3", "33")]
    assert quarantined == [("postings/linkedin_csv", "bytes.csv", "row 2", "invalid utf-8")]


# One posting of a response is not JSON (a stray comma; a file cut off mid-posting), so the
# response does not parse as a whole: only that element is quarantined.
@pytest.mark.parametrize(
    ("source_format", "envelope", "ref"),
    [
        ("greenhouse", '{{"jobs": [{}], "meta": {{"total": 3}}}}', "jobs[{}]"),
        ("lever", "[{}]", "[{}]"),
        ("ashby", '{{"apiVersion": "1", "jobs": [{}]}}', "jobs[{}]"),
    ],
)
def test_one_bad_element_of_a_json_array_costs_that_element_only(
    spark: SparkSession, source_format: str, envelope: str, ref: str
) -> None:
    title = "text" if source_format == "lever" else "title"
    good = [f'{{"id": "{i}", "{title}": "Data Engineer", "note": "a ] b, {{c"}}' for i in ("a1", "a3")]
    broken = f'{{"id": "a2",, "{title}": "Broken"}}'
    cut = f'{{"id": "b1", "{title}": "Whole"}}, {{"id": "b2", "{title}": "Cut sh'
    files = {
        "file:/j/acme.json": envelope.format(", ".join([good[0], broken, good[1]])).encode(),
        "file:/j/acme-cut.json": envelope.format(cut)[: envelope.format(cut).index("Cut sh") + 6].encode(),
    }
    landed, quarantined = landed_and_quarantined(spark, source_format, files)
    assert landed == [
        ("acme-cut.json", ref.format(0), "b1"),
        ("acme.json", ref.format(0), "a1"),
        ("acme.json", ref.format(2), "a3"),
    ]
    source = f"postings/{source_format}"
    assert quarantined == [
        (source, "acme-cut.json", ref.format(1), "malformed json"),
        (source, "acme.json", ref.format(1), "malformed json"),
    ]


def test_one_bad_json_ld_block_costs_that_block_only(spark: SparkSession) -> None:
    def posting(i: int) -> str:
        return json.dumps(
            {
                "@type": "JobPosting",
                "title": f"Engineer {i}",
                "hiringOrganization": "Acme",
                "identifier": f"P-{i}",
            }
        )

    blocks = [posting(0), '{"@type": "JobPosting", "title": "Broken",}', posting(2), "[" + posting(3) + "]"]
    page = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    landed, quarantined = landed_and_quarantined(spark, "jsonld", {"file:/h/acme.html": page.encode()})
    assert landed == [
        ("acme.html", "script[0]/0", "P-0"),
        ("acme.html", "script[2]/0", "P-2"),
        ("acme.html", "script[3]/0", "P-3"),
    ]
    assert quarantined == [("postings/jsonld", "acme.html", "script[1]", "malformed json-ld")]


@pytest.mark.parametrize(
    ("source_format", "expected"),
    [
        (
            "greenhouse",
            [
                ("acme-blank.json", "file", "empty file"),
                ("acme-latin1.json", "jobs[0]", None),
                ("acme-latin1.json", "jobs[1]", "invalid utf-8"),
                ("acme-malformed.json", "jobs[0]", "malformed json"),
                ("acme-mixed.json", "jobs[0]", None),
                ("acme-mixed.json", "jobs[1]", "missing id"),
                ("acme-mixed.json", "jobs[2]", "not a json object: element of the array"),
                ("acme-mixed.json", "jobs[3]", None),
                ("acme-nojobs.json", "file", "malformed json: no 'jobs' array"),
                ("acme-truncated.json", "jobs[0]", None),
                ("acme-truncated.json", "jobs[1]", "malformed json"),
            ],
        ),
        (
            "lever",
            [
                ("beta-mixed.json", "[0]", None),
                ("beta-mixed.json", "[1]", "missing id"),
                ("beta-object.json", "file", "malformed json: not a json array"),
            ],
        ),
        ("ashby", [("gamma-mixed.json", "jobs[0]", None), ("gamma-mixed.json", "jobs[1]", "missing id")]),
        (
            "jsonld",
            [
                ("broken-jsonld.html", "script[0]", "malformed json-ld"),
                ("broken-jsonld.html", "script[1]/0", None),
                ("no-jsonld.html", "file", "no json-ld"),
                ("org-only.html", "file", "no JobPosting in json-ld"),
            ],
        ),
        (
            "linkedin_csv",
            [
                ("zed-bad.csv", "row 1", None),
                ("zed-bad.csv", "row 2", "missing id"),
                ("zed-bad.csv", "row 3", "malformed csv row: wrong number of columns"),
                ("zed-bad.csv", "row 4", "malformed csv row: unbalanced quote"),
                ("zed-bad.csv", "row 5", None),
                ("zed-bad.csv", "row 6", "invalid utf-8"),
                ("zed-bad.csv", "row 7", None),
            ],
        ),
    ],
)
def test_bad_corpus_reasons(spark: SparkSession, source_format: str, expected: list[tuple]) -> None:
    folder = BAD_CORPUS / source_format
    files = {f"file:{p}": p.read_bytes() for p in sorted(folder.iterdir()) if p.stat().st_size}
    got = [(name, ref, error) for name, ref, _, _, _, error in candidates(spark, source_format, files)]
    assert got == expected


def test_quarantine_rows_keep_source_reason_and_text(spark: SparkSession) -> None:
    files = files_frame(spark, {"file:/g/acme-truncated.json": b'{"jobs": {"id": 1'})
    quarantine = to_quarantine(classify(FORMATS["greenhouse"].parse(files)), "greenhouse", "run-1", NOW)
    expected = rows_frame(
        spark,
        [
            (
                sha("\x01".join(["postings/greenhouse", "file:/g/acme-truncated.json", "file"])),
                "postings/greenhouse",
                "file:/g/acme-truncated.json",
                "file",
                "malformed json",
                '{"jobs": {"id": 1',
                "run-1",
                NOW,
            )
        ],
        POSTINGS_QUARANTINE.schema,
    )
    assert_df_equality(quarantine, expected, ignore_nullable=True, ignore_metadata=True)


def test_schema_drift_reports_added_and_missing_fields(spark: SparkSession) -> None:
    accepted = rows_frame(
        spark,
        [
            ('{"id":"a","title":"T","location":"X","publishedAt":"2026","jobUrl":"u","newField":7}',),
            ('{"id":"b"}',),
        ],
        "raw_record string",
    )
    fmt = FORMATS["ashby"]
    drift = schema_drift_from_records(accepted, "ashby", fmt.required_fields, fmt.known_fields, "run-1", NOW)
    expected = rows_frame(
        spark,
        [
            ("ashby", "jobUrl", "missing", None, "run-1", NOW, 1),
            ("ashby", "location", "missing", None, "run-1", NOW, 1),
            ("ashby", "newField", "added", "7", "run-1", NOW, 1),
            ("ashby", "publishedAt", "missing", None, "run-1", NOW, 1),
            ("ashby", "title", "missing", None, "run-1", NOW, 1),
        ],
        SCHEMA_DRIFT.schema,
    )
    assert_df_equality(drift, expected, ignore_nullable=True, ignore_metadata=True, ignore_row_order=True)


def test_schema_drift_reports_types_the_mapping_cannot_read(spark: SparkSession) -> None:
    accepted = rows_frame(
        spark,
        [
            ('{"id":"a","title":"T","location":"X","publishedAt":"2026","jobUrl":"u","isRemote":"yes"}',),
            ('{"id":7,"title":"T","location":["X","Y"],"publishedAt":null,"jobUrl":{"href":"u"}}',),
        ],
        "raw_record string",
    )
    fmt = FORMATS["ashby"]
    expected_types = {"id": "string", "location": "string", "publishedAt": "string", "isRemote": "boolean"}
    expected_types |= {"jobUrl": "string", "title": "string"}
    drift = schema_drift_from_records(
        accepted, "ashby", fmt.required_fields, fmt.known_fields, "run-1", NOW, expected_types
    )
    # An array in a string field is read as a list, and JSON null is no type: neither counts.
    expected = rows_frame(
        spark,
        [
            ("ashby", "id", "type_changed", "number (expected string): 7", "run-1", NOW, 1),
            ("ashby", "isRemote", "type_changed", "string (expected boolean): yes", "run-1", NOW, 1),
            ("ashby", "jobUrl", "type_changed", 'object (expected string): {"href":"u"}', "run-1", NOW, 1),
        ],
        SCHEMA_DRIFT.schema,
    )
    assert_df_equality(drift, expected, ignore_nullable=True, ignore_metadata=True, ignore_row_order=True)


def test_json_types_of_a_from_json_schema(spark: SparkSession) -> None:
    ddl = (
        "id bigint, pay array<struct<min: double, c: string>>, where struct<a: int, b: string>, "
        "ok boolean, t string, d decimal(10,2), at timestamp"
    )
    assert json_types(ddl) == {
        "id": "number",
        "pay": "array",
        "where": "object",
        "ok": "boolean",
        "t": "string",
        "d": "number",
        "at": "string",
    }
