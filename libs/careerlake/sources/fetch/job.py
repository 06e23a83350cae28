"""Job `fetch_postings`: the boards of conf `fetch.boards` -> raw landing files + ops.fetch_log.

The first job of the daily run. A board that fails is logged and the others go on; the job
fails only when every board failed (or the config is wrong, which loading it already reports).
"""

from __future__ import annotations

from careerlake.registry.ops import BOARD_FRESHNESS, FETCH_LOG
from careerlake.runtime.context import JobContext, console
from careerlake.runtime.delta import ensure_tables, merge_into
from careerlake.runtime.errors import FetchFailedError
from careerlake.sources.fetch.log import board_freshness, log_frame
from careerlake.sources.fetch.run import fetch_boards


def fetch_postings(ctx: JobContext) -> None:
    # Silver reads the log for closures, also when nothing is fetched here.
    ensure_tables(ctx.spark, ctx.config, (FETCH_LOG, BOARD_FRESHNESS))
    settings = ctx.config.fetch
    if settings.boards.count() == 0:
        console.print("  fetch_postings: no boards in conf fetch.boards, nothing fetched")
        return
    with ctx.step(FETCH_LOG) as step:
        results = fetch_boards(settings, ctx.config.landing)
        step.rows_read = len(results)
        step.rows_written = merge_into(
            ctx.spark, ctx.config, FETCH_LOG, log_frame(ctx.spark, results, ctx.run_id)
        )
        failed = [r for r in results if r.failed]
        step.rows_quarantined = len(failed)
        for result in failed:
            console.print(f"  [yellow]![/] {result.source}/{result.board}: {result.error}")
    with ctx.step(BOARD_FRESHNESS) as step:
        fetch_log = ctx.spark.table(ctx.name(FETCH_LOG))
        freshness = board_freshness(fetch_log)
        step.rows_read = fetch_log.count()
        step.rows_written = merge_into(ctx.spark, ctx.config, BOARD_FRESHNESS, freshness)
    if results and len(failed) == len(results):
        raise FetchFailedError(f"every one of the {len(results)} fetches failed; first: {failed[0].error}")
