"""build_gold: recompute gold from silver, for every key or for the keys changed silver rows touch.

After a first success, a run whose only changed inputs are silver tables reads their change
feeds since that success and recomputes the roles (and, for skill_demand, the role × month
cells) that the changed postings and career-document facts touch (gold.scope). Any other change
(reference data, config, `--full-refresh`), a change feed the table did not record for the
whole range (enabled on a table that existed before), or roles holding more than
`gold.full_recompute_share` of the postings, recomputes everything.
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
from careerlake.gold.scope import (
    GoldScope,
    changed_scope,
    demand_postings,
    document_roles,
    postings_in_scope,
    widened,
)
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
from careerlake.runtime.context import JobContext, console
from careerlake.runtime.delta import read_source, recorded_changes

# Career-document tables whose change gold follows role by role (gold.scope.document_roles).
DOCUMENT_INPUTS = frozenset(
    {
        silver.CAREER_DOCUMENTS.id,
        silver.ROLE_GUIDES.id,
        silver.COMPENSATION_MENTIONS.id,
        silver.SKILL_MENTIONS.id,
        silver.CAREER_TRANSITIONS.id,
    }
)
# postings_history moves with silver.postings; alone (closures) it is followed by a full recompute.
FEED_INPUTS = DOCUMENT_INPUTS | {silver.POSTINGS.id}
FOLLOWED_INPUTS = FEED_INPUTS | {silver.POSTINGS_HISTORY.id}


def incremental_scope(ctx: JobContext, inputs: dict[str, DataFrame]) -> GoldScope | None:
    """The keys the silver rows changed since gold's last success touch; None to recompute all."""
    changed = ctx.changed_inputs
    if not changed or not changed.keys() <= FOLLOWED_INPUTS:
        return None
    if silver.POSTINGS_HISTORY.id in changed and silver.POSTINGS.id not in changed:
        return None
    found = {
        t: recorded_changes(ctx.spark, ctx.config, get_table(t), *versions)
        for t, versions in changed.items()
        if t in FEED_INPUTS
    }
    feeds = {t: feed for t, feed in found.items() if feed is not None}
    if len(feeds) < len(found):
        return None
    scope = changed_scope(feeds.pop(silver.POSTINGS.id)) if silver.POSTINGS.id in feeds else None
    if not feeds:
        return scope
    return widened(scope, document_roles(feeds, inputs, inputs[silver.POSTINGS.id]))


def build_gold(ctx: JobContext) -> None:
    # The job catalogue declares what gold reads (ctx.reads); the DAG and this job share that one list.
    # Several tables' plans read each input: read once per run where the platform can cache.
    read = {
        table_id: ctx.platform.cache_read(read_source(ctx.spark, ctx.config, get_table(table_id)))
        for table_id in ctx.reads
    }
    try:
        _recompute(ctx, dict(read))
    finally:
        ctx.platform.release(*read.values())


def _recompute(ctx: JobContext, inputs: dict[str, DataFrame]) -> None:
    """Every gold table, or those keys of it that the scope of changed silver rows touches."""
    scope = incremental_scope(ctx, inputs)
    posting_rows = inputs[silver.POSTINGS.id].count()
    if scope is not None:
        # The scope's plan reads change feeds and joins the document facts; every table's
        # recompute and write uses it, so it is computed once, not in each of their plans.
        scope = GoldScope(
            roles=ctx.platform.pin(scope.roles), role_months=ctx.platform.pin(scope.role_months)
        )
        scoped = postings_in_scope(inputs[silver.POSTINGS.id], scope)
        scoped_rows = scoped.count()
        if scoped_rows > ctx.config.gold.full_recompute_share * posting_rows:
            console.print(
                f"[dim]gold: the changed roles hold most of the {posting_rows:,} postings: full recompute[/]"
            )
            scope = None
        else:
            inputs[silver.POSTINGS.id], posting_rows = scoped, scoped_rows
    postings = role_postings(inputs[silver.POSTINGS.id])
    # Every table reads the role postings: computed once where the platform can cache.
    postings = ctx.platform.cache(postings)
    try:
        _build(ctx, inputs, postings, posting_rows, scope)
    finally:
        ctx.platform.release(postings)


def _build(
    ctx: JobContext,
    inputs: dict[str, DataFrame],
    postings: DataFrame,
    posting_rows: int,
    scope: GoldScope | None,
) -> None:
    """Every gold table from `inputs`; `posting_rows` is how many silver.postings rows they hold."""
    documents = inputs["silver.career_documents"]
    guides = inputs["silver.role_guides"]
    refreshed_at = datetime.now(UTC).replace(tzinfo=None)
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
