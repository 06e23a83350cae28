"""A posting's USD rate: the reference.fx_rates row of its currency on or before its month."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F


def _rates_by_month(fx_rates: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(one row per currency and month from its first quoted month to its last, holding the
    newest rate on or before that month; the newest rate of each currency with its month).

    A rate of a day other than the first applies from the next month: "on or before the month"
    compares it with the month's first day.
    """
    applies_from = F.add_months(F.trunc(F.date_sub("rate_date", 1), "month"), 1)
    newest = F.max_by(
        F.struct(F.col("rate_date").alias("date"), F.col("usd_per_unit").alias("rate")), "rate_date"
    )
    quoted = fx_rates.groupBy(F.col("currency").alias("_fx_currency"), applies_from.alias("_fx_month")).agg(
        newest.alias("_fx")
    )
    latest = quoted.groupBy("_fx_currency").agg(
        F.min("_fx_month").alias("_fx_first_month"),
        F.max("_fx_month").alias("_fx_last_month"),
        F.max_by("_fx", "_fx_month").alias("_fx_latest"),
    )
    months = F.sequence("_fx_first_month", "_fx_last_month", F.expr("INTERVAL 1 MONTH"))
    calendar = latest.select("_fx_currency", F.explode(months).alias("_fx_month"))
    filled = Window.partitionBy("_fx_currency").orderBy("_fx_month").rowsBetween(Window.unboundedPreceding, 0)
    by_month = calendar.join(quoted, ["_fx_currency", "_fx_month"], "left").select(
        "_fx_currency", "_fx_month", F.last("_fx", ignorenulls=True).over(filled).alias("_fx")
    )
    return by_month, latest


def with_usd_rate(frame: DataFrame, fx_rates: DataFrame, currency: Column, month: Column) -> DataFrame:
    """`frame` with `_fx_date` and `_fx_rate`: the newest rate of `currency` on or before `month`
    (a month's first day); both null when the currency has none by then.

    Equality joins on small broadcast frames: a range join on the rate date would pair each row
    with every earlier rate of its currency and need a window to keep the newest, which took
    most of silver's salary normalization.
    """
    by_month, latest = _rates_by_month(fx_rates)
    keyed = frame.withColumn("_fx_key_currency", currency).withColumn("_fx_key_month", month)
    joined = keyed.join(
        F.broadcast(by_month),
        (F.col("_fx_currency") == F.col("_fx_key_currency")) & (F.col("_fx_month") == F.col("_fx_key_month")),
        "left",
    ).drop("_fx_currency", "_fx_month")
    joined = joined.join(
        F.broadcast(latest), F.col("_fx_currency") == F.col("_fx_key_currency"), "left"
    ).drop("_fx_currency")
    # After its last quoted month a currency keeps its last rate.
    rate = F.coalesce(
        F.col("_fx"), F.when(F.col("_fx_key_month") > F.col("_fx_last_month"), F.col("_fx_latest"))
    )
    return (
        joined.withColumn("_fx_date", rate["date"])
        .withColumn("_fx_rate", rate["rate"])
        .drop("_fx", "_fx_latest", "_fx_first_month", "_fx_last_month", "_fx_key_currency", "_fx_key_month")
    )
