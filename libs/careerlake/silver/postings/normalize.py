"""Shared normalizers: DataFrame -> DataFrame, one concern each, Spark SQL expressions only."""

from __future__ import annotations

import re

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_best_match, with_matched_ids, with_term_hits
from careerlake.reference.taxonomy import (
    read_csv,
    roles_taxonomy,
    seniority_ordinals,
    seniority_taxonomy,
    skill_kinds,
    skills_taxonomy,
)
from careerlake.reference.vocabulary.currency import currency_code
from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.reference.vocabulary.money import OTE_FIGURE_PATTERN, SALARY_TEXT_PATTERN, amount_value
from careerlake.reference.vocabulary.periods import annual_factor, pay_period
from careerlake.reference.vocabulary.seniority import seniority_of
from careerlake.runtime.sql_text import sql_string
from careerlake.silver.postings.fx import with_usd_rate
from careerlake.silver.postings.locations import (
    AMBIGUOUS_CODES,
    country_code,
    place_countries,
    place_key,
    region_code,
)

# Beyond these an amount looks like the other period: flagged period_mismatch, never rescaled.
HOURLY_MAX = 500.0
YEARLY_MIN = 1000.0
# Flags that make the USD figures meaningless, so those stay null (originals are kept).
UNUSABLE_FLAGS = ("negative", "period_mismatch", "out_of_range")
LEGAL_SUFFIXES = r"\b(inc|incorporated|llc|ltd|limited|gmbh|ag|plc|corp|corporation|co|company|sa|sas|bv|nv|srl|pty|oy|ab)\b"

# Levels a role alias can carry by itself; the highest listed first.
LEADERSHIP_LEVELS = ("executive", "director")
EMPLOYMENT_TYPES: dict[str, str] = {
    "fulltime": "full_time",
    "parttime": "part_time",
    "contract": "contract",
    "contractor": "contract",
    "temporary": "temporary",
    "temp": "temporary",
    "internship": "internship",
    "intern": "internship",
}


def collapse_spaces(column: Column) -> Column:
    return F.trim(F.regexp_replace(column, r"\s+", " "))


def normalize_company(frame: DataFrame) -> DataFrame:
    """company_normalized: lower case, punctuation and legal suffixes (Inc, GmbH, Ltd ...) removed."""
    text = F.lower(F.regexp_replace(F.col("company"), "[-_]", " "))
    text = F.regexp_replace(F.regexp_replace(text, r"[^\p{L}\p{N}& ]", " "), LEGAL_SUFFIXES, " ")
    normalized = collapse_spaces(text)
    return frame.withColumn("company", collapse_spaces(F.col("company"))).withColumn(
        "company_normalized", F.when(normalized != "", normalized)
    )


def named_level(words: Column, levels: tuple[str, ...]) -> Column:
    """The first of `levels` whose title pattern occurs in `words` (space-separated, lower case)."""
    patterns = {r["level"]: r["title_patterns"].split("|") for r in read_csv("seniority.csv")}
    return F.coalesce(
        *(
            F.when(words.rlike(f"(^| )({'|'.join(map(re.escape, patterns[level]))})( |$)"), F.lit(level))
            for level in levels
        )
    )


def leadership_level(alias: Column) -> Column:
    """director or executive when the matched role alias itself names that level ("director of data")."""
    return named_level(alias, LEADERSHIP_LEVELS)


def normalize_title(frame: DataFrame) -> DataFrame:
    """title collapsed; role_id from the role taxonomy; seniority + ordinal from title, else the source field.

    The words of the matched role alias are removed before the seniority match, so "manager" in
    "Product Manager" is not the manager level; a role of the management family whose title
    names no level (e.g. "Engineering Manager") is a manager, a chief officer an executive.
    """
    titled = frame.withColumn("title", collapse_spaces(F.col("title")))
    hits = with_term_hits(titled, "title", roles_taxonomy(), "_role_hits")
    # The longest alias wins (most tokens, then characters), as in matching.with_best_match.
    ranked = F.array_sort(
        F.transform(
            F.col("_role_hits"),
            lambda h: F.struct(
                (-h["tokens"]).alias("t"),
                (-F.length(h["alias"])).alias("c"),
                h["id"].alias("id"),
                h["alias"].alias("alias"),
            ),
        )
    )
    best = F.try_element_at(ranked, F.lit(1))
    words = F.transform(
        F.split(F.lower(F.col("title")), r"[\s,;:()/|\u2013\u2014]+"),
        lambda t: F.regexp_replace(t, r"^[.\-_]+|[.\-_]+$", ""),
    )
    lowered = F.concat_ws(" ", words)
    rest = F.when(
        best["alias"].isNotNull(),
        F.regexp_replace(lowered, F.concat(F.lit(r"(^| )\Q"), best["alias"], F.lit(r"\E( |$)")), " "),
    ).otherwise(lowered)
    staged = (
        hits.withColumn("role_id", best["id"])
        .withColumn("_role_alias", best["alias"])
        .withColumn("_rest", rest)
        .drop("_role_hits")
    )
    leveled = with_best_match(staged, "_rest", seniority_taxonomy(), "_title_level")
    role = F.col("role_id")
    executives = ("cto", "cio", "chief_data_officer", "ciso")
    managers = [
        r["role_id"]
        for r in read_csv("roles.csv")
        if r["family"] == "management" and r["role_id"] not in executives
    ]
    from_source = seniority_of(F.col("experience_level_raw"))
    title_level = F.col("_title_level")
    # A people-manager role or word outranks an individual-contributor word beside it: "Senior
    # Engineering Manager" and "Team Lead Manager" are managers, "Senior Director of Engineering" a director.
    seniority = F.coalesce(
        F.when(title_level.isin(*LEADERSHIP_LEVELS, "manager"), title_level),
        leadership_level(F.col("_role_alias")),
        named_level(F.col("_rest"), (*LEADERSHIP_LEVELS, "manager")),
        F.when(role.isin(*managers), F.lit("manager")),
        F.when(role.isin(*executives), F.lit("executive")),
        title_level,
        from_source,
    )
    ordinals = literal_map({k: str(v) for k, v in seniority_ordinals().items()})
    return (
        leveled.withColumn("seniority", seniority)
        .withColumn("seniority_ordinal", F.element_at(ordinals, F.col("seniority")).cast("int"))
        .drop("_role_alias", "_rest", "_title_level")
    )


def normalize_employment_type(frame: DataFrame) -> DataFrame:
    """employment_type: full_time, part_time, contract, temporary, internship (null when unknown)."""
    compact = F.regexp_replace(F.lower(F.col("employment_type_raw")), "[^a-z]", "")
    return frame.withColumn("employment_type", F.element_at(literal_map(EMPLOYMENT_TYPES), compact))


# Characters around the first pay figure of a description that its groups are read from: one
# character before it (for the pattern's word boundary) and more than any figure spans after it.
SALARY_WINDOW_CHARS = 240


def salary_window(text: Column) -> Column:
    """The text from just before its first pay figure, SALARY_WINDOW_CHARS long; null when none.

    The pattern then scans a whole description once; each of its eight groups is read from this
    window, where scanning a description per group cost a third of silver's normalization.
    """
    start = F.regexp_instr(text, F.lit(SALARY_TEXT_PATTERN))
    return F.when(start > 0, F.substring(text, F.greatest(start - 1, F.lit(1)), SALARY_WINDOW_CHARS))


def _text_salary(text: Column) -> dict[str, Column]:
    def group(i: int) -> Column:
        value = F.regexp_extract(text, SALARY_TEXT_PATTERN, i)
        return F.when(value != "", value)

    low, high = group(3), group(5)
    # "$120-155k": the k of the upper bound applies to a bare small lower bound too.
    low_k = F.coalesce(
        group(4), F.when(group(6).isNotNull() & (amount_value(low, F.lit(None)) < 1000), group(6))
    )
    return {
        "min": amount_value(low, low_k),
        "max": F.coalesce(amount_value(high, group(6)), amount_value(low, low_k)),
        "currency": F.coalesce(currency_code(group(1)), currency_code(group(2))),
        "period": F.coalesce(
            pay_period(F.coalesce(group(7), group(8))), F.when(low.isNotNull(), F.lit("year"))
        ),
    }


def _unstated_period() -> Column:
    """A pay field with no period: yearly when its figure is a year's pay (as in text, "$120,000"
    alone is a salary); unknown below YEARLY_MIN, where it could be any period."""
    cents = F.when(F.col("pay_in_cents"), 0.01).otherwise(1.0)
    return F.when(F.greatest("pay_min", "pay_max") * cents >= YEARLY_MIN, F.lit("year"))


# Plausible annual pay in USD (conf quality.annual_salary_usd_min/max, which check it, say the same).
ANNUAL_USD_MIN = 1000.0
ANNUAL_USD_MAX = 5_000_000.0


def normalize_salary(
    frame: DataFrame,
    fx_rates: DataFrame,
    *,
    usd_min: float = ANNUAL_USD_MIN,
    usd_max: float = ANNUAL_USD_MAX,
) -> DataFrame:
    """Salary from the source's pay fields, else parsed from the description, annualized and in USD.

    Keeps the published amounts, currency and period; annualizes with the vocabulary's ANNUAL_FACTORS; converts
    with the latest reference FX rate on or before the posting month. Implausible values are
    flagged (negative, min_gt_max, period_mismatch, out_of_range, no_fx_rate), never rewritten;
    the USD figures of an unusable amount stay null so benchmarks are not skewed.
    """
    structured = F.col("pay_min").isNotNull() | F.col("pay_max").isNotNull()
    cents = F.when(F.col("pay_in_cents"), 0.01).otherwise(1.0)
    parsed = _text_salary(F.col("_pay_window"))
    has_text = parsed["min"].isNotNull()
    out = (
        # On-target earnings include commission: never the base pay the posting states beside them.
        # Columns of their own, so the text is cleaned and scanned once, not in every group below.
        # Only a record without structured pay reads its pay from the text, so only its text is
        # scanned: about a quarter of the time where 85% of postings state their pay.
        frame.withColumn(
            "_pay_text", F.when(~structured, F.regexp_replace("description_text", OTE_FIGURE_PATTERN, " "))
        )
        .withColumn("_pay_window", salary_window(F.col("_pay_text")))
        .withColumn("salary_source", F.when(structured, "structured").when(has_text, "text"))
        .withColumn(
            "salary_min_original",
            F.when(structured, F.col("pay_min") * cents).when(has_text, parsed["min"]),
        )
        .withColumn(
            "salary_max_original",
            F.when(structured, F.col("pay_max") * cents).when(has_text, parsed["max"]),
        )
        .withColumn(
            "salary_currency",
            F.when(structured, F.upper(F.trim("pay_currency"))).when(has_text, parsed["currency"]),
        )
        .withColumn(
            "salary_period",
            F.when(structured, F.coalesce(pay_period(F.col("pay_period_raw")), _unstated_period())).when(
                has_text, parsed["period"]
            ),
        )
    )
    factor = annual_factor(F.col("salary_period"))
    out = (
        out.withColumn("salary_min_annual", F.col("salary_min_original") * factor)
        .withColumn("salary_max_annual", F.col("salary_max_original") * factor)
        .withColumn(
            "salary_mid_annual",
            F.coalesce(
                (F.col("salary_min_annual") + F.col("salary_max_annual")) / 2,
                F.col("salary_min_annual"),
                F.col("salary_max_annual"),
            ),
        )
    )
    month = F.trunc(F.coalesce(F.col("posted_at"), F.col("ingested_at")), "month")
    out = with_usd_rate(out, fx_rates, F.col("salary_currency"), month)
    highest = F.greatest("salary_min_original", "salary_max_original")
    rate = F.col("_fx_rate")
    mid_usd = F.col("salary_mid_annual") * rate
    flags = F.filter(
        F.array(
            F.when(
                (F.col("salary_min_original") < 0) | (F.col("salary_max_original") < 0), F.lit("negative")
            ),
            F.when(F.col("salary_min_original") > F.col("salary_max_original"), F.lit("min_gt_max")),
            F.when(
                ((F.col("salary_period") == "year") & (highest < YEARLY_MIN))
                | ((F.col("salary_period") == "hour") & (highest > HOURLY_MAX)),
                F.lit("period_mismatch"),
            ),
            F.when(~mid_usd.between(usd_min, usd_max), F.lit("out_of_range")),
            F.when(F.col("salary_currency").isNotNull() & rate.isNull(), F.lit("no_fx_rate")),
        ),
        lambda f: f.isNotNull(),
    )
    usable = F.size(F.filter(F.col("salary_flags"), lambda f: f.isin(*UNUSABLE_FLAGS))) == 0
    out = out.withColumn("salary_flags", flags)
    for end in ("min", "max", "mid"):
        out = out.withColumn(f"salary_{end}_annual_usd", F.when(usable, F.col(f"salary_{end}_annual") * rate))
    return out.withColumn("fx_rate_date", F.when(rate.isNotNull(), F.col("_fx_date"))).drop(
        "_fx_date", "_fx_rate", "_pay_text", "_pay_window"
    )


_DAYS = r"(one|two|three|four|[1-4])(\s*(-|to|or)\s*(two|three|four|[1-4]))?\s+days?"
# "in the office", "from our London office", "at our Austin HQ", "on-site".
_OFFICE = r"((in|at|from)\s+(the|our|an?)\s+([\w-]+\s+){0,2}?(office|offices|hq|headquarters)\b|on[- ]?site|in[- ]office)"
HYBRID_TEXT = (
    rf"(?i)\bhybrid\b|\b{_DAYS}\s+(a|per|each|every)\s+week\s+{_OFFICE}"
    rf"|\b{_DAYS}\s+{_OFFICE}|\b{_OFFICE}\s+{_DAYS}"
    rf"|\b{_OFFICE}\s+(for\s+)?(part|some|most)\s+of\s+the\s+week\b"
    r"|\bpart of the week\s+(in|at)\s+(the|our)\s+office\b"
    r"|\b(split|mix)\s+(of|between)\s+(home|remote)\s+(and|&)\s+(the\s+)?(office|on-?site)\b"
)
REMOTE_TEXT = (
    r"(?i)\b(fully|completely|entirely)\s+remote\b|100%\s+remote\b|\bremote[- ]first\b|\bwork from anywhere\b"
    r"|\b(role|position|job) is remote\b|\bremote (role|position)\b|\bworkplace:\s*remote\b"
)
ONSITE_TEXT = r"(?i)\bon[- ]?site\b|\bin[- ]person\b|\bfive days a week in (the|our) office\b|\bworkplace:\s*(in[- ]office|office)\b"
_WORK_WORDS = r"(?i)\b(remote|hybrid|on[- ]?site|in[- ]office|telecommute|anywhere)\b"


def _work_model(text: Column, hybrid: str, remote: str, onsite: str) -> Column:
    return (
        F.when(text.rlike(hybrid), "hybrid")
        .when(text.rlike(remote), "remote")
        .when(text.rlike(onsite), "onsite")
    )


# Separators between the places of a posting that names several ("London; Berlin", "NYC | SF").
_PLACES_SEPARATOR = r";|\n|\s+[|/]\s+|\s+(?:or|and|&)\s+"


def _first_place(location_text: Column) -> Column:
    """The parts ("City", "ST", "Country") of the first place named, work-model words removed."""
    places = F.split(F.coalesce(location_text, F.lit("")), _PLACES_SEPARATOR)

    def parts(place: Column) -> Column:
        cleaned = F.regexp_replace(
            F.regexp_replace(place, _WORK_WORDS, " "), r"[()\[\]]|(^|\s)[-–—|/]+(\s|$)", ","
        )
        return F.filter(F.transform(F.split(cleaned, ","), lambda p: F.trim(p)), lambda p: p != "")

    named = F.filter(F.transform(places, parts), lambda p: F.size(p) > 0)
    return F.coalesce(F.try_element_at(named, F.lit(1)), F.array().cast("array<string>"))


def _with_place_country(frame: DataFrame, key: Column, name: str) -> DataFrame:
    """`name`: the country of the city or subdivision called `key` (GeoNames, ISO 3166-2), or null."""
    # Columns named for this join: one session's frame can be joined twice in one plan.
    places = F.broadcast(place_countries(frame.sparkSession).toDF(f"_key_{name}", name))
    keyed = frame.withColumn("_place_key", place_key(key))
    return keyed.join(places, F.col("_place_key") == F.col(f"_key_{name}"), "left").drop(
        "_place_key", f"_key_{name}"
    )


def normalize_location(frame: DataFrame) -> DataFrame:
    """city, region, ISO country and work_model from structured fields, then location text, then description.

    Location text: of several places the first counts. Its last comma part is a country (ISO
    name, code or alias), a US state or Canadian province ("New York, NY", "Austin, Texas"), or
    another country's subdivision or city; else the first part is a city looked up in GeoNames
    ("London"). A state code that is also a country code ("Berlin, DE") is the country when the
    city's largest namesake is there. Work-model words and brackets are removed first.
    """
    parts = F.col("_parts")
    n = F.size(parts)
    last = F.try_element_at(parts, F.lit(-1))
    first = F.try_element_at(parts, F.lit(1))
    staged = frame.withColumn("_parts", _first_place(F.col("location_text")))
    staged = _with_place_country(staged, last, "_last_place_country")
    staged = _with_place_country(staged, first, "_first_place_country")
    north_american = F.when(n >= 2, region_code(last))
    state_or_province = F.split(north_american, "-")
    last_country = country_code(last)
    code_is_country = (
        F.upper(last).isin(*AMBIGUOUS_CODES) & (F.col("_first_place_country") == F.upper(last)) & (n >= 2)
    )
    country = F.coalesce(
        country_code(F.col("country_raw")),
        # A structured state or province without a country (schema.org addressRegion "WA").
        F.split(region_code(F.col("region")), "-")[0],
        F.when(code_is_country, F.upper(last)),
        state_or_province[0],
        last_country,
        F.col("_last_place_country"),
        F.col("_first_place_country"),
    )
    region = F.coalesce(
        F.col("region"),
        F.when(~code_is_country, state_or_province[1]),
        F.when((n >= 3) & last_country.isNotNull(), F.try_element_at(parts, n - 1)),
    )
    city = F.coalesce(
        F.col("city"),
        F.when((n >= 2) | ((n == 1) & last_country.isNull()), first),
    )
    workplace = F.lower(F.col("workplace_raw"))
    structured_model = (
        F.when(workplace.rlike("hybrid"), "hybrid")
        .when(workplace.rlike("remote|telecommute"), "remote")
        .when(workplace.rlike("on-?site|on site|office|in.person"), "onsite")
    )
    placed = F.concat_ws(" ", F.col("location_text"), F.col("title"))
    description = F.coalesce(F.col("description_text"), F.lit(""))
    # A bare remote flag (Ashby isRemote, LinkedIn remote_allowed) is weaker than a workplace
    # field, the place or title, or hybrid terms in the text ("remote allowed" two days a week).
    work_model = F.coalesce(
        structured_model,
        _work_model(
            placed, r"(?i)\bhybrid\b", r"(?i)\b(remote|anywhere)\b", r"(?i)\b(on[- ]?site|in[- ]office)\b"
        ),
        F.when(description.rlike(HYBRID_TEXT), F.lit("hybrid")),
        F.when(F.col("is_remote"), F.lit("remote")),
        # Hybrid terms were looked for above: the slowest pattern scans a description once.
        F.when(description.rlike(REMOTE_TEXT), "remote").when(description.rlike(ONSITE_TEXT), "onsite"),
    )
    return (
        staged.withColumn("country", country)
        .withColumn("region", region)
        .withColumn("city", city)
        .withColumn("work_model", work_model)
        .drop("_parts", "_last_place_country", "_first_place_country")
    )


def extract_skills(frame: DataFrame) -> DataFrame:
    """skills: sorted canonical skill ids found in title, description text and skills fields;
    tool_skills: those of kind tool (named tools, languages, platforms)."""
    text = F.concat_ws("\n", F.col("title"), F.col("description_text"), F.col("skills_text"))
    tools = ", ".join(sql_string(s) for s, kind in sorted(skill_kinds().items()) if kind == "tool")
    # IN over literals becomes a hash set built once; array_intersect with an array of the 403
    # tools hashed all of them for every row.
    return (
        with_matched_ids(frame.withColumn("_skill_text", text), "_skill_text", skills_taxonomy(), "skills")
        .withColumn("tool_skills", F.expr(f"filter(skills, __skill -> __skill IN ({tools}))"))
        .drop("_skill_text")
    )
