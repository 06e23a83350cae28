"""role_family: the O*NET-SOC major group of every posting, tech or not (sales, legal, ...)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_best_match
from careerlake.reference.taxonomy import occupations_taxonomy, role_families
from careerlake.reference.vocabulary.lookup import literal_map


def normalize_role_family(frame: DataFrame) -> DataFrame:
    """role_family: the family of the detailed role (role_id) when there is one, else that of the
    longest O*NET occupation title or family keyword in the title ("Account Executive": sales,
    "Marketing Manager": management); null when the title names none.
    """
    matched = with_best_match(frame, "title", occupations_taxonomy(), "_title_family")
    of_role = F.element_at(literal_map(role_families()), F.col("role_id"))
    return matched.withColumn("role_family", F.coalesce(of_role, F.col("_title_family"))).drop(
        "_title_family"
    )
