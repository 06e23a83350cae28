"""The elements of a JSON array in a file that does not parse as a whole.

One broken posting (a stray comma, a NaN where JSON has none, a file cut off mid-posting) makes
the whole response unreadable to a JSON parser, yet every element before and after it is
intact. The array's elements are found by their brackets alone, strings skipped, so each one
can be parsed, and rejected, on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pandas as pd
from pyspark.sql import Column
from pyspark.sql import functions as F

# A JSON string (possibly cut off at the end of the text) or one structural character.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{},:]', re.DOTALL)


def _array_start(text: str, field: str | None) -> int | None:
    """Offset of the '[' opening the array: the text's own, or the top-level object's `field`."""
    if field is None:
        stripped = text.lstrip()
        return len(text) - len(stripped) if stripped.startswith("[") else None
    depth = 0
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens[:-2]):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
        elif depth == 1 and value.startswith('"') and _is_key(value, field):
            colon, bracket = tokens[i + 1], tokens[i + 2]
            between = text[token.end() : colon.start()] + text[colon.end() : bracket.start()]
            if colon.group() == ":" and bracket.group() == "[" and not between.strip():
                return bracket.start()
    return None


def _is_key(token: str, field: str) -> bool:
    try:
        return json.loads(token) == field
    except ValueError:
        return False


def array_elements(text: str, field: str | None = None) -> list[str] | None:
    """The texts of the array's elements, each as written (a cut-off last one included); None when
    the array is not found or holds nothing."""
    start = _array_start(text, field)
    if start is None:
        return None
    elements: list[str] = []
    depth, begin = 0, start + 1
    for token in _TOKEN.finditer(text, start + 1):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]" and depth > 0:
            depth -= 1
        elif value in "}]" or (value == "," and depth == 0):
            elements.append(text[begin : token.start()].strip())
            begin = token.end()
            if value != ",":
                break
    else:
        elements.append(text[begin:].strip())
    found = [e for e in elements if e]
    return found or None


def _elements_of(field: str | None) -> Callable[[pd.Series], pd.Series]:
    def elements(texts: pd.Series) -> pd.Series:
        return texts.map(lambda t: array_elements(t, field), na_action="ignore")

    return elements


def salvaged_elements(text: Column, field: str | None = None) -> Column:
    """array<string> of the elements of `text`'s array (see array_elements); null for null text.

    Python, because no Spark function splits JSON it cannot parse; it is given only the texts
    that did not parse, and a pandas UDF takes them an Arrow batch at a time.
    """
    return F.pandas_udf(_elements_of(field), "array<string>")(text)  # type: ignore[call-overload]
