"""The records of a CSV file in which a row opens a quote it never closes.

A CSV reader takes everything after an unclosed quote, up to the next quote in the file, as one
value, so the rows after the bad one vanish into it. Here a record is read only as far as the
quotes stay well-formed: a quoted value must close before a comma or the end of a line. A row
whose quotes do not (or whose quoted text spans lines yet leaves it the wrong number of values,
the unclosed quote having met a later row's) is cut at the end of its first line and marked, and
reading resumes on the next line, so the bad row costs itself only.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from pyspark.sql import Column
from pyspark.sql import functions as F

_QUOTED = r'"[^"]*(?:""[^"]*)*"'
_FIELD = rf'(?:{_QUOTED}|[^",\r\n][^,\r\n]*|)'
_RECORD = re.compile(rf"{_FIELD}(?:,{_FIELD})*(?:\r?\n|\Z)")
RECORDS_TYPE = "array<struct<text: string, balanced: boolean>>"


def _width(record: str) -> int:
    return len(next(csv.reader(io.StringIO(record)), []))


def split_records(text: str) -> list[tuple[str, bool]]:
    """The file's records in order, each as written (its line end included) with whether its
    quotes are balanced; the first record is the header, whose width every record should have."""
    records: list[tuple[str, bool]] = []
    width, pos = None, 0
    while pos < len(text):
        match = _RECORD.match(text, pos)
        record = match.group() if match else ""
        spans_lines = "\n" in record.rstrip("\r\n")
        if record and not (spans_lines and width is not None and _width(record) != width):
            records.append((record, True))
            width = _width(record) if width is None else width
            pos = match.end() if match else pos
            continue
        line_end = text.find("\n", pos)
        end = len(text) if line_end < 0 else line_end + 1
        records.append((text[pos:end], False))
        pos = end
    return records


def _records(contents: pd.Series) -> pd.Series:
    # Undecodable bytes become U+FFFD, as in Spark's CSV reader, and cost their row only.
    return contents.map(
        lambda b: [{"text": r, "balanced": ok} for r, ok in split_records(b.decode("utf-8", "replace"))],
        na_action="ignore",
    )


def salvaged_records(content: Column) -> Column:
    """RECORDS_TYPE: the records of each file's bytes `content` (see split_records).

    Python, because Spark's CSV reader cannot stop at an unclosed quote; it is given only the
    files in which the reader found a bad row, and a pandas UDF takes them an Arrow batch at a time.
    """
    return F.pandas_udf(_records, RECORDS_TYPE)(content)  # type: ignore[call-overload]
