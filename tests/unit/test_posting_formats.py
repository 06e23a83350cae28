"""The list of posting formats and what derives from it: config toggles, bronze's accepted formats."""

from __future__ import annotations

from dataclasses import replace

import pytest

from careerlake.runtime.config import Config, SourceToggle
from careerlake.runtime.errors import ConfigError
from careerlake.sources.postings import FORMATS, bronze_postings, enabled_formats, register


def with_toggles(config: Config, toggles: dict[str, bool]) -> Config:
    postings = {name: SourceToggle(enabled=on) for name, on in toggles.items()}
    return config.model_copy(update={"sources": config.sources.model_copy(update={"postings": postings})})


def test_formats_in_priority_order() -> None:
    assert [(name, fmt.priority) for name, fmt in FORMATS.items()] == [
        ("greenhouse", 1),
        ("lever", 2),
        ("ashby", 3),
        ("jsonld", 4),
        ("linkedin_csv", 5),
    ]


def test_a_name_or_priority_taken_is_refused() -> None:
    with pytest.raises(ValueError, match="'lever' is already registered"):
        register(FORMATS["lever"])
    with pytest.raises(ValueError, match="another format has priority 2"):
        register(replace(FORMATS["lever"], name="lever2"))
    assert "lever2" not in FORMATS


def test_enabled_formats_follow_the_toggles(base_config: Config) -> None:
    toggles = {name: name != "lever" for name in FORMATS}
    assert [f.name for f in enabled_formats(with_toggles(base_config, toggles))] == [
        "greenhouse",
        "ashby",
        "jsonld",
        "linkedin_csv",
    ]


def test_a_toggle_of_no_format_and_a_format_without_toggle_are_config_errors(base_config: Config) -> None:
    every = dict.fromkeys(FORMATS, True)
    with pytest.raises(ConfigError, match="unknown posting format 'monster'"):
        enabled_formats(with_toggles(base_config, {**every, "monster": True}))
    del every["ashby"]
    with pytest.raises(ConfigError, match="no toggle for posting format 'ashby'"):
        enabled_formats(with_toggles(base_config, every))


def test_bronze_accepts_exactly_the_registered_formats() -> None:
    assert bronze_postings().constraints == {
        "known_format": "source_format IN ('greenhouse','lever','ashby','jsonld','linkedin_csv')"
    }
