"""The registry: every table and job well-formed."""

from careerlake.pipeline import JOBS, pipeline_order, upstream_jobs
from careerlake.registry import ALL_TABLES, get_table
from careerlake.registry.table import LAYERS
from careerlake.runtime.session import LOCAL_STATS_COLUMNS


def test_every_table_and_column_is_documented() -> None:
    assert {t.layer for t in ALL_TABLES} == set(LAYERS)
    for table in ALL_TABLES:
        assert table.comment.strip(), table.id
        assert table.keys, table.id
        for column in table.columns:
            assert column.comment.strip(), f"{table.id}.{column.name}"
        for key in table.keys:
            assert not table.column(key).nullable, f"{table.id}: key {key} must be NOT NULL"


def test_keys_keep_their_statistics_on_local_tables() -> None:
    """Locally Delta collects statistics on a table's first LOCAL_STATS_COLUMNS columns only."""
    for table in ALL_TABLES:
        assert set(table.keys) <= set(table.column_names[:LOCAL_STATS_COLUMNS]), table.id


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
