from datetime import date

from chispa import assert_df_equality
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.postings.fx import with_usd_rate

FX_SCHEMA = "currency string, rate_date date, usd_per_unit double"


def test_usd_rate_is_the_newest_on_or_before_the_month(spark: SparkSession) -> None:
    fx = rows_frame(
        spark,
        [
            ("GBP", date(2026, 1, 1), 1.25),
            ("GBP", date(2026, 3, 1), 1.30),  # no February rate: February keeps January's
            ("GBP", date(2026, 3, 16), 1.35),  # mid-month: applies from April
            ("EUR", date(2026, 2, 1), 1.10),
        ],
        FX_SCHEMA,
    )
    rows = rows_frame(
        spark,
        [
            (1, "GBP", date(2025, 12, 1)),  # before the first rate
            (2, "GBP", date(2026, 2, 1)),
            (3, "GBP", date(2026, 3, 1)),
            (4, "GBP", date(2026, 4, 1)),
            (5, "GBP", date(2027, 7, 1)),  # after the last rate: the last one holds
            (6, "EUR", date(2026, 2, 1)),
            (7, "JPY", date(2026, 2, 1)),  # no rate at all
            (8, None, date(2026, 2, 1)),
        ],
        "id int, currency string, month date",
    )
    actual = with_usd_rate(rows, fx, F.col("currency"), F.col("month")).select("id", "_fx_date", "_fx_rate")
    expected = rows_frame(
        spark,
        [
            (1, None, None),
            (2, date(2026, 1, 1), 1.25),
            (3, date(2026, 3, 1), 1.30),
            (4, date(2026, 3, 16), 1.35),
            (5, date(2026, 3, 16), 1.35),
            (6, date(2026, 2, 1), 1.10),
            (7, None, None),
            (8, None, None),
        ],
        "id int, _fx_date date, _fx_rate double",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)
