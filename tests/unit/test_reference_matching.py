"""Taxonomy matching: word boundaries, case rules and the classic traps, as Spark expressions."""

from collections import Counter

import pytest
from chispa import assert_df_equality
from pyspark.sql import SparkSession
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
    skills_taxonomy,
    tokenize,
)
from careerlake.registry.silver import ROLE_FAMILIES


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


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
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
    ],
)
def test_skill_traps(spark: SparkSession, name: str, text: str | None, expected: list[str]) -> None:
    df = spark.createDataFrame([(name, text)], "name string, text string")
    actual = with_matched_ids(df, "text", skills_taxonomy(), "skills").select("name", "skills")
    expected_df = spark.createDataFrame([(name, expected)], "name string, skills array<string>")
    assert_df_equality(actual, expected_df, ignore_nullable=True)


def test_counts_sum_every_alias_of_an_id(spark: SparkSession) -> None:
    df = spark.createDataFrame([("Python, python3 and PySpark",)], "text string")
    row = with_id_counts(df, "text", skills_taxonomy(), "counts").select("counts").first()
    assert row["counts"] == {"python": 2, "apache_spark": 1}


def test_longest_role_alias_wins(spark: SparkSession) -> None:
    df = spark.createDataFrame(
        [("Senior Machine Learning Platform Engineer",), ("SWE II",), ("Sr. Data Engineer",), ("Barista",)],
        "title string",
    )
    actual = with_best_match(df, "title", roles_taxonomy(), "role_id")
    expected = spark.createDataFrame(
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
    df = spark.createDataFrame(sorted(aliases.items()), "text string, expected string")
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
