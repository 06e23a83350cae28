"""Inline silver rows in the exact registry schemas, shared by the feature tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from careerlake.registry import silver
from careerlake.runtime.local_rows import rows_frame

SEEN = datetime(2026, 1, 1)


def posting(posting_id: str, posted_at: datetime | None, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(silver.POSTINGS.column_names)
    row.update(
        posting_id=posting_id,
        posted_at=posted_at,
        title="Software Engineer",
        salary_flags=[],
        skills=[],
        source_formats=["greenhouse"],
        source_record_ids=[f"r-{posting_id}"],
        attributes_hash=f"h-{posting_id}",
        first_seen_at=SEEN,
        last_seen_at=SEEN,
        updated_at=SEEN,
        is_closed=False,
    )
    row.update(values)
    return row


def postings_df(spark: SparkSession, rows: list[dict[str, Any]]) -> DataFrame:
    schema = silver.POSTINGS.schema
    return rows_frame(spark, [tuple(r[c] for c in schema.fieldNames()) for r in rows], schema)


def transition(doc_id: str, n: int, from_role: str | None, to_role: str, source_type: str) -> dict[str, Any]:
    return {
        "transition_id": f"{doc_id}-{n}",
        "doc_id": doc_id,
        "comment_position": n,
        "from_role_id": from_role,
        "to_role_id": to_role,
        "from_level": "mid" if from_role else None,
        "to_level": "mid",
        "source_type": source_type,
        "evidence_kind": "guide_section" if source_type == "guide" else "first_person",
        "confidence": 0.9,
        "sentence": f"{from_role} to {to_role}",
    }


def transitions_df(spark: SparkSession, rows: list[dict[str, Any]]) -> DataFrame:
    schema = silver.CAREER_TRANSITIONS.schema
    return rows_frame(spark, [tuple(r[c] for c in schema.fieldNames()) for r in rows], schema)
