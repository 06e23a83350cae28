"""schema.org JobPosting pages, fetched by URL or from a sitemap that lists them."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

from careerlake.sources.fetch.response import BadResponseError

SOURCE = "jsonld"
EXTENSION = "html"
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _LdJsonScripts(HTMLParser):
    """Text of every <script type="application/ld+json"> of a page (the stdlib parser is enough)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and (dict(attrs).get("type") or "").lower() == "application/ld+json"
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def _nodes(value: Any) -> list[dict[str, Any]]:
    """Every JSON object of a JSON-LD value, through arrays and @graph."""
    if isinstance(value, list):
        return [node for item in value for node in _nodes(item)]
    if isinstance(value, dict):
        return [value, *_nodes(value.get("@graph", []))]
    return []


def posting_ids(body: bytes) -> list[str]:
    """The url (or the position) of every JobPosting of the page; a page with none is still a page."""
    parser = _LdJsonScripts()
    parser.feed(body.decode("utf-8", errors="replace"))
    postings: list[dict[str, Any]] = []
    for script in parser.scripts:
        try:
            document = json.loads(script)
        except json.JSONDecodeError:
            continue  # ingestion quarantines the broken block with its reason
        postings += [n for n in _nodes(document) if n.get("@type") == "JobPosting"]
    return [str(p.get("url") or f"#{i}") for i, p in enumerate(postings)]


def sitemap_pages(body: bytes) -> list[str]:
    """The <loc> of every <url> of a sitemap (sitemaps.org protocol)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise BadResponseError(f"invalid sitemap XML: {exc}") from None
    if root.tag != f"{_SITEMAP_NS}urlset":
        raise BadResponseError(f"not a sitemap urlset: <{root.tag}>")
    return [loc.text.strip() for loc in root.iter(f"{_SITEMAP_NS}loc") if loc.text and loc.text.strip()]
