"""The posting formats: adding one is a module here plus an entry in FORMATS and in conf/base.yml.

Each format module parses a batch of landing files (the binaryFile columns `path`,
`modificationTime`, `length`, `content`) into candidate records with CANDIDATE_COLUMNS; an
`error` that is not null sends the record to quarantine with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyspark.sql import DataFrame

from careerlake.ingest.formats import ashby, greenhouse, jsonld, lever, linkedin_csv

CANDIDATE_COLUMNS = (
    "source_file",
    "file_modified_at",
    "record_ref",
    "board",
    "source_posting_id",
    "raw_record",
    "error",
)


@dataclass(frozen=True)
class PostingFormat:
    name: str
    parse: Callable[[DataFrame], DataFrame]
    required_fields: frozenset[str]
    optional_fields: frozenset[str]
    # JSON formats report drift from each record's keys; CSV from each file's header line.
    drift_from_header: bool = False

    @property
    def known_fields(self) -> frozenset[str]:
        return self.required_fields | self.optional_fields


FORMATS: dict[str, PostingFormat] = {
    module.NAME: PostingFormat(
        module.NAME,
        module.parse,
        module.REQUIRED_FIELDS,
        module.OPTIONAL_FIELDS,
        drift_from_header=getattr(module, "DRIFT_FROM_HEADER", False),
    )
    for module in (greenhouse, lever, ashby, jsonld, linkedin_csv)
}
