"""Job load_reference: packaged taxonomies and FX rates -> reference.* Delta tables."""

from careerlake.quality.gate import write_validated
from careerlake.reference.taxonomy import reference_frames
from careerlake.registry import reference
from careerlake.runtime.context import JobContext


def load_reference(ctx: JobContext) -> None:
    frames = reference_frames(ctx.spark)
    for table in reference.TABLES:
        frame = frames[table.id]
        changed = " OR ".join(f"NOT (t.`{c}` <=> s.`{c}`)" for c in table.column_names if c not in table.keys)
        with ctx.step(table) as step:
            step.rows_read = frame.count()
            step.rows_written = write_validated(ctx, table, frame, update_condition=changed)
