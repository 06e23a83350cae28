"""The one list of every table: layer, name, keys, columns, comments, constraints, quality checks.

Jobs, quality suites, docs and tests all read tables from here.
"""

from careerlake.registry import bronze, features, gold, ops, reference, silver
from careerlake.registry.table import Column, Table

ALL_TABLES: tuple[Table, ...] = (
    *reference.TABLES,
    *bronze.TABLES,
    *silver.TABLES,
    *gold.TABLES,
    *features.TABLES,
    *ops.TABLES,
)

_BY_ID = {t.id: t for t in ALL_TABLES}


def get_table(table_id: str) -> Table:
    """Look a table up by its `layer.name` id."""
    try:
        return _BY_ID[table_id]
    except KeyError:
        raise KeyError(f"unknown table '{table_id}'") from None


__all__ = ["ALL_TABLES", "Column", "Table", "get_table"]
