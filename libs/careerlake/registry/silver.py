"""Silver tables: clean, normalized, deduplicated postings and career-document extractions."""

from careerlake.registry.checks import (
    ANNUAL_USD_SALARY,
    CONVERTIBLE_CURRENCY,
    FRESHNESS_MAX_DAYS,
    ISO_COUNTRY,
    ISO_CURRENCY,
    SOURCE_DATE,
    WARNING,
    Fresh,
    InSet,
)
from careerlake.registry.table import Column, Table, col, key, quarantine_table

SENIORITY_VALUES = (
    "intern",
    "entry",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
)
# Role families: the 23 O*NET-SOC major groups (reference/data/occupation_families.csv).
ROLE_FAMILIES = (
    "management",
    "business_financial",
    "computer_mathematical",
    "architecture_engineering",
    "science",
    "community_social_service",
    "legal",
    "education",
    "arts_design_media",
    "healthcare_practitioners",
    "healthcare_support",
    "protective_service",
    "food_service",
    "building_grounds",
    "personal_care",
    "sales",
    "office_admin",
    "farming_fishing_forestry",
    "construction_extraction",
    "installation_maintenance_repair",
    "production",
    "transportation_material_moving",
    "military",
)
WORK_MODELS = ("remote", "hybrid", "onsite")
SALARY_PERIODS = ("hour", "day", "week", "month", "year")

_POSTING_ATTRIBUTES: tuple[Column, ...] = (
    col("company", "string", "Hiring company as published."),
    col("company_normalized", "string", "Lower-case company name without legal suffixes, used for dedup."),
    key("title", "string", "Job title as published (whitespace collapsed)."),
    col("role_id", "string", "Canonical role from reference.roles; null when the title matches no role."),
    col(
        "role_family",
        "string",
        "O*NET-SOC major group of the role (sales, management, computer_mathematical, ...): the role's "
        "family, else the family whose occupation titles or keywords the title names; null when none.",
        InSet(ROLE_FAMILIES),
    ),
    col(
        "seniority",
        "string",
        "Seniority on the one ladder (intern ... executive); null when unknown.",
        InSet(SENIORITY_VALUES),
    ),
    col("seniority_ordinal", "int", "Ordinal of seniority from reference.seniority_levels."),
    col(
        "employment_type", "string", "full_time, part_time, contract, temporary, internship; null if unknown."
    ),
    col("description_text", "string", "Description as clean text: HTML stripped, entities decoded."),
    col("city", "string", "City of the job location."),
    col("region", "string", "State, province or region of the job location."),
    col("country", "string", "ISO 3166-1 alpha-2 country code.", ISO_COUNTRY),
    col(
        "work_model",
        "string",
        "remote, hybrid or onsite; null when the posting does not say.",
        InSet(WORK_MODELS),
    ),
    col("salary_min_original", "double", "Minimum pay as published, in salary_currency per salary_period."),
    col("salary_max_original", "double", "Maximum pay as published, in salary_currency per salary_period."),
    col(
        "salary_currency",
        "string",
        "ISO 4217 currency of the published pay.",
        ISO_CURRENCY,
        CONVERTIBLE_CURRENCY,
    ),
    col(
        "salary_period",
        "string",
        "Pay period as published: hour, day, week, month, year.",
        InSet(SALARY_PERIODS, WARNING),
    ),
    col(
        "salary_source",
        "string",
        "structured (a pay field of the source) or text (parsed from the description).",
    ),
    col("salary_min_annual", "double", "Minimum pay annualized, in salary_currency."),
    col("salary_max_annual", "double", "Maximum pay annualized, in salary_currency."),
    col("salary_mid_annual", "double", "Midpoint of the annualized range, in salary_currency."),
    col(
        "salary_min_annual_usd",
        "double",
        "Minimum annual pay in USD at the FX rate of fx_rate_date.",
        ANNUAL_USD_SALARY,
    ),
    col(
        "salary_max_annual_usd",
        "double",
        "Maximum annual pay in USD at the FX rate of fx_rate_date.",
        ANNUAL_USD_SALARY,
    ),
    col("salary_mid_annual_usd", "double", "Midpoint annual pay in USD.", ANNUAL_USD_SALARY),
    col("fx_rate_date", "date", "Date of the reference.fx_rates row used for the USD conversion."),
    key("salary_flags", "array<string>", "Plausibility flags: negative, min_gt_max, period_mismatch, ..."),
    key(
        "skills",
        "array<string>",
        "Canonical skill ids (reference.skills) found in title, description, skills.",
    ),
    col(
        "tool_skills",
        "array<string>",
        "The skills of kind tool (reference.skills.kind): named tools, languages and platforms, "
        "without concepts and soft skills; null on rows written before the column existed.",
    ),
    col("url", "string", "Public URL of the posting."),
    col("posted_at", "timestamp", "When the posting was first published (UTC).", SOURCE_DATE),
    col("valid_through", "timestamp", "When the posting expires, if the source says.", may_lie_ahead=True),
    key(
        "is_closed",
        "boolean",
        "True once the source marks the posting closed or expired, or its fetched board no longer lists it.",
    ),
)

POSTINGS = Table(
    layer="silver",
    name="postings",
    comment="One row per distinct job posting across all sources and deliveries: normalized and deduplicated.",
    columns=(
        key(
            "posting_id",
            "string",
            "Natural key: hash of normalized company, title and location (the dedup key).",
        ),
        *_POSTING_ATTRIBUTES,
        key("source_formats", "array<string>", "Every landing format the posting was seen in."),
        key("source_record_ids", "array<string>", "Every bronze.postings record_id folded into this row."),
        key(
            "attributes_hash",
            "string",
            "Hash of the tracked attributes; a change opens a new history version.",
        ),
        key("first_seen_at", "timestamp", "First ingestion of any record of this posting."),
        key("last_seen_at", "timestamp", "Latest ingestion of any record of this posting."),
        key("updated_at", "timestamp", "When this row last changed."),
    ),
    keys=("posting_id",),
    change_data_feed=True,
    checks=(Fresh("posted_at", FRESHNESS_MAX_DAYS),),
    constraints={
        "valid_seniority": "seniority IS NULL OR seniority IN ('intern','entry','mid','senior','staff',"
        "'principal','manager','director','executive')",
        "valid_work_model": "work_model IS NULL OR work_model IN ('remote','hybrid','onsite')",
        "country_iso2": "country IS NULL OR country RLIKE '^[A-Z]{2}$'",
        "currency_iso": "salary_currency IS NULL OR salary_currency RLIKE '^[A-Z]{3}$'",
    },
)

POSTINGS_HISTORY = Table(
    layer="silver",
    name="postings_history",
    comment="SCD type 2 history of silver.postings: one row per version of a posting's tracked attributes.",
    columns=(
        key("posting_id", "string", "The posting (silver.postings.posting_id)."),
        # A version follows its posting's publication date, which may lie ahead (clock skew).
        key("valid_from", "timestamp", "When this version became current.", SOURCE_DATE),
        col("valid_to", "timestamp", "When the next version replaced it; null while current.", SOURCE_DATE),
        key("is_current", "boolean", "True for the current version."),
        key("attributes_hash", "string", "Hash of the tracked attributes of this version."),
        *_POSTING_ATTRIBUTES,
    ),
    keys=("posting_id", "valid_from"),
    constraints={"valid_interval": "valid_to IS NULL OR valid_to >= valid_from"},
)

POSTINGS_QUARANTINE = quarantine_table("silver", "postings_quarantine", "bronze posting records")

CAREER_DOCUMENTS = Table(
    layer="silver",
    name="career_documents",
    comment="One row per career-path document: detected kind, metadata and clean body text without site noise.",
    columns=(
        key("doc_id", "string", "bronze.career_docs doc_id."),
        key("doc_type", "string", "thread, article or guide (detected from the content)."),
        col("layout", "string", "Source layout: markdown_thread, text_dump_thread, article, guide."),
        col("title", "string", "Document title."),
        col("site", "string", "Site the document came from, e.g. reddit.com."),
        col("community", "string", "Community or forum, e.g. r/dataengineering."),
        col("url", "string", "Original URL when the document states it."),
        col("author_hash", "string", "Keyed hash of the author name or handle (never the clear name)."),
        col("published_date", "date", "Publication date when the document states one.", SOURCE_DATE),
        col("role_id", "string", "Role the document is about (guides) when it names one."),
        key("body_text", "string", "Clean body text: site noise, contact lines and handles removed."),
        key("content_hash", "string", "Content hash of the bronze document version."),
        key("updated_at", "timestamp", "When this row last changed."),
    ),
    keys=("doc_id",),
    # gold follows its changes role by role (gold.scope).
    change_data_feed=True,
    constraints={"valid_doc_type": "doc_type IN ('thread','article','guide')"},
)

CAREER_COMMENTS = Table(
    layer="silver",
    name="career_comments",
    comment="One row per comment of a community thread, with quoted lines separated from the reply.",
    columns=(
        key("doc_id", "string", "Thread document (silver.career_documents.doc_id)."),
        key("position", "int", "1-based position of the comment in the thread."),
        col("author_hash", "string", "Keyed hash of the commenter's handle."),
        col("points", "int", "Score of the comment when the export states it."),
        key("reply_text", "string", "The comment's own words, quoted lines removed, handles pseudonymized."),
        key("quoted_text", "string", "Lines the comment quoted (> lines), empty when none."),
    ),
    keys=("doc_id", "position"),
)

_MENTION_LOCATION: tuple[Column, ...] = (
    key("doc_id", "string", "Document the mention comes from."),
    key("comment_position", "int", "Comment position, 0 for the document body."),
)

COMPENSATION_MENTIONS = Table(
    layer="silver",
    name="compensation_mentions",
    comment="Every money mention in career documents: component, amounts, currency, period and context.",
    columns=(
        key("mention_id", "string", "Hash of doc, comment, sentence index and position in the sentence."),
        *_MENTION_LOCATION,
        key("component", "string", "base, equity, bonus, sign_on, total or unspecified."),
        col(
            "amount_min",
            "double",
            "Lower amount (k/K/M suffixes applied); null for an equity mention without amount.",
        ),
        col("amount_max", "double", "Upper amount; equals amount_min for a single figure."),
        col(
            "currency",
            "string",
            "ISO 4217 currency, USD when only $ is given.",
            ISO_CURRENCY,
            CONVERTIBLE_CURRENCY,
        ),
        col("period", "string", "year, month, hour ...; year when unstated.", InSet(SALARY_PERIODS, WARNING)),
        col("vesting_years", "double", "Vesting period for equity ('over 4 years')."),
        key("open_ended", "boolean", "True for '$350k+'."),
        col("role_id", "string", "Role the amount refers to, when the sentence or section states it."),
        col("seniority", "string", "Level the amount refers to, when stated.", InSet(SENIORITY_VALUES)),
        key("sentence", "string", "The sentence the mention came from."),
    ),
    keys=("mention_id",),
    # gold follows its changes role by role (gold.scope).
    change_data_feed=True,
    constraints={
        "valid_component": "component IN ('base','equity','bonus','sign_on','total','unspecified')",
        "ordered_amounts": "amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max",
    },
)

EXPERIENCE_MENTIONS = Table(
    layer="silver",
    name="experience_mentions",
    comment="Years-of-experience statements, with the career stage they define when the text defines one.",
    columns=(
        key("mention_id", "string", "Hash of doc, comment, sentence index and position."),
        *_MENTION_LOCATION,
        col("years_min", "double", "Lower bound in years."),
        col("years_max", "double", "Upper bound in years; null for '10+ years'."),
        key("open_ended", "boolean", "True for '10+ years'."),
        col("career_stage", "string", "Stage the statement defines (e.g. beginner, intermediate, expert)."),
        key("sentence", "string", "The sentence the mention came from."),
    ),
    keys=("mention_id",),
)

ROLE_MENTIONS = Table(
    layer="silver",
    name="role_mentions",
    comment="Canonical roles mentioned per document and comment, with counts.",
    columns=(
        *_MENTION_LOCATION,
        key("role_id", "string", "reference.roles role_id."),
        key("mention_count", "int", "Times the role is mentioned there."),
    ),
    keys=("doc_id", "comment_position", "role_id"),
)

SKILL_MENTIONS = Table(
    layer="silver",
    name="skill_mentions",
    comment="Canonical skills mentioned per document and comment, with counts.",
    columns=(
        *_MENTION_LOCATION,
        key("skill_id", "string", "reference.skills skill_id."),
        key("mention_count", "int", "Times the skill is mentioned there."),
    ),
    keys=("doc_id", "comment_position", "skill_id"),
    # gold follows its changes role by role (gold.scope).
    change_data_feed=True,
)

CAREER_TRANSITIONS = Table(
    layer="silver",
    name="career_transitions",
    comment="Directed transitions between roles or levels of one role, with evidence from guides, threads and articles.",
    columns=(
        key("transition_id", "string", "Hash of document, comment, sentence and the two roles."),
        *_MENTION_LOCATION,
        col("from_role_id", "string", "Role moved from (null when the text names only a non-role origin)."),
        key("to_role_id", "string", "Role moved to."),
        col(
            "from_level",
            "string",
            "Level moved from (intern ... executive): the level the text names, mid for a role named "
            "without one (a guide's own role too); null when the text names neither.",
            InSet(SENIORITY_VALUES),
        ),
        col(
            "to_level",
            "string",
            "Level moved to, as from_level; differs from from_level when the role is the same (a promotion).",
            InSet(SENIORITY_VALUES),
        ),
        key("source_type", "string", "guide, thread or article."),
        key("evidence_kind", "string", "guide_section, first_person, question."),
        key("confidence", "double", "0..1 confidence of the extraction."),
        key("sentence", "string", "The sentence or list item that states the transition."),
    ),
    keys=("transition_id",),
    # gold follows its changes role by role (gold.scope).
    change_data_feed=True,
    constraints={"confidence_range": "confidence BETWEEN 0 AND 1"},
)

ROLE_GUIDES = Table(
    layer="silver",
    name="role_guides",
    comment="Career-guide facts per role and level: salary band and lists of skills, gaps, employers, next steps.",
    columns=(
        key("doc_id", "string", "Guide document."),
        key("role_id", "string", "Role the guide is about."),
        key(
            "level",
            "string",
            "Level the band refers to (entry, mid, senior, principal ...), 'all' for lists.",
        ),
        col("salary_min", "double", "Band lower bound."),
        col("salary_max", "double", "Band upper bound; null when open-ended without a figure."),
        key("salary_open_ended", "boolean", "True for '$350k+'."),
        col(
            "salary_currency", "string", "ISO 4217 currency of the band.", ISO_CURRENCY, CONVERTIBLE_CURRENCY
        ),
        col("salary_country", "string", "ISO country the band is for, when stated."),
        col("salary_basis", "string", "total_compensation or base."),
        key("responsibilities", "array<string>", "Key responsibilities."),
        key("top_skills", "array<string>", "Canonical skill ids of the top skills."),
        key("skill_gaps", "array<string>", "Canonical skill ids listed as common gaps."),
        key("employers", "array<string>", "Companies hiring / major employers."),
        key("sectors", "array<string>", "Industry sectors."),
        key("next_steps", "array<string>", "Recommended next steps."),
        col("growth_trend", "string", "The guide's growth-trend statement."),
    ),
    keys=("doc_id", "role_id", "level"),
    # gold follows its changes role by role (gold.scope).
    change_data_feed=True,
)

POSTING_PAY_RANGES = Table(
    layer="silver",
    name="posting_pay_ranges",
    comment=(
        "Every pay range a posting states, one row per place it applies to (a posting that pays per "
        "location in local currencies has one row per location); the rest have their one range."
    ),
    columns=(
        key("posting_id", "string", "The posting (silver.postings.posting_id)."),
        key(
            "pay_location",
            "string",
            "Where the range applies, as the source names it (a compensation tier's title), else the "
            "posting's location text; empty when the posting names none.",
        ),
        col("salary_min_original", "double", "Minimum pay as published, in salary_currency."),
        col("salary_max_original", "double", "Maximum pay as published, in salary_currency."),
        col(
            "salary_currency", "string", "ISO 4217 currency of the range.", ISO_CURRENCY, CONVERTIBLE_CURRENCY
        ),
        col(
            "salary_period",
            "string",
            "Pay period as published: hour, day, week, month, year.",
            InSet(SALARY_PERIODS, WARNING),
        ),
        col("salary_min_annual", "double", "Minimum pay annualized, in salary_currency."),
        col("salary_max_annual", "double", "Maximum pay annualized, in salary_currency."),
        col(
            "salary_min_annual_usd",
            "double",
            "Minimum annual pay in USD at the FX rate of fx_rate_date; null when the range is implausible.",
            ANNUAL_USD_SALARY,
        ),
        col(
            "salary_max_annual_usd",
            "double",
            "Maximum annual pay in USD at the FX rate of fx_rate_date; null when the range is implausible.",
            ANNUAL_USD_SALARY,
        ),
        col("fx_rate_date", "date", "Date of the reference.fx_rates row used for the USD conversion."),
        key(
            "is_headline",
            "boolean",
            "True for the range silver.postings carries as the posting's salary (the one of its own location).",
        ),
        key("updated_at", "timestamp", "When this row last changed."),
    ),
    keys=("posting_id", "pay_location"),
    constraints={"currency_iso": "salary_currency IS NULL OR salary_currency RLIKE '^[A-Z]{3}$'"},
)

CAREER_DOCS_QUARANTINE = quarantine_table("silver", "career_docs_quarantine", "career documents")

TABLES = (
    POSTINGS,
    POSTINGS_HISTORY,
    POSTINGS_QUARANTINE,
    POSTING_PAY_RANGES,
    CAREER_DOCUMENTS,
    CAREER_COMMENTS,
    COMPENSATION_MENTIONS,
    EXPERIENCE_MENTIONS,
    ROLE_MENTIONS,
    SKILL_MENTIONS,
    CAREER_TRANSITIONS,
    ROLE_GUIDES,
    CAREER_DOCS_QUARANTINE,
)
