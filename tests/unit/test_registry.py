"""The registry: every table well-formed, and created in Delta with its comments and constraints."""

from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order, upstream_jobs
from careerlake.registry import ALL_TABLES, get_table
from careerlake.registry.table import LAYERS
from careerlake.runtime.config import Config
from careerlake.runtime.delta import ensure_table, ensure_tables


def test_every_table_and_column_is_documented() -> None:
    assert {t.layer for t in ALL_TABLES} == set(LAYERS)
    for table in ALL_TABLES:
        assert table.comment.strip(), table.id
        assert table.keys, table.id
        for column in table.columns:
            assert column.comment.strip(), f"{table.id}.{column.name}"
        for key in table.keys:
            assert not table.column(key).nullable, f"{table.id}: key {key} must be NOT NULL"


def test_table_ids_are_unique_and_looked_up() -> None:
    assert len({t.id for t in ALL_TABLES}) == len(ALL_TABLES)
    assert get_table("silver.postings").keys == ("posting_id",)


def test_every_job_reads_and_writes_registry_tables() -> None:
    ids = {t.id for t in ALL_TABLES}
    for job in JOBS.values():
        assert set(job.reads) <= ids, job.name
        assert set(job.writes) <= ids, job.name


def test_pipeline_order_respects_reads() -> None:
    order = pipeline_order()
    for name in order:
        for upstream in upstream_jobs(JOBS[name]):
            assert order.index(upstream) < order.index(name), (upstream, name)
    assert order[-1] == "features"


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
    assert spark.table(name).schema.fieldNames() == table.column_names


def test_ensure_is_idempotent_for_all_tables(spark: SparkSession, isolated_config: Config) -> None:
    ensure_tables(spark, isolated_config)
    ensure_tables(spark, isolated_config)
    for layer in LAYERS:
        listed = {
            r["tableName"] for r in spark.sql(f"SHOW TABLES IN {isolated_config.schema_for(layer)}").collect()
        }
        assert listed == {t.name for t in ALL_TABLES if t.layer == layer}
