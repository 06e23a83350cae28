"""Money mentions in sentences -> silver.compensation_mentions.

Every regex runs inside the JVM (`regexp_extract_all` returns one array per capture group, aligned
by match, so each match is parsed with its own context); there is no Python UDF on this path.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.matching import with_best_match
from careerlake.reference.taxonomy import roles_taxonomy
from careerlake.reference.vocabulary.currency import SYMBOL_CHARS, currency_code
from careerlake.reference.vocabulary.money import (
    COMPONENT_PATTERN,
    MONEY_GROUPS,
    MONEY_PATTERN,
    amount_value,
    pay_component,
)
from careerlake.reference.vocabulary.numbers import COUNT_PATTERN, count_value
from careerlake.reference.vocabulary.periods import period_after_amount
from careerlake.reference.vocabulary.seniority import LEVEL_PATTERN, seniority_of
from careerlake.silver.career_docs.extract.roles import singular_roles
from careerlake.silver.career_docs.extract.sentences import mention_id, nonempty

_NEAR_AFTER = rf"(?i)^\s*(?:(?!and\b|plus\b|with\b|but\b|or\b)[a-z/-]+\s+){{0,2}}?({COMPONENT_PATTERN})\b"
_NOT_MONEY_AFTER = (
    r"(?i)^\s*(?:users|followers|stars|employees|people|customers|downloads|views|rows|records|requests"
    r"|lines|subscribers|members|steps|years?|yrs|yoe|%|percent)\b"
)


def money_matches(text: Column) -> Column:
    """array<struct>: every money amount in `text` with its component, range, currency and context."""
    groups = {
        name: F.regexp_extract_all(text, F.lit(MONEY_PATTERN), i + 1) for i, name in enumerate(MONEY_GROUPS)
    }
    zipped = F.arrays_zip(*(groups[n].alias(n) for n in MONEY_GROUPS))

    def parse(m: Column) -> Column:
        suf1 = F.coalesce(nonempty(m["suf1"]), F.when(m["sep"] != "", nonempty(m["suf2"])))
        v1 = amount_value(m["num1"], suf1)
        v2 = F.when(m["num2"] != "", amount_value(m["num2"], m["suf2"]))
        symbol = F.coalesce(
            nonempty(F.trim(m["cur1"])),
            nonempty(m["code1"]),
            nonempty(F.trim(m["cur2"])),
            nonempty(m["code2"]),
        )
        near = nonempty(F.regexp_extract(m["trailing"], _NEAR_AFTER, 1))
        is_money = (
            (symbol.isNotNull() | (suf1.isNotNull()) | m["num1"].contains(","))
            & ~((m["num1"] == "401") & (F.lower(m["suf1"]) == "k") & symbol.isNull())
            & ~m["trailing"].rlike(_NOT_MONEY_AFTER)
        )
        component = F.coalesce(pay_component(near), pay_component(nonempty(m["lead"])), F.lit("unspecified"))
        vesting = F.regexp_extract(
            m["trailing"], rf"(?i)^[^{SYMBOL_CHARS}]*?\bover\s+({COUNT_PATTERN})\s+years?", 1
        )
        split_range = (m["from_kw"] != "") & (F.lower(m["sep"]) == "to")
        base = {
            "component": component,
            "currency": currency_code(symbol),
            "period": period_after_amount(m["trailing"]),
            "vesting_years": F.when(component == "equity", count_value(vesting)),
            "open_ended": m["plus"] == "+",
            "seniority": seniority_of(nonempty(m["level"])),
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
    sentence_level = F.regexp_extract("sentence", rf"(?i)\b({LEVEL_PATTERN})\b", 1)
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
        mention_id("match_index").alias("mention_id"),
        "doc_id",
        "comment_position",
        "m.component",
        "m.amount_min",
        "m.amount_max",
        "m.currency",
        "m.period",
        "m.vesting_years",
        "m.open_ended",
        F.coalesce("sentence_role_id", "doc_role_id").alias("role_id"),
        F.coalesce(F.col("m.seniority"), seniority_of(nonempty(sentence_level))).alias("seniority"),
        "sentence",
    )
