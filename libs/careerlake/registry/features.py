"""Feature tables for downstream models: primary keys, timeseries keys, labels kept apart."""

from careerlake.registry.checks import (
    ANNUAL_USD_SALARY,
    FRESHNESS_MAX_DAYS,
    ISO_COUNTRY,
    SOURCE_DATE,
    Between,
    Fresh,
    InSet,
)
from careerlake.registry.silver import SENIORITY_VALUES, WORK_MODELS
from careerlake.registry.table import Table, col, key

POSTING_FEATURES = Table(
    layer="features",
    name="posting_features",
    comment="Per-posting model inputs for salary prediction; label_* columns are targets, never inputs.",
    columns=(
        key("posting_id", "string", "silver.postings posting_id."),
        key("posted_at", "timestamp", "Timeseries key: when the posting was published.", SOURCE_DATE),
        col("role_id", "string", "Canonical role."),
        col(
            "seniority_ordinal",
            "int",
            "Seniority ordinal (0 intern ... 8 executive).",
            Between(0, len(SENIORITY_VALUES) - 1),
        ),
        col("country", "string", "ISO country.", ISO_COUNTRY),
        col("region", "string", "Region or state."),
        col("work_model", "string", "remote, hybrid, onsite.", InSet(WORK_MODELS)),
        col("employment_type", "string", "Employment type."),
        key(
            "skill_vector",
            "array<int>",
            "Multi-hot over the top-N skills (features.top_n_skills), in skill_vocabulary order.",
        ),
        key("skill_vocabulary_version", "string", "Hash of the top-N skill list the vector refers to."),
        key("skill_count", "int", "Number of skills found."),
        key("description_length", "int", "Characters of clean description."),
        key(
            "title_token_hashes",
            "array<int>",
            "Hashed title tokens (bucket ids, features.title_hash_buckets).",
        ),
        col("label_salary_min_usd", "double", "LABEL: annual USD minimum.", ANNUAL_USD_SALARY),
        col("label_salary_max_usd", "double", "LABEL: annual USD maximum.", ANNUAL_USD_SALARY),
        col("label_salary_mid_usd", "double", "LABEL: annual USD midpoint.", ANNUAL_USD_SALARY),
    ),
    keys=("posting_id",),
    timeseries_key="posted_at",
    checks=(Fresh("posted_at", FRESHNESS_MAX_DAYS),),
)

ROLE_FEATURES = Table(
    layer="features",
    name="role_features",
    comment="Daily per-role features computed only from postings known at as_of_date.",
    columns=(
        key("role_id", "string", "Canonical role."),
        key("as_of_date", "date", "Timeseries key: features use data with posted date <= as_of_date."),
        key("postings_30d", "bigint", "Postings in the 30 days up to as_of_date."),
        key("postings_90d", "bigint", "Postings in the 90 days up to as_of_date."),
        col("demand_growth", "double", "postings_30d vs the 30 days before, relative change."),
        col(
            "salary_p50_usd",
            "double",
            "Median annual USD salary of postings up to as_of_date (90 days).",
            ANNUAL_USD_SALARY,
        ),
        col("salary_iqr_usd", "double", "p75 - p25 annual USD salary (90 days)."),
        key(
            "top_skill_shares",
            "map<string,double>",
            "Share of the role's postings (90 days) mentioning each of its 10 most frequent top-N skills.",
        ),
        col("remote_share", "double", "Share of remote postings (90 days)."),
    ),
    keys=("role_id", "as_of_date"),
    timeseries_key="as_of_date",
)

ROLE_TRANSITION_FEATURES = Table(
    layer="features",
    name="role_transition_features",
    comment="Per role pair and day: evidence, skill overlap, salary uplift and seniority step.",
    columns=(
        key("from_role_id", "string", "Role moved from."),
        key("to_role_id", "string", "Role moved to."),
        key(
            "as_of_date",
            "date",
            "Timeseries key: run date of the evidence snapshot (transitions carry no date).",
        ),
        key("guide_evidence", "bigint", "Guide edges known at as_of_date."),
        key("thread_evidence", "bigint", "Thread statements known at as_of_date."),
        key("article_evidence", "bigint", "Article statements known at as_of_date."),
        col("skill_jaccard", "double", "Jaccard overlap of the two roles' posting skills."),
        col("salary_uplift_usd", "double", "Median salary of to_role minus from_role."),
        col("seniority_step", "double", "Median seniority ordinal of to_role minus from_role."),
    ),
    keys=("from_role_id", "to_role_id", "as_of_date"),
    timeseries_key="as_of_date",
)

SKILL_FEATURES = Table(
    layer="features",
    name="skill_features",
    comment="Per top-N skill and day: demand, growth, salary premium and co-occurring skills.",
    columns=(
        key("skill_id", "string", "Canonical skill."),
        key("as_of_date", "date", "Timeseries key."),
        key("postings_90d", "bigint", "Postings mentioning the skill in the 90 days up to as_of_date."),
        col("demand_growth", "double", "Last 30 days vs the 30 before, relative change."),
        col(
            "salary_premium_usd",
            "double",
            "Median salary of postings with the skill minus the median of all postings (90 days).",
        ),
        key("top_cooccurring_skills", "array<string>", "Skills most often found with it (90 days)."),
    ),
    keys=("skill_id", "as_of_date"),
    timeseries_key="as_of_date",
)

TABLES = (POSTING_FEATURES, ROLE_FEATURES, ROLE_TRANSITION_FEATURES, SKILL_FEATURES)
