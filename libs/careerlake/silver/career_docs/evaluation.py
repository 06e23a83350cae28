"""`careerlake eval career-docs`: precision and recall of the extractors on the labelled set.

data/eval/career_docs/docs/ holds the documents, labels.json what a reader expects from each:
compensation mentions (component, amount_min, amount_max), experience mentions (years_min,
years_max), transitions (from_role_id, to_role_id, from_level, to_level), and the roles and
skills mentioned. The
documents run through the same parse and extraction code as the silver job (nothing written).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.context import console
from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.career_docs.extract.compensation import compensation_mentions
from careerlake.silver.career_docs.extract.experience import experience_mentions
from careerlake.silver.career_docs.extract.roles import role_mentions, skill_mentions
from careerlake.silver.career_docs.extract.transitions import guide_transitions, statement_transitions
from careerlake.silver.career_docs.parse import parse_documents
from careerlake.silver.career_docs.transforms import (
    body_sentences,
    comments,
    documents,
    guide_sections,
    text_units,
)

EVAL_DIR = Path(__file__).resolve().parents[4] / "data" / "eval" / "career_docs"
_EVAL_KEY = "careerlake-evaluation"  # nothing leaves the process; the key only has to be fixed


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def score(expected: Iterable[Hashable], found: Iterable[Hashable]) -> Score:
    """Multiset comparison: each expected item matches at most one found item."""
    want, got = Counter(expected), Counter(found)
    tp = sum((want & got).values())
    return Score(tp, sum(got.values()) - tp, sum(want.values()) - tp)


def _rows(frame: DataFrame, *columns: str) -> list[tuple]:
    # Evaluation output of ~20 documents: small by construction, fine to bring to the driver.
    return [tuple(r) for r in frame.select("doc_id", *columns).collect()]


def extractions(spark: SparkSession, folder: Path) -> dict[str, list[tuple]]:
    """Run parse + extraction over the documents of `folder`; tuples keyed like the labels."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    bronze = rows_frame(
        spark,
        [(p.name, p.read_text(encoding="utf-8"), p.name, p.name) for p in files],
        "doc_id string, raw_text string, file_name string, content_hash string",
    )
    parsed = parse_documents(bronze).where(F.col("parse_error").isNull()).persist()
    docs = documents(parsed, bronze, _EVAL_KEY, datetime(2026, 1, 1))
    units = text_units(docs, comments(parsed, _EVAL_KEY))
    sents = body_sentences(units)
    sections = guide_sections(parsed, docs)
    transitions = statement_transitions(sents).unionByName(guide_transitions(sections))
    try:
        return {
            "compensation": _rows(compensation_mentions(sents), "component", "amount_min", "amount_max"),
            "experience": _rows(experience_mentions(sents), "years_min", "years_max"),
            "transitions": _rows(transitions, "from_role_id", "to_role_id", "from_level", "to_level"),
            "roles": _rows(role_mentions(units).select("doc_id", "role_id").distinct(), "role_id"),
            "skills": _rows(skill_mentions(units).select("doc_id", "skill_id").distinct(), "skill_id"),
        }
    finally:
        parsed.unpersist()


def expected(labels: dict) -> dict[str, list[tuple]]:
    fields = {
        "compensation": ("component", "amount_min", "amount_max"),
        "experience": ("years_min", "years_max"),
        "transitions": ("from_role_id", "to_role_id", "from_level", "to_level"),
    }
    out: dict[str, list[tuple]] = {name: [] for name in (*fields, "roles", "skills")}
    for doc_id, doc in labels["documents"].items():
        for name, keys in fields.items():
            out[name] += [(doc_id, *(item[k] for k in keys)) for item in doc[name]]
        out["roles"] += [(doc_id, r) for r in doc["roles"]]
        out["skills"] += [(doc_id, s) for s in doc["skills"]]
    return out


def evaluate(spark: SparkSession, root: Path = EVAL_DIR) -> dict[str, Score]:
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    want, got = expected(labels), extractions(spark, root / "docs")
    return {name: score(want[name], got[name]) for name in want}


def run_eval(spark: SparkSession) -> dict[str, Score]:
    scores = evaluate(spark)
    console.print(f"career-docs evaluation ({len(list((EVAL_DIR / 'docs').iterdir()))} documents)")
    console.print(f"{'extraction':14} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, s in scores.items():
        console.print(
            f"{name:14} {s.precision:9.2f} {s.recall:7.2f} {s.true_positives:4} "
            f"{s.false_positives:4} {s.false_negatives:4}"
        )
    return scores
