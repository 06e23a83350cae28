"""`careerlake eval postings`: score the ingest parsers and silver normalizers on labelled postings.

Two labelled sets, scored per source format:
- `postings.jsonl`: bronze-like records written here (the mappers and normalizers only);
- `landing/`: landing files, real public payloads (recorded ATS responses, schema.org's
  JobPosting examples) and files shaped like them (API reference examples, search-engine
  JobPosting examples, the public LinkedIn dataset's layout), run through the format parsers
  too, so a posting quarantined on the way counts as not reaching silver.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from careerlake.ingest.records import classify, to_bronze
from careerlake.reference.taxonomy import reference_frame, skill_kinds
from careerlake.registry.bronze import POSTINGS as BRONZE
from careerlake.registry.reference import FX_RATES
from careerlake.runtime.context import console
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.platform import BINARY_FILE_SCHEMA
from careerlake.silver.postings.transform import normalize_records, split_rejected, with_rejection_reason
from careerlake.sources.postings import FORMATS

EVAL_DIR = Path(__file__).resolve().parents[4] / "data" / "eval" / "postings"
EVAL_FILE = EVAL_DIR / "postings.jsonl"
LANDING_DIR = EVAL_DIR / "landing"
SCALAR_FIELDS = ("role_id", "role_family", "seniority", "work_model", "country")
RESULT_COLUMNS = (*SCALAR_FIELDS, "salary_min_annual", "salary_max_annual", "salary_currency", "skills")
# An annual range counts as right when both ends are within 1% and the currency matches.
SALARY_TOLERANCE = 0.01
INGESTED = datetime(2026, 10, 1)
MEASURES = (
    "reached_silver",
    "role_id_accuracy",
    "role_family_accuracy",
    "seniority_accuracy",
    "salary_accuracy",
    "work_model_accuracy",
    "country_accuracy",
    "skills_precision",
    "skills_recall",
)


def load_examples(path: Path = EVAL_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= SALARY_TOLERANCE * max(abs(want), 1.0)


def _tools(skill_ids: list[str]) -> set[str]:
    """The skills scored: named tools, languages and platforms (kind `tool`). Concepts
    (observability, CI/CD) and soft skills are left out; an id the taxonomy lacks stays in, so a
    label naming no known skill still counts as missed."""
    kinds = skill_kinds()
    return {s for s in skill_ids if kinds.get(s, "tool") == "tool"}


@dataclass
class Tally:
    """Counts behind the measures of one source format (or of all)."""

    examples: int = 0
    reached: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*SCALAR_FIELDS, "salary"), 0))
    true_pos: int = 0
    predicted: int = 0
    relevant: int = 0

    def add(self, want: dict, row: dict | None) -> None:
        self.examples += 1
        self.relevant += len(_tools(want["skills"]))
        if row is None:
            return
        self.reached += 1
        for name in SCALAR_FIELDS:
            self.correct[name] += row[name] == want[name]
        self.correct["salary"] += (
            row["salary_currency"] == want["salary_currency"]
            and _close(row["salary_min_annual"], want["salary_min_annual"])
            and _close(row["salary_max_annual"], want["salary_max_annual"])
        )
        found, expected = _tools(row["skills"] or []), _tools(want["skills"])
        self.true_pos += len(found & expected)
        self.predicted += len(found)

    def scores(self) -> dict[str, float]:
        # A posting that never reaches silver counts as wrong on every field.
        scores = {"reached_silver": self.reached / self.examples}
        scores |= {f"{name}_accuracy": self.correct[name] / self.examples for name in self.correct}
        scores["skills_precision"] = self.true_pos / self.predicted if self.predicted else 0.0
        scores["skills_recall"] = self.true_pos / self.relevant if self.relevant else 0.0
        scores["examples"] = float(self.examples)
        return scores


def _results(spark: SparkSession, bronze: DataFrame) -> dict[str, dict]:
    """Normalized fields by record_id of the records silver would not quarantine; the labelled
    sets are small, so collecting them is intended."""
    mappable, _ = split_rejected(with_rejection_reason(bronze))
    records = normalize_records(mappable, reference_frame(spark, FX_RATES)).select(
        "record_id", *RESULT_COLUMNS
    )
    return {r["record_id"]: r.asDict() for r in records.collect()}


def _score(labelled: list[tuple[str, dict, dict | None]]) -> dict[str, dict[str, float]]:
    """Measures per source format and for all (`labelled`: format, expected, result or None)."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for source_format, want, row in labelled:
        tallies[source_format].add(want, row)
        tallies["all"].add(want, row)
    return {name: tally.scores() for name, tally in sorted(tallies.items())}


def evaluate(spark: SparkSession, path: Path = EVAL_FILE) -> dict[str, dict[str, float]]:
    """Measures of the mappers and normalizers on bronze-like labelled records, per format."""
    examples = load_examples(path)
    rows = [
        (f"eval-{i}", e["source_format"], e["board"], e["source_posting_id"], json.dumps(e["raw_record"]),
         f"eval-{i}", str(path), str(i), None, INGESTED, "eval")
        for i, e in enumerate(examples)
    ]  # fmt: skip
    got = _results(spark, rows_frame(spark, rows, BRONZE.schema))
    return _score([(e["source_format"], e["expected"], got.get(f"eval-{i}")) for i, e in enumerate(examples)])


def evaluate_landing(spark: SparkSession, folder: Path = LANDING_DIR) -> dict[str, dict[str, float]]:
    """Measures of parsers, mappers and normalizers on labelled landing files, per format.

    `folder/labels.jsonl` names each labelled posting by format, file and record_ref.
    """
    labels = load_examples(folder / "labels.jsonl")
    bronze = []
    for name, fmt in FORMATS.items():
        paths = (
            sorted(p for p in (folder / name).glob("*") if p.is_file()) if (folder / name).is_dir() else []
        )
        if not paths:
            continue
        files = rows_frame(
            spark,
            [(f"file:{p}", INGESTED, p.stat().st_size, bytearray(p.read_bytes())) for p in paths],
            BINARY_FILE_SCHEMA,
        )
        bronze.append(to_bronze(classify(fmt.parse(files)), name, "eval", INGESTED))
    frame = bronze[0]
    for other in bronze[1:]:
        frame = frame.unionByName(other)
    refs = {
        (r["source_format"], r["source_file"].rsplit("/", 1)[-1], r["record_ref"]): r["record_id"]
        for r in frame.select("source_format", "source_file", "record_ref", "record_id").collect()
    }
    got = _results(spark, frame)
    labelled = []
    for label in labels:
        record_id = refs.get((label["source_format"], label["file"], label["record_ref"]))
        labelled.append((label["source_format"], label["expected"], got.get(record_id or "")))
    return _score(labelled)


# Column headings of the printed table, one per measure.
HEADINGS = (
    "silver",
    "role",
    "family",
    "seniority",
    "salary",
    "work model",
    "country",
    "skills P",
    "skills R",
)


def _print(title: str, scores: dict[str, dict[str, float]]) -> None:
    console.print(title)
    console.print(f"  {'format':13}{'n':>3} " + "".join(f"{h:>11}" for h in HEADINGS))
    for name, values in scores.items():
        cells = "".join(f"{values[m]:11.1%}" for m in MEASURES)
        console.print(f"  {name:13}{int(values['examples']):>3} {cells}")


def run_eval(spark: SparkSession) -> dict[str, dict[str, dict[str, float]]]:
    results = {"written_here": evaluate(spark), "real_shapes": evaluate_landing(spark)}
    _print(f"postings evaluation: labelled records written here ({EVAL_FILE.name})", results["written_here"])
    _print(
        f"postings evaluation: landing files, real payloads and their shapes ({LANDING_DIR.name}/)",
        results["real_shapes"],
    )
    return results
