"""Feature transforms on inline silver rows: exact expected rows for a few keys."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest
from chispa import assert_df_equality
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.features import transforms
from careerlake.registry import features
from careerlake.runtime.local_rows import rows_frame
from features_data import SEEN, posting, postings_df, transition, transitions_df


@pytest.fixture(scope="module")
def postings(spark: SparkSession) -> DataFrame:
    rows = [
        posting(
            "a",
            datetime(2026, 1, 1, 9),
            role_id="de",
            seniority_ordinal=1,
            work_model="remote",
            salary_mid_annual_usd=100.0,
            skills=["python"],
        ),
        posting(
            "b",
            datetime(2026, 1, 20, 9),
            role_id="de",
            seniority_ordinal=2,
            work_model="onsite",
            salary_mid_annual_usd=200.0,
            skills=["python", "sql"],
        ),
        posting(
            "c",
            datetime(2026, 2, 15, 23),
            role_id="de",
            seniority_ordinal=3,
            salary_mid_annual_usd=300.0,
            skills=["sql", "rust"],
        ),
        posting("d", datetime(2026, 2, 15, 1), role_id="ml", seniority_ordinal=4),
    ]
    return postings_df(spark, rows)


@pytest.fixture(scope="module")
def vocabulary(postings: DataFrame) -> DataFrame:
    return transforms.skill_vocabulary(postings, 2)


def _rows(
    spark: SparkSession, table_columns: list[str], rows: list[tuple], schema_of: DataFrame
) -> DataFrame:
    return rows_frame(spark, rows, schema_of.select(*table_columns).schema)


def test_vocabulary_is_top_n_by_count_then_id(vocabulary: DataFrame) -> None:
    row = vocabulary.first()
    assert row["vocabulary"] == ["python", "sql"]
    assert row["version"] == hashlib.sha256(b"python,sql").hexdigest()[:16]


def test_posting_features_rows(spark: SparkSession, vocabulary: DataFrame) -> None:
    source = postings_df(
        spark,
        [
            posting(
                "p1",
                datetime(2026, 3, 1, 10),
                title="Senior Software Engineer",
                role_id="software_engineer",
                seniority_ordinal=3,
                country="US",
                region="CA",
                work_model="remote",
                employment_type="full_time",
                description_text="abcde",
                skills=["sql", "go", "sql"],
                salary_min_annual_usd=100.0,
                salary_max_annual_usd=140.0,
                salary_mid_annual_usd=120.0,
            ),
            posting("p2", None, title="", skills=[]),
        ],
    )
    actual = transforms.posting_features(source, vocabulary, 64)
    hashes = spark.sql(
        "SELECT array_sort(array_distinct(transform(array('senior','software','engineer'), t -> CAST(pmod(xxhash64(t), 64) AS INT))))"
    ).first()[0]
    version = hashlib.sha256(b"python,sql").hexdigest()[:16]
    expected = rows_frame(
        spark,
        [
            ("p1", datetime(2026, 3, 1, 10), "software_engineer", 3, "US", "CA", "remote", "full_time",
             [0, 1], version, 2, 5, hashes, 100.0, 140.0, 120.0),
            ("p2", SEEN, None, None, None, None, None, None, [0, 0], version, 0, 0, [], None, None, None),
        ],
        features.POSTING_FEATURES.schema,
    )  # fmt: skip
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_metadata=True, ignore_row_order=True)
    assert actual.columns == features.POSTING_FEATURES.column_names


def test_role_features_rows(spark: SparkSession, postings: DataFrame, vocabulary: DataFrame) -> None:
    actual = transforms.role_features(postings, vocabulary)
    assert actual.filter("role_id = 'de'").count() == 46
    keys = [
        ("de", date(2026, 1, 1)),
        ("de", date(2026, 1, 31)),
        ("de", date(2026, 2, 15)),
        ("ml", date(2026, 2, 15)),
    ]
    picked = actual.join(
        rows_frame(spark, keys, "role_id string, as_of_date date"), ["role_id", "as_of_date"]
    )
    expected = rows_frame(
        spark,
        [
            ("de", date(2026, 1, 1), 1, 1, None, 100.0, 0.0, {"python": 1.0}, 1.0),
            ("de", date(2026, 1, 31), 1, 2, 0.0, 150.0, 50.0, {"python": 1.0, "sql": 0.5}, 0.5),
            ("de", date(2026, 2, 15), 2, 3, 1.0, 200.0, 100.0, {"python": 2 / 3, "sql": 2 / 3}, 0.5),
            ("ml", date(2026, 2, 15), 1, 1, None, None, None, {}, None),
        ],
        features.ROLE_FEATURES.schema,
    )
    # Maps cannot be sorted by chispa: order both sides by key instead.
    order = ["role_id", "as_of_date"]
    assert_df_equality(
        picked.select(*features.ROLE_FEATURES.column_names).orderBy(order),
        expected.orderBy(order),
        ignore_nullable=True,
        ignore_metadata=True,
    )
    incremental = transforms.role_features(postings, vocabulary, since=date(2026, 2, 15))
    assert_df_equality(
        incremental.orderBy(order),
        expected.filter(F.col("as_of_date") == date(2026, 2, 15)).orderBy(order),
        ignore_nullable=True,
        ignore_metadata=True,
    )


def test_date_spine_starts_at_since_and_has_no_rows_for_a_key_starting_after_the_end(
    spark: SparkSession,
) -> None:
    firsts = rows_frame(
        spark,
        [("de", date(2026, 1, 1)), ("ml", date(2026, 2, 14)), ("sre", date(2026, 2, 16))],
        "role_id string, first_date date",
    )
    actual = transforms.date_spine(firsts, "role_id", F.lit(date(2026, 2, 15)), date(2026, 2, 14))
    expected = rows_frame(
        spark,
        [
            ("de", date(2026, 2, 14)),
            ("de", date(2026, 2, 15)),
            ("ml", date(2026, 2, 14)),
            ("ml", date(2026, 2, 15)),
        ],
        "role_id string, as_of_date date",
    )
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_row_order=True)
    # Every key starting after the end (a day with no posting known yet): no rows, no error.
    after = transforms.date_spine(firsts, "role_id", F.lit(date(2026, 2, 15)), date(2026, 2, 16))
    assert after.collect() == []


def test_skill_features_rows(spark: SparkSession, postings: DataFrame, vocabulary: DataFrame) -> None:
    actual = transforms.skill_features(postings, vocabulary).filter(F.col("as_of_date") == date(2026, 2, 15))
    expected = rows_frame(
        spark,
        [
            ("python", date(2026, 2, 15), 2, 0.0, -50.0, ["sql"]),
            ("sql", date(2026, 2, 15), 2, None, 50.0, ["python", "rust"]),
        ],
        features.SKILL_FEATURES.schema,
    )
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_metadata=True, ignore_row_order=True)
    assert transforms.skill_features(postings, vocabulary).filter("skill_id = 'rust'").isEmpty()


def test_role_transition_features_rows(spark: SparkSession, postings: DataFrame) -> None:
    transitions = transitions_df(
        spark,
        [
            transition("g1", 0, "de", "ml", "guide"),
            transition("t1", 1, "de", "ml", "thread"),
            transition("t1", 2, None, "ml", "thread"),
            transition("t1", 3, "de", "de", "thread"),
            transition("a1", 0, "ml", "de", "article"),
        ],
    )
    actual = transforms.role_transition_features(transitions, postings, date(2026, 2, 15))
    expected = rows_frame(
        spark,
        [
            ("de", "ml", date(2026, 2, 15), 1, 1, 0, 0.0, None, 2.0),
            ("ml", "de", date(2026, 2, 15), 0, 0, 1, 0.0, None, -2.0),
        ],
        features.ROLE_TRANSITION_FEATURES.schema,
    )
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_metadata=True, ignore_row_order=True)
