"""Sentence-level extraction as Spark expressions: money, experience, transitions, taxonomy matches.

Every regex runs inside the JVM (`regexp_extract_all` returns one array per capture group, aligned
by match, so each match is parsed with its own context); there is no Python UDF on this path.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_best_match, with_id_counts, with_matched_ids
from careerlake.reference.taxonomy import Taxonomy, roles_taxonomy, skills_taxonomy

NUMBER_WORDS = {
    "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0,
    "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0,
}  # fmt: skip
_NUMX = r"\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS)

# ---- money ----------------------------------------------------------------------------------
_KEYWORDS = (
    r"sign[- ]?on(?: bonus)?|signing(?: bonus)?|bonus(?:es)?|rsus?|equity|stock(?: options)?|options|shares|espp"
    r"|tc|total comp(?:ensation)?|total pay|base(?: salary| pay)?|salary"
)
_LEVELS = r"intern|junior|entry[- ]level|new grad|beginner|mid[- ]level|intermediate|senior|sr\.?|staff|principal|lead|manager|director"
_CUR = r"US\$|USD\s?|C\$|CA\$|CAD\s?|A\$|AU\$|AUD\s?|€|EUR\s?|£|GBP\s?|₹|INR\s?|CHF\s?|\$"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SUF = r"[km]|\s?million|\s?thousand"
_CODE = r"USD|EUR|GBP|CAD|AUD|INR|CHF|€|£"
_MONEY_START = r"[$€£₹]|\b\d+(?:\.\d+)?[km]\b"
MONEY_PATTERN = (
    rf"(?i)(?:\b({_LEVELS})\b[^$€£₹\d.!?]{{0,60}}?)?"  # 1 level named before the amount
    rf"(?:\b({_KEYWORDS})\b\s*(?:(?::|=|is|was|went|jumped|grew|rose|of|at|around|about|roughly|~)\s*){{0,2}})?"  # 2
    r"(from\s+)?"  # 3 "from 80k to 115k" is two amounts, not a range
    rf"(?<![\w.,$€£₹])({_CUR})?({_NUM})({_SUF})?(?![a-z0-9])(?:\s?({_CODE})(?![a-z]))?"  # 4-7
    rf"(?:\s*(~|-|–|—|\bto\b)\s*({_CUR})?({_NUM})({_SUF})?(?![a-z0-9])(?:\s?({_CODE})(?![a-z]))?)?"  # 8-12
    r"(\+)?"  # 13
    rf"(?=((?:(?!{_MONEY_START}).){{0,80}}))"  # 14 trailing context, not consumed
)
_GROUPS = (
    "level", "lead", "from_kw", "cur1", "num1", "suf1", "code1", "sep", "cur2", "num2", "suf2", "code2",
    "plus", "trailing",
)  # fmt: skip
_NEAR_AFTER = rf"(?i)^\s*(?:(?!and\b|plus\b|with\b|but\b|or\b)[a-z/-]+\s+){{0,2}}?({_KEYWORDS})\b"
_NOT_MONEY_AFTER = (
    r"(?i)^\s*(?:users|followers|stars|employees|people|customers|downloads|views|rows|records|requests"
    r"|lines|subscribers|members|steps|years?|yrs|yoe|%|percent)\b"
)
_CURRENCY_CODES = {
    "$": "USD", "US$": "USD", "USD": "USD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD",
    "AU$": "AUD", "AUD": "AUD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "₹": "INR",
    "INR": "INR", "CHF": "CHF",
}  # fmt: skip
LEVEL_TO_SENIORITY = {
    "intern": "intern", "junior": "entry", "entry level": "entry", "entry-level": "entry",
    "new grad": "entry", "beginner": "entry", "mid level": "mid", "mid-level": "mid",
    "intermediate": "mid", "senior": "senior", "sr": "senior", "sr.": "senior", "staff": "staff",
    "principal": "principal", "lead": "senior", "manager": "manager", "director": "director",
}  # fmt: skip


_PLURAL_ROLES = (
    r"(?i)\b(engineer|developer|scientist|analyst|manager|architect|designer|researcher|administrator"
    r"|consultant|sre|mle|swe|tester|director)s\b"
)


def singular_roles(text: Column) -> Column:
    """'MLOps engineers' -> 'MLOps engineer': role aliases are singular, text often plural."""
    return F.regexp_replace(text, _PLURAL_ROLES, "$1")


def _map(mapping: dict[str, str | float]) -> Column:
    return F.create_map(*(F.lit(x) for kv in mapping.items() for x in kv))


def _component(keyword: Column) -> Column:
    k = F.lower(keyword)
    return (
        F.when(k.rlike(r"^sign"), "sign_on")
        .when(k.rlike(r"^bonus"), "bonus")
        .when(k.rlike(r"^(rsu|equity|stock|option|share|espp)"), "equity")
        .when(k.rlike(r"^(tc|total)"), "total")
        .when(k.rlike(r"^(base|salary)"), "base")
    )


def seniority_of(level_text: Column) -> Column:
    return _map(LEVEL_TO_SENIORITY)[F.lower(F.trim(level_text))]


def _multiplier(suffix: Column) -> Column:
    s = F.lower(F.trim(suffix))
    return F.when(s.isin("k", "thousand"), 1e3).when(s.isin("m", "million"), 1e6).otherwise(1.0)


def _number(text: Column) -> Column:
    return F.regexp_replace(text, ",", "").cast("double")


def _nonempty(c: Column) -> Column:
    return F.when(c != "", c)


def money_matches(text: Column) -> Column:
    """array<struct>: every money amount in `text` with its component, range, currency and context."""
    groups = {name: F.regexp_extract_all(text, F.lit(MONEY_PATTERN), i + 1) for i, name in enumerate(_GROUPS)}
    zipped = F.arrays_zip(*(groups[n].alias(n) for n in _GROUPS))

    def parse(m: Column) -> Column:
        suf1 = F.coalesce(_nonempty(m["suf1"]), F.when(m["sep"] != "", _nonempty(m["suf2"])))
        v1 = _number(m["num1"]) * _multiplier(suf1)
        v2 = F.when(m["num2"] != "", _number(m["num2"]) * _multiplier(m["suf2"]))
        symbol = F.coalesce(
            _nonempty(F.trim(m["cur1"])),
            _nonempty(m["code1"]),
            _nonempty(F.trim(m["cur2"])),
            _nonempty(m["code2"]),
        )
        near = _nonempty(F.regexp_extract(m["trailing"], _NEAR_AFTER, 1))
        is_money = (
            (symbol.isNotNull() | (suf1.isNotNull()) | m["num1"].contains(","))
            & ~((m["num1"] == "401") & (F.lower(m["suf1"]) == "k") & symbol.isNull())
            & ~m["trailing"].rlike(_NOT_MONEY_AFTER)
        )
        component = F.coalesce(_component(near), _component(_nonempty(m["lead"])), F.lit("unspecified"))
        vesting = F.regexp_extract(m["trailing"], rf"(?i)^[^$€£]*?\bover\s+({_NUMX})\s+years?", 1)
        trailing = F.lower(F.substring(m["trailing"], 1, 25))
        period = (
            F.when(trailing.rlike(r"^\s*(/\s*h(ou)?r\b|per hour|an hour|hourly|/h\b)"), "hour")
            .when(trailing.rlike(r"^\s*(/\s*mo(nth)?\b|per month|a month|monthly)"), "month")
            .when(trailing.rlike(r"^\s*(/\s*day\b|per day|a day|daily)"), "day")
            .otherwise("year")
        )
        split_range = (m["from_kw"] != "") & (F.lower(m["sep"]) == "to")
        base = {
            "component": component,
            "currency": _map(_CURRENCY_CODES)[F.upper(symbol)],
            "period": period,
            "vesting_years": F.when(
                component == "equity",
                F.coalesce(
                    _map(NUMBER_WORDS)[F.lower(vesting)],
                    _number(_nonempty(vesting)),
                ),
            ),
            "open_ended": m["plus"] == "+",
            "seniority": seniority_of(_nonempty(m["level"])),
        }

        def amount(lo: Column, hi: Column) -> Column:
            return F.struct(
                base["component"].alias("component"),
                lo.alias("amount_min"),
                hi.alias("amount_max"),
                *(v.alias(k) for k, v in base.items() if k != "component"),
            )

        return F.when(
            is_money,
            F.when(split_range, F.array(amount(v1, v1), amount(v2, v2))).otherwise(
                F.array(amount(F.least(v1, F.coalesce(v2, v1)), F.greatest(v1, F.coalesce(v2, v1))))
            ),
        ).otherwise(F.array())

    return F.flatten(F.transform(zipped, parse))


_EQUITY_WITHOUT_AMOUNT = r"(?i)\b(?:some|plus|and|with|no)\s+(?:\w+\s+)?(options|equity|rsus|stock)\b"


def compensation_mentions(sentences: DataFrame) -> DataFrame:
    """Sentences (doc_id, comment_position, sentence_index, sentence, doc_role_id) -> silver.compensation_mentions."""
    with_money = sentences.withColumn("money", money_matches(F.col("sentence")))
    has_equity = F.exists("money", lambda m: m["component"] == "equity")
    bare_equity = F.when(
        (F.size("money") > 0) & ~has_equity & F.col("sentence").rlike(_EQUITY_WITHOUT_AMOUNT),
        F.array(
            F.struct(
                F.lit("equity").alias("component"),
                F.lit(None).cast("double").alias("amount_min"),
                F.lit(None).cast("double").alias("amount_max"),
                F.lit(None).cast("string").alias("currency"),
                F.lit(None).cast("string").alias("period"),
                F.lit(None).cast("double").alias("vesting_years"),
                F.lit(False).alias("open_ended"),
                F.lit(None).cast("string").alias("seniority"),
            )
        ),
    ).otherwise(F.array())
    sentence_level = F.regexp_extract("sentence", rf"(?i)\b({_LEVELS})\b", 1)
    exploded = with_best_match(
        with_money.select(
            "*",
            F.posexplode(F.concat("money", bare_equity)).alias("match_index", "m"),
            singular_roles(F.col("sentence")).alias("_role_text"),
        ),
        "_role_text",
        roles_taxonomy(),
        "sentence_role_id",
    )
    return exploded.select(
        _mention_id("match_index").alias("mention_id"),
        "doc_id",
        "comment_position",
        F.col("m.component").alias("component"),
        F.col("m.amount_min").alias("amount_min"),
        F.col("m.amount_max").alias("amount_max"),
        F.col("m.currency").alias("currency"),
        F.col("m.period").alias("period"),
        F.col("m.vesting_years").alias("vesting_years"),
        F.col("m.open_ended").alias("open_ended"),
        F.coalesce("sentence_role_id", "doc_role_id").alias("role_id"),
        F.coalesce(F.col("m.seniority"), seniority_of(_nonempty(sentence_level))).alias("seniority"),
        "sentence",
    )


def _mention_id(index: str) -> Column:
    return F.sha2(
        F.concat_ws("|", "doc_id", F.col("comment_position").cast("string"),
                    F.col("sentence_index").cast("string"), F.col(index).cast("string")),
        256,
    )  # fmt: skip


# ---- experience -----------------------------------------------------------------------------
_STAGES = r"beginner|novice|intermediate|advanced|expert|junior|entry[- ]level|mid[- ]level|senior|staff|principal|lead"
EXPERIENCE_PATTERN = (
    rf"(?i)(?:\b({_STAGES})\b[^0-9.!?$€£]{{0,40}}?)?"  # 1 stage named before the years
    r"(\bover\s+)?"  # 2 "over 4 years" (vesting when the sentence is about equity)
    r"\b(first\s+)?"  # 3 "your first two years"
    rf"({_NUMX})(?:\s*(?:-|–|—|to)\s*({_NUMX}))?\s*(\+)?"  # 4-6
    r"\s*(?:years?|yrs?|yoe)\b(?!\s+(?:old|ago|younger|older))"
)
_EXP_GROUPS = ("stage", "over", "first", "lo", "hi", "plus")


def _years(text: Column) -> Column:
    return F.coalesce(_map(NUMBER_WORDS)[F.lower(text)], _number(_nonempty(text)))


def experience_matches(text: Column) -> Column:
    groups = [
        F.regexp_extract_all(text, F.lit(EXPERIENCE_PATTERN), i + 1).alias(n)
        for i, n in enumerate(_EXP_GROUPS)
    ]
    vesting_sentence = text.rlike(r"(?i)\b(rsus?|equity|stock|options|vest\w*|shares)\b")

    def parse(m: Column) -> Column:
        lo, hi = _years(m["lo"]), _years(m["hi"])
        first = m["first"] != ""
        return F.struct(
            F.when(first, F.lit(0.0)).otherwise(lo).alias("years_min"),
            F.when(m["plus"] == "+", F.lit(None).cast("double"))
            .when(first, lo)
            .otherwise(F.coalesce(hi, lo))
            .alias("years_max"),
            (m["plus"] == "+").alias("open_ended"),
            F.lower(_nonempty(m["stage"])).alias("career_stage"),
            ((m["over"] != "") & vesting_sentence).alias("is_vesting"),
        )

    return F.filter(F.transform(F.arrays_zip(*groups), parse), lambda x: ~x["is_vesting"])


def experience_mentions(sentences: DataFrame) -> DataFrame:
    exploded = sentences.select(
        "*", F.posexplode(experience_matches(F.col("sentence"))).alias("match_index", "m")
    )
    return exploded.select(
        _mention_id("match_index").alias("mention_id"),
        "doc_id",
        "comment_position",
        F.col("m.years_min").alias("years_min"),
        F.col("m.years_max").alias("years_max"),
        F.col("m.open_ended").alias("open_ended"),
        F.col("m.career_stage").alias("career_stage"),
        "sentence",
    )


# ---- roles and skills -----------------------------------------------------------------------
def _counts(units: DataFrame, taxonomy: Taxonomy, id_name: str) -> DataFrame:
    staged = units.withColumn(
        "_match_text", singular_roles(F.col("text")) if id_name == "role_id" else F.col("text")
    )
    counted = with_id_counts(staged, "_match_text", taxonomy, "_counts")
    return counted.select(
        "doc_id", "comment_position", F.explode("_counts").alias(id_name, "mention_count")
    ).withColumn("mention_count", F.col("mention_count").cast("int"))


def role_mentions(units: DataFrame) -> DataFrame:
    """Text units (doc_id, comment_position, text) -> silver.role_mentions."""
    return _counts(units, roles_taxonomy(), "role_id")


def skill_mentions(units: DataFrame) -> DataFrame:
    return _counts(units, skills_taxonomy(), "skill_id")


# ---- transitions ----------------------------------------------------------------------------
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
    hits = hits.select("*", F.col("c.from_text").alias("from_text"), F.col("c.to_text").alias("to_text"))
    hits = with_fragment_role(with_fragment_role(hits, "from_text", "from_role_id"), "to_text", "to_role_id")
    edges = hits.select(
        "doc_id",
        "comment_position",
        "sentence",
        "from_role_id",
        "to_role_id",
        F.col("doc_type").alias("source_type"),
        F.col("c.evidence_kind").alias("evidence_kind"),
        F.col("c.confidence").alias("confidence"),
        F.col("c.pattern").alias("pattern"),
    ).where(
        F.col("to_role_id").isNotNull()
        & ~F.coalesce(F.col("from_role_id") == F.col("to_role_id"), F.lit(False))
    )
    edges = edges.withColumn(
        "confidence",
        F.when(
            F.col("from_role_id").isNull() & (F.col("evidence_kind") == "first_person"), F.lit(0.5)
        ).otherwise(F.col("confidence")),
    )
    # The first pattern that yields an edge wins for a sentence.
    first = F.min(
        F.struct("pattern", "from_role_id", "to_role_id", "source_type", "evidence_kind", "confidence")
    )
    return (
        edges.groupBy("doc_id", "comment_position", "sentence")
        .agg(first.alias("e"))
        .select("doc_id", "comment_position", "sentence", "e.*")
        .drop("pattern")
    )


def guide_transitions(guide_sections: DataFrame) -> DataFrame:
    """Guide sections (doc_id, role_id, section, items) -> Can Lead To / Transition Opportunities edges."""
    items = guide_sections.where(F.col("section").isin("progression", "transitions")).select(
        "doc_id", "role_id", "section", F.explode("items").alias("item")
    )
    return (
        with_fragment_role(items, "item", "to_role_id")
        .select(
            "doc_id",
            F.lit(0).alias("comment_position"),
            F.col("item").alias("sentence"),
            F.col("role_id").alias("from_role_id"),
            "to_role_id",
            F.lit("guide").alias("source_type"),
            F.lit("guide_section").alias("evidence_kind"),
            F.when(F.col("section") == "progression", 0.9).otherwise(0.8).alias("confidence"),
        )
        .where(F.col("to_role_id").isNotNull() & (F.col("to_role_id") != F.col("from_role_id")))
    )


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
        "source_type",
        "evidence_kind",
        F.col("confidence").cast("double").alias("confidence"),
        "sentence",
    )


# ---- guides ---------------------------------------------------------------------------------
_COUNTRIES = {
    "US": "US",
    "USA": "US",
    "UK": "GB",
    "Canada": "CA",
    "Germany": "DE",
    "India": "IN",
    "France": "FR",
}


def _section(name: str) -> Column:
    return F.coalesce(
        F.max(F.when(F.col("section") == name, F.col("items"))), F.array().cast("array<string>")
    )


def _skill_ids(guide_sections: DataFrame, section: str, out_col: str) -> DataFrame:
    """(doc_id, role_id, out_col): canonical skill ids of a section's items, in list order."""
    items = guide_sections.where(F.col("section") == section).select(
        "doc_id", "role_id", F.posexplode("items").alias("pos", "item")
    )
    matched = with_matched_ids(items, "item", skills_taxonomy(), "ids")
    ordered = F.array_sort(F.collect_list(F.struct("pos", "ids")))
    return matched.groupBy("doc_id", "role_id").agg(
        F.array_distinct(F.flatten(F.transform(ordered, lambda x: x["ids"]))).alias(out_col)
    )


def role_guides(guide_sections: DataFrame) -> DataFrame:
    """Guide sections (doc_id, role_id, section, items) -> silver.role_guides: one 'all' row + one per level."""
    lists = (
        guide_sections.groupBy("doc_id", "role_id")
        .agg(
            _section("responsibilities").alias("responsibilities"),
            _section("employers").alias("employers"),
            _section("sectors").alias("sectors"),
            _section("next_steps").alias("next_steps"),
            _section("growth_trend").alias("growth_trend_items"),
        )
        .join(_skill_ids(guide_sections, "top_skills", "top_skills"), ["doc_id", "role_id"], "left")
        .join(_skill_ids(guide_sections, "skill_gaps", "skill_gaps"), ["doc_id", "role_id"], "left")
    )
    empty = F.array().cast("array<string>")
    all_row = lists.select(
        "doc_id",
        "role_id",
        F.lit("all").alias("level"),
        F.lit(None).cast("double").alias("salary_min"),
        F.lit(None).cast("double").alias("salary_max"),
        F.lit(False).alias("salary_open_ended"),
        F.lit(None).cast("string").alias("salary_currency"),
        F.lit(None).cast("string").alias("salary_country"),
        F.lit(None).cast("string").alias("salary_basis"),
        "responsibilities",
        F.coalesce("top_skills", empty).alias("top_skills"),
        F.coalesce("skill_gaps", empty).alias("skill_gaps"),
        "employers",
        "sectors",
        "next_steps",
        F.when(F.size("growth_trend_items") > 0, F.array_join("growth_trend_items", " ")).alias(
            "growth_trend"
        ),
    )
    lines = guide_sections.where(F.col("section") == "salary").select(
        "doc_id", "role_id", F.explode("items").alias("line")
    )
    band = F.try_element_at(money_matches(F.col("line")), F.lit(1))
    country = F.regexp_extract("line", r"\b(" + "|".join(_COUNTRIES) + r")\b", 1)
    levels = lines.select(
        "doc_id",
        "role_id",
        seniority_of(_nonempty(F.regexp_extract("line", rf"(?i)^\s*({_LEVELS})\b(?:\s+level)?", 1))).alias(
            "level"
        ),
        band["amount_min"].alias("salary_min"),
        F.when(~band["open_ended"] | (band["amount_max"] != band["amount_min"]), band["amount_max"]).alias(
            "salary_max"
        ),
        F.coalesce(band["open_ended"], F.lit(False)).alias("salary_open_ended"),
        band["currency"].alias("salary_currency"),
        _map(_COUNTRIES)[_nonempty(country)].alias("salary_country"),
        F.when(F.col("line").rlike(r"(?i)total comp|\bTC\b"), "total_compensation")
        .when(F.col("line").rlike(r"(?i)\bbase\b"), "base")
        .alias("salary_basis"),
        *(
            empty.alias(c)
            for c in ("responsibilities", "top_skills", "skill_gaps", "employers", "sectors", "next_steps")
        ),
        F.lit(None).cast("string").alias("growth_trend"),
    ).where(F.col("level").isNotNull() & F.col("salary_min").isNotNull())
    # A guide listing one level twice keeps its first line.
    levels = levels.dropDuplicates(["doc_id", "role_id", "level"])
    return all_row.unionByName(levels)


# ---- text units and sentences ---------------------------------------------------------------
SENTENCE_SPLIT = r"\n+|(?<=[.!?])\s+(?=[A-Z0-9\"'(\[$€£])"


def sentences(units: DataFrame) -> DataFrame:
    """Text units -> one row per sentence or list line (markdown markers stripped), with its index."""
    parts = units.select(
        "*", F.posexplode(F.split(F.col("text"), SENTENCE_SPLIT)).alias("sentence_index", "raw")
    )
    clean = F.trim(F.regexp_replace("raw", r"^\s*(?:#{1,6}|[-*•]|\d{1,2}[.)])\s+", ""))
    return parts.withColumn("sentence", clean).where(F.col("sentence") != "").drop("raw", "text")
