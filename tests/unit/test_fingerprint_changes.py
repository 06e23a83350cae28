"""What a derived job may follow incrementally: the inputs whose version moved since its last success,
and nothing when anything else that shapes its output changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerlake.runtime.config import Config, load_config
from careerlake.runtime.fingerprint import Fingerprint, changed_inputs, save_fingerprint

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config("local", lakehouse=str(tmp_path), directory=REPO / "conf")


def _fingerprint(postings: int | None, roles: int | None = 3, *, config: str = "c1") -> Fingerprint:
    return {
        "inputs": {"silver.postings": postings, "reference.roles": roles},
        "reference_data": "r1",
        "config": config,
        "run_date": None,
    }


def test_no_last_success_means_recompute_everything(config: Config) -> None:
    assert changed_inputs(config, "gold", _fingerprint(5)) is None


def test_the_moved_inputs_with_their_versions_then_and_now(config: Config) -> None:
    save_fingerprint(config, "gold", _fingerprint(5))
    assert changed_inputs(config, "gold", _fingerprint(5)) == {}
    assert changed_inputs(config, "gold", _fingerprint(9)) == {"silver.postings": (5, 9)}
    assert changed_inputs(config, "gold", _fingerprint(9, 4)) == {
        "silver.postings": (5, 9),
        "reference.roles": (3, 4),
    }


def test_a_new_run_date_alone_keeps_the_moved_inputs(config: Config) -> None:
    # A daily schedule runs on a new date every time: the features job still follows its
    # inputs' change feeds (its daily rows start from its stored last date).
    save_fingerprint(config, "features", {**_fingerprint(5), "run_date": "2026-11-01"})
    now = {**_fingerprint(9), "run_date": "2026-11-02"}
    assert changed_inputs(config, "features", now) == {"silver.postings": (5, 9)}


@pytest.mark.parametrize(
    "now",
    [
        _fingerprint(9, config="c2"),
        _fingerprint(None),
        {**_fingerprint(9), "reference_data": "r2"},
        {**_fingerprint(9), "inputs": {"silver.postings": 9}},
    ],
    ids=["config", "input-missing", "reference-data", "other-inputs"],
)
def test_anything_but_input_versions_changed_means_recompute_everything(
    config: Config, now: Fingerprint
) -> None:
    save_fingerprint(config, "gold", _fingerprint(5))
    assert changed_inputs(config, "gold", now) is None
