"""Synthetic landing data at any scale, in every posting format, like the sample data.

Used by the benchmark: draws every attribute with numpy in one go, and each format renders the
postings as its landing files (`PostingFormat.write_synthetic`), so a million postings take
seconds, spread over files of ~1,000 postings (CSV dumps: 10,000 rows).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from careerlake.sources.postings import FORMATS
from careerlake.sources.postings.synthetic import DAY_MS, SyntheticPosting

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z

COMPANIES = (
    "Northwind Analytics", "Helix Bio", "Quantaloop", "DataDyne", "Kestrel Mobility", "Maple AI", "Orbitly",
    "LumenML", "FinchPay", "Contoso Health", "Fabrikam Retail", "Tailspin Travel", "Woodgrove AI", "Proseware",
    "Litware Insurance", "Adatum Labs", "Globex", "Initech", "Acme Robotics", "Umbrella Health",
)  # fmt: skip
ROLES = (
    "Data Engineer", "Analytics Engineer", "Data Scientist", "Machine Learning Engineer", "MLOps Engineer",
    "Software Engineer", "Data Analyst", "Research Scientist", "Data Platform Engineer", "BI Developer",
)  # fmt: skip
LEVELS = (
    ("{} Intern", 0.35), ("Junior {}", 0.6), ("{}", 0.8), ("Senior {}", 1.0), ("Staff {}", 1.25),
    ("Principal {}", 1.4), ("Lead {}", 1.3), ("{} Manager", 1.35), ("Director of {}", 1.7),
)  # fmt: skip
# city, country, currency, annual base salary in that currency for a senior role
LOCATIONS = (
    ("New York, NY", "US", "USD", 180_000), ("San Francisco, CA", "US", "USD", 190_000),
    ("Austin, TX", "US", "USD", 160_000), ("London, United Kingdom", "GB", "GBP", 90_000),
    ("Berlin, Germany", "DE", "EUR", 80_000), ("Amsterdam, Netherlands", "NL", "EUR", 85_000),
    ("Toronto, ON, Canada", "CA", "CAD", 150_000), ("Bengaluru, India", "IN", "INR", 3_500_000),
    ("Remote - US", "US", "USD", 170_000), ("Paris, France", "FR", "EUR", 75_000),
)  # fmt: skip
WORKPLACES = ("remote", "hybrid", "onsite")
SKILLS = (
    "Python", "SQL", "Spark", "PySpark", "Kubernetes", "k8s", "Docker", "Airflow", "dbt", "GCP", "AWS", "Azure",
    "Terraform", "Kafka", "Snowflake", "BigQuery", "Databricks", "PyTorch", "TensorFlow", "scikit-learn",
    "MLflow", "Go", "Java", "Scala", "Tableau", "Power BI", "Looker", "pandas", "Rust", "Git",
)  # fmt: skip
TRAPS = (
    "You will own the go-live of new data products.", "Experience in an R&D team is a plus.",
    "Excellent communication skills are essential.", "",
)  # fmt: skip
PERIODS = ("year", "month", "hour")
PERIOD_DIVISOR = {"year": 1, "month": 12, "hour": 2080}


class _Draws:
    """Every random attribute of `n` postings, drawn at once."""

    def __init__(self, rng: np.random.Generator, n: int, first_id: int = 0) -> None:
        self.first_id = first_id
        self.company = rng.integers(0, len(COMPANIES), n)
        self.role = rng.integers(0, len(ROLES), n)
        self.level = rng.integers(0, len(LEVELS), n)
        self.location = rng.integers(0, len(LOCATIONS), n)
        self.workplace = rng.integers(0, len(WORKPLACES), n)
        self.skills = rng.integers(0, len(SKILLS), (n, 4))
        self.trap = rng.integers(0, len(TRAPS), n)
        self.day = rng.integers(0, 300, n)
        self.spread = rng.uniform(0.8, 1.25, n)
        # 15% without structured pay, some of those with the pay only in the text.
        self.has_pay = rng.random(n) > 0.15
        self.text_pay = rng.random(n) > 0.5
        self.period = rng.choice(len(PERIODS), n, p=(0.8, 0.08, 0.12))

    def posting(self, posting_number: int) -> SyntheticPosting:
        i = posting_number - self.first_id
        template, factor = LEVELS[self.level[i]]
        city, country, currency, base = LOCATIONS[self.location[i]]
        period = "hour" if template == "{} Intern" else PERIODS[self.period[i]]
        low = base * factor * self.spread[i] / PERIOD_DIVISOR[period]
        low = round(low, 2) if period == "hour" else round(low, -2)
        title = template.format(ROLES[self.role[i]])
        skills = ", ".join(dict.fromkeys(SKILLS[s] for s in self.skills[i]))
        text = (
            f"We are hiring a {title} in {city}. You will build data and ML systems with {skills}. "
            f"{TRAPS[self.trap[i]]}"
        )
        if not self.has_pay[i] and self.text_pay[i]:
            text += f" Pay: {currency} {low:,.0f} - {low * 1.2:,.0f} per {period}."
        return {
            "company": COMPANIES[self.company[i]],
            "title": title,
            "city": city,
            "country": country,
            "workplace": WORKPLACES[self.workplace[i]],
            "currency": currency if self.has_pay[i] else None,
            "low": low,
            "high": round(low * 1.2, 2),
            "period": period,
            "text": text,
            "posted_ms": START_MS + int(self.day[i]) * DAY_MS,
        }


def write_postings(root: Path, postings: int, seed: int = 7, first_id: int = 0) -> dict[str, int]:
    """Write `postings` postings spread evenly over the formats; return postings per format.

    Postings are numbered from `first_id`, which also names the files: a later call with a
    higher `first_id` adds new postings in new files (an incremental delivery).
    """
    draws = _Draws(np.random.default_rng(seed), postings, first_id)
    share, extra = divmod(postings, len(FORMATS))
    counts = {name: share + (1 if k < extra else 0) for k, name in enumerate(FORMATS)}
    start = first_id
    for name, fmt in FORMATS.items():
        folder = root / "postings" / name
        folder.mkdir(parents=True, exist_ok=True)
        fmt.write_synthetic(folder, range(start, start + counts[name]), draws.posting)
        start += counts[name]
    return counts


def write_career_docs(root: Path, documents: int, seed: int = 7, first_id: int = 0) -> int:
    """Career-path threads in the Markdown thread layout under `<root>/career_docs/`."""
    rng = np.random.default_rng(seed + 1)
    folder = root / "career_docs"
    folder.mkdir(parents=True, exist_ok=True)
    frm = rng.integers(0, len(ROLES), documents)
    to = rng.integers(0, len(ROLES), documents)
    years = rng.integers(1, 8, documents)
    comments = rng.integers(0, 5, documents)
    points = rng.integers(1, 500, (documents, 5))
    for d in range(documents):
        source, target = ROLES[frm[d]], ROLES[to[d]]
        lines = [
            f"# From {source} to Senior {target} in {years[d]} years",
            "",
            f"I started as a {source} and moved to {target} after {years[d]} years. "
            f"The skills that mattered most were {SKILLS[d % len(SKILLS)]} and {SKILLS[(d * 7 + 3) % len(SKILLS)]}.",
            "",
            "## Comments",
            "",
        ]
        for c in range(comments[d]):
            lines += [
                f"### Comment {c + 1} by u/user{(d * 31 + c) % 9973} ({points[d, c]} points)",
                "",
                f"Similar path here: {target} roles paid more once I learned {SKILLS[(d + c) % len(SKILLS)]}.",
                "",
            ]
        (folder / f"synthetic-{first_id + d:07d}.md").write_text("\n".join(lines), encoding="utf-8")
    return documents


def write_landing(
    root: Path, postings: int, documents: int, seed: int = 7, first_id: int = 0
) -> dict[str, int]:
    """Write synthetic postings (every format) and career documents; return counts by format."""
    counts = write_postings(root, postings, seed, first_id)
    counts["career_docs"] = write_career_docs(root, documents, seed, first_id)
    return counts
