"""ingest_career_docs without its landing folder: an operator error, not an empty run.

The sample documents through both career-document jobs are checked on the staged sample run
(tests/e2e/test_sample_documents.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from careerlake.ingest.career_docs_job import ingest_career_docs
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext
from careerlake.runtime.errors import MissingSourceError


def test_missing_career_documents_are_an_operator_error(
    isolated_config: Config, make_context: Callable[..., JobContext]
) -> None:
    with pytest.raises(MissingSourceError, match="career documents not found"):
        ingest_career_docs(make_context(isolated_config, "ingest_career_docs"))
