"""Which gold keys a change of silver touches, so gold recomputes only those.

Every gold table but career_paths is a function of each role's postings and of the career
document facts about that role. skill_demand goes finer: a role × month cell needs that month's
postings and the month before (for the month-on-month change), so a new posting touches its
own month and the next; career documents never move it.

A career document touches the roles its guide rows, pay mentions and transitions name, and
through its skill mentions (a skill's count of community documents scores that skill's gap in
every role) every role whose postings ask for one of those skills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.gold.common import posting_month

# Change-feed rows that carry a posting as it was or as it is now.
_IMAGES = ("insert", "delete", "update_preimage", "update_postimage")


@dataclass(frozen=True)
class GoldScope:
    """The keys an incremental gold run recomputes: `roles` (one column, role_id) and
    `role_months` (role_id, month) for skill_demand."""

    roles: DataFrame
    role_months: DataFrame


def _images(changes: DataFrame) -> DataFrame:
    return changes.where(F.col("_change_type").isin(*_IMAGES))


def _role_ids(frame: DataFrame, column: str = "role_id") -> DataFrame:
    return frame.where(F.col(column).isNotNull()).select(F.col(column).alias("role_id"))


def changed_scope(posting_changes: DataFrame) -> GoldScope:
    """The roles of every posting in the change feed, before and after its change, and the
    role × month cells whose skill_demand rows depend on them."""
    images = _images(posting_changes).where(F.col("role_id").isNotNull())
    months = images.select("role_id", posting_month().alias("month")).distinct()
    touched = months.unionByName(months.select("role_id", F.add_months("month", 1).alias("month")))
    return GoldScope(roles=images.select("role_id").distinct(), role_months=touched.distinct())


def document_roles(
    changes: Mapping[str, DataFrame], silver: Mapping[str, DataFrame], postings: DataFrame
) -> DataFrame:
    """The roles whose gold rows the career-document changes in `changes` (table id -> change
    feed) can move, given the current `silver` tables and every silver.postings row.

    A changed document counts through its current mentions and guide rows too: its type decides
    whether its mentions are community evidence, and that can change while they do not.
    """
    parts: list[DataFrame] = []
    skills: list[DataFrame] = []
    if "silver.career_documents" in changes:
        docs = _images(changes["silver.career_documents"])
        doc_ids = docs.select("doc_id")
        parts.append(_role_ids(docs))
        for table_id in ("silver.compensation_mentions", "silver.role_guides"):
            parts.append(_role_ids(silver[table_id].join(doc_ids, "doc_id", "left_semi")))
        skills.append(silver["silver.skill_mentions"].join(doc_ids, "doc_id", "left_semi").select("skill_id"))
    for table_id in ("silver.compensation_mentions", "silver.role_guides"):
        if table_id in changes:
            parts.append(_role_ids(_images(changes[table_id])))
    if "silver.career_transitions" in changes:
        # A transition moves the common next roles of the role it leaves from.
        parts.append(_role_ids(_images(changes["silver.career_transitions"]), "from_role_id"))
    if "silver.skill_mentions" in changes:
        skills.append(_images(changes["silver.skill_mentions"]).select("skill_id"))
    if skills:
        touched = reduce(DataFrame.unionByName, skills).distinct()
        asked = postings.where(F.col("role_id").isNotNull()).select(
            "role_id", F.explode("skills").alias("skill_id")
        )
        parts.append(asked.join(touched, "skill_id", "left_semi").select("role_id"))
    return reduce(DataFrame.unionByName, parts).distinct()


def widened(scope: GoldScope | None, roles: DataFrame) -> GoldScope:
    """`scope` (None: no posting changed) with `roles` added to its roles."""
    if scope is None:
        empty = roles.select("role_id", F.lit(None).cast("date").alias("month")).limit(0)
        return GoldScope(roles=roles, role_months=empty)
    return GoldScope(roles=scope.roles.unionByName(roles).distinct(), role_months=scope.role_months)


def postings_in_scope(postings: DataFrame, scope: GoldScope) -> DataFrame:
    """silver.postings rows of the scope's roles."""
    return postings.join(scope.roles, "role_id", "left_semi")


def demand_postings(role_postings: DataFrame, scope: GoldScope) -> DataFrame:
    """Role postings that skill_demand needs for the scope's cells: their month and the one before."""
    needed = scope.role_months.unionByName(
        scope.role_months.select("role_id", F.add_months("month", -1).alias("month"))
    ).distinct()
    return role_postings.join(needed, ["role_id", "month"], "left_semi")
