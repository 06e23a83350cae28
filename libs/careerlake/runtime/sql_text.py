"""Values written into Spark SQL text."""

from __future__ import annotations


def sql_string(text: str) -> str:
    """`text` as a Spark SQL string literal.

    Backslashes and quotes are escaped with a backslash: Spark reads `'it''s'` as two adjacent
    literals, the text "its".
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
