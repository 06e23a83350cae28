"""A derived job is skipped only when its inputs, the config and (if used) the run date are unchanged."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.reference.taxonomy import DATA_DIR
from careerlake.registry.gold import CAREER_PATHS
from careerlake.registry.reference import FX_RATES, ROLES
from careerlake.runtime.config import Config
from careerlake.runtime.delta import ensure_table, merge_into
from careerlake.runtime.fingerprint import input_fingerprint, save_fingerprint, unchanged_since_last_success
from careerlake.runtime.local_rows import rows_frame

READS = (ROLES.id, FX_RATES.id)
WRITES = (CAREER_PATHS.id,)


def test_skip_only_while_inputs_config_and_run_date_are_unchanged(
    spark: SparkSession, isolated_config: Config, tmp_path: Path
) -> None:
    day = date(2026, 11, 1)
    missing_input = input_fingerprint(spark, isolated_config, READS, day, DATA_DIR)
    save_fingerprint(isolated_config, "gold", missing_input)
    assert not unchanged_since_last_success(spark, isolated_config, "gold", WRITES, missing_input), (
        "an input is missing"
    )

    ensure_table(spark, isolated_config, ROLES)
    ensure_table(spark, isolated_config, FX_RATES)
    saved = input_fingerprint(spark, isolated_config, READS, day, DATA_DIR)
    save_fingerprint(isolated_config, "gold", saved)
    assert not unchanged_since_last_success(spark, isolated_config, "gold", WRITES, saved), "no output yet"

    ensure_table(spark, isolated_config, CAREER_PATHS)
    saved = input_fingerprint(spark, isolated_config, READS, day, DATA_DIR)
    save_fingerprint(isolated_config, "gold", saved)
    assert unchanged_since_last_success(
        spark,
        isolated_config,
        "gold",
        WRITES,
        input_fingerprint(spark, isolated_config, READS, day, DATA_DIR),
    )

    assert not unchanged_since_last_success(
        spark,
        isolated_config,
        "gold",
        WRITES,
        input_fingerprint(spark, isolated_config, READS, date(2026, 11, 2), DATA_DIR),
    )
    stricter = isolated_config.model_copy(
        update={"gold": isolated_config.gold.model_copy(update={"min_cell_postings": 99})}
    )
    assert not unchanged_since_last_success(
        spark, stricter, "gold", WRITES, input_fingerprint(spark, stricter, READS, day, DATA_DIR)
    )

    rows = rows_frame(spark, [("EUR", date(2026, 9, 1), 1.1, "v1")], FX_RATES.schema)
    merge_into(spark, isolated_config, FX_RATES, rows)
    assert not unchanged_since_last_success(
        spark,
        isolated_config,
        "gold",
        WRITES,
        input_fingerprint(spark, isolated_config, READS, day, DATA_DIR),
    ), "a new version of an input"

    current = input_fingerprint(spark, isolated_config, READS, day, DATA_DIR)
    reference = shutil.copytree(DATA_DIR, tmp_path / "reference")
    assert input_fingerprint(spark, isolated_config, READS, day, reference) == current
    (reference / "README.md").write_text("version: changed\n", encoding="utf-8")
    assert input_fingerprint(spark, isolated_config, READS, day, reference) != current, (
        "a changed reference data file"
    )
