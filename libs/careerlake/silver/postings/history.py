"""Fold posting records into SCD2 versions (silver.postings_history) and current rows (silver.postings)."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.registry.silver import POSTINGS, POSTINGS_HISTORY
from careerlake.silver.postings.transform import ATTRIBUTES
from careerlake.sources.postings import FORMATS


def _priority() -> F.Column:
    """Two formats delivered in the same run: the one of lower priority wins (PostingFormat.priority)."""
    priorities = {name: str(fmt.priority) for name, fmt in FORMATS.items()}
    return F.element_at(literal_map(priorities), F.col("source_format")).cast("int")


def fold_history(records: DataFrame, existing: DataFrame) -> DataFrame:
    """History rows of the postings in `records`: existing versions plus the records' versions.

    A record opens a version at its ingested_at when its attributes_hash differs from the
    version before it; valid_to is the next version's valid_from; the last version is current.
    Re-folding the same records yields the same rows, so the MERGE writes nothing.
    """
    first_per_instant = Window.partitionBy("posting_id", "ingested_at").orderBy(_priority(), "record_id")
    batch = (
        records.withColumn("_n", F.row_number().over(first_per_instant))
        .where("_n = 1")
        .select("posting_id", F.col("ingested_at").alias("valid_from"), "attributes_hash", *ATTRIBUTES)
        .withColumn("_batch", F.lit(1))
    )
    affected = existing.join(batch.select("posting_id").distinct(), "posting_id", "left_semi")
    prior = affected.select("posting_id", "valid_from", "attributes_hash", *ATTRIBUTES).withColumn(
        "_batch", F.lit(0)
    )
    one_per_key = Window.partitionBy("posting_id", "valid_from").orderBy(F.col("_batch").desc())
    ordered = Window.partitionBy("posting_id").orderBy("valid_from")
    versions = (
        batch.unionByName(prior)
        .withColumn("_n", F.row_number().over(one_per_key))
        .where("_n = 1")
        .withColumn("_previous", F.lag("attributes_hash").over(ordered))
        .where(F.col("_previous").isNull() | (F.col("_previous") != F.col("attributes_hash")))
        .withColumn("valid_to", F.lead("valid_from").over(ordered))
        .withColumn("is_current", F.col("valid_to").isNull())
    )
    return versions.select(*POSTINGS_HISTORY.column_names)


def latest_records(records: DataFrame) -> DataFrame:
    """Each posting's latest record: the newest delivery, then the format of lower priority."""
    latest = Window.partitionBy("posting_id").orderBy(F.col("ingested_at").desc(), _priority(), "record_id")
    return records.withColumn("_n", F.row_number().over(latest)).where("_n = 1").drop("_n")


def current_postings(records: DataFrame, existing: DataFrame, updated_at: datetime) -> DataFrame:
    """silver.postings rows of the postings in `records`: the latest delivery's attributes, with
    source formats, record ids and first/last seen accumulated over the existing row."""
    attributes = latest_records(records).select("posting_id", "attributes_hash", *ATTRIBUTES)
    seen = records.groupBy("posting_id").agg(
        F.collect_set("source_format").alias("_formats"),
        F.collect_set("record_id").alias("_records"),
        F.min("ingested_at").alias("_first"),
        F.max("ingested_at").alias("_last"),
    )
    before = existing.select(
        "posting_id",
        F.col("source_formats").alias("_old_formats"),
        F.col("source_record_ids").alias("_old_records"),
        F.col("first_seen_at").alias("_old_first"),
        F.col("last_seen_at").alias("_old_last"),
    )
    empty = F.array().cast("array<string>")
    merged = attributes.join(seen, "posting_id").join(before, "posting_id", "left")
    return merged.select(
        "*",
        F.array_sort(F.array_distinct(F.concat("_formats", F.coalesce("_old_formats", empty)))).alias(
            "source_formats"
        ),
        F.array_sort(F.array_distinct(F.concat("_records", F.coalesce("_old_records", empty)))).alias(
            "source_record_ids"
        ),
        F.least("_first", "_old_first").alias("first_seen_at"),
        F.greatest("_last", "_old_last").alias("last_seen_at"),
        F.lit(updated_at).cast("timestamp").alias("updated_at"),
    ).select(*POSTINGS.column_names)


HISTORY_CHANGED = "NOT (t.valid_to <=> s.valid_to) OR t.is_current <> s.is_current OR t.attributes_hash <> s.attributes_hash"
POSTING_CHANGED = (
    "t.attributes_hash <> s.attributes_hash OR NOT (t.source_record_ids <=> s.source_record_ids)"
)
