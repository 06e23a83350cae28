"""Gold tables: analyst-facing aggregates, every column commented."""

from careerlake.registry.checks import (
    ANNUAL_USD_SALARY,
    ISO_COUNTRY,
    Between,
    Drift,
    InSet,
    Matches,
    Ordered,
    Setting,
)
from careerlake.registry.silver import SENIORITY_VALUES, WORK_MODELS
from careerlake.registry.table import Table, col, key

# Roll-up cells ("every seniority", "every country") carry these beside the real codes.
ROLLUP_MARKERS = ("all", "ALL")

SALARY_BENCHMARKS = Table(
    layer="gold",
    name="salary_benchmarks",
    comment="Annual USD salary percentiles per role, seniority, country and work model, beside guide bands "
    "and community compensation mentions. Small cells are suppressed.",
    columns=(
        key("role_id", "string", "Canonical role."),
        key(
            "seniority",
            "string",
            "Seniority level, 'all' for the role-wide cell.",
            InSet(SENIORITY_VALUES + ROLLUP_MARKERS),
        ),
        key(
            "country",
            "string",
            "ISO country code, 'ALL' for every country.",
            Matches(ISO_COUNTRY.pattern, also=ROLLUP_MARKERS),
        ),
        key("work_model", "string", "remote, hybrid, onsite, or 'all'.", InSet(WORK_MODELS + ROLLUP_MARKERS)),
        key(
            "posting_count",
            "bigint",
            "Postings with an unflagged annual USD salary in the cell.",
            Between(low=0),
        ),
        key(
            "is_suppressed",
            "boolean",
            "True when posting_count is below gold.min_cell_postings: figures are null.",
        ),
        col(
            "p10_usd",
            "double",
            "10th percentile of annual USD salary midpoints (exact Spark percentile).",
            ANNUAL_USD_SALARY,
        ),
        col("p25_usd", "double", "25th percentile.", ANNUAL_USD_SALARY),
        col("p50_usd", "double", "Median.", ANNUAL_USD_SALARY),
        col("p75_usd", "double", "75th percentile.", ANNUAL_USD_SALARY),
        col("p90_usd", "double", "90th percentile.", ANNUAL_USD_SALARY),
        col(
            "guide_band_min_usd",
            "double",
            "Lowest career-guide band bound for the role and level (USD at the newest FX rate).",
            ANNUAL_USD_SALARY,
        ),
        col(
            "guide_band_max_usd",
            "double",
            "Career-guide band upper bound (USD); null when open-ended.",
            ANNUAL_USD_SALARY,
        ),
        key(
            "community_mention_count",
            "bigint",
            "Base/total pay mentions in community threads and articles for the role and level (any country).",
        ),
        col(
            "community_median_usd",
            "double",
            "Median of those mentions, annualized and converted to USD.",
            ANNUAL_USD_SALARY,
        ),
        key("refreshed_at", "timestamp", "When the cell was last recomputed."),
    ),
    keys=("role_id", "seniority", "country", "work_model"),
    constraints={"suppressed_has_no_figures": "NOT is_suppressed OR p50_usd IS NULL"},
    checks=(
        Ordered("p25_usd", "p75_usd"),
        # A large move may be real (a new market): it needs a look, not a stopped pipeline.
        Drift("p50_usd", "p50", Setting("gold_p50_max_change_pct")),
    ),
)

SKILL_DEMAND = Table(
    layer="gold",
    name="skill_demand",
    comment="Monthly skill demand per role: postings mentioning the skill, share, change and salary premium.",
    columns=(
        key("skill_id", "string", "Canonical skill."),
        key("role_id", "string", "Canonical role."),
        key("month", "date", "First day of the posting month."),
        key("postings_with_skill", "bigint", "Postings of the role in the month that mention the skill."),
        key("role_postings", "bigint", "All postings of the role in the month."),
        key("share_of_role_postings", "double", "postings_with_skill / role_postings.", Between(0, 1)),
        col(
            "mom_change",
            "double",
            "Change of share versus the previous month (absolute); null for the first month.",
        ),
        col(
            "median_salary_with_usd",
            "double",
            "Median annual USD salary of postings with the skill.",
            ANNUAL_USD_SALARY,
        ),
        col(
            "median_salary_without_usd",
            "double",
            "Median annual USD salary of the role's postings without it.",
            ANNUAL_USD_SALARY,
        ),
        key("refreshed_at", "timestamp", "When the row was last recomputed."),
    ),
    keys=("skill_id", "role_id", "month"),
)

CAREER_PATHS = Table(
    layer="gold",
    name="career_paths",
    comment="Role-to-next-role edges combining guide edges, community evidence and seniority ladders.",
    columns=(
        key("from_role_id", "string", "Role moved from."),
        key("to_role_id", "string", "Role moved to."),
        key("weight", "double", "Combined evidence weight (confidence-weighted, normalized per from_role)."),
        key("guide_evidence", "bigint", "Guide sections naming the edge."),
        key("thread_evidence", "bigint", "Community thread statements."),
        key("article_evidence", "bigint", "Article statements."),
        key(
            "ladder_evidence",
            "bigint",
            "Seniority-ladder edges (e.g. senior engineer to engineering manager).",
        ),
        col(
            "median_salary_uplift_usd",
            "double",
            "Median annual USD salary of to_role minus that of from_role.",
        ),
        key("refreshed_at", "timestamp", "When the row was last recomputed."),
    ),
    keys=("from_role_id", "to_role_id"),
)

ROLE_PROFILES = Table(
    layer="gold",
    name="role_profiles",
    comment="One row per role: top skills, salary band, demand trend, next roles and skill gaps.",
    columns=(
        key("role_id", "string", "Canonical role."),
        key("role_name", "string", "Display name."),
        key("posting_count", "bigint", "Distinct postings of the role."),
        key("top_posting_skills", "array<string>", "Most demanded skills in postings, most frequent first."),
        key("top_guide_skills", "array<string>", "Top skills according to career guides."),
        col(
            "salary_p25_usd",
            "double",
            "25th percentile annual USD salary (null when suppressed).",
            ANNUAL_USD_SALARY,
        ),
        col(
            "salary_p50_usd", "double", "Median annual USD salary (null when suppressed).", ANNUAL_USD_SALARY
        ),
        col(
            "salary_p75_usd",
            "double",
            "75th percentile annual USD salary (null when suppressed).",
            ANNUAL_USD_SALARY,
        ),
        col(
            "demand_trend", "string", "rising, stable, falling or unknown, from the last months of postings."
        ),
        key("common_next_roles", "array<string>", "Most likely next roles by career_paths weight."),
        key("common_skill_gaps", "array<string>", "Skill gaps from gold.skill_gaps, strongest first."),
        key("refreshed_at", "timestamp", "When the row was last recomputed."),
    ),
    keys=("role_id",),
)

SKILL_GAPS = Table(
    layer="gold",
    name="skill_gaps",
    comment="Per role, skills postings demand but guides list as often missing, or whose demand rises while "
    "community advice rarely mentions them.",
    columns=(
        key("role_id", "string", "Canonical role."),
        key("skill_id", "string", "Canonical skill."),
        key("gap_reason", "string", "guide_listed_gap or rising_demand_low_advice."),
        key("posting_share", "double", "Share of the role's postings that mention the skill."),
        col("demand_change", "double", "Change of that share over the last months."),
        key("community_mentions", "bigint", "Community documents mentioning the skill."),
        key("gap_score", "double", "Ranking score, higher = bigger gap."),
        key("refreshed_at", "timestamp", "When the row was last recomputed."),
    ),
    keys=("role_id", "skill_id", "gap_reason"),
)

POSTING_LIFECYCLE = Table(
    layer="gold",
    name="posting_lifecycle",
    comment="Per role: postings open now, postings closed (gone from their fetched board), and how long "
    "closed postings stayed open: a time-to-fill proxy.",
    columns=(
        key("role_id", "string", "Canonical role."),
        key("open_postings", "bigint", "Postings of the role not closed."),
        key("closed_postings", "bigint", "Postings of the role that closed after being seen open."),
        col(
            "median_days_open",
            "double",
            "Median days from publication (or first sighting) to closing, over the closed postings; "
            "null when none closed.",
        ),
        col("avg_days_open", "double", "Mean of the same; null when none closed."),
        key("refreshed_at", "timestamp", "When the row was last recomputed."),
    ),
    keys=("role_id",),
    constraints={"counts_not_negative": "open_postings >= 0 AND closed_postings >= 0"},
)

TABLES = (SALARY_BENCHMARKS, SKILL_DEMAND, CAREER_PATHS, ROLE_PROFILES, SKILL_GAPS, POSTING_LIFECYCLE)
