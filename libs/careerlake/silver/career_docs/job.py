"""Job `silver_career_docs`: bronze.career_docs -> documents, comments, mentions, transitions, guides.

Incremental: only bronze documents not yet in silver.career_documents (or every document with
--full-refresh) are parsed; each table is MERGEd on its keys with a change condition, so a
re-run writes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.privacy import pseudonymization_key
from careerlake.registry import bronze, silver
from careerlake.runtime.context import JobContext
from careerlake.runtime.delta import ensure_table, read_source
from careerlake.runtime.io import write_new, write_step
from careerlake.silver.career_docs.extract.compensation import compensation_mentions
from careerlake.silver.career_docs.extract.experience import experience_mentions
from careerlake.silver.career_docs.extract.guides import role_guides
from careerlake.silver.career_docs.extract.roles import role_mentions, skill_mentions
from careerlake.silver.career_docs.extract.transitions import (
    guide_transitions,
    statement_transitions,
    with_transition_id,
)
from careerlake.silver.career_docs.parse import parse_documents
from careerlake.silver.career_docs.transforms import (
    body_sentences,
    comments,
    documents,
    guide_sections,
    quarantine,
    text_units,
)


def _new_documents(ctx: JobContext) -> DataFrame:
    docs = read_source(ctx.spark, ctx.config, bronze.CAREER_DOCS, "ingest_career_docs")
    if ctx.full_refresh:
        return docs
    done = ctx.spark.table(ensure_table(ctx.spark, ctx.config, silver.CAREER_DOCUMENTS)).select("doc_id")
    rejected = ctx.spark.table(ensure_table(ctx.spark, ctx.config, silver.CAREER_DOCS_QUARANTINE)).select(
        F.split("record_ref", " ")[0].alias("doc_id")
    )
    return docs.join(done.unionByName(rejected), "doc_id", "left_anti")


def silver_career_docs(ctx: JobContext) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    key = pseudonymization_key(ctx.config, ctx.spark)
    source = _new_documents(ctx)
    # The parse is the one Python step: keep its result for the ten writes below.
    parsed = ctx.platform.cache(parse_documents(source))
    try:
        read = parsed.count()
        with ctx.step(silver.CAREER_DOCS_QUARANTINE) as step:
            step.rows_read = read
            rejects = quarantine(parsed, source, ctx.run_id, now)
            step.rows_quarantined = write_new(ctx, silver.CAREER_DOCS_QUARANTINE, rejects)
        good = parsed.where(F.col("parse_error").isNull())
        # Each frame below feeds several extractions: computed once, so each extraction plans
        # over small leaves instead of re-planning (and re-reading) the documents.
        pin = ctx.platform.pin
        docs = pin(documents(good, source, key, now))
        thread_comments = pin(comments(good, key))
        units = pin(text_units(docs, thread_comments))
        sents = pin(body_sentences(units))
        sections = pin(guide_sections(good, docs))
        transitions = with_transition_id(
            statement_transitions(sents).unionByName(guide_transitions(sections))
        )
        outputs = (
            (silver.CAREER_COMMENTS, thread_comments),
            (silver.COMPENSATION_MENTIONS, compensation_mentions(sents)),
            (silver.EXPERIENCE_MENTIONS, experience_mentions(sents)),
            (silver.ROLE_MENTIONS, role_mentions(units)),
            (silver.SKILL_MENTIONS, skill_mentions(units)),
            (silver.CAREER_TRANSITIONS, transitions),
            (silver.ROLE_GUIDES, role_guides(sections)),
            # Last: a document counts as done (see _new_documents) only once its extractions are in.
            (silver.CAREER_DOCUMENTS, docs),
        )
        for table, frame in outputs:
            write_step(ctx, table, frame.select(*table.column_names), read, ignore=("updated_at",))
    finally:
        ctx.platform.release(parsed)
