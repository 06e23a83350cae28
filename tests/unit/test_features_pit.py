"""The as-of join never lets a feature row later than the label time through; Databricks call specs."""

from __future__ import annotations

from datetime import date

from chispa import assert_df_equality
from pyspark.sql import SparkSession
from pyspark.sql.types import DateType, DoubleType, StringType, StructField, StructType

from careerlake.features.pit import as_of_join
from careerlake.features.train import SALARY_LOOKUPS
from careerlake.registry import features
from careerlake.runtime.config import Config
from careerlake.runtime.feature_store import (
    databricks_feature_specs,
    databricks_lookup_specs,
    primary_key_sql,
)
from careerlake.runtime.local_rows import rows_frame


def test_as_of_join_takes_latest_row_at_or_before_label_time(spark: SparkSession) -> None:
    labels = rows_frame(
        spark,
        [("l1", "r1", date(2026, 2, 10)), ("l2", "r1", date(2026, 2, 10)), ("l3", "r2", date(2026, 1, 1)),
         ("l4", None, date(2026, 2, 10)), ("l5", "r1", date(2026, 1, 31))],
        "label_id string, role_id string, t date",
    )  # fmt: skip
    feature_rows = rows_frame(
        spark,
        [("r1", date(2026, 2, 1), 1.0), ("r1", date(2026, 2, 10), 2.0), ("r1", date(2026, 2, 11), 99.0),
         ("r2", date(2026, 1, 2), 50.0)],
        "role_id string, as_of_date date, demand double",
    )  # fmt: skip
    actual = as_of_join(
        labels,
        feature_rows,
        keys=["role_id"],
        label_time="t",
        feature_time="as_of_date",
        feature_names=["demand"],
    )
    schema = StructType(
        [
            StructField("role_id", StringType()),
            StructField("t", DateType()),
            StructField("label_id", StringType()),
            StructField("demand", DoubleType()),
        ]
    )
    expected = rows_frame(
        spark,
        [("r1", date(2026, 2, 10), "l1", 2.0), ("r1", date(2026, 2, 10), "l2", 2.0),
         ("r2", date(2026, 1, 1), "l3", None), (None, date(2026, 2, 10), "l4", None),
         ("r1", date(2026, 1, 31), "l5", None)],
        schema,
    )  # fmt: skip
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_row_order=True)


def test_databricks_feature_specs_come_from_config_and_registry(base_config: Config) -> None:
    config = base_config.model_copy(update={"platform": "databricks", "catalog": "careerlake_dev"})
    specs = {s["name"]: s for s in databricks_feature_specs(config)}
    posting = specs["careerlake_dev.features.posting_features"]
    assert posting["primary_keys"] == ["posting_id", "posted_at"]
    assert posting["timeseries_columns"] == ["posted_at"]
    assert posting["schema"] == features.POSTING_FEATURES.schema
    assert posting["description"] == features.POSTING_FEATURES.comment
    role = specs["careerlake_dev.features.role_features"]
    assert role["primary_keys"] == ["role_id", "as_of_date"]
    assert role["timeseries_columns"] == ["as_of_date"]
    assert specs["careerlake_dev.features.role_transition_features"]["primary_keys"] == [
        "from_role_id",
        "to_role_id",
        "as_of_date",
    ]
    assert len(specs) == len(features.TABLES)
    assert primary_key_sql(config, features.ROLE_FEATURES) == (
        "ALTER TABLE careerlake_dev.features.role_features ADD CONSTRAINT role_features_pk "
        "PRIMARY KEY (`role_id`, `as_of_date` TIMESERIES)"
    )


def test_databricks_lookup_specs_match_the_local_lookups(base_config: Config) -> None:
    config = base_config.model_copy(update={"platform": "databricks", "catalog": "careerlake_prod"})
    posting, role = databricks_lookup_specs(config, SALARY_LOOKUPS)
    assert posting["table_name"] == "careerlake_prod.features.posting_features"
    assert posting["lookup_key"] == ["posting_id"]
    assert posting["timestamp_lookup_key"] == "posted_at"
    assert not any(name.startswith("label_") for name in posting["feature_names"])
    assert role == {
        "table_name": "careerlake_prod.features.role_features",
        "lookup_key": ["role_id"],
        "timestamp_lookup_key": "features_as_of",
        "feature_names": [
            "postings_30d",
            "postings_90d",
            "demand_growth",
            "salary_p50_usd",
            "salary_iqr_usd",
            "top_skill_shares",
            "remote_share",
        ],
    }
