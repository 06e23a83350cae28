"""Whole-document parsing: kind detection, thread / article / guide layouts, run-together text.

This is the one place Python runs over document text. Splitting a document into comments and
guide sections needs line-by-line state (which section am I in, where does a bullet comment end)
and splitting scraped run-together text needs a protected-words list; neither is expressible as a
few Spark expressions. So `parse_documents` applies `parse_document` in ONE vectorized
`mapInPandas` call per document batch, returning structured columns; every sentence-level
extraction (money, experience, transitions, taxonomy matching) then runs as Spark expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame

from careerlake.reference.taxonomy import read_csv
from careerlake.runtime.text import html_to_text

PARSED_SCHEMA = (
    "doc_id string, doc_type string, layout string, title string, site string, community string, "
    "url string, author string, published_date date, body_text string, parse_error string, "
    "comments array<struct<position:int, author:string, points:int, reply_text:string, quoted_text:string>>, "
    "sections array<struct<section:string, items:array<string>>>"
)

# Guide headings (as scraped, Title Case) -> canonical section key.
GUIDE_HEADINGS: dict[str, str] = {
    "Role Overview": "overview",
    "What You Will Do": "responsibilities",
    "Key Responsibilities": "responsibilities",
    "Top Skills for Success": "top_skills",
    "Top Skills": "top_skills",
    "Career Progression": "progression",
    "Can Lead To": "progression",
    "Transition Opportunities": "transitions",
    "Common Skill Gaps": "skill_gaps",
    "Median Salary Range": "salary",
    "Salary Range": "salary",
    "Growth Trend": "growth_trend",
    "Companies Hiring": "employers",
    "Major Employers": "employers",
    "Industry Sectors": "sectors",
    "Recommended Next Steps": "next_steps",
    "Experience Levels": "experience_levels",
}
_HEADING_RE = re.compile(
    r"(?:#{1,6}[ \t]*)?("
    + "|".join(re.escape(h) for h in sorted(GUIDE_HEADINGS, key=len, reverse=True))
    + r")(?:[ \t]*/[ \t]*(?:"
    + "|".join(re.escape(h) for h in sorted(GUIDE_HEADINGS, key=len, reverse=True))
    + r"))?(?:[ \t]*\([^)\n]{0,40}\))?[ \t]*:?"
)
_GUIDE_MIN_HEADINGS = 3

_NOISE_LINES = {
    "back",
    "featured",
    "leave a reply",
    "cancel reply",
    "back to top button",
    "back to top",
    "source link",
    "share",
    "tweet",
    "related posts",
    "related articles",
    "advertisement",
    "read more",
}
_NOISE_RE = re.compile(
    r"(?i)^(?:.*\bnewsletter\b.*|subscribe\b.*|sign up (?:for|to) (?:our|the)\b.*|"
    r"your email address will not be published.*|required fields are marked.*|share (?:this|on)\b.*|"
    r"follow us\b.*|click here to subscribe.*)$"
)
_AUTHOR_RE = re.compile(
    r"(?i)^(?:by|written by|author:|posted by)\s+(?P<name>[^|·•,\n]+?)\s*(?:[|·•,—–-]\s*(?P<rest>.*))?$"
)
_CONTACT_RE = re.compile(
    r"(?i)^(?:contact|reach (?:me|the author)|email|e-mail|follow)\b.*(?:@|https?://).*$"
)
_DATE_RE = re.compile(
    r"(?i)\b(?:published|posted|date|updated|on)\b[:\s]*(?:on\s+)?"
    r"(\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})"
)
_MD_COMMENT_RE = re.compile(
    r"^###\s*Comment\s+(\d+)\s+by\s+(\S+?)(?:\s*\((-?\d+)\s*points?\))?\s*$", re.IGNORECASE
)
_DUMP_COMMENT_RE = re.compile(r"^(?:(u/[\w-]+|@\w+|[\w-]+)\s*(?:\((-?\d+)\s*points?\))?\s*:\s+)?(.*)$", re.S)
_POSTED_BY_RE = re.compile(
    r"(?i)^(?:\*\*)?posted by(?:\*\*)?\s+(\S+)(?:\s+in\s+(\S+))?(?:\s*[·|,-]\s*(.*))?$"
)


@cache
def protected_terms() -> tuple[str, ...]:
    """Words with an internal capital (PyTorch, GitHub, LinkedIn) that run-together splitting must keep."""
    names = [r["skill_name"] for r in read_csv("skills.csv")] + [
        r["role_name"] for r in read_csv("roles.csv")
    ]
    words = {
        w
        for n in names
        for w in re.split(r"[\s/()]+", n)
        if len(w) > 1 and w not in (w.lower(), w.upper(), w.capitalize())
    }
    words |= {
        "GitHub", "GitLab", "LinkedIn", "OpenAI", "DoorDash", "PayPal", "JPMorgan", "YouTube", "PagerDuty",
        "DeepMind", "HubSpot", "McKinsey", "BlackRock", "DevOps", "MLOps", "DataOps", "FinOps", "LeetCode",
        "iOS", "macOS", "eBay", "iPhone", "JavaScript", "TypeScript", "PostgreSQL", "MySQL", "NoSQL",
        "BigQuery", "DynamoDB", "MongoDB", "ClickHouse", "DuckDB", "SageMaker", "FastAPI", "GraphQL",
        "LangChain", "CockroachDB", "WhatsApp", "TikTok", "SoFi", "CrowdStrike", "ServiceNow", "DataDog",
        "SaaS", "PaaS", "FinTech", "HealthTech", "AdTech", "EdTech", "PwC",
    }  # fmt: skip
    return tuple(sorted(words, key=len, reverse=True))


# All-caps employer names that scraped lists glue together ("IBMSAPOracle"); with the all-caps
# words of the skill and role taxonomies they are the pieces an all-caps run is cut into.
_ACRONYM_EMPLOYERS = (
    "ABB", "ADP", "AIG", "AMD", "ARM", "AXA", "BBC", "BBVA", "BCG", "BMW", "BNP", "BP", "CGI", "CVS",
    "DHL", "EA", "EPAM", "EY", "GE", "GSK", "HCL", "HP", "HPE", "HSBC", "IBM", "IKEA", "ING", "KPMG",
    "LG", "NASA", "NTT", "NVIDIA", "PIMCO", "RBC", "SAIC", "SAP", "SAS", "TCS", "TSMC", "UBS", "UPS",
    "USAA", "VISA",
)  # fmt: skip
_CAPS_RUN_RE = re.compile(r"(?<![A-Z])[A-Z]{2,}(?=[A-Z][a-z]{2}|[^A-Za-z]|$)")


@cache
def acronym_terms() -> frozenset[str]:
    """Known all-caps names: employers above, and taxonomy words of three letters or more (SQL, AWS)."""
    names = [r["skill_name"] for r in read_csv("skills.csv")] + [
        r["role_name"] for r in read_csv("roles.csv")
    ]
    words = {w for n in names for w in re.split(r"[\s/()]+", n) if len(w) > 2 and w.isalpha() and w.isupper()}
    return frozenset(words | set(_ACRONYM_EMPLOYERS))


def segment_acronyms(run: str) -> list[str] | None:
    """An all-caps run cut into the fewest known names ('IBMSAP' -> IBM, SAP); None when it cannot be."""
    known = acronym_terms()
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 6), end - 1):
            head, current = best[start], best[end]
            if (
                head is not None
                and run[start:end] in known
                and (current is None or len(head) < len(current) - 1)
            ):
                best[end] = [*head, run[start:end]]
    return best[len(run)]


def _split_acronym_runs(text: str) -> str:
    """Put known all-caps names on lines of their own where they touch other words."""

    def cut(match: re.Match[str]) -> str:
        pieces = segment_acronyms(match.group(0))
        if pieces is None:
            return match.group(0)
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        lead = "\n" if before.islower() or before == "\x01" else ""
        trail = "\n" if after.isalpha() or after == "\x00" else ""
        return lead + "\n".join(pieces) + trail

    return _CAPS_RUN_RE.sub(cut, text)


@cache
def lowercase_terms() -> tuple[str, ...]:
    """All-lowercase skill names (dbt, pandas): glued after a word they can only be split by name."""
    names = {r["skill_name"] for r in read_csv("skills.csv")}
    return tuple(
        sorted((n for n in names if n.isalpha() and n.islower() and len(n) >= 3), key=len, reverse=True)
    )


def split_run_together(text: str) -> list[str]:
    """Split scraped items that lost their separators: 'NetflixSpotifyShopify' -> 3 items."""
    protected = protected_terms()
    masks: dict[str, str] = {}

    def mask(match: re.Match[str]) -> str:
        token = f"\x00{len(masks)}\x01"
        masks[token] = match.group(0)
        return token

    if protected:
        text = re.sub("|".join(re.escape(p) for p in protected), mask, text)
    if lower := lowercase_terms():
        glued = "|".join(map(re.escape, lower))
        text = re.sub(rf"(?<=[A-Za-z])(?=(?:{glued})(?:[A-Z\x00]|$))", "\n", text)  # Airflowdbt
        text = re.sub(rf"(?<=^|(?<=\n))((?:{glued}))(?=[A-Z])", "\\1\n", text)  # dbtLooker
    text = _split_acronym_runs(text)  # AccentureIBMSAPOracle
    text = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", "\n", text)  # dashboardLearn, NetflixSpotify
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z]{2})", "\n", text)  # SQLPython, CIPair
    text = re.sub(r"(?<=\x01)(?=[A-Z])", "\n", text)  # DoorDashAirbnb
    text = re.sub(r"(?<=\))(?=[A-Z\x00])", "\n", text)  # (latency, cost)Terraform
    text = re.sub(r"(?<=[a-z.!?)%])(?=\d{1,2}[A-Z][a-z])", "\n", text)  # dashboard3Learn
    text = re.sub(r"(?<=[a-z][.!?])(?=[A-Z])", "\n", text)  # ends.Starts
    text = re.sub(r"(?<=[A-Za-z\x01])(?=\x00)", "\n", text)  # SpotifyGitHub, KPMGPwC
    for token, word in masks.items():
        text = text.replace(token, word)
    items = (
        re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)]?(?=\s*[A-Z]))\s*", "", part).strip() for part in text.split("\n")
    )
    return [i for i in items if i]


def detect_layout(text: str) -> str:
    """markdown_thread, text_dump_thread, guide or article, from the content alone."""
    if re.search(r"(?im)^##\s*Comments\s*$", text) and re.search(r"(?im)^###\s*Comment\s+\d+\s+by\s", text):
        return "markdown_thread"
    if re.search(r"(?m)^Source:\s*\S", text) and re.search(r"(?m)^Content:", text):
        return "text_dump_thread"
    if len({GUIDE_HEADINGS[m.group(1)] for m in _HEADING_RE.finditer(text)}) >= _GUIDE_MIN_HEADINGS:
        return "guide"
    return "article"


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    text = text.strip().replace(".", "").replace(",", "")
    for fmt in ("%Y-%m-%d", "%b %d %Y", "%B %d %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _split_quotes(text: str) -> tuple[str, str]:
    reply, quoted = [], []
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            quoted.append(re.sub(r"^\s*>+\s?", "", line))
        else:
            reply.append(line)
    return "\n".join(reply).strip(), "\n".join(quoted).strip()


def _comment(position: int, author: str | None, points: str | None, text: str) -> dict[str, Any]:
    reply, quoted = _split_quotes(text)
    return {
        "position": position,
        "author": author,
        "points": int(points) if points else None,
        "reply_text": reply,
        "quoted_text": quoted,
    }


def _site_community(source: str) -> tuple[str | None, str | None]:
    source = re.sub(r"^https?://(www\.)?", "", source.strip()).rstrip("/")
    site, _, community = source.partition("/")
    return site or None, community or None


def parse_markdown_thread(text: str) -> dict[str, Any]:
    parts = re.split(r"(?im)^##\s*Comments\s*$", text, maxsplit=1)
    head, tail = parts[0], parts[1] if len(parts) > 1 else ""
    lines = head.strip().splitlines()
    doc: dict[str, Any] = {"doc_type": "thread", "layout": "markdown_thread", "site": None, "community": None}
    doc["title"] = re.sub(r"^#\s*", "", lines[0]).strip() if lines and lines[0].startswith("#") else None
    body: list[str] = []
    for line in lines[1 if doc["title"] else 0 :]:
        if m := _POSTED_BY_RE.match(line.strip()):
            doc["author"], community, rest = m.group(1), m.group(2), m.group(3)
            if community:
                doc["community"] = community
                doc["site"] = "reddit.com" if community.startswith("r/") else None
            doc["published_date"] = _parse_date(rest)
        elif m := re.match(r"(?i)^(url|source|date):\s*(\S.*)$", line.strip()):
            field, value = m.group(1).lower(), m.group(2).strip()
            if field == "url":
                doc["url"] = value
            elif field == "date":
                doc["published_date"] = _parse_date(value)
            else:
                doc["site"], doc["community"] = _site_community(value)
        else:
            body.append(line)
    doc["body_text"] = "\n".join(body).strip()
    comments: list[dict[str, Any]] = []
    current: tuple[str | None, str | None] | None = None
    buffer: list[str] = []
    for line in tail.splitlines():
        if m := _MD_COMMENT_RE.match(line.strip()):
            if current is not None:
                comments.append(_comment(len(comments) + 1, *current, "\n".join(buffer)))
            current, buffer = (m.group(2), m.group(3)), []
        elif current is not None:
            buffer.append(line)
    if current is not None:
        comments.append(_comment(len(comments) + 1, *current, "\n".join(buffer)))
    doc["comments"] = comments
    return doc


def parse_text_dump_thread(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"doc_type": "thread", "layout": "text_dump_thread"}
    part, body, comment_lines = "header", [], []
    for line in text.splitlines():
        if part == "header" and (m := re.match(r"^(Source|URL|Title|Author|Date):\s*(.*)$", line)):
            field, value = m.group(1), m.group(2).strip()
            if field == "Source":
                doc["site"], doc["community"] = _site_community(value)
            elif field == "URL":
                doc["url"] = value
            elif field == "Title":
                doc["title"] = value
            elif field == "Author":
                doc["author"] = value
            else:
                doc["published_date"] = _parse_date(value)
        elif part != "comments" and re.match(r"^Content:\s*", line):
            part = "content"
            body.append(re.sub(r"^Content:\s*", "", line))
        elif part == "content" and re.match(r"^Comments:\s*$", line):
            part = "comments"
        elif part == "content":
            body.append(line)
        elif part == "comments":
            comment_lines.append(line)
    doc["body_text"] = "\n".join(body).strip()
    chunks: list[str] = []
    for line in comment_lines:
        if line.startswith("- "):
            chunks.append(line[2:])
        elif chunks:
            chunks[-1] += "\n" + line
    comments = []
    for chunk in chunks:
        m = _DUMP_COMMENT_RE.match(chunk.strip())
        author, points, rest = (m.group(1), m.group(2), m.group(3)) if m else (None, None, chunk)
        if author and not author.startswith(("u/", "@")) and not points:
            author, rest = None, chunk.strip()  # "Honestly: ..." is text, not an author prefix
        comments.append(_comment(len(comments) + 1, author, points, rest))
    doc["comments"] = comments
    return doc


def parse_article(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"doc_type": "article", "layout": "article", "comments": []}
    body: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        bare = re.sub(r"^[#>*\-\s]+", "", line).strip()
        if bare.lower().rstrip(".:!") in _NOISE_LINES or (bare and _NOISE_RE.match(bare)):
            continue
        if m := _AUTHOR_RE.match(bare):
            doc.setdefault("author", m.group("name").strip())
            if (d := _DATE_RE.search(line)) and "published_date" not in doc:
                doc["published_date"] = _parse_date(d.group(1))
            continue
        if _CONTACT_RE.match(bare):
            continue
        if (d := re.match(_DATE_RE.pattern + r"\s*$", bare)) and "published_date" not in doc:
            doc["published_date"] = _parse_date(d.group(1))
            continue
        if m := re.match(r"(?i)^(url|source):\s*(\S+)\s*$", bare):
            if m.group(1).lower() == "url":
                doc["url"] = m.group(2)
            else:
                doc["site"], _ = _site_community(m.group(2))
            continue
        if "title" not in doc and line.startswith("# "):
            doc["title"] = bare
            continue
        body.append(raw.rstrip())
    if "title" not in doc:
        first = next((i for i, b in enumerate(body) if b.strip()), None)
        doc["title"] = body.pop(first).strip() if first is not None else None
    doc["body_text"] = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    return doc


def split_guide_sections(text: str) -> tuple[str | None, list[tuple[str, list[str]]]]:
    """The guide's title and its (section, items) in order; run-together items split."""
    marked = _HEADING_RE.sub(lambda m: f"\n\x02{GUIDE_HEADINGS[m.group(1)]}\n", text)
    chunks = marked.split("\x02")
    title_block = [ln.strip() for ln in chunks[0].splitlines() if ln.strip()]
    title = re.sub(r"^#+\s*", "", title_block[0]) if title_block else None
    sections: dict[str, list[str]] = {}
    for chunk in chunks[1:]:
        key, _, content = chunk.partition("\n")
        items = [item for line in content.splitlines() for item in split_run_together(line)]
        sections.setdefault(key.strip(), []).extend(items)
    return title, [(key, items) for key, items in sections.items() if items]


def parse_guide(text: str) -> dict[str, Any]:
    title, sections = split_guide_sections(text)
    doc: dict[str, Any] = {"doc_type": "guide", "layout": "guide", "title": title, "comments": []}
    lines = [f"# {title}"] if title else []
    for key, items in sections:
        lines.append(f"## {key.replace('_', ' ').title()}")
        lines.extend(f"- {item}" for item in items)
    doc["sections"] = [{"section": key, "items": items} for key, items in sections]
    doc["body_text"] = "\n".join(lines)
    return doc


def parse_document(raw_text: str, file_name: str = "") -> dict[str, Any]:
    """One document -> dict of PARSED_SCHEMA fields (without doc_id)."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if file_name.lower().endswith((".html", ".htm")) or re.match(r"(?is)\s*(<!doctype html|<html)", text):
        text = html_to_text(text, markdown=True)
    layout = detect_layout(text)
    parser = {
        "markdown_thread": parse_markdown_thread,
        "text_dump_thread": parse_text_dump_thread,
        "guide": parse_guide,
        "article": parse_article,
    }[layout]
    doc = parser(text)
    if not (doc.get("body_text") or "").strip() and not doc.get("comments"):
        return {"parse_error": f"empty document: no body text ({layout})"}
    return doc


_FIELDS = [f.split(" ")[0] for f in re.split(r", (?![^<]*>)", PARSED_SCHEMA)]


def _parse_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for batch in batches:
        rows = []
        for doc_id, raw_text, file_name in zip(
            batch["doc_id"], batch["raw_text"], batch["file_name"], strict=True
        ):
            try:
                doc = parse_document(raw_text or "", file_name or "")
            except Exception as exc:  # a malformed document is quarantined, never kills the job
                doc = {"parse_error": f"parser failure: {type(exc).__name__}: {exc}"[:500]}
            doc["doc_id"] = doc_id
            rows.append({f: doc.get(f, [] if f in ("comments", "sections") else None) for f in _FIELDS})
        yield pd.DataFrame(rows, columns=_FIELDS)


def parse_documents(bronze: DataFrame) -> DataFrame:
    """bronze.career_docs (doc_id, raw_text, file_name) -> PARSED_SCHEMA, one vectorized call per batch."""
    return bronze.select("doc_id", "raw_text", "file_name").mapInPandas(_parse_batches, PARSED_SCHEMA)
