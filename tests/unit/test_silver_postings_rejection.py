"""chispa test of why silver quarantines a bronze posting record, one named case per row."""

from __future__ import annotations

from chispa import assert_df_equality
from pyspark.sql import SparkSession

from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.postings.transform import split_rejected, with_rejection_reason

UNPARSEABLE = "unparseable_json: raw_record is not a JSON object"
MISSING_TITLE = "missing_title: the record has no title"


def test_rejection_reasons_and_the_split(spark: SparkSession) -> None:
    rows = [
        ("titled", "greenhouse", '{"title": "Data Engineer", "id": 1}', None),
        ("lever_text_is_its_title", "lever", '{"text": "Analyst"}', None),
        ("jsonld_name_when_no_title", "jsonld", '{"name": "Engineer"}', None),
        ("title_at_another_formats_path", "lever", '{"title": "Analyst"}', MISSING_TITLE),
        ("blank_title", "greenhouse", '{"title": "  "}', MISSING_TITLE),
        ("empty_object", "ashby", "{}", MISSING_TITLE),
        ("not_json", "greenhouse", "<html>Data Engineer</html>", UNPARSEABLE),
        ("truncated_json", "greenhouse", '{"title": "Data Eng', UNPARSEABLE),
        ("json_array", "greenhouse", '[{"title": "Data Engineer"}]', UNPARSEABLE),
        ("unknown_format", "workday", '{"title": "Data Engineer"}', "unknown_format: workday"),
    ]
    schema = "case string, source_format string, raw_record string"
    bronze = rows_frame(spark, [r[:3] for r in rows], schema)

    checked = with_rejection_reason(bronze)
    assert_df_equality(checked, rows_frame(spark, rows, f"{schema}, reason string"))

    mappable, rejected = split_rejected(checked)
    assert_df_equality(mappable, rows_frame(spark, [r[:3] for r in rows if r[3] is None], schema))
    assert_df_equality(
        rejected, rows_frame(spark, [r for r in rows if r[3] is not None], f"{schema}, reason string")
    )
