"""The registry's tables created in Delta with their comments, constraints and properties."""

from dataclasses import replace

from pyspark.sql import SparkSession

from careerlake.registry import ALL_TABLES, get_table
from careerlake.registry.table import LAYERS
from careerlake.runtime.config import Config
from careerlake.runtime.delta import ensure_table, ensure_tables
from careerlake.runtime.session import LOCAL_STATS_COLUMNS


def test_tables_are_created_with_comments_constraints_and_properties(
    spark: SparkSession, isolated_config: Config
) -> None:
    table = get_table("silver.postings")
    name = ensure_table(spark, isolated_config, table)
    detail = spark.sql(f"DESCRIBE TABLE EXTENDED {name}").collect()
    comments = {r["col_name"]: r["comment"] for r in detail}
    assert comments["work_model"] == table.column("work_model").comment
    props = {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES {name}").collect()}
    assert props["delta.enableChangeDataFeed"] == "true"
    assert props["delta.constraints.valid_work_model"].startswith("work_model IS NULL")
    assert props["delta.dataSkippingNumIndexedCols"] == str(LOCAL_STATS_COLUMNS)
    assert spark.table(name).schema.fieldNames() == table.column_names


def test_ensure_is_idempotent_for_all_tables(spark: SparkSession, isolated_config: Config) -> None:
    ensure_tables(spark, isolated_config)
    ensure_tables(spark, isolated_config)
    for layer in LAYERS:
        shown = spark.sql(f"SHOW TABLES IN {isolated_config.schema_for(layer)}").collect()
        # SHOW TABLES lists the session's temporary views too; they are not tables.
        listed = {r["tableName"] for r in shown if not r["isTemporary"]}
        assert listed == {t.name for t in ALL_TABLES if t.layer == layer}


def test_a_table_created_without_its_change_feed_gets_it(
    spark: SparkSession, isolated_config: Config
) -> None:
    table = get_table("silver.role_guides")
    name = ensure_table(spark, isolated_config, replace(table, change_data_feed=False))
    assert "delta.enableChangeDataFeed" not in _properties(spark, name)
    ensure_table(spark, isolated_config, table)
    assert _properties(spark, name)["delta.enableChangeDataFeed"] == "true"


def _properties(spark: SparkSession, name: str) -> dict[str, str]:
    return {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES {name}").collect()}
