"""build_gold: recompute gold from silver, for every key or for the keys new postings touch.

After a first success, a run whose only changed inputs are the postings tables reads
silver.postings' change feed since that success and recomputes the roles (and, for
skill_demand, the role × month cells) of the changed postings; any other change (career
documents, reference data, config, `--full-refresh`) recomputes everything.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyspark.sql import DataFrame

from careerlake.gold.common import role_postings
from careerlake.gold.lifecycle import posting_lifecycle
from careerlake.gold.paths import career_paths, ladder_edges
from careerlake.gold.profiles import role_profiles, role_wide_cells
from careerlake.gold.refresh import refresh_table
from careerlake.gold.salary import salary_benchmarks
from careerlake.gold.scope import GoldScope, changed_scope, demand_postings, postings_in_scope
from careerlake.gold.skills import skill_demand, skill_gaps
from careerlake.registry import get_table, silver
from careerlake.registry.gold import (
    CAREER_PATHS,
    POSTING_LIFECYCLE,
    ROLE_PROFILES,
    SALARY_BENCHMARKS,
    SKILL_DEMAND,
    SKILL_GAPS,
)
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import read_changes, read_source

# Inputs whose change gold can follow key by key; a change of any other input recomputes all.
POSTING_INPUTS = frozenset({silver.POSTINGS.id, silver.POSTINGS_HISTORY.id})


def incremental_scope(ctx: JobContext) -> GoldScope | None:
    """The keys the postings changed since gold's last success touch; None to recompute all."""
    changed = ctx.changed_inputs
    if changed is None or not changed.keys() <= POSTING_INPUTS or silver.POSTINGS.id not in changed:
        return None
    then, now = changed[silver.POSTINGS.id]
    return changed_scope(read_changes(ctx.spark, ctx.config, silver.POSTINGS, then, now))


def build_gold(ctx: JobContext) -> None:
    # The job catalogue declares what gold reads (ctx.reads); the DAG and this job share that one list.
    inputs = {table_id: read_source(ctx.spark, ctx.config, get_table(table_id)) for table_id in ctx.reads}
    scope = incremental_scope(ctx)
    if scope is not None:
        inputs[silver.POSTINGS.id] = postings_in_scope(inputs[silver.POSTINGS.id], scope)
    postings = role_postings(inputs[silver.POSTINGS.id])
    # Every table reads the role postings: computed once where the platform can cache.
    postings = ctx.platform.cache(postings)
    try:
        _build(ctx, inputs, postings, scope)
    finally:
        ctx.platform.release(postings)


def _build(
    ctx: JobContext, inputs: dict[str, DataFrame], postings: DataFrame, scope: GoldScope | None
) -> None:
    documents = inputs["silver.career_documents"]
    guides = inputs["silver.role_guides"]
    refreshed_at = datetime.now(UTC).replace(tzinfo=None)
    posting_rows = inputs[silver.POSTINGS.id].count()
    roles = None if scope is None else scope.roles

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
        roles,
    )
    if scope is None:
        refresh_table(ctx, SKILL_DEMAND, skill_demand(postings, refreshed_at), posting_rows)
    else:
        cells = demand_postings(postings, scope)
        demand = skill_demand(cells, refreshed_at).join(scope.role_months, ["role_id", "month"], "left_semi")
        refresh_table(ctx, SKILL_DEMAND, demand, cells.count(), scope.role_months)
    refresh_table(
        ctx,
        POSTING_LIFECYCLE,
        posting_lifecycle(inputs[silver.POSTINGS.id], inputs["silver.postings_history"], refreshed_at),
        posting_rows,
        roles,
    )
    # Career paths come from the career documents; postings move only their salary uplifts,
    # read from the benchmarks just written, so the whole (small) table is recomputed.
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
        roles,
    )
    profiled_roles = (
        inputs["reference.roles"]
        if roles is None
        else inputs["reference.roles"].join(roles, "role_id", "left_semi")
    )
    refresh_table(
        ctx,
        ROLE_PROFILES,
        role_profiles(profiled_roles, postings, guides, benchmarks, paths, gaps, refreshed_at),
        posting_rows,
        roles,
    )
