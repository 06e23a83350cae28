"""HTML to text, plain (posting descriptions) and Markdown-ish (career documents)."""

from __future__ import annotations

import pytest

from careerlake.runtime.text import html_to_text


@pytest.mark.parametrize(
    ("markup", "plain", "markdown"),
    [
        pytest.param(
            "<h2>Role</h2><p>Build <b>pipelines</b>.</p><ul><li>SQL</li><li>Spark</li></ul>",
            "Role\nBuild pipelines.\nSQL\nSpark",
            "\n## Role\nBuild pipelines.\n\n- SQL\n\n- Spark\n",
            id="headings_and_lists",
        ),
        pytest.param(
            "<html><head><title>T</title></head><body><nav>Menu</nav><p>A&nbsp;&amp;&#160;B</p></body></html>",
            "TMenu\nA & B",
            "A\u00a0&\u00a0B",
            id="head_and_nav",
        ),
        pytest.param(
            "&amp;amp;lt;p&amp;amp;gt;Thrice&amp;amp;lt;/p&amp;amp;gt;",
            "Thrice",
            "&amp;lt;p&amp;gt;Thrice&amp;lt;/p&amp;gt;",
            id="escaped_thrice",
        ),
        pytest.param("<p>1 &lt; 2</p><!-- note -->", "1 < 2", "1 < 2", id="text_angle_bracket"),
    ],
)
def test_html_to_text(markup: str, plain: str, markdown: str) -> None:
    assert html_to_text(markup) == plain
    assert html_to_text(markup, markdown=True) == markdown


def test_markdown_blocks_and_cells_never_run_labels_together() -> None:
    markup = "<dl><dt>Mid Level</dt><dd>EU</dd></dl><table><tr><td>Senior</td><td>US</td></tr></table>"
    assert html_to_text(markup, markdown=True) == "Mid Level\nEU\n\nSenior US\n\n"
