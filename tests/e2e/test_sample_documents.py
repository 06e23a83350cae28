"""ingest_career_docs + silver_career_docs on the bundled sample documents: the rows of every
silver table, read from the staged uninterrupted run (tests/e2e/conftest.py), which ran both jobs
on the sample; and a re-run of both on its no-op copy finds nothing new and writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.ingest.career_docs_job import ingest_career_docs
from careerlake.privacy import hmac_hex
from careerlake.registry import Table, bronze, silver
from careerlake.runtime.config import Config
from careerlake.silver.career_docs.job import silver_career_docs
from support.chaos import Lakehouse, StagedRun, attached_config, read_table
from support.contexts import job_context

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "landing" / "career_docs"
MD_THREAD = "thread-de-to-mle-markdown.md"
DUMP_THREAD = "thread-sre-text-dump.txt"
ARTICLE = "article-mlops-career.md"
GUIDE = "guide-data-engineer-scraped.txt"
JOBS = ("ingest_career_docs", "silver_career_docs")


def _rows(frame: DataFrame, *columns: str) -> set[tuple]:
    return {tuple(r) for r in frame.select(*columns).collect()}


def _table(
    spark: SparkSession, lakehouse: Lakehouse, table: Table, doc_ids: dict[str, str], name: str
) -> DataFrame:
    return read_table(spark, lakehouse, table).where(F.col("doc_id") == doc_ids[name])


def test_sample_documents_to_every_silver_table(spark: SparkSession, sample_run: StagedRun) -> None:
    first = sample_run.copy("first")
    steps = [s for run in sample_run.runs() if run["run_id"].startswith("e2e-first") for s in run["steps"]]
    ingested = [
        (s["rows_read"], s["rows_written"], s["rows_quarantined"]) for s in steps if s["job"] == JOBS[0]
    ]
    assert ingested == [(12, 10, 2)]
    rejects = read_table(spark, first, bronze.CAREER_DOCS_QUARANTINE)
    assert _rows(rejects, F.regexp_extract("source_file", r"([^/]+)$", 1), "reason") == {
        ("broken-export.txt", "binary file: NUL bytes"),
        ("empty-note.md", "empty file"),
    }
    docs = read_table(spark, first, bronze.CAREER_DOCS)
    raw = docs.where(F.col("file_name") == MD_THREAD).first()
    assert raw is not None
    assert raw["raw_text"] == (SAMPLES / MD_THREAD).read_text(encoding="utf-8")
    doc_ids = {r["file_name"]: r["doc_id"] for r in docs.select("file_name", "doc_id").collect()}
    written = {s["table"]: s["rows_written"] for s in steps if s["job"] == JOBS[1]}
    assert written["silver.career_documents"] == 10

    key = first.config.privacy.local_default_key
    problems: list[str] = []

    def check(what: str, actual: object, expected: object) -> None:
        if actual != expected:
            problems.append(f"{what}:\n  actual   {actual!r}\n  expected {expected!r}")

    documents = read_table(spark, first, silver.CAREER_DOCUMENTS)
    picked = documents.where(
        F.col("doc_id").isin(*(doc_ids[n] for n in (MD_THREAD, DUMP_THREAD, ARTICLE, GUIDE)))
    )
    doc_columns = ("doc_type", "layout", "title", "site", "community", "url", "author_hash", "published_date")
    check("documents", _rows(picked, *doc_columns, "role_id"), expected_documents(key))
    # Handles and e-mails never appear in clear text in any silver table.
    for table in silver.TABLES:
        if not table.name.startswith("posting"):
            text = F.concat_ws(
                " ",
                *(F.col(c).cast("string") for c in table.column_names if "array" not in table.column(c).type),
            )
            leaked = read_table(spark, first, table).where(
                text.rlike(r"pipeline_pete|pete\.helper|oncall_olga|priya\.raman|@priyaraman")
            )
            check(f"clear identities in {table.id}", leaked.count(), 0)

    comments = _table(spark, first, silver.CAREER_COMMENTS, doc_ids, MD_THREAD)
    check(
        "markdown comments",
        _rows(comments, "position", "author_hash", "points", "quoted_text"),
        {
            (1, hmac_hex(key, "mlops_maria"), 57, "Should I pivot to machine learning engineering?"),
            (2, hmac_hex(key, "quiet_lurker"), 12, ""),
            (3, hmac_hex(key, "analyticsanna"), -3, "I'm 31 and my team is a team of 12"),
        },
    )
    dump_comments = _table(spark, first, silver.CAREER_COMMENTS, doc_ids, DUMP_THREAD)
    check(
        "text-dump comments",
        _rows(dump_comments, "position", "author_hash", "points"),
        {(1, hmac_hex(key, "pager_duty_paul"), 41), (2, hmac_hex(key, "k8s_kim"), 8), (3, None, None)},
    )
    comp_columns = ("comment_position", "component", "amount_min", "amount_max", "currency", "vesting_years")
    for name, expected in EXPECTED_COMPENSATION.items():
        frame = _table(spark, first, silver.COMPENSATION_MENTIONS, doc_ids, name)
        check(
            f"compensation {name}",
            _rows(frame, *comp_columns, "open_ended", "role_id", "seniority"),
            expected,
        )
    for name, expected in EXPECTED_EXPERIENCE.items():
        frame = _table(spark, first, silver.EXPERIENCE_MENTIONS, doc_ids, name)
        actual = _rows(frame, "comment_position", "years_min", "years_max", "open_ended", "career_stage")
        check(f"experience {name}", actual, expected)
    for name, expected in EXPECTED_TRANSITIONS.items():
        frame = _table(spark, first, silver.CAREER_TRANSITIONS, doc_ids, name)
        actual = _rows(
            frame, "comment_position", "from_role_id", "to_role_id", "from_level", "to_level", "evidence_kind",
            "confidence",
        )  # fmt: skip
        check(f"transitions {name}", actual, expected)
    guides = _table(spark, first, silver.ROLE_GUIDES, doc_ids, GUIDE)
    band_columns = ("role_id", "level", "salary_min", "salary_max", "salary_open_ended", "salary_currency")
    check("guide bands", _rows(guides, *band_columns, "salary_country", "salary_basis"), EXPECTED_GUIDE_BANDS)
    lists = guides.where(F.col("level") == "all").first()
    assert lists is not None
    actual_lists = (lists["top_skills"], lists["employers"], lists["sectors"], lists["next_steps"])
    check("guide lists", actual_lists, EXPECTED_GUIDE_LISTS)
    roles = _table(spark, first, silver.ROLE_MENTIONS, doc_ids, MD_THREAD)
    check(
        "role mentions", _rows(roles, "comment_position", "role_id", "mention_count"), EXPECTED_ROLE_MENTIONS
    )
    skills = _table(spark, first, silver.SKILL_MENTIONS, doc_ids, MD_THREAD)
    actual_skills = _rows(skills, "comment_position", "skill_id", "mention_count")
    check("skill mentions", actual_skills, EXPECTED_SKILL_MENTIONS)
    assert not problems, "\n".join(problems)


def test_a_rerun_of_both_jobs_on_the_sample_finds_nothing_new_and_writes_nothing(
    spark: SparkSession, base_config: Config, sample_run: StagedRun, tmp_path: Path
) -> None:
    # The pipeline's own no-op run skipped silver_career_docs (its inputs had not changed):
    # here both jobs run to their end on the copy that run left. The empty file quarantined by
    # the first run is not read again.
    config = attached_config(spark, base_config, sample_run.restore("second", tmp_path / "lakehouse"), "docs")
    contexts = [job_context(spark, config, job, sample_run.run_date) for job in JOBS]
    ingest_career_docs(contexts[0])
    silver_career_docs(contexts[1])
    steps = [s for ctx in contexts for s in ctx.report.steps]
    assert [s.rows_read for s in contexts[0].report.steps] == [0]
    assert [s.rows_written + s.rows_quarantined for s in steps] == [0] * 10


def expected_documents(key: str) -> set[tuple]:
    return {
        ("thread", "markdown_thread", "Data engineer with 2 YoE: is moving into ML engineering worth it?",
         "reddit.com", "r/dataengineering", None, hmac_hex(key, "pipeline_pete"), date(2025, 3, 14), None),
        ("thread", "text_dump_thread", "SRE comp check: senior SRE offer at a seed-stage startup", "reddit.com",
         "r/sre", "https://www.reddit.com/r/sre/comments/abc123/sre_comp_check/", hmac_hex(key, "oncall_olga"),
         date(2025, 5, 2), None),
        ("article", "article", "How to Become an MLOps Engineer in 2025", None, None, None,
         hmac_hex(key, "priya raman"), date(2025, 2, 10), None),
        ("guide", "guide", "Data Engineer Career Guide", None, None, None, None, None, "data_engineer"),
    }  # fmt: skip


DE, MLE, SRE, MLOPS = (
    "data_engineer",
    "machine_learning_engineer",
    "site_reliability_engineer",
    "mlops_engineer",
)
EXPECTED_COMPENSATION: dict[str, set[tuple]] = {
    MD_THREAD: {
        (0, "base", 142000.0, 142000.0, "USD", None, False, DE, None),
        (0, "equity", 30000.0, 40000.0, "USD", 4.0, False, DE, None),
        (1, "base", 165000.0, 165000.0, "USD", None, False, None, None),
        (1, "sign_on", 20000.0, 20000.0, "USD", None, False, None, None),
    },
    DUMP_THREAD: {
        (0, "base", 98000.0, 98000.0, None, None, False, SRE, None),
        (0, "equity", None, None, None, None, False, SRE, None),
        (1, "total", 180000.0, 220000.0, "USD", None, False, SRE, "senior"),
        (2, "base", 150000.0, 150000.0, "USD", None, False, None, None),
    },
    ARTICLE: {
        (0, "base", 120000.0, 140000.0, "USD", None, False, MLOPS, "entry"),
        (0, "total", 200000.0, 200000.0, "USD", None, True, MLOPS, "senior"),
        (0, "unspecified", 15000.0, 15000.0, "USD", None, False, MLOPS, None),
    },
    GUIDE: {
        (0, "total", 95000.0, 120000.0, "USD", None, False, DE, "entry"),
        (0, "total", 120000.0, 155000.0, "USD", None, False, DE, "mid"),
        (0, "total", 155000.0, 200000.0, "USD", None, False, DE, "senior"),
        (0, "total", 220000.0, 300000.0, "USD", None, True, DE, "principal"),
    },
}
EXPECTED_EXPERIENCE: dict[str, set[tuple]] = {
    MD_THREAD: {(0, 2.0, 2.0, False, None), (1, 3.0, 3.0, False, None), (2, 2.5, 2.5, False, None),
                (3, 4.0, 6.0, False, None)},
    DUMP_THREAD: {(0, 10.0, None, True, None), (2, 0.0, 2.0, False, None)},
    ARTICLE: {(0, 3.0, 5.0, False, None)},
    GUIDE: set(),
}  # fmt: skip
EXPECTED_TRANSITIONS: dict[str, set[tuple]] = {
    MD_THREAD: {
        (0, None, MLE, None, "mid", "question", 0.4),
        (1, DE, MLE, "mid", "mid", "first_person", 0.8),
    },
    DUMP_THREAD: {
        (0, None, SRE, None, "mid", "first_person", 0.5),
        (2, "systems_administrator", SRE, "mid", "mid", "first_person", 0.8),
        (3, "devops_engineer", SRE, "mid", "mid", "first_person", 0.6),
    },
    ARTICLE: {(0, "backend_engineer", MLOPS, "mid", "mid", "first_person", 0.8)},
    GUIDE: {
        (0, DE, DE, "mid", "senior", "guide_section", 0.9),  # "Senior Data Engineer": a promotion
        (0, DE, "data_architect", "mid", "mid", "guide_section", 0.9),
        (0, DE, "data_engineering_manager", "mid", "manager", "guide_section", 0.9),
        (0, DE, MLE, "mid", "mid", "guide_section", 0.8),
        (0, DE, "analytics_engineer", "mid", "mid", "guide_section", 0.8),
    },
}
EXPECTED_GUIDE_BANDS = {
    (DE, "all", None, None, False, None, None, None),
    (DE, "entry", 95000.0, 120000.0, False, "USD", "US", "total_compensation"),
    (DE, "mid", 120000.0, 155000.0, False, "USD", "US", "total_compensation"),
    (DE, "senior", 155000.0, 200000.0, False, "USD", "US", "total_compensation"),
    (DE, "principal", 220000.0, 300000.0, True, "USD", "US", "total_compensation"),
}
EXPECTED_GUIDE_LISTS = (
    ["sql", "python", "apache_spark", "apache_airflow", "dbt"],
    ["Netflix", "Spotify", "Shopify", "Databricks"],
    ["Technology", "Retail", "Media"],
    ["Learn SQL window functions", "Build a streaming pipeline that ships a dashboard",
     "Learn dimensional modelling for analytics"],
)  # fmt: skip
EXPECTED_ROLE_MENTIONS = {(0, DE, 2), (0, MLE, 1), (0, "data_scientist", 1), (1, DE, 1), (2, MLE, 1)}
EXPECTED_SKILL_MENTIONS = {
    (0, "apache_airflow", 1),
    (0, "apache_spark", 1),
    (0, "machine_learning", 2),  # "ML engineering" in the title, "machine learning engineering"
    (1, "feature_stores", 1),
    (1, "model_serving", 1),
    (1, "machine_learning", 2),
    (2, "pytorch", 1),
}
