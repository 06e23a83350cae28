"""Job `features`: silver postings and career transitions -> the four feature tables.

Incremental, after a first success: posting features are recomputed only for the postings the
change feed of silver.postings names since that success, as long as the skill vocabulary they
are vectorized against is the stored one (else every posting is). The daily tables are
recomputed only from the earliest posted date whose posting features changed in this run (or
the day after their stored last date, where postings dated up to the run date lie beyond it),
reading the postings of that date's 90-day lookback; a run with neither recomputes no daily
rows. Daily rows stop at the run date: a posting dated later counts from the first run whose
date reaches it. `--full-refresh` recomputes every posting and date. Each write deletes, in its
MERGE, the stored rows of what it recomputes that the recomputation no longer gives (a posting
moved to another role, or deleted, takes its old rows with it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.features import transforms
from careerlake.registry import Table, features, silver
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import read_source, recorded_changes
from careerlake.runtime.io import changed_condition, stale_keys


def _is_empty(ctx: JobContext, table: Table) -> bool:
    name = ctx.name(table)
    return not ctx.spark.catalog.tableExists(name) or ctx.spark.table(name).isEmpty()


def _last_as_of_date(ctx: JobContext, table: Table) -> date | None:
    """The table's latest as_of_date; None when the table is missing or holds no rows."""
    name = ctx.name(table)
    if not ctx.spark.catalog.tableExists(name):
        return None
    return ctx.spark.table(name).agg(F.max("as_of_date")).first()[0]


def posting_scope(
    ctx: JobContext, postings: DataFrame, vocabulary: DataFrame, stored_empty: Callable[[], bool]
) -> DataFrame | None:
    """The posting ids whose features may differ from the stored ones (one column, posting_id):
    those silver.postings changed since the last success. None for every posting: a full
    refresh, no usable change feed, no stored posting features (`stored_empty()`) or a skill
    vocabulary other than the stored features'."""
    changed = ctx.changed_inputs
    if ctx.full_refresh or changed is None or stored_empty():
        return None
    if silver.POSTINGS.id not in changed:
        # Unchanged postings: the vocabulary, their top-N, is unchanged too.
        return postings.select("posting_id").limit(0)
    stored = ctx.spark.table(ctx.name(features.POSTING_FEATURES))
    other_vocabulary = stored.join(
        F.broadcast(vocabulary), stored["skill_vocabulary_version"] != vocabulary["version"], "left_semi"
    )
    if not other_vocabulary.isEmpty():
        return None
    feed = recorded_changes(ctx.spark, ctx.config, silver.POSTINGS, *changed[silver.POSTINGS.id])
    # Pinned: the batch and its comparison with the stored rows both use it.
    return None if feed is None else ctx.platform.pin(feed.select("posting_id").distinct())


def changed_since(
    ctx: JobContext, batch: DataFrame, scope: DataFrame | None, stored_empty: Callable[[], bool]
) -> date | None:
    """Earliest posted date (old or new) among postings whose features differ from the stored
    ones, comparing the postings of `scope` (None: every posting) only."""
    if stored_empty():
        return batch.agg(F.min(F.to_date("posted_at"))).first()[0]
    stored = ctx.spark.table(ctx.name(features.POSTING_FEATURES))
    if scope is not None:
        stored = stored.join(scope, "posting_id", "left_semi")
    diff = (
        batch.alias("s")
        .join(stored.alias("t"), F.col("s.posting_id") == F.col("t.posting_id"), "full_outer")
        .filter(
            F.col("t.posting_id").isNull()
            | F.col("s.posting_id").isNull()
            | F.expr(changed_condition(features.POSTING_FEATURES))
        )
    )
    return diff.agg(F.least(F.min(F.to_date("s.posted_at")), F.min(F.to_date("t.posted_at")))).first()[0]


_NOTHING = date.max


def daily_start(
    ctx: JobContext, table: Table, since: date | None, known_until: Callable[[], date | None], full: bool
) -> date | None:
    """First as-of date to recompute: None for every date, `_NOTHING` when nothing changed.

    `since` is the first changed posted date, `known_until()` the latest posted date up to the
    run date. Known postings after the stored last date extend every key's spine, so the
    recomputation starts at the earlier of `since` and the day after the stored last date; a
    posting dated after the run date counts from the first run whose date reaches it, whether
    or not silver changed since.
    """
    if full:
        return None
    # One query tells both whether the table holds rows and how far they reach.
    last = _last_as_of_date(ctx, table)
    if last is None:
        return None
    until = known_until()
    extended = last + timedelta(days=1) if until is not None and until > last else None
    start = min((d for d in (since, extended) if d is not None), default=None)
    if start is None or until is None or start > until:
        return _NOTHING
    return start


def _write(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    rows_read: int | None = None,
    *,
    recomputed: bool | str = True,
    scope: DataFrame | None = None,
) -> None:
    """Gate and write `batch` as one step; `rows_read` None: one row read per batch row, which
    the gate counts.

    The batch recomputes a part of the table whole, and the stored rows of that part it does not
    hold are deleted with it: every row (`recomputed` True), those a SQL condition over `t`
    holds for, or, with `scope`, the rows of the keys in that frame (its columns are some of the
    table's keys).
    """
    # On Databricks the platform writes feature tables through its Feature Engineering client.
    with ctx.step(table) as step:
        # Known rows read count also when the gate refuses the batch.
        if rows_read is not None:
            step.rows_read = rows_read
        gated = ctx.gate(ctx, table, batch)
        if rows_read is None:
            step.rows_read = gated.rows
        stale = None
        if scope is not None and ctx.spark.catalog.tableExists(ctx.name(table)):
            stored = ctx.spark.table(ctx.name(table)).join(scope, scope.columns, "left_semi")
            stale = stale_keys(ctx, table, gated.batch, stored)
        step.rows_written = ctx.platform.write_feature_table(
            table,
            gated.batch,
            gated.rows,
            update_condition=changed_condition(table),
            delete_unmatched=recomputed if scope is None else False,
            stale=stale,
        )


def build_features(ctx: JobContext) -> None:
    postings = ctx.platform.cache_read(read_source(ctx.spark, ctx.config, silver.POSTINGS, "silver_postings"))
    transitions = ctx.platform.cache_read(
        read_source(ctx.spark, ctx.config, silver.CAREER_TRANSITIONS, "silver_career_docs")
    )
    # What the job keeps cached, released however it ends.
    kept = [postings, transitions]
    try:
        cfg = ctx.config.features
        # The vocabulary is a top-N over every posting's skills: one column of each row.
        vocabulary = ctx.platform.cache(transforms.skill_vocabulary(postings, cfg.top_n_skills))
        kept.append(vocabulary)

        # Whether features.posting_features holds rows yet: the scope and the changed dates both
        # ask, before this run writes it; one query at most.
        stored_empty = cache(lambda: _is_empty(ctx, features.POSTING_FEATURES))
        scope = posting_scope(ctx, postings, vocabulary, stored_empty)
        scoped = postings if scope is None else postings.join(scope, "posting_id", "left_semi")
        batch = ctx.platform.cache(transforms.posting_features(scoped, vocabulary, cfg.title_hash_buckets))
        kept.append(batch)
        full = ctx.full_refresh
        since = None if full else changed_since(ctx, batch, scope, stored_empty)

        # Daily rows stop at the run date: a posting dated in the future is not known yet.
        known = transforms.posting_date(postings).filter(F.col("event_date") <= F.lit(ctx.run_date))
        # Asked only where a daily table is updated, not rebuilt: one small query, once.
        known_until = cache(lambda: known.agg(F.max("event_date")).first()[0])
        for table, build in (
            (features.ROLE_FEATURES, transforms.role_features),
            (features.SKILL_FEATURES, transforms.skill_features),
        ):
            start = daily_start(ctx, table, since, known_until, full)
            if start is _NOTHING:
                with ctx.step(table) as step:
                    step.rows_read = 0
            else:
                lookback = transforms.in_lookback(known, start)
                # Every row from `start` to the run date; rows dated later are another run's.
                within = f"t.as_of_date <= DATE'{ctx.run_date}'"
                if start is not None:
                    within += f" AND t.as_of_date >= DATE'{start}'"
                _write(ctx, table, build(lookback, vocabulary, start), lookback.count(), recomputed=within)
        # Posting features are written after the daily tables: `since` is their difference from
        # the stored ones, so a run that dies in between must leave that difference for the rerun.
        # One row per posting read: the gate's count of the batch.
        _write(ctx, features.POSTING_FEATURES, batch, scope=scope)

        pairs = transforms.role_transition_features(transitions, postings, ctx.run_date)
        _write(
            ctx,
            features.ROLE_TRANSITION_FEATURES,
            pairs,
            transitions.count(),
            recomputed=f"t.as_of_date = DATE'{ctx.run_date}'",
        )
    finally:
        ctx.platform.release(*kept)
