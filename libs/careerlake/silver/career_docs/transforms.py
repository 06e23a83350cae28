"""Parsed documents -> the silver career tables (pure DataFrame -> DataFrame functions)."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.privacy import pseudonym, scrub_identities
from careerlake.reference.matching import with_best_match
from careerlake.reference.taxonomy import roles_taxonomy
from careerlake.silver.career_docs.extract.sentences import sentences

SOURCE = "bronze.career_docs"


def documents(parsed: DataFrame, bronze: DataFrame, key: str, now: datetime) -> DataFrame:
    """Parsed documents (without parse errors) -> silver.career_documents (+ doc_role_id for extraction)."""
    joined = parsed.join(bronze.select("doc_id", "content_hash"), "doc_id")
    titled = with_best_match(joined, "title", roles_taxonomy(), "title_role_id")
    title_role = F.col("title_role_id")
    return titled.select(
        "doc_id",
        "doc_type",
        "layout",
        scrub_identities(F.col("title"), key).alias("title"),
        "site",
        "community",
        "url",
        pseudonym(F.col("author"), key).alias("author_hash"),
        "published_date",
        F.when(F.col("doc_type") == "guide", title_role).alias("role_id"),
        scrub_identities(F.col("body_text"), key).alias("body_text"),
        "content_hash",
        F.lit(now).alias("updated_at"),
        title_role.alias("doc_role_id"),
    )


def comments(parsed: DataFrame, key: str) -> DataFrame:
    """Parsed threads -> silver.career_comments, handles and e-mails pseudonymized."""
    return parsed.select("doc_id", F.explode("comments").alias("c")).select(
        "doc_id",
        F.col("c.position").alias("position"),
        pseudonym(F.col("c.author"), key).alias("author_hash"),
        F.col("c.points").alias("points"),
        scrub_identities(F.col("c.reply_text"), key).alias("reply_text"),
        scrub_identities(F.coalesce(F.col("c.quoted_text"), F.lit("")), key).alias("quoted_text"),
    )


def text_units(docs: DataFrame, thread_comments: DataFrame) -> DataFrame:
    """Body (comment_position 0, with the title) and each comment's own words (quotes excluded)."""
    body = docs.select(
        "doc_id",
        F.lit(0).alias("comment_position"),
        F.concat_ws("\n", "title", "body_text").alias("text"),
        "doc_type",
        "doc_role_id",
    )
    replies = thread_comments.join(docs.select("doc_id", "doc_type"), "doc_id").select(
        "doc_id",
        F.col("position").alias("comment_position"),
        F.col("reply_text").alias("text"),
        "doc_type",
        F.lit(None).cast("string").alias("doc_role_id"),
    )
    return body.unionByName(replies)


def body_sentences(units: DataFrame) -> DataFrame:
    """Sentences of the units; the body's title line is not a sentence of the body (index >= 1)."""
    split = sentences(units)
    return split.where((F.col("comment_position") > 0) | (F.col("sentence_index") > 0))


def guide_sections(parsed: DataFrame, docs: DataFrame) -> DataFrame:
    """(doc_id, role_id, section, items) of guides that name a known role."""
    guides = docs.where(F.col("role_id").isNotNull()).select("doc_id", "role_id")
    return parsed.join(guides, "doc_id").select("doc_id", "role_id", F.inline("sections"))


def quarantine(parsed: DataFrame, bronze: DataFrame, run_id: str, now: datetime) -> DataFrame:
    """Documents the parser rejected -> silver.career_docs_quarantine."""
    bad = parsed.where(F.col("parse_error").isNotNull()).join(
        bronze.select("doc_id", "source_file", "raw_text"), "doc_id"
    )
    return bad.select(
        F.sha2(F.concat_ws("|", F.lit(SOURCE), "doc_id"), 256).alias("quarantine_id"),
        F.lit("career_docs").alias("source"),
        F.lit(SOURCE).alias("source_file"),
        F.concat_ws(" ", "doc_id", "source_file").alias("record_ref"),
        F.col("parse_error").alias("reason"),
        F.substring("raw_text", 1, 1_000_000).alias("raw_text"),
        F.lit(run_id).alias("run_id"),
        F.lit(now).alias("quarantined_at"),
    )
