"""Posting descriptions from HTML to clean text, one vectorized call per Arrow batch."""

from __future__ import annotations

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from careerlake.runtime.text import html_to_text as markup_to_text


def _description_texts(markup: pd.Series) -> pd.Series:
    return markup.map(lambda m: None if m is None else markup_to_text(m))


def html_to_text(
    frame: DataFrame, source: str = "description_html", target: str = "description_text"
) -> DataFrame:
    """`target` = `source` as clean text: scripts/styles dropped, tags stripped, entities decoded."""
    # Python, because markup needs a real HTML parser (selectolax) rather than regexes; a pandas
    # UDF hands it whole Arrow batches, so the per-row cost is one function call.
    text = F.pandas_udf(_description_texts, "string")(F.col(source))  # type: ignore[call-overload]
    return frame.withColumn(target, text)
