"""The postings evaluation's scoring (no Spark) and its labelled landing set."""

from __future__ import annotations

import json

import pytest
from pyspark.sql import SparkSession

from careerlake.reference.taxonomy import read_csv
from careerlake.silver.postings.evaluation import LANDING_DIR, _score, evaluate_landing

WANT = {
    "role_id": "data_engineer",
    "role_family": "computer_mathematical",
    "seniority": "senior",
    "salary_min_annual": 100000,
    "salary_max_annual": 120000,
    "salary_currency": "USD",
    "work_model": "remote",
    "country": "US",
    "skills": ["python", "sql"],
}


def test_a_posting_that_never_reaches_silver_counts_wrong_everywhere() -> None:
    right = {**WANT, "salary_min_annual": 100500.0, "skills": ["python", "apache_spark"]}
    scores = _score(
        [("lever", WANT, right), ("lever", WANT, None), ("jsonld", WANT, {**right, "country": "CA"})]
    )
    assert scores["lever"] == {
        "reached_silver": 0.5,
        "role_id_accuracy": 0.5,
        "role_family_accuracy": 0.5,
        "seniority_accuracy": 0.5,
        "work_model_accuracy": 0.5,
        "country_accuracy": 0.5,
        "salary_accuracy": 0.5,
        "skills_precision": 0.5,
        "skills_recall": 0.25,
        "examples": 2.0,
    }
    assert (scores["all"]["examples"], scores["all"]["country_accuracy"]) == (3.0, 1 / 3)


def test_skills_are_scored_on_named_tools_only() -> None:
    want = {**WANT, "skills": ["python", "observability", "communication"]}
    got = {**WANT, "skills": ["python", "ci_cd", "data_pipelines", "kubernetes"]}
    scores = _score([("lever", want, got)])["lever"]
    assert (scores["skills_precision"], scores["skills_recall"]) == (0.5, 1.0)


def test_every_label_names_a_landing_file_and_its_source() -> None:
    labels = [json.loads(line) for line in (LANDING_DIR / "labels.jsonl").read_text().splitlines()]
    assert all((LANDING_DIR / label["source_format"] / label["file"]).is_file() for label in labels)
    assert all(label["source"] for label in labels)
    families = {row["role_family"] for row in read_csv("occupation_families.csv")}
    assert {label["expected"]["role_family"] for label in labels} - {None} <= families
    assert {label["source_format"] for label in labels} == {
        "greenhouse",
        "lever",
        "ashby",
        "jsonld",
        "linkedin_csv",
    }


@pytest.mark.slow
def test_every_labelled_real_shaped_posting_reaches_silver(spark: SparkSession) -> None:
    scores = evaluate_landing(spark)
    assert {name: values["reached_silver"] for name, values in scores.items()} == dict.fromkeys(
        ("all", "ashby", "greenhouse", "jsonld", "lever", "linkedin_csv"), 1.0
    )
