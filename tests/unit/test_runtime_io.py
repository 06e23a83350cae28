"""The MERGE change condition of runtime.io: only a real change of a compared column updates a row."""

from __future__ import annotations

from careerlake.registry.table import Table, col, key
from careerlake.runtime.io import changed_condition

SCORES = Table(
    layer="gold",
    name="scores",
    comment="A test table.",
    columns=(
        key("id", "string", "Key."),
        col("score", "double", "A figure."),
        col("counts", "map<string,bigint>", "A map."),
        col("refreshed_at", "timestamp", "When the row last changed."),
    ),
    keys=("id",),
)


def test_every_non_key_column_is_compared_null_safe_and_maps_as_sorted_entries() -> None:
    assert changed_condition(SCORES) == (
        "NOT (t.`score` <=> s.`score` AND array_sort(map_entries(t.`counts`)) <=> "
        "array_sort(map_entries(s.`counts`)) AND t.`refreshed_at` <=> s.`refreshed_at`)"
    )


def test_ignored_columns_are_not_compared() -> None:
    assert changed_condition(SCORES, ignore=("counts", "refreshed_at")) == "NOT (t.`score` <=> s.`score`)"


def test_a_table_of_keys_only_never_updates() -> None:
    assert changed_condition(SCORES, ignore=("score", "counts", "refreshed_at")) == "false"
