"""Seniority words (in prose and in sources' experience-level fields) -> the seniority levels.

The levels are those of the seniority taxonomy (reference/data/seniority.csv).
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map

# Keys are lower case with single spaces ("Entry-Level", "entry_level" -> "entry level").
# LinkedIn's "Mid-Senior level" spans two rungs, so it stays unknown.
SENIORITY_WORDS: dict[str, str] = {
    "intern": "intern", "internship": "intern",
    "entry": "entry", "entry level": "entry", "junior": "entry", "graduate": "entry", "new grad": "entry",
    "associate": "entry", "beginner": "entry",
    "mid": "mid", "mid level": "mid", "intermediate": "mid",
    "senior": "senior", "senior level": "senior", "sr": "senior", "sr.": "senior", "lead": "senior",
    "experienced": "senior",
    "staff": "staff", "principal": "principal", "manager": "manager", "director": "director",
    "executive": "executive",
}  # fmt: skip
# The seniority words searched for in free text; "associate" or "mid" alone say too little there.
LEVEL_PATTERN = (
    r"intern|junior|entry[- ]level|new grad|beginner|mid[- ]level|intermediate|senior|sr\.?|staff|principal|lead"
    r"|manager|director"
)
# Career stages a writer puts before years of experience ("a senior with 5 years"); kept as written.
CAREER_STAGE_PATTERN = r"beginner|novice|intermediate|advanced|expert|junior|entry[- ]level|mid[- ]level|senior|staff|principal|lead"


def seniority_of(word: Column) -> Column:
    """The seniority level a word or field value names; null when it names none."""
    key = F.regexp_replace(F.lower(F.trim(word)), r"[\s_-]+", " ")
    return F.element_at(literal_map(SENIORITY_WORDS), key)
