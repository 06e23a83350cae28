"""Synthetic landing data at any scale, in the same five posting formats as the sample data.

Used by the benchmark: draws every attribute with numpy in one go and renders records from
string templates, so a million postings take seconds, spread over files of ~1,000 postings
(CSV dumps: 10,000 rows).
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from careerlake.ingest.formats.linkedin_csv import COLUMNS as LINKEDIN_COLUMNS

FORMAT_NAMES = ("greenhouse", "lever", "ashby", "jsonld", "linkedin_csv")
POSTINGS_PER_FILE = 1_000
CSV_ROWS_PER_FILE = 10_000
DAY_MS = 86_400_000
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
LEVER_INTERVALS = {"year": "per-year-salary", "month": "per-month-salary", "hour": "per-hour-wage"}
ASHBY_INTERVALS = {"year": "1 YEAR", "month": "1 MONTH", "hour": "1 HOUR"}
JSONLD_UNITS = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}
LINKEDIN_PERIODS = {"year": "YEARLY", "month": "MONTHLY", "hour": "HOURLY"}


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

    def posting(self, posting_number: int) -> dict:
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


def _slug(company: str) -> str:
    return company.lower().replace(" ", "")


def _iso(ms: int) -> str:
    return np.datetime64(ms, "ms").astype(str) + "Z"


def _greenhouse(i: int, p: dict) -> dict:
    job = {
        "id": 10_000_000 + i,
        "title": p["title"],
        "updated_at": _iso(p["posted_ms"]),
        "first_published": _iso(p["posted_ms"]),
        "location": {"name": p["city"]},
        "absolute_url": f"https://job-boards.greenhouse.io/{_slug(p['company'])}/jobs/{10_000_000 + i}",
        "company_name": p["company"],
        "metadata": None,
        "content": html.escape(f"<p>{p['text']}</p><p>Workplace: {p['workplace']}.</p>"),
        "departments": [{"id": 1, "name": "Data", "child_ids": [], "parent_id": None}],
        "offices": [{"id": 2, "name": p["city"], "location": p["city"], "child_ids": [], "parent_id": None}],
    }
    if p["currency"]:
        job["pay_input_ranges"] = [
            {
                "min_cents": int(p["low"] * 100),
                "max_cents": int(p["high"] * 100),
                "currency_type": p["currency"],
                "title": {"year": "Annual Salary", "month": "Monthly Salary", "hour": "Hourly Rate"}[
                    p["period"]
                ],
                "blurb": "",
            }
        ]
    return job


def _lever(i: int, p: dict) -> dict:
    posting_id = f"{i:08x}-5eed-4000-8000-{i:012x}"
    job = {
        "id": posting_id,
        "text": p["title"],
        "createdAt": p["posted_ms"],
        "categories": {
            "location": p["city"],
            "commitment": "Full-time",
            "team": "Data",
            "allLocations": [p["city"]],
        },
        "country": p["country"],
        "workplaceType": p["workplace"],
        "descriptionPlain": p["text"],
        "description": f"<div>{html.escape(p['text'])}</div>",
        "lists": [],
        "hostedUrl": f"https://jobs.lever.co/{_slug(p['company'])}/{posting_id}",
    }
    if p["currency"]:
        job["salaryRange"] = {
            "currency": p["currency"],
            "interval": LEVER_INTERVALS[p["period"]],
            "min": p["low"],
            "max": p["high"],
        }
    return job


def _ashby(i: int, p: dict) -> dict:
    posting_id = f"a5b0{i:04x}-0000-4000-8000-{i:012x}"
    job = {
        "id": posting_id,
        "title": p["title"],
        "location": p["city"],
        "isRemote": p["workplace"] == "remote",
        "workplaceType": {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}[p["workplace"]],
        "employmentType": "Intern" if "Intern" in p["title"] else "FullTime",
        "publishedAt": _iso(p["posted_ms"]),
        "address": {
            "postalAddress": {"addressLocality": p["city"].split(",")[0], "addressCountry": p["country"]}
        },
        "jobUrl": f"https://jobs.ashbyhq.com/{_slug(p['company'])}/{posting_id}",
        "descriptionPlain": p["text"],
    }
    if p["currency"]:
        component = {
            "compensationType": "Salary",
            "interval": ASHBY_INTERVALS[p["period"]],
            "currencyCode": p["currency"],
            "minValue": p["low"],
            "maxValue": p["high"],
        }
        job["compensation"] = {"compensationTiers": [{"components": [component]}]}
    return job


def _jsonld(i: int, p: dict) -> dict:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": p["title"],
        "description": f"<p>{html.escape(p['text'])}</p>",
        "datePosted": _iso(p["posted_ms"])[:10],
        "employmentType": "INTERN" if "Intern" in p["title"] else "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": p["company"]},
        "jobLocation": {
            "@type": "Place",
            "address": {"addressLocality": p["city"], "addressCountry": p["country"]},
        },
        "identifier": {"@type": "PropertyValue", "name": p["company"], "value": f"SYN-{i}"},
    }
    if p["workplace"] == "remote":
        posting["jobLocationType"] = "TELECOMMUTE"
    if p["currency"]:
        value = {"@type": "QuantitativeValue", "minValue": p["low"], "maxValue": p["high"]}
        value["unitText"] = JSONLD_UNITS[p["period"]]
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": p["currency"], "value": value}
    return posting


def _linkedin(i: int, p: dict) -> list[str]:
    pay = bool(p["currency"])
    row = dict.fromkeys(LINKEDIN_COLUMNS, "")
    row.update(
        job_id=str(3_000_000_000 + i),
        company_name=p["company"],
        title=p["title"],
        description=p["text"].replace(". ", ".\n"),
        location=p["city"],
        formatted_work_type="Internship" if "Intern" in p["title"] else "Full-time",
        original_listed_time=f"{p['posted_ms']:.1f}",
        listed_time=f"{p['posted_ms']:.1f}",
        expiry=f"{p['posted_ms'] + 30 * DAY_MS:.1f}",
        remote_allowed="1.0" if p["workplace"] == "remote" else "",
        job_posting_url=f"https://www.linkedin.com/jobs/view/{3_000_000_000 + i}/",
        application_type="OffsiteApply",
        sponsored="0",
        work_type="INTERNSHIP" if "Intern" in p["title"] else "FULL_TIME",
    )
    if pay:
        row.update(
            min_salary=f"{p['low']:.1f}",
            max_salary=f"{p['high']:.1f}",
            pay_period=LINKEDIN_PERIODS[p["period"]],
            currency=p["currency"],
            compensation_type="BASE_SALARY",
        )
    return [row[c] for c in LINKEDIN_COLUMNS]


def _write_json_files(
    folder: Path,
    draws: _Draws,
    ids: range,
    render: Callable[[int, dict], dict],
    wrap: Callable[[list[dict]], str],
) -> None:
    for start in range(ids.start, ids.stop, POSTINGS_PER_FILE):
        chunk = range(start, min(start + POSTINGS_PER_FILE, ids.stop))
        postings = [draws.posting(i) for i in chunk]
        board = _slug(postings[0]["company"])
        records = [render(i, p) for i, p in zip(chunk, postings, strict=True)]
        (folder / f"{board}-{start:09d}.{'html' if render is _jsonld else 'json'}").write_text(
            wrap(records), encoding="utf-8"
        )


def _html_page(records: list[dict]) -> str:
    script = json.dumps(records, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Careers</title>\n'
        f'<script type="application/ld+json">{script}</script>\n</head><body><h1>Open roles</h1></body></html>\n'
    )


def write_postings(root: Path, postings: int, seed: int = 7, first_id: int = 0) -> dict[str, int]:
    """Write `postings` postings spread evenly over the five formats; return postings per format.

    Postings are numbered from `first_id`, which also names the files: a later call with a
    higher `first_id` adds new postings in new files (an incremental delivery).
    """
    draws = _Draws(np.random.default_rng(seed), postings, first_id)
    share, extra = divmod(postings, len(FORMAT_NAMES))
    counts = {name: share + (1 if k < extra else 0) for k, name in enumerate(FORMAT_NAMES)}
    start = first_id
    wrappers: dict[str, tuple[Callable[[int, dict], dict], Callable[[list[dict]], str]]] = {
        "greenhouse": (_greenhouse, lambda rs: json.dumps({"jobs": rs, "meta": {"total": len(rs)}})),
        "lever": (_lever, json.dumps),
        "ashby": (_ashby, lambda rs: json.dumps({"apiVersion": "1", "jobs": rs})),
        "jsonld": (_jsonld, _html_page),
    }
    for name in FORMAT_NAMES:
        folder = root / "postings" / name
        folder.mkdir(parents=True, exist_ok=True)
        ids = range(start, start + counts[name])
        if name == "linkedin_csv":
            for first in range(ids.start, ids.stop, CSV_ROWS_PER_FILE):
                path = folder / f"job_postings-{first:09d}.csv"
                with path.open("w", newline="", encoding="utf-8") as fh:
                    writer = csv.writer(fh, lineterminator="\n")
                    writer.writerow(LINKEDIN_COLUMNS)
                    writer.writerows(
                        _linkedin(i, draws.posting(i))
                        for i in range(first, min(first + CSV_ROWS_PER_FILE, ids.stop))
                    )
        else:
            render, wrap = wrappers[name]
            _write_json_files(folder, draws, ids, render, wrap)
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
    """Write synthetic postings (five formats) and career documents; return counts by format."""
    counts = write_postings(root, postings, seed, first_id)
    counts["career_docs"] = write_career_docs(root, documents, seed, first_id)
    return counts
