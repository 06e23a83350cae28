"""What the gold tests start from: silver rows written by hand (every expected gold figure is
computed by hand from `silver_rows()`), a config of the test module's own schemas, copies of
tables to change, and the gold job's context as the entry point builds it."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS
from careerlake.quality.gate import check_batch
from careerlake.registry import get_table
from careerlake.runtime.config import Config, Paths, Schemas
from careerlake.runtime.context import JobContext, RunReport
from careerlake.runtime.delta import ensure_table
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.session import local_schema_folder
from support.table_folders import register_tables

T0 = datetime(2026, 11, 1, 0, 0)


def _defaults(table_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Fill the columns a test does not care about: [] for arrays, False, T0, '' for NOT NULL."""
    filled: dict[str, Any] = {}
    for column in get_table(table_id).columns:
        if column.name in values:
            filled[column.name] = values[column.name]
        elif column.type.startswith("array"):
            filled[column.name] = []
        elif column.nullable:
            filled[column.name] = None
        else:
            filled[column.name] = {"boolean": False, "timestamp": T0, "int": 0, "double": 0.0}.get(
                column.type, ""
            )
    return filled


def posting(
    pid: str,
    role: str | None,
    seniority: str | None,
    country: str,
    work_model: str,
    salary: float | None,
    skills: list[str],
    posted: date,
    flags: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "posting_id": pid,
        "title": f"title {pid}",
        "role_id": role,
        "seniority": seniority,
        "country": country,
        "work_model": work_model,
        "salary_mid_annual_usd": salary,
        "salary_flags": list(flags),
        "skills": skills,
        "posted_at": datetime(posted.year, posted.month, posted.day),
    }


def silver_rows() -> dict[str, list[dict[str, Any]]]:
    de, mlops, mle = "data_engineer", "mlops_engineer", "machine_learning_engineer"
    return {
        "silver.postings": [
            posting(
                "p1",
                de,
                "senior",
                "US",
                "remote",
                100000.0,
                ["python", "apache_spark", "sql"],
                date(2026, 8, 5),
            ),
            posting("p2", de, "senior", "US", "remote", 120000.0, ["python", "sql"], date(2026, 9, 10)),
            posting(
                "p3",
                de,
                "senior",
                "US",
                "onsite",
                140000.0,
                ["python", "apache_spark", "dbt"],
                date(2026, 9, 15),
            ),
            posting("p4", de, "mid", "US", "remote", 90000.0, ["sql"], date(2026, 10, 1)),
            posting(
                "p5", de, "senior", "DE", "hybrid", 80000.0, ["python", "apache_spark"], date(2026, 10, 3)
            ),
            posting("p6", de, None, "US", "remote", None, ["python", "dbt"], date(2026, 10, 20)),
            posting(
                "p7", mlops, "senior", "US", "remote", 150000.0, ["kubernetes", "python"], date(2026, 9, 1)
            ),
            posting(
                "p8", mlops, "senior", "US", "remote", 170000.0, ["kubernetes", "mlflow"], date(2026, 10, 1)
            ),
            posting(
                "p9", mlops, "mid", "US", "remote", 999999.0, ["python"], date(2026, 10, 2), ("min_gt_max",)
            ),
            posting("p10", mle, "senior", "US", "remote", 160000.0, ["python", "pytorch"], date(2026, 10, 5)),
            posting("p11", mle, "senior", "US", "onsite", 180000.0, ["python"], date(2026, 10, 6)),
            posting("p12", mle, "mid", "US", "remote", 140000.0, ["python", "pytorch"], date(2026, 10, 7)),
            posting("p13", None, "senior", "US", "remote", 500000.0, ["python"], date(2026, 10, 8)),
        ],
        # No closures here: gold.posting_lifecycle's figures are checked in test_closures.
        "silver.postings_history": [],
        "silver.career_documents": [
            {"doc_id": "t1", "doc_type": "thread", "body_text": "..."},
            {"doc_id": "a1", "doc_type": "article", "body_text": "..."},
            {"doc_id": "guide-de", "doc_type": "guide", "body_text": "...", "role_id": de},
            {"doc_id": "guide-de-eu", "doc_type": "guide", "body_text": "...", "role_id": de},
            {"doc_id": "guide-mlops", "doc_type": "guide", "body_text": "...", "role_id": mlops},
        ],
        "silver.role_guides": [
            {
                "doc_id": "guide-de",
                "role_id": de,
                "level": "senior",
                "salary_min": 90000.0,
                "salary_max": 150000.0,
                "salary_currency": "USD",
                "salary_country": "US",
            },
            {
                "doc_id": "guide-de",
                "role_id": de,
                "level": "all",
                "top_skills": ["python", "sql", "apache_spark"],
                "skill_gaps": ["dbt", "apache_spark"],
            },
            {
                "doc_id": "guide-de-eu",
                "role_id": de,
                "level": "senior",
                "salary_min": 60000.0,
                "salary_max": 90000.0,
                "salary_currency": "EUR",
                "salary_country": "DE",
            },
            {
                "doc_id": "guide-mlops",
                "role_id": mlops,
                "level": "all",
                "top_skills": ["kubernetes", "python", "mlflow"],
                "skill_gaps": ["kubernetes"],
            },
        ],
        "silver.compensation_mentions": [
            {
                "mention_id": "c1",
                "doc_id": "t1",
                "component": "base",
                "amount_min": 130000.0,
                "amount_max": 130000.0,
                "currency": "USD",
                "period": "year",
                "role_id": de,
                "seniority": "senior",
            },
            {
                "mention_id": "c2",
                "doc_id": "t1",
                "component": "total",
                "amount_min": 10000.0,
                "amount_max": 12000.0,
                "currency": "USD",
                "period": "month",
                "role_id": de,
                "seniority": "senior",
            },
            {
                "mention_id": "c3",
                "doc_id": "a1",
                "component": "base",
                "amount_min": 100000.0,
                "amount_max": 100000.0,
                "currency": "EUR",
                "period": "year",
                "role_id": de,
            },
            {
                "mention_id": "c4",
                "doc_id": "t1",
                "component": "equity",
                "amount_min": 200000.0,
                "amount_max": 200000.0,
                "currency": "USD",
                "period": "year",
                "role_id": de,
                "seniority": "senior",
            },
            {
                "mention_id": "c5",
                "doc_id": "guide-de",
                "component": "base",
                "amount_min": 95000.0,
                "amount_max": 95000.0,
                "currency": "USD",
                "period": "year",
                "role_id": de,
                "seniority": "senior",
            },
        ],
        "silver.skill_mentions": [
            {"doc_id": "t1", "comment_position": 0, "skill_id": "python", "mention_count": 2},
            {"doc_id": "t1", "comment_position": 1, "skill_id": "python", "mention_count": 1},
            {"doc_id": "a1", "comment_position": 0, "skill_id": "python", "mention_count": 1},
            {"doc_id": "a1", "comment_position": 0, "skill_id": "apache_spark", "mention_count": 1},
            {"doc_id": "guide-de", "comment_position": 0, "skill_id": "dbt", "mention_count": 3},
        ],
        "silver.career_transitions": [
            transition("t-1", "t1", de, mlops, "thread", 0.8),
            transition("t-2", "guide-de", de, mlops, "guide", 1.0),
            transition("t-3", "a1", de, "analytics_engineer", "article", 0.6),
            transition("t-4", "t1", de, mle, "thread", 0.4),
            transition("t-5", "t1", mlops, mle, "thread", 0.9),
            transition("t-6", "guide-mlops", mlops, "ai_infrastructure_engineer", "guide", 0.5),
            transition("t-7", "t1", None, de, "thread", 0.7),
        ],
        "reference.roles": [
            {"role_id": r, "role_name": r.replace("_", " ").title(), "family": "data"}
            for r in (
                de,
                mlops,
                mle,
                "analytics_engineer",
                "data_engineering_manager",
                "ml_engineering_manager",
                "head_of_data",
                "ai_infrastructure_engineer",
            )
        ],
        "reference.fx_rates": [
            {"currency": "USD", "rate_date": date(2026, 10, 1), "usd_per_unit": 1.0},
            {"currency": "EUR", "rate_date": date(2026, 9, 1), "usd_per_unit": 1.05},
            {"currency": "EUR", "rate_date": date(2026, 10, 1), "usd_per_unit": 1.10},
        ],
    }


def transition(
    tid: str, doc: str, src: str | None, dst: str, source_type: str, confidence: float
) -> dict[str, Any]:
    return {
        "transition_id": tid,
        "doc_id": doc,
        "comment_position": 0,
        "from_role_id": src,
        "to_role_id": dst,
        "source_type": source_type,
        "evidence_kind": "first_person",
        "confidence": confidence,
        "sentence": "...",
    }


def write_silver(spark: SparkSession, config: Config, rows: dict[str, list[dict[str, Any]]]) -> None:
    for table_id, values in rows.items():
        table = get_table(table_id)
        filled = [_defaults(table_id, v) for v in values]
        data = [tuple(row[c] for c in table.column_names) for row in filled]
        rows_frame(spark, data, table.schema).writeTo(ensure_table(spark, config, table)).append()


def config_of_its_own(base_config: Config, folder: Path, prefix: str) -> Config:
    """`base_config` with schemas (`<prefix><random>_<layer>`), landing, checkpoints and Data Docs
    of its own, on the session's metastore."""
    suffix = uuid.uuid4().hex[:8]
    return base_config.model_copy(
        update={
            "schemas": Schemas(**{layer: f"{prefix}{suffix}_{layer}" for layer in Schemas.model_fields}),
            "paths": Paths(
                landing=str(folder / "landing"),
                lakehouse=base_config.lakehouse,
                checkpoints=str(folder / "checkpoints"),
                data_docs=str(folder / "data_docs"),
            ),
        }
    )


def copy_tables(spark: SparkSession, source: Config, target: Config, folder: Path) -> Config:
    """Every table of `source`'s schemas copied, files and Delta log, into `target`'s schemas
    (located under `folder`): the same rows, versions and change feed, to change freely."""
    folders = {layer: folder / f"{target.schema_for(layer)}.db" for layer in Schemas.model_fields}
    for layer, location in folders.items():
        origin = local_schema_folder(source, layer)
        if origin.is_dir():
            shutil.copytree(origin, location)
    register_tables(spark, target, folders)
    return target


def gold_context(
    spark: SparkSession, config: Config, changed_inputs: dict[str, tuple[int, int]] | None = None
) -> JobContext:
    """The gold job's context; `changed_inputs` as the entry point finds them since its last success."""
    run_id = f"test-{uuid.uuid4().hex[:8]}"
    return JobContext(
        spark,
        config,
        "gold",
        run_id,
        date(2026, 11, 1),
        RunReport(run_id),
        check_batch,
        reads=JOBS["gold"].reads,
        changed_inputs=changed_inputs,
    )
