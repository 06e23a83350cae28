"""Whole-document parser (plain Python, the body of the one pandas UDF): layouts and tricky text."""

from __future__ import annotations

from datetime import date

import pytest

from careerlake.silver.career_docs.parse import detect_layout, parse_document, split_run_together

MARKDOWN_THREAD = """# Offer check: DE with 2 YoE

Posted by u/pipeline_pete in r/dataengineering · 2025-03-14

My offer is $142k base.

## Comments

### Comment 1 by u/mlops_maria (57 points)

> My offer is $142k base.

That is fair.
> second quote line

### Comment 2 by u/lurker (-3 points)

Negotiate.
"""

TEXT_DUMP_THREAD = """Source: reddit.com/r/sre
URL: https://www.reddit.com/r/sre/comments/abc/
Title: SRE comp check
Content:
Body line one.
Comments:
- u/paul (41 points): First comment.

  Second paragraph of the first comment.
- Honestly: a comment without an author.
"""


def test_markdown_thread_comments_points_and_quotes() -> None:
    doc = parse_document(MARKDOWN_THREAD)
    assert (doc["layout"], doc["title"], doc["community"], doc["site"]) == (
        "markdown_thread",
        "Offer check: DE with 2 YoE",
        "r/dataengineering",
        "reddit.com",
    )
    assert (doc["author"], doc["published_date"], doc["body_text"]) == (
        "u/pipeline_pete",
        date(2025, 3, 14),
        "My offer is $142k base.",
    )
    assert doc["comments"] == [
        {
            "position": 1,
            "author": "u/mlops_maria",
            "points": 57,
            "reply_text": "That is fair.",
            "quoted_text": "My offer is $142k base.\nsecond quote line",
        },
        {"position": 2, "author": "u/lurker", "points": -3, "reply_text": "Negotiate.", "quoted_text": ""},
    ]


def test_text_dump_thread_bullet_comments_span_paragraphs() -> None:
    doc = parse_document(TEXT_DUMP_THREAD)
    assert (doc["layout"], doc["site"], doc["community"], doc["title"], doc["body_text"]) == (
        "text_dump_thread",
        "reddit.com",
        "r/sre",
        "SRE comp check",
        "Body line one.",
    )
    assert [(c["position"], c["author"], c["points"], c["reply_text"]) for c in doc["comments"]] == [
        (1, "u/paul", 41, "First comment.\n\n  Second paragraph of the first comment."),
        (2, None, None, "Honestly: a comment without an author."),
    ]


def test_article_site_noise_and_contact_line_removed() -> None:
    text = (
        "Back\nFeatured\n# How to become an SRE\n\nBy Jane Doe | jane@example.com | @janedoe\n"
        "Published 2025-02-10\n\nSREs keep systems up.\n\nSubscribe to our newsletter!\n"
        "Leave a Reply\nBack to top button\nSource link\n"
    )
    doc = parse_document(text)
    assert (doc["layout"], doc["title"], doc["author"], doc["published_date"], doc["body_text"]) == (
        "article",
        "How to become an SRE",
        "Jane Doe",
        date(2025, 2, 10),
        "SREs keep systems up.",
    )


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("NetflixSpotifyShopify", ["Netflix", "Spotify", "Shopify"]),
        (
            "Model data (latency, cost)Terraform and cloud",
            ["Model data (latency, cost)", "Terraform and cloud"],
        ),
        (
            "ships a dashboard3Learn dimensional modelling",
            ["ships a dashboard", "Learn dimensional modelling"],
        ),
        ("SQLPythonApache SparkAirflowdbt", ["SQL", "Python", "Apache Spark", "Airflow", "dbt"]),
        ("GitLabDoorDashAirbnb", ["GitLab", "DoorDash", "Airbnb"]),
        ("PyTorchMLflowKubernetes", ["PyTorch", "MLflow", "Kubernetes"]),
        ("Use PyTorch and MLflow daily", ["Use PyTorch and MLflow daily"]),
        ("AccentureIBMSAPOracleMicrosoft", ["Accenture", "IBM", "SAP", "Oracle", "Microsoft"]),
        ("DeloitteKPMGPwCEYNVIDIAAMD", ["Deloitte", "KPMG", "PwC", "EY", "NVIDIA", "AMD"]),
        ("NASA and SAP HANA", ["NASA and SAP HANA"]),
        ("Mid LevelEU (est.): €55k–€75k", ["Mid LevelEU (est.): €55k–€75k"]),
    ],
    ids=[
        "companies",
        "paren-capital",
        "digit-capital",
        "acronym-and-lowercase",
        "camel-names",
        "protected-camel",
        "protected-prose",
        "all-caps-employers",
        "all-caps-and-mixed-case-employers",
        "all-caps-names-in-prose",
        "unknown-all-caps-kept-on-its-label",
    ],
)
def test_run_together_items_are_split(text: str, items: list[str]) -> None:
    assert split_run_together(text) == items


def test_scraped_guide_headings_run_together() -> None:
    text = (
        "Data Engineer Career Guide\nRole OverviewWhat You Will DoBuild pipelinesKey ResponsibilitiesOwn SLAs"
        "Top Skills for SuccessSQLPythonCan Lead ToData ArchitectMedian Salary Range"
        "Mid Level US (approx.): $120k–$155k total compensationPrincipal Level US (approx.): $220k–$300k+ total "
        "compensationCompanies HiringNetflixSpotify"
    )
    doc = parse_document(text)
    assert (doc["layout"], doc["title"]) == ("guide", "Data Engineer Career Guide")
    assert doc["sections"] == [
        {"section": "responsibilities", "items": ["Build pipelines", "Own SLAs"]},
        {"section": "top_skills", "items": ["SQL", "Python"]},
        {"section": "progression", "items": ["Data Architect"]},
        {
            "section": "salary",
            "items": [
                "Mid Level US (approx.): $120k–$155k total compensation",
                "Principal Level US (approx.): $220k–$300k+ total compensation",
            ],
        },
        {"section": "employers", "items": ["Netflix", "Spotify"]},
    ]


def test_html_is_reduced_to_text_before_detection() -> None:
    html = "<html><head><title>T</title></head><body><h1>Title</h1><p>By Ann Lee</p><ul><li>One</li></ul></body></html>"
    doc = parse_document(html, "a.html")
    assert (doc["layout"], doc["title"], doc["author"], doc["body_text"]) == (
        "article",
        "Title",
        "Ann Lee",
        "- One",
    )


def test_layout_detection_and_empty_document() -> None:
    assert detect_layout("Just some prose about careers.") == "article"
    assert parse_document("Back\nFeatured\n") == {"parse_error": "empty document: no body text (article)"}


def test_html_table_cells_keep_a_band_on_its_line() -> None:
    html = (
        "<html><body><h1>Data Engineer Career Guide</h1><h2>Top Skills</h2><ul><li>SQL</li></ul>"
        "<h2>Career Progression</h2><ul><li>Data Architect</li></ul><h2>Median Salary Range</h2>"
        "<table><tr><td>Entry Level</td><td>EU (est.)</td><td>€40k–€55k</td></tr>"
        "<tr><td>Mid Level</td><td>EU (est.)</td><td>€55k–€75k</td></tr></table>"
        "<dl><dt>Senior Level</dt><dd>€75k–€100k</dd></dl></body></html>"
    )
    doc = parse_document(html, "guide.html")
    assert doc["sections"][-1] == {
        "section": "salary",
        "items": [
            "Entry Level EU (est.) €40k–€55k",
            "Mid Level EU (est.) €55k–€75k",
            "Senior Level",
            "€75k–€100k",
        ],
    }
