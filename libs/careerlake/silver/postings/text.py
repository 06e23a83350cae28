"""HTML to clean text with Spark regex expressions (no UDF)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# A small fixed set of named entities; numeric ones (&#39; &#x2014;) are decoded generically.
NAMED_ENTITIES: dict[str, str] = {
    "nbsp": " ",
    "quot": '"',
    "apos": "'",
    "ndash": "–",
    "mdash": "—",
    "lsquo": "‘",
    "rsquo": "’",
    "ldquo": "“",
    "rdquo": "”",
    "hellip": "…",
    "bull": "•",
    "middot": "·",
    "euro": "€",
    "pound": "£",
    "yen": "¥",
    "copy": "©",
    "reg": "®",
    "trade": "™",
    "lt": "<",
    "gt": ">",
}
_NUMERIC = r"&#([0-9]{1,7}|[xX][0-9a-fA-F]{1,6});"
_BLOCK_TAGS = r"(?i)<\s*(br|/p|/div|/li|/h[1-6]|/tr|/ul|/ol|p|div|li|h[1-6]|tr|ul|ol)\b[^>]*>"


def decode_numeric_entities(text: Column) -> Column:
    """&#NNN; and &#xHHHH; as characters (Basic Multilingual Plane; others become U+FFFD)."""
    parts = F.split(text, _NUMERIC, -1)
    codes = F.regexp_extract_all(text, F.lit(_NUMERIC), 1)
    hex_codes = F.transform(
        codes,
        lambda c: F.upper(
            F.when(F.lower(F.substring(c, 1, 1)) == "x", F.substring(c, 2, 8)).otherwise(
                F.hex(c.try_cast("bigint"))
            )
        ),
    )
    digits = F.transform(hex_codes, lambda h: F.ltrim(h, F.lit("0")))
    chars = F.transform(
        digits,
        lambda h: F.when(F.length(h) <= 4, F.decode(F.unhex(F.lpad(h, 4, "0")), "UTF-16BE")).otherwise(
            F.lit("\ufffd")
        ),
    )
    joined = F.zip_with(
        parts, F.concat(chars, F.array(F.lit(""))), lambda p, c: F.concat(p, F.coalesce(c, F.lit("")))
    )
    return F.when(text.rlike(_NUMERIC), F.array_join(joined, "")).otherwise(text)


def _decode_named(text: Column, names: list[str]) -> Column:
    for name in names:
        text = F.regexp_replace(
            text, f"&{name};", NAMED_ENTITIES[name].replace("\\", "\\\\").replace("$", "\\$")
        )
    return text


def html_text(html: Column) -> Column:
    """The expression behind html_to_text, for reuse on any column."""
    # Escaped HTML (Greenhouse), even escaped twice (&amp;lt;p&amp;gt;): unescape '&' first, then markup.
    text = F.regexp_replace(html, "&(amp;)+", "&")
    text = _decode_named(text, ["lt", "gt"])
    text = F.regexp_replace(text, "&#0*60;", "<")
    text = F.regexp_replace(text, "&#0*62;", ">")
    text = F.regexp_replace(text, r"(?is)<(script|style)\b.*?</\1\s*>", " ")
    text = F.regexp_replace(text, r"(?s)<!--.*?-->", " ")
    text = F.regexp_replace(text, _BLOCK_TAGS, "\n")
    text = F.regexp_replace(text, r"<[^>]*>", "")
    text = _decode_named(text, [n for n in NAMED_ENTITIES if n not in {"lt", "gt"}])
    text = decode_numeric_entities(text)
    text = _decode_named(text, ["lt", "gt"])
    text = F.regexp_replace(text, "[ \t\u00a0\r\f]+", " ")
    text = F.regexp_replace(text, r" ?\n[ \n]*", "\n")
    return F.when(html.isNotNull(), F.regexp_replace(text, r"^\s+|\s+$", ""))


def html_to_text(
    frame: DataFrame, source: str = "description_html", target: str = "description_text"
) -> DataFrame:
    """`target` = `source` as clean text: scripts/styles dropped, tags stripped, entities decoded."""
    return frame.withColumn(target, html_text(F.col(source)))
