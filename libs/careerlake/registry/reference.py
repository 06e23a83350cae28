"""Reference tables: versioned taxonomies and FX rates shipped as data in the package."""

from careerlake.registry.checks import CONVERTIBLE_CURRENCY, ISO_CURRENCY, InSet
from careerlake.registry.silver import SENIORITY_VALUES
from careerlake.registry.table import Table, col, key

# What a skill is (reference/data/README.md): a named tool, a concept or a soft skill.
SKILL_KINDS = ("tool", "concept", "soft")

ROLES = Table(
    layer="reference",
    name="roles",
    comment="Role taxonomy: canonical tech, data and ML roles with the title aliases that identify them.",
    columns=(
        key("role_id", "string", "Canonical role id (snake_case), e.g. machine_learning_engineer."),
        key("role_name", "string", "Display name of the role."),
        key("family", "string", "Role family: software, data, ml, infrastructure, security, product, ..."),
        key("aliases", "array<string>", "Lower-case title phrases that identify the role."),
        key("taxonomy_version", "string", "Version of the reference data release."),
    ),
    keys=("role_id",),
)

SKILLS = Table(
    layer="reference",
    name="skills",
    comment="Skill taxonomy: canonical skills with categories and the surface forms that mention them.",
    columns=(
        key("skill_id", "string", "Canonical skill id, e.g. kubernetes, apache_spark."),
        key("skill_name", "string", "Display name of the skill."),
        key("category", "string", "Skill category: language, data_engineering, ml, cloud, bi, ..."),
        key(
            "kind",
            "string",
            "What the skill is: tool (a named tool, language, platform, library, database or cloud "
            "service: Python, Kubernetes, Snowflake), concept (a practice or field: observability, data "
            "pipelines, CI/CD, machine learning) or soft (communication, leadership). Filter on "
            "kind = 'tool' to count named technologies only.",
            InSet(SKILL_KINDS),
        ),
        key("aliases", "array<string>", "Surface forms matched on word boundaries."),
        key("case_sensitive", "boolean", "True when aliases match only in their exact case (Rust, Excel)."),
        key(
            "context_aliases",
            "array<string>",
            "Short names that are also ordinary text (C, R, Go), in their exact case: they count only "
            'next to another skill ("C/C++", "Go or Rust") or a language word ("in R", "Go developer").',
        ),
        key("taxonomy_version", "string", "Version of the reference data release."),
    ),
    keys=("skill_id",),
)

SENIORITY_LEVELS = Table(
    layer="reference",
    name="seniority_levels",
    comment="The one seniority ladder used everywhere, with ordinals for features.",
    columns=(
        key(
            "level",
            "string",
            "Seniority level: intern, entry, mid, senior, staff, principal, manager, ...",
            InSet(SENIORITY_VALUES),
        ),
        key("ordinal", "int", "Position on the ladder, 0 = intern."),
        col("description", "string", "What the level means."),
        key("title_patterns", "array<string>", "Title words that signal the level."),
        key("taxonomy_version", "string", "Version of the reference data release."),
    ),
    keys=("level",),
)

FX_RATES = Table(
    layer="reference",
    name="fx_rates",
    comment="Dated FX reference rates: USD value of one unit of each currency, monthly.",
    columns=(
        key("currency", "string", "ISO 4217 currency code.", ISO_CURRENCY, CONVERTIBLE_CURRENCY),
        key("rate_date", "date", "First day of the month the rate applies from."),
        key("usd_per_unit", "double", "US dollars per one unit of the currency."),
        key("taxonomy_version", "string", "Version of the reference data release."),
    ),
    keys=("currency", "rate_date"),
    constraints={"positive_rate": "usd_per_unit > 0"},
)

TABLES = (ROLES, SKILLS, SENIORITY_LEVELS, FX_RATES)
