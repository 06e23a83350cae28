"""Which gold keys a change of silver.postings touches, so gold recomputes only those.

Every gold table but career_paths is a function of each role's postings alone (and of the
career documents, which an incremental run requires unchanged). skill_demand goes finer: a
role × month cell needs that month's postings and the month before (for the month-on-month
change), so a new posting touches its own month and the next.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def changed_scope(posting_changes: DataFrame) -> GoldScope:
    """The roles of every posting in the change feed, before and after its change, and the
    role × month cells whose skill_demand rows depend on them."""
    images = posting_changes.where(F.col("_change_type").isin(*_IMAGES) & F.col("role_id").isNotNull())
    months = images.select("role_id", posting_month().alias("month")).distinct()
    touched = months.unionByName(months.select("role_id", F.add_months("month", 1).alias("month")))
    return GoldScope(roles=images.select("role_id").distinct(), role_months=touched.distinct())


def postings_in_scope(postings: DataFrame, scope: GoldScope) -> DataFrame:
    """silver.postings rows of the scope's roles."""
    return postings.join(scope.roles, "role_id", "left_semi")


def demand_postings(role_postings: DataFrame, scope: GoldScope) -> DataFrame:
    """Role postings that skill_demand needs for the scope's cells: their month and the one before."""
    needed = scope.role_months.unionByName(
        scope.role_months.select("role_id", F.add_months("month", -1).alias("month"))
    ).distinct()
    return role_postings.join(needed, ["role_id", "month"], "left_semi")
