"""The posting formats: one module each, declaring everything about its format as `FORMAT`.

Adding a format is a module here that builds a `PostingFormat` (see `plugin`), that module in
the tuple registered below, a line `<name>: {enabled: true}` under `sources.postings` in
conf/base.yml, and sample files in `data/landing/postings/<name>/`. Everything else follows
from FORMATS: the config toggles, the formats bronze accepts, schema drift, silver's mapping
and dedup order, the synthetic generator. A format defined outside this package (a plugin of
a deployment, a test) joins the same way, through `register`.
"""

from __future__ import annotations

from careerlake.registry.bronze import postings_accepting
from careerlake.registry.table import Table
from careerlake.runtime.config import Config
from careerlake.runtime.errors import ConfigError
from careerlake.sources.postings import ashby, greenhouse, jsonld, lever, linkedin_csv
from careerlake.sources.postings.plugin import PostingFormat

# name -> format, in priority order (the order of ingestion steps and of the synthetic data).
FORMATS: dict[str, PostingFormat] = {}


def register(fmt: PostingFormat) -> None:
    """Add a posting format; its name and its dedup priority must be new."""
    if fmt.name in FORMATS:
        raise ValueError(f"posting format '{fmt.name}' is already registered")
    if any(other.priority == fmt.priority for other in FORMATS.values()):
        raise ValueError(f"posting format '{fmt.name}': another format has priority {fmt.priority}")
    ordered = sorted((*FORMATS.values(), fmt), key=lambda f: f.priority)
    FORMATS.clear()
    FORMATS.update((f.name, f) for f in ordered)


for _module in (greenhouse, lever, ashby, jsonld, linkedin_csv):
    register(_module.FORMAT)


def enabled_formats(config: Config) -> list[PostingFormat]:
    """The formats whose toggle `sources.postings.<name>.enabled` is on.

    The config (a lower layer) cannot know the formats, so the toggles are checked here: a
    toggle of no format and a format without a toggle are both configuration mistakes.
    """
    toggles = config.sources.postings
    if unknown := sorted(set(toggles) - set(FORMATS)):
        raise ConfigError(
            f"sources.postings: unknown posting format '{unknown[0]}' (known: {', '.join(FORMATS)})"
        )
    if missing := [name for name in FORMATS if name not in toggles]:
        raise ConfigError(
            f"sources.postings: no toggle for posting format '{missing[0]}' "
            f"(add '{missing[0]}: {{enabled: true}}' to conf/base.yml)"
        )
    return [fmt for name, fmt in FORMATS.items() if toggles[name].enabled]


def bronze_postings() -> Table:
    """bronze.postings accepting exactly the registered formats: the table bronze writes."""
    return postings_accepting(FORMATS)


__all__ = ["FORMATS", "PostingFormat", "bronze_postings", "enabled_formats", "register"]
