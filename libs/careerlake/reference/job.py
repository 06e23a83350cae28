"""Job load_reference: packaged taxonomies and FX rates -> reference.* Delta tables."""

from careerlake.reference.taxonomy import reference_frames
from careerlake.registry import reference
from careerlake.runtime.context import JobContext
from careerlake.runtime.io import write_step


def load_reference(ctx: JobContext) -> None:
    frames = reference_frames(ctx.spark)
    for table in reference.TABLES:
        frame = frames[table.id]
        write_step(ctx, table, frame, frame.count())
