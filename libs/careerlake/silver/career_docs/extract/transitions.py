"""Career transitions from first-person statements, questions and guide sections -> silver.career_transitions.

A transition is a role and a level on each side, so a promotion on the same role ("Data
Engineer" -> "Senior Data Engineer") is a transition of its own: the career ladder.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_best_match
from careerlake.reference.taxonomy import read_csv, roles_taxonomy
from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.silver.career_docs.extract.roles import singular_roles
from careerlake.silver.postings.normalize import normalize_title

_END = r"(?=\s+(?:after|at|in|within|over|last|this|because|by|when|since|and never)\b|[.,;:!?)]|$)"
_ART = r"(?:(?:a|an|the|my|being\s+an?|be\s+an?)\s+)?"
# (pattern, from group, to group, evidence_kind, confidence)
TRANSITION_PATTERNS: tuple[tuple[str, int, int, str, float], ...] = (
    (
        r"(?i)\b(?:should|can|could|would|do|shall)\s+I\s+(?:\w+\s+)?(?:pivot|switch|mov|transition|go|jump|get|break)\w*"
        rf"\s+(?:back\s+)?(?:the\s+(?:jump|switch)\s+)?(?:from\s+{_ART}(.{{2,60}}?)\s+)?(?:in)?to\s+{_ART}(.{{2,60}}?){_END}",
        1,
        2,
        "question",
        0.4,
    ),
    (
        r"(?i)\b(?:is it (?:possible|worth it|realistic|too late) to|how (?:do|can|should|did) (?:I|you)|thinking (?:about|of)"
        r"|considering)\s+(?:pivot|switch|mov|transition|go|jump|get|break)\w*\s+(?:the\s+(?:jump|switch)\s+)?"
        rf"(?:from\s+{_ART}(.{{2,60}}?)\s+)?(?:in)?to\s+{_ART}(.{{2,60}}?){_END}",
        1,
        2,
        "question",
        0.4,
    ),
    (
        r"(?i)\b(?:I|I've|I have|we|they|readers)\b[^.!?]{0,40}?\b(?:moved|switched|transitioned|pivoted|went|transferred"
        r"|jumped|changed careers?|got promoted|made the (?:switch|jump|move))\s+from\s+"
        rf"{_ART}(.{{2,60}}?)\s+(?:in)?to\s+{_ART}(.{{2,60}}?){_END}",
        1,
        2,
        "first_person",
        0.8,
    ),
    (
        r"(?i)\b(?:leaving|left|quit|quitting)\s+(?:my\s+|a\s+|an\s+|the\s+)?(.{2,60}?)\s+(?:job\s+|role\s+|position\s+)?"
        r"to\s+(?:join|become|work as|be)\s+(.{2,80}?)(?=[.,;:!?)]|$|\s+because\b)",
        1,
        2,
        "first_person",
        0.6,
    ),
)
_ROLE_NORMALIZATION = (
    (r"(?i)\banalysis\b", "analytics"),
    (r"(?i)\b(\w+) engineering\b(?!\s+manager)", "$1 engineer"),  # not "Data Engineering Manager"
    (r"(?i)\bmanagement\b", "manager"),
    (r"(?i)\badministration\b", "administrator"),
)


def with_fragment_role(df: DataFrame, fragment: str, out_col: str) -> DataFrame:
    """Add the canonical role of a phrase such as 'data analysis' or 'ML engineering'; null when none."""
    text = singular_roles(F.coalesce(F.col(fragment), F.lit("")))
    for pattern, replacement in _ROLE_NORMALIZATION:
        text = F.regexp_replace(text, pattern, replacement)
    staged = df.withColumn("_fragment_norm", text)
    return with_best_match(staged, "_fragment_norm", roles_taxonomy(), out_col).drop("_fragment_norm")


def with_fragment_level(df: DataFrame, fragment: str, role_col: str, out_col: str) -> DataFrame:
    """Add the level a role phrase names, by the postings' title rules ("Senior Data Engineer" ->
    senior, "Data Engineer Tech Lead" -> senior, "Engineering Manager" -> manager); a role named
    without a level word is at the mid rung; null when `role_col` is null and no level is named.
    The title rules work on columns title, role_id and seniority: `df` must not hold them."""
    staged = df.withColumn("title", F.coalesce(F.col(fragment), F.lit(""))).withColumn(
        "experience_level_raw", F.lit(None).cast("string")
    )
    level = F.coalesce(F.col("seniority"), F.when(F.col(role_col).isNotNull(), F.lit("mid")))
    return (
        normalize_title(staged)
        .withColumn(out_col, level)
        .drop("title", "experience_level_raw", "role_id", "seniority", "seniority_ordinal")
    )


def is_move(from_role: Column, to_role: Column, from_level: Column, to_level: Column) -> Column:
    """A change of role, or of level on the same role; a phrase naming the same role and level is no move."""
    same_role = F.coalesce(from_role == to_role, F.lit(False))
    return to_role.isNotNull() & (~same_role | F.coalesce(from_level != to_level, F.lit(False)))


def statement_transitions(sentences: DataFrame) -> DataFrame:
    """First-person statements and questions in threads and articles -> career_transitions rows."""
    candidates = F.array(
        *(
            F.struct(
                F.lit(i).alias("pattern"),
                F.regexp_extract("sentence", p, g_from).alias("from_text"),
                F.regexp_extract("sentence", p, g_to).alias("to_text"),
                F.lit(kind).alias("evidence_kind"),
                F.lit(confidence).alias("confidence"),
                F.col("sentence").rlike(p).alias("hit"),
            )
            for i, (p, g_from, g_to, kind, confidence) in enumerate(TRANSITION_PATTERNS)
        )
    )
    hits = sentences.where(F.col("doc_type") != "guide").select(
        "*", F.explode(F.filter(candidates, lambda c: c["hit"])).alias("c")
    )
    hits = hits.select("*", "c.from_text", "c.to_text")
    hits = with_fragment_role(with_fragment_role(hits, "from_text", "from_role_id"), "to_text", "to_role_id")
    hits = with_fragment_level(
        with_fragment_level(hits, "from_text", "from_role_id", "from_level"),
        "to_text",
        "to_role_id",
        "to_level",
    )
    edges = hits.select(
        "doc_id",
        "comment_position",
        "sentence",
        "from_role_id",
        "to_role_id",
        "from_level",
        "to_level",
        F.col("doc_type").alias("source_type"),
        "c.evidence_kind",
        "c.confidence",
        "c.pattern",
    ).where(is_move(F.col("from_role_id"), F.col("to_role_id"), F.col("from_level"), F.col("to_level")))
    edges = edges.withColumn(
        "confidence",
        F.when(
            F.col("from_role_id").isNull() & (F.col("evidence_kind") == "first_person"), F.lit(0.5)
        ).otherwise(F.col("confidence")),
    )
    # The first pattern that yields an edge wins for a sentence.
    first = F.min(
        F.struct(
            "pattern", "from_role_id", "to_role_id", "from_level", "to_level", "source_type", "evidence_kind",
            "confidence",
        )
    )  # fmt: skip
    return (
        edges.groupBy("doc_id", "comment_position", "sentence")
        .agg(first.alias("e"))
        .select("doc_id", "comment_position", "sentence", "e.*")
        .drop("pattern")
    )


def guide_transitions(guide_sections: DataFrame) -> DataFrame:
    """Guide sections (doc_id, role_id, section, items) -> Can Lead To / Transition Opportunities edges.

    The origin is the guide's role at the level its name implies: a guide is about the role
    without a level, so "Data Engineer" is mid and "Engineering Manager" manager.
    """
    role_names = literal_map({r["role_id"]: r["role_name"] for r in read_csv("roles.csv")})
    items = guide_sections.where(F.col("section").isin("progression", "transitions")).select(
        "doc_id",
        F.col("role_id").alias("from_role_id"),
        F.element_at(role_names, F.col("role_id")).alias("from_text"),
        "section",
        F.explode("items").alias("item"),
    )
    to_side = with_fragment_level(
        with_fragment_role(items, "item", "to_role_id"), "item", "to_role_id", "to_level"
    )
    leveled = with_fragment_level(to_side, "from_text", "from_role_id", "from_level")
    return leveled.select(
        "doc_id",
        F.lit(0).alias("comment_position"),
        F.col("item").alias("sentence"),
        "from_role_id",
        "to_role_id",
        "from_level",
        "to_level",
        F.lit("guide").alias("source_type"),
        F.lit("guide_section").alias("evidence_kind"),
        F.when(F.col("section") == "progression", 0.9).otherwise(0.8).alias("confidence"),
    ).where(is_move(F.col("from_role_id"), F.col("to_role_id"), F.col("from_level"), F.col("to_level")))


def with_transition_id(edges: DataFrame) -> DataFrame:
    tid = F.sha2(
        F.concat_ws("|", "doc_id", F.col("comment_position").cast("string"), "sentence",
                    F.coalesce("from_role_id", F.lit("")), "to_role_id"),
        256,
    )  # fmt: skip
    return edges.select(
        tid.alias("transition_id"),
        "doc_id",
        "comment_position",
        "from_role_id",
        "to_role_id",
        "from_level",
        "to_level",
        "source_type",
        "evidence_kind",
        F.col("confidence").cast("double").alias("confidence"),
        "sentence",
    )
