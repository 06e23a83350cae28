"""How a job writes its tables: every job writes through here. (It reads its inputs with
`runtime.delta.read_source`, which the platform shares for feature tables: an input table, or
`MissingSourceError` naming the job to run first, instead of Spark's table-not-found deep in a plan.)

- `write_changes`: the batch through the quality gate, then one MERGE on the table's keys
  that updates only rows whose values differ (`changed_condition`), so a re-run writes nothing;
  an empty batch is not merged at all.
- `write_new`: the same for append-once tables (bronze, quarantines, drift): new keys only.
- `unwritten`: the rows of a batch whose keys a table does not hold yet, for what a job lists
  again on every run (zero-byte landing files), so that a run with nothing new gates nothing.
- `write_step`: `write_changes` as one step of the run, counted in ops.job_runs.
- `replace_groups`: a batch that holds whole groups of a table's rows (every pay range of a
  posting, every gold row of a role), written so that a group's rows missing from the batch are
  deleted; `stale_keys`, those rows' keys, for a write that recomputes a part of a table whole.

The quality gate sits above the runtime (it reads the registry's checks and runs Great
Expectations), so the runtime does not import it: the entry point puts the gate on the job's
context (`JobContext.gate`) and every write here calls it. A job cannot write around the gate,
and tests hand the context the real gate (or one that fails on purpose).
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from careerlake.registry import Table
from careerlake.runtime.context import Gated, JobContext
from careerlake.runtime.delta import ensure_table, merge_into


def changed_condition(table: Table, ignore: tuple[str, ...] = ()) -> str:
    """MERGE update condition over `t`/`s`: some non-key column outside `ignore` differs, null-safe
    (maps compared as sorted entries); "false" when no column can change."""
    parts = []
    for column in table.columns:
        if column.name in table.keys or column.name in ignore:
            continue
        if column.type.startswith("map<"):
            t, s = (f"array_sort(map_entries({side}.`{column.name}`))" for side in ("t", "s"))
        else:
            t, s = f"t.`{column.name}`", f"s.`{column.name}`"
        parts.append(f"{t} <=> {s}")
    return f"NOT ({' AND '.join(parts)})" if parts else "false"


def write_changes(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    *,
    ignore: tuple[str, ...] = (),
    update_condition: str | None = None,
    delete_unmatched: bool = False,
) -> int:
    """Gate `batch`, then MERGE it on the table's keys; return rows inserted, updated or deleted.

    Rows are updated only where `update_condition` holds (default: `changed_condition` over the
    columns outside `ignore`); `delete_unmatched` deletes the keys missing from `batch` (a full
    recompute) in the same commit.
    """
    gated = ctx.gate(ctx, table, batch)
    if not delete_unmatched and _nothing_to_write(ctx, table, gated):
        return 0
    return merge_into(
        ctx.spark,
        ctx.config,
        table,
        gated.batch,
        update_condition=update_condition or changed_condition(table, ignore),
        delete_unmatched=delete_unmatched,
        rows=gated.rows,
    )


def write_new(ctx: JobContext, table: Table, batch: DataFrame) -> int:
    """Gate `batch`, then insert the rows whose keys are not in the table yet; return how many."""
    gated = ctx.gate(ctx, table, batch)
    if _nothing_to_write(ctx, table, gated):
        return 0
    return merge_into(ctx.spark, ctx.config, table, gated.batch, insert_only=True, rows=gated.rows)


def unwritten(ctx: JobContext, table: Table, batch: DataFrame) -> DataFrame:
    """The rows of `batch` whose keys `table` does not hold yet (every row while it does not
    exist): what `write_new` would insert, found before the gate, so rows an earlier run wrote
    are neither checked nor merged again."""
    name = ctx.name(table)
    if not ctx.spark.catalog.tableExists(name):
        return batch
    return batch.join(ctx.spark.table(name).select(*table.keys), list(table.keys), "left_anti")


def _nothing_to_write(ctx: JobContext, table: Table, gated: Gated) -> bool:
    """True when the gate counted no row; the table is then created if missing, and not merged:
    a MERGE of nothing still plans a join with the table and costs about a second locally."""
    if gated.rows:
        return False
    ensure_table(ctx.spark, ctx.config, table)
    return True


def write_step(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    rows_read: int,
    *,
    ignore: tuple[str, ...] = (),
    delete_unmatched: bool = False,
) -> int:
    """`write_changes` as one step of the run (rows read and written, time, failure)."""
    with ctx.step(table) as step:
        step.rows_read = rows_read
        step.rows_written = write_changes(ctx, table, batch, ignore=ignore, delete_unmatched=delete_unmatched)
    return step.rows_written


def replace_groups(
    ctx: JobContext,
    table: Table,
    batch: DataFrame,
    groups: DataFrame,
    *,
    ignore: tuple[str, ...] = ("updated_at",),
) -> int:
    """Write `batch` as the whole set of rows of the groups in `groups` (a frame of some key
    columns, e.g. the postings of a run): in one MERGE, upsert the batch and delete the rows of
    those groups that it does not hold. Rows are updated only where a column outside `ignore`
    differs. Return rows changed.
    """
    gated = ctx.gate(ctx, table, batch)
    batch = gated.batch
    ensure_table(ctx.spark, ctx.config, table)
    stored = ctx.spark.table(ctx.name(table)).join(groups.distinct(), groups.columns, "left_semi")
    stale = stale_keys(ctx, table, batch, stored)
    return merge_into(
        ctx.spark,
        ctx.config,
        table,
        batch,
        update_condition=changed_condition(table, ignore),
        stale=stale,
        rows=gated.rows,
    )


def stale_keys(ctx: JobContext, table: Table, batch: DataFrame, stored: DataFrame) -> DataFrame:
    """The keys of `stored` (rows of `table` that `batch` recomputes whole) that `batch` does not
    hold: the rows its write deletes (`merge_into`'s `stale`). Computed once: the MERGE runs its
    source up to three times (matches, rewritten files, deletion vectors), and this part of it
    scans the table and joins."""
    keys = list(table.keys)
    return ctx.platform.pin(stored.select(*keys).join(batch.select(*keys), keys, "left_anti"))
