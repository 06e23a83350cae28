"""HTML to text with an HTML parser (Lexbor): posting descriptions and career documents alike.

The parser decodes every entity and repairs the markup; no regex reads tags. Escaped markup
(`&lt;p&gt;`, as the Greenhouse API sends it, even escaped twice) is parsed again until parsing
changes nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Tags whose start and end both break the line in plain text.
_LINE_TAGS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"})
# Tags whose end breaks the line in Markdown-ish text: HTML's block-level elements, so a label
# and the block after it ("<dt>Mid Level</dt><dd>EU</dd>") never run together into one word.
_MARKDOWN_BLOCKS = frozenset(
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "blockquote", "section", "article", "header",
        "main", "aside", "address", "pre", "hr", "dl", "dt", "dd", "table", "thead", "tbody",
        "tfoot", "caption", "figure", "figcaption", "details", "summary", "fieldset", "form",
        "hgroup", "dialog",
    }
)  # fmt: skip
# Table cells sit side by side on their row's line: their end is a space, not a line break.
_MARKDOWN_CELLS = frozenset({"td", "th"})
_HEADINGS = {f"h{n}": "#" * n for n in range(1, 7)}
# Page furniture around a document's body, dropped in Markdown-ish text.
_MARKDOWN_SKIPPED = frozenset({"script", "style", "nav", "footer", "head"})
_PLAIN_SKIPPED = frozenset({"script", "style"})
_SPACES = re.compile("[ \t\u00a0\r\f]+")
_LINE_BREAKS = re.compile(r" ?\n[ \n]*")
# Spark's `\s` (what descriptions were trimmed of), narrower than str.strip()'s.
_JAVA_SPACES = " \t\n\x0b\f\r"
# Markup escaped more often than this is left as text.
_MAX_UNESCAPES = 8


def _pieces(node: LexborNode, markdown: bool) -> Iterator[str]:
    """The text of `node`'s subtree in document order, with line breaks and markers for its tags."""
    skipped = _MARKDOWN_SKIPPED if markdown else _PLAIN_SKIPPED
    # A stack of nodes to open and of closing strings, so deep markup cannot overflow recursion.
    stack: list[LexborNode | str] = list(reversed(list(node.iter(include_text=True))))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
            continue
        tag = item.tag
        if tag == "-text":
            yield item.text_content or ""
            continue
        if tag == "-comment":
            yield "" if markdown else " "
            continue
        if tag in skipped:
            yield "" if markdown else " "
            continue
        if markdown:
            opening = "\n" + _HEADINGS[tag] + " " if tag in _HEADINGS else "\n- " if tag == "li" else ""
            closing = (
                "\n" if tag in _HEADINGS or tag in _MARKDOWN_BLOCKS else " " if tag in _MARKDOWN_CELLS else ""
            )
        else:
            opening = closing = "\n" if tag in _LINE_TAGS else ""
        yield opening
        stack.append(closing)
        stack.extend(reversed(list(item.iter(include_text=True))))


def _text(markup: str, markdown: bool) -> str:
    root = LexborHTMLParser(markup).root
    return "".join(_pieces(root, markdown)) if root is not None else ""


def html_to_text(markup: str, *, markdown: bool = False) -> str:
    """`markup` as text: tags and entities gone, block elements on lines of their own.

    Plain (posting descriptions): scripts and styles dropped, spaces collapsed, blank lines
    removed. Markdown-ish (career documents): headings as '# ', list items as '- ', navigation,
    footers and the head dropped, each line stripped and blank lines kept (they part paragraphs).
    """
    text = _text(markup, markdown)
    if markdown:
        return "\n".join(line.strip() for line in text.splitlines())
    for _ in range(_MAX_UNESCAPES):
        again = _text(text, markdown)
        if again == text:
            break
        text = again
    return _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text)).strip(_JAVA_SPACES)
