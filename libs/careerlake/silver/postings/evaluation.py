"""`careerlake eval postings`: run the silver normalization on the labelled set and score it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.reference.taxonomy import reference_frame
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.reference import FX_RATES
from careerlake.runtime.context import console
from careerlake.silver.postings.transform import normalize_records

EVAL_FILE = Path(__file__).resolve().parents[4] / "data" / "eval" / "postings" / "postings.jsonl"
SCALAR_FIELDS = ("role_id", "seniority", "work_model", "country")
# An annual range counts as right when both ends are within 1% and the currency matches.
SALARY_TOLERANCE = 0.01


def load_examples(path: Path = EVAL_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= SALARY_TOLERANCE * max(abs(want), 1.0)


def evaluate(spark: SparkSession, path: Path = EVAL_FILE) -> dict[str, float]:
    """Accuracy per field and skill precision/recall of the normalizers on the labelled set."""
    examples = load_examples(path)
    ingested = datetime(2026, 10, 1)
    rows = [
        (f"eval-{i}", e["source_format"], e["board"], e["source_posting_id"], json.dumps(e["raw_record"]),
         f"eval-{i}", str(path), str(i), None, ingested, "eval")
        for i, e in enumerate(examples)
    ]  # fmt: skip
    bronze = spark.createDataFrame(rows, BRONZE.schema)
    records = normalize_records(bronze, reference_frame(spark, FX_RATES)).select(
        "record_id", *SCALAR_FIELDS, "salary_min_annual", "salary_max_annual", "salary_currency", "skills"
    )
    # The labelled set is 60-odd rows: collecting its results to score them is intended.
    got = {r["record_id"]: r.asDict() for r in records.orderBy(F.col("record_id")).collect()}
    correct = dict.fromkeys((*SCALAR_FIELDS, "salary"), 0)
    true_pos = predicted = relevant = 0
    for i, example in enumerate(examples):
        want, row = example["expected"], got.get(f"eval-{i}", {})
        for field in SCALAR_FIELDS:
            correct[field] += row.get(field) == want[field]
        correct["salary"] += (
            row.get("salary_currency") == want["salary_currency"]
            and _close(row.get("salary_min_annual"), want["salary_min_annual"])
            and _close(row.get("salary_max_annual"), want["salary_max_annual"])
        )
        found, expected = set(row.get("skills") or []), set(want["skills"])
        true_pos, predicted, relevant = (
            true_pos + len(found & expected),
            predicted + len(found),
            relevant + len(expected),
        )
    total = len(examples)
    scores = {f"{field}_accuracy": correct[field] / total for field in correct}
    scores["skills_precision"] = true_pos / predicted if predicted else 0.0
    scores["skills_recall"] = true_pos / relevant if relevant else 0.0
    scores["examples"] = float(total)
    return scores


def run_eval(spark: SparkSession) -> dict[str, float]:
    scores = evaluate(spark)
    console.print(f"postings evaluation on {int(scores['examples'])} labelled postings ({EVAL_FILE.name})")
    for name, value in scores.items():
        if name != "examples":
            console.print(f"  {name:22} {value:6.1%}")
    return scores
