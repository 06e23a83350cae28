"""Fixtures the integration modules share: state that is costly to build and that tests copy."""

from __future__ import annotations

import pytest
from pyspark.sql import SparkSession

from careerlake.gold.job import build_gold
from careerlake.runtime.config import Config
from support.gold_inputs import config_of_its_own, gold_context, silver_rows, write_silver


@pytest.fixture(scope="session")
def gold_built(spark: SparkSession, base_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The hand-written silver rows and the gold a first run builds from them, once per test
    process (about 20 s): the gold modules check copies of it (`support.gold_inputs.copy_tables`),
    so no test changes what another one reads."""
    config = config_of_its_own(base_config, tmp_path_factory.mktemp("gold-built"), "gb")
    write_silver(spark, config, silver_rows())
    build_gold(gold_context(spark, config))
    return config
