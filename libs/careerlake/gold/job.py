"""build_gold: recompute every gold table from silver and refresh it by MERGE."""

from __future__ import annotations

from datetime import UTC, datetime

from pyspark.sql import DataFrame

from careerlake.gold.common import role_postings
from careerlake.gold.lifecycle import posting_lifecycle
from careerlake.gold.paths import career_paths, ladder_edges
from careerlake.gold.profiles import role_profiles, role_wide_cells
from careerlake.gold.refresh import refresh_table
from careerlake.gold.salary import salary_benchmarks
from careerlake.gold.skills import skill_demand, skill_gaps
from careerlake.registry import get_table
from careerlake.registry.gold import (
    CAREER_PATHS,
    POSTING_LIFECYCLE,
    ROLE_PROFILES,
    SALARY_BENCHMARKS,
    SKILL_DEMAND,
    SKILL_GAPS,
)
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import read_source


def build_gold(ctx: JobContext) -> None:
    # The job catalogue declares what gold reads (ctx.reads); the DAG and this job share that one list.
    inputs = {table_id: read_source(ctx.spark, ctx.config, get_table(table_id)) for table_id in ctx.reads}
    postings = role_postings(inputs["silver.postings"])
    # Every table reads the role postings: computed once where the platform can cache.
    postings = ctx.platform.cache(postings)
    try:
        _build(ctx, inputs, postings)
    finally:
        ctx.platform.release(postings)


def _build(ctx: JobContext, inputs: dict[str, DataFrame], postings: DataFrame) -> None:
    documents = inputs["silver.career_documents"]
    guides = inputs["silver.role_guides"]
    refreshed_at = datetime.now(UTC).replace(tzinfo=None)
    posting_rows = inputs["silver.postings"].count()

    benchmarks = refresh_table(
        ctx,
        SALARY_BENCHMARKS,
        salary_benchmarks(
            postings,
            guides,
            inputs["silver.compensation_mentions"],
            documents,
            inputs["reference.fx_rates"],
            ctx.config.gold.min_cell_postings,
            refreshed_at,
        ),
        posting_rows,
    )
    refresh_table(ctx, SKILL_DEMAND, skill_demand(postings, refreshed_at), posting_rows)
    refresh_table(
        ctx,
        POSTING_LIFECYCLE,
        posting_lifecycle(inputs["silver.postings"], inputs["silver.postings_history"], refreshed_at),
        posting_rows,
    )
    transitions = inputs["silver.career_transitions"]
    paths = refresh_table(
        ctx,
        CAREER_PATHS,
        career_paths(
            transitions,
            ladder_edges(ctx.spark, inputs["reference.roles"]),
            role_wide_cells(benchmarks).select("role_id", "p50_usd"),
            refreshed_at,
        ),
        transitions.count(),
    )
    gaps = refresh_table(
        ctx,
        SKILL_GAPS,
        skill_gaps(postings, guides, inputs["silver.skill_mentions"], documents, refreshed_at),
        posting_rows,
    )
    refresh_table(
        ctx,
        ROLE_PROFILES,
        role_profiles(inputs["reference.roles"], postings, guides, benchmarks, paths, gaps, refreshed_at),
        posting_rows,
    )
