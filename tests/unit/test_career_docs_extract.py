"""Sentence-level extractors (Spark expressions): money, experience, transitions, guide rows."""

from __future__ import annotations

import os
import sys

from chispa import assert_df_equality
from pyspark.sql import DataFrame, SparkSession

from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.career_docs.extract.compensation import compensation_mentions
from careerlake.silver.career_docs.extract.experience import experience_mentions
from careerlake.silver.career_docs.extract.guides import role_guides
from careerlake.silver.career_docs.extract.transitions import guide_transitions, statement_transitions
from careerlake.silver.career_docs.parse import split_guide_sections

# The guide parser is a pandas UDF: Spark's Python workers must be this interpreter.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

SENTENCE_SCHEMA = "doc_id string, comment_position int, sentence_index int, sentence string, doc_role_id string, doc_type string"


def _sentences(spark: SparkSession, *sentences: str, doc_type: str = "thread") -> DataFrame:
    return rows_frame(
        spark, [("d", 0, i, s, None, doc_type) for i, s in enumerate(sentences)], SENTENCE_SCHEMA
    )


def test_compensation_mentions_tricky_cases(spark: SparkSession) -> None:
    sentences = _sentences(
        spark,
        "$142k base + $30k~$40k RSUs over 4 years.",  # k-suffix range with ~, vesting
        "98k base and some options.",  # equity without an amount
        "I'm 31, from a top 5 program, 2 YoE, in a team of 12.",  # numbers that are not money
        "Principal Level US (approx.): $250k–$350k+ total compensation",  # en dash, open bound
        "My base went from 80k to 115k.",  # from ... to: two amounts, not a range
        "Senior data engineers earn 130-170k or €1.2M, and the 401k match is fine.",
    )
    result = compensation_mentions(sentences).drop("mention_id", "doc_id", "comment_position")
    columns = "component string, amount_min double, amount_max double, currency string, period string, "
    columns += "vesting_years double, open_ended boolean, role_id string, seniority string, sentence string"
    s = [row.sentence for row in sentences.orderBy("sentence_index").collect()]
    expected = rows_frame(
        spark,
        [
            ("base", 142000.0, 142000.0, "USD", "year", None, False, None, None, s[0]),
            ("equity", 30000.0, 40000.0, "USD", "year", 4.0, False, None, None, s[0]),
            ("base", 98000.0, 98000.0, None, "year", None, False, None, None, s[1]),
            ("equity", None, None, None, None, None, False, None, None, s[1]),
            ("total", 250000.0, 350000.0, "USD", "year", None, True, None, "principal", s[3]),
            ("base", 80000.0, 80000.0, None, "year", None, False, None, None, s[4]),
            ("base", 115000.0, 115000.0, None, "year", None, False, None, None, s[4]),
            ("unspecified", 130000.0, 170000.0, None, "year", None, False, "data_engineer", "senior", s[5]),
            (
                "unspecified",
                1200000.0,
                1200000.0,
                "EUR",
                "year",
                None,
                False,
                "data_engineer",
                "senior",
                s[5],
            ),
        ],
        columns,
    )
    assert_df_equality(result, expected, ignore_row_order=True, ignore_nullable=True)


def test_experience_mentions_with_stages(spark: SparkSession) -> None:
    sentences = _sentences(
        spark,
        "I have 2 YoE and 2.5 years of experience with Spark.",
        "Most people get there after 4-6 years.",
        "Your first two years out of school are for learning.",
        "I have 10+ years in infrastructure.",
        "Beginner (0-2 years): writes SQL.",
        "The RSUs vest over 4 years, and I'm 31 years old.",  # vesting and age are not experience
    )
    result = experience_mentions(sentences).drop("mention_id", "doc_id", "comment_position")
    s = [row.sentence for row in sentences.orderBy("sentence_index").collect()]
    expected = rows_frame(
        spark,
        [
            (2.0, 2.0, False, None, s[0]),
            (2.5, 2.5, False, None, s[0]),
            (4.0, 6.0, False, None, s[1]),
            (0.0, 2.0, False, None, s[2]),
            (10.0, None, True, None, s[3]),
            (0.0, 2.0, False, "beginner", s[4]),
        ],
        "years_min double, years_max double, open_ended boolean, career_stage string, sentence string",
    )
    assert_df_equality(result, expected, ignore_row_order=True, ignore_nullable=True)


def test_statement_transitions(spark: SparkSession) -> None:
    sentences = _sentences(
        spark,
        "I moved from data analysis into data engineering after 3 years.",
        "I'm leaving a large bank to join a seed-stage startup.",  # no role on either side: skipped
        "I left a large bank to join a startup as a site reliability engineer.",
        "Should I pivot to product management?",
        "We hired a data engineer.",
        "I got promoted from Software Engineer to Senior Software Engineer last year.",
        "I moved from data engineer to data engineering after a reorg.",  # same role, same level
        "I went from Senior Backend Engineer to Backend Engineer Tech Lead.",  # senior both sides
        "I moved from Staff Data Engineer to Data Engineering Manager.",
    )
    result = statement_transitions(sentences).drop("comment_position", "doc_id")
    s = [row.sentence for row in sentences.orderBy("sentence_index").collect()]
    expected = rows_frame(
        spark,
        [
            (s[0], "data_analyst", "data_engineer", "mid", "mid", "thread", "first_person", 0.8),
            (s[2], None, "site_reliability_engineer", None, "mid", "thread", "first_person", 0.5),
            (s[3], None, "product_manager", None, "mid", "thread", "question", 0.4),
            (s[5], "software_engineer", "software_engineer", "mid", "senior", "thread", "first_person", 0.8),
            (
                s[8],
                "data_engineer",
                "data_engineering_manager",
                "staff",
                "manager",
                "thread",
                "first_person",
                0.8,
            ),
        ],
        "sentence string, from_role_id string, to_role_id string, from_level string, to_level string, "
        "source_type string, evidence_kind string, confidence double",
    )
    assert_df_equality(result, expected, ignore_row_order=True, ignore_nullable=True)


def test_role_guides_and_guide_transitions(spark: SparkSession) -> None:
    sections = rows_frame(
        spark,
        [
            ("g", "data_engineer", "top_skills", ["SQL", "Apache Spark", "Airflow"]),
            ("g", "data_engineer", "skill_gaps", ["Streaming with Kafka"]),
            ("g", "data_engineer", "employers", ["Netflix", "Spotify"]),
            ("g", "data_engineer", "progression", ["Senior Data Engineer", "Data Architect"]),
            ("g", "data_engineer", "transitions", ["Machine Learning Engineer"]),
            (
                "g",
                "data_engineer",
                "salary",
                [
                    "Mid Level US (approx.): $130k–$170k total compensation",
                    "Principal Level US (approx.): $250k–$350k+ total compensation",
                ],
            ),
        ],
        "doc_id string, role_id string, section string, items array<string>",
    )
    guides = role_guides(sections).select(
        "level", "salary_min", "salary_max", "salary_open_ended", "salary_currency", "salary_country",
        "salary_basis", "top_skills", "skill_gaps", "employers",
    )  # fmt: skip
    expected = rows_frame(
        spark,
        [
            (
                "all",
                None,
                None,
                False,
                None,
                None,
                None,
                ["sql", "apache_spark", "apache_airflow"],
                ["apache_kafka"],
                ["Netflix", "Spotify"],
            ),
            ("mid", 130000.0, 170000.0, False, "USD", "US", "total_compensation", [], [], []),
            ("principal", 250000.0, 350000.0, True, "USD", "US", "total_compensation", [], [], []),
        ],
        "level string, salary_min double, salary_max double, salary_open_ended boolean, "
        "salary_currency string, salary_country string, salary_basis string, top_skills array<string>, "
        "skill_gaps array<string>, employers array<string>",
    )
    assert_df_equality(guides, expected, ignore_row_order=True, ignore_nullable=True)
    edges = guide_transitions(sections).select(
        "from_role_id", "to_role_id", "from_level", "to_level", "evidence_kind", "confidence"
    )
    expected_edges = rows_frame(
        spark,
        [
            ("data_engineer", "data_engineer", "mid", "senior", "guide_section", 0.9),
            ("data_engineer", "data_architect", "mid", "mid", "guide_section", 0.9),
            ("data_engineer", "machine_learning_engineer", "mid", "mid", "guide_section", 0.8),
        ],
        "from_role_id string, to_role_id string, from_level string, to_level string, evidence_kind string, "
        "confidence double",
    )
    assert_df_equality(edges, expected_edges, ignore_row_order=True, ignore_nullable=True)


def test_guide_bands_whose_labels_run_into_the_next_word(spark: SparkSession) -> None:
    _, parsed = split_guide_sections(
        "Data Engineer Career Guide\nTop SkillsSQLCan Lead ToData ArchitectMedian Salary Range"
        "Entry LevelEU (est.): €40k–€55k baseMid LevelEU (est.): €55k–€75k base"
        "Senior LevelUK (est.): £70k–£95k+Companies HiringAccentureIBMSAPOracle"
    )
    sections = rows_frame(
        spark,
        [("g", "data_engineer", key, items) for key, items in parsed],
        "doc_id string, role_id string, section string, items array<string>",
    )
    guides = role_guides(sections).select(
        "level", "salary_min", "salary_max", "salary_open_ended", "salary_currency", "salary_country",
        "salary_basis", "employers",
    )  # fmt: skip
    expected = rows_frame(
        spark,
        [
            ("all", None, None, False, None, None, None, ["Accenture", "IBM", "SAP", "Oracle"]),
            ("entry", 40000.0, 55000.0, False, "EUR", None, "base", []),
            ("mid", 55000.0, 75000.0, False, "EUR", None, "base", []),
            ("senior", 70000.0, 95000.0, True, "GBP", "GB", None, []),
        ],
        "level string, salary_min double, salary_max double, salary_open_ended boolean, "
        "salary_currency string, salary_country string, salary_basis string, employers array<string>",
    )
    assert_df_equality(guides, expected, ignore_row_order=True, ignore_nullable=True)


def test_guide_promotions_on_the_guide_role(spark: SparkSession) -> None:
    sections = rows_frame(
        spark,
        [("g", "software_engineer", "progression", ["Senior Software Engineer", "Software Engineer Tech Lead",
                                                     "Software Engineer", "Engineering Manager"])],
        "doc_id string, role_id string, section string, items array<string>",
    )  # fmt: skip
    edges = guide_transitions(sections).select(
        "sentence", "from_role_id", "to_role_id", "from_level", "to_level"
    )
    expected = rows_frame(
        spark,
        [
            ("Senior Software Engineer", "software_engineer", "software_engineer", "mid", "senior"),
            ("Software Engineer Tech Lead", "software_engineer", "software_engineer", "mid", "senior"),
            ("Engineering Manager", "software_engineer", "engineering_manager", "mid", "manager"),
        ],
        "sentence string, from_role_id string, to_role_id string, from_level string, to_level string",
    )
    assert_df_equality(edges, expected, ignore_row_order=True, ignore_nullable=True)
