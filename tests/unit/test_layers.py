"""The import rule of pyproject.toml ([tool.importlinter], checked by `make lint`) holds on the
code, and a scratch module that breaks it fails it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from grimp import ImportGraph
from importlinter.adapters.building import GraphBuilder
from importlinter.application import use_cases
from importlinter.application.app_config import settings
from importlinter.configuration import configure

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


class WithScratchModule(GraphBuilder):
    """The package's real import graph, plus a scratch module importing `imports` (if given)."""

    def __init__(self, scratch: str | None = None, imports: str | None = None) -> None:
        self.scratch, self.imports = scratch, imports

    def build(self, *args: object, **kwargs: object) -> ImportGraph:
        graph = super().build(*args, **kwargs)
        if self.scratch and self.imports:
            graph.add_module(self.scratch)
            graph.add_import(
                importer=self.scratch,
                imported=self.imports,
                line_number=1,
                line_contents=f"import {self.imports}",
            )
        return graph


@pytest.fixture
def linter() -> Iterator[None]:
    configure()
    default = settings.GRAPH_BUILDER
    yield
    settings.configure(GRAPH_BUILDER=default)


def lint_imports(builder: GraphBuilder) -> bool:
    """What `lint-imports` answers on this graph; debug mode raises a configuration error
    instead of answering False."""
    settings.configure(GRAPH_BUILDER=builder)
    return use_cases.lint_imports(str(PYPROJECT), cache_dir=None, no_logo=True, is_debug_mode=True)


def test_the_code_keeps_the_layers(linter: None) -> None:
    assert lint_imports(WithScratchModule())


@pytest.mark.parametrize(
    ("scratch", "imports"),
    [
        pytest.param("careerlake.runtime.scratch", "careerlake.entrypoint", id="runtime-imports-the-app"),
        pytest.param("careerlake.gold.scratch", "careerlake.pipeline", id="a-layer-imports-the-app"),
        pytest.param(
            "careerlake.ingest.scratch", "careerlake.silver.postings.transform", id="bronze-imports-silver"
        ),
        pytest.param("careerlake.gold.scratch", "careerlake.features.job", id="gold-imports-features"),
        pytest.param(
            "careerlake.reference.scratch", "careerlake.quality.gate", id="reference-imports-quality"
        ),
        pytest.param(
            "careerlake.runtime.scratch", "careerlake.reference.taxonomy", id="runtime-imports-reference"
        ),
        pytest.param(
            "careerlake.registry.scratch", "careerlake.runtime.config", id="registry-imports-runtime"
        ),
    ],
)
def test_an_upward_or_sideways_import_breaks_the_layers(linter: None, scratch: str, imports: str) -> None:
    assert not lint_imports(WithScratchModule(scratch, imports))
