"""Taxonomy matching: word boundaries, case rules and the classic traps, as Spark expressions."""

from collections import Counter

import pytest
from chispa import assert_df_equality
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.reference.matching import (
    alias_bucket,
    with_best_match,
    with_id_counts,
    with_matched_ids,
)
from careerlake.reference.taxonomy import (
    Taxonomy,
    read_csv,
    role_families,
    roles_taxonomy,
    skill_kinds,
    skill_rows,
    skills_taxonomy,
    tokenize,
)
from careerlake.registry.reference import SKILL_KINDS
from careerlake.registry.silver import ROLE_FAMILIES
from careerlake.runtime.local_rows import rows_frame


def test_python_tokenizer_keeps_symbols_inside_tokens() -> None:
    assert tokenize("CI/CD, Node.js. C++ & C# (R&D) go-live!") == [
        "CI",
        "CD",
        "Node.js",
        "C++",
        "&",
        "C#",
        "R&D",
        "go-live",
    ]


SKILL_TRAPS: list[tuple[str, str | None, list[str]]] = [
    (
        "aliases map to canonical ids",
        "PySpark and k8s on GCP",
        ["apache_spark", "google_cloud", "kubernetes"],
    ),
    ("go-live and 'on the go' are not Go", "Go-live soon, always on the go", []),
    ("Go the language is found in its case", "Backend services in Go and Python", ["go", "python"]),
    ("R&D is not R", "Our R&D team ships weekly", []),
    ("R is found alone", "Modelling in R or Python", ["python", "r"]),
    ("excellent is not Excel", "excellent communication, we excel", ["communication"]),
    ("symbols inside tokens", "C++, C#, Node.js and CI/CD", ["ci_cd", "cpp", "csharp", "nodejs"]),
    ("null text", None, []),
]
# C, R and Go are found next to another skill or a language word, not in ordinary text.
SHORT_NAMES: list[tuple[str, list[str]]] = [
    ("C/C++ and Rust", ["c", "cpp", "rust"]),
    ("Python, R, SQL", ["python", "r", "sql"]),
    ("services written in Go", ["go"]),
    ("Go developer, F# a plus", ["fsharp", "go"]),
    ("C programming on embedded targets", ["c"]),
    ("Go or Java", ["go", "java"]),
    ("R", ["r"]),
    ("Backend Engineer (Go)", ["go"]),
    ("R&D budget, plan C", []),
    ("Report to a C-level sponsor", []),
    ("Go to market with the sales team", []),
    ("Series C startup. Go big", []),
    ("Tools: Slack, Zoom; slack time is not Slack", ["slack", "zoom"]),
    ("Microsoft Word and Access; a word of access", ["microsoft_word"]),
]


@pytest.fixture(scope="module")
def matched_skills(spark: SparkSession) -> DataFrame:
    """Every text of SKILL_TRAPS and SHORT_NAMES matched in one query, by its case name: the
    matcher's plan costs about a second to plan and generate code for, each case only a filter."""
    cases = [(name, text) for name, text, _ in SKILL_TRAPS] + [(text, text) for text, _ in SHORT_NAMES]
    frame = rows_frame(spark, cases, "case string, text string")
    return with_matched_ids(frame, "text", skills_taxonomy(), "skills").localCheckpoint()


@pytest.mark.parametrize(("name", "text", "expected"), SKILL_TRAPS)
def test_skill_traps(matched_skills: DataFrame, name: str, text: str | None, expected: list[str]) -> None:
    actual = matched_skills.where(F.col("case") == name).select(F.col("case").alias("name"), "text", "skills")
    expected_df = rows_frame(
        matched_skills.sparkSession,
        [(name, text, expected)],
        "name string, text string, skills array<string>",
    )
    assert_df_equality(actual, expected_df, ignore_nullable=True)


@pytest.mark.parametrize(("text", "expected"), SHORT_NAMES)
def test_short_names_count_only_as_names(matched_skills: DataFrame, text: str, expected: list[str]) -> None:
    actual = matched_skills.where(F.col("case") == text).select("text", "skills")
    assert_df_equality(
        actual,
        rows_frame(matched_skills.sparkSession, [(text, expected)], "text string, skills array<string>"),
        ignore_nullable=True,
    )


def test_every_skill_has_a_kind_and_unique_names() -> None:
    rows = skill_rows()
    assert set(skill_kinds().values()) == set(SKILL_KINDS)
    assert len({r["skill_id"] for r in rows}) == len(rows)
    assert {skill_kinds()[i] for i in ("kubernetes", "c", "go", "snowflake", "zoom")} == {"tool"}
    assert {skill_kinds()[i] for i in ("observability", "data_pipelines", "ci_cd", "machine_learning")} == {
        "concept"
    }
    assert {skill_kinds()[i] for i in ("communication", "leadership")} == {"soft"}
    # No name belongs to two skills, compared case-insensitively (hand-kept and generated rows alike).
    owners: dict[str, set[str]] = {}
    for r in rows:
        for alias in (*r["aliases"].split("|"), *r["context_aliases"].split("|")):
            owners.setdefault(" ".join(tokenize(alias)).lower(), set()).add(r["skill_id"])
    assert {name: ids for name, ids in owners.items() if name and len(ids) > 1} == {}


def test_counts_sum_every_alias_of_an_id(spark: SparkSession) -> None:
    df = rows_frame(spark, [("Python, python3 and PySpark",)], "text string")
    row = with_id_counts(df, "text", skills_taxonomy(), "counts").select("counts").first()
    assert row["counts"] == {"python": 2, "apache_spark": 1}


def test_aliases_of_several_tokens_are_found_wherever_they_begin(spark: SparkSession) -> None:
    """N-grams are built only where an alias of two or more tokens begins: at the start, in the
    middle, overlapping, at the end, each occurrence; a text shorter than an alias finds nothing."""
    text = "Machine learning on Google Cloud Run; more machine learning, then GitHub Actions"
    df = rows_frame(spark, [(1, text), (2, "machine"), (3, ""), (4, None)], "case int, text string")
    rows = with_id_counts(df, "text", skills_taxonomy(), "counts").select("case", "counts").collect()
    assert [(r["case"], r["counts"]) for r in rows] == [
        (
            1,
            {
                "github": 1,
                "google_cloud_run": 2,  # "google cloud run" and "cloud run"
                "machine_learning": 2,
                "google_cloud": 1,
                "github_actions": 1,
            },
        ),
        (2, {}),
        (3, {}),
        (4, {}),
    ]


def test_longest_role_alias_wins(spark: SparkSession) -> None:
    df = rows_frame(
        spark,
        [("Senior Machine Learning Platform Engineer",), ("SWE II",), ("Sr. Data Engineer",), ("Barista",)],
        "title string",
    )
    actual = with_best_match(df, "title", roles_taxonomy(), "role_id")
    expected = rows_frame(
        spark,
        [
            ("Senior Machine Learning Platform Engineer", "mlops_engineer"),
            ("SWE II", "software_engineer"),
            ("Sr. Data Engineer", "data_engineer"),
            ("Barista", None),
        ],
        "title string, role_id string",
    )
    assert_df_equality(actual, expected, ignore_nullable=True)


@pytest.mark.parametrize("taxonomy", [skills_taxonomy(), roles_taxonomy()], ids=["skills", "roles"])
def test_every_alias_finds_its_own_id(spark: SparkSession, taxonomy: Taxonomy) -> None:
    """Each alias, alone as the text, is found and looked up in its bucket (Python and Spark agree)."""
    aliases = {**taxonomy.folded, **taxonomy.exact}
    # A context alias (C, R, Go) is a name only next to another skill.
    aliases |= {f"{alias} and Python": term_id for alias, term_id in taxonomy.context.items()}
    df = rows_frame(spark, sorted(aliases.items()), "text string, expected string")
    ids = with_matched_ids(df, "text", taxonomy, "ids")
    missed = ids.where(~F.array_contains("ids", F.col("expected"))).select("text", "ids").limit(5).collect()
    assert missed == []
    # A lookup scans one bucket: it stays small as long as the buckets spread the aliases.
    assert max(Counter(alias_bucket(a) for a in aliases).values()) <= 32


def test_role_families_are_the_soc_major_groups_everywhere() -> None:
    families = {r["role_family"]: r["soc_major_group"] for r in read_csv("occupation_families.csv")}
    assert tuple(families) == ROLE_FAMILIES
    assert len(set(families.values())) == 23
    assert set(role_families().values()) <= set(ROLE_FAMILIES)
    assert {r["onet_soc_code"][:2] + "-0000" for r in read_csv("occupations.csv")} <= set(families.values())
