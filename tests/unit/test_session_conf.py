"""A local session's settings from its config: the Derby metastore under the lakehouse unless the
config keeps names in memory, the config's driver memory and task threads."""

from __future__ import annotations

from pathlib import Path

from careerlake.runtime.config import load_config
from careerlake.runtime.session import local_session_conf

REPO = Path(__file__).resolve().parents[2]


def test_names_live_in_the_lakehouse_metastore_unless_the_config_keeps_them_in_memory(tmp_path: Path) -> None:
    config = load_config("local", lakehouse=str(tmp_path), directory=REPO / "conf")
    in_memory = config.model_copy(
        update={
            "spark": config.spark.model_copy(update={"local_catalog": "in-memory", "driver_memory": "2g"})
        }
    )

    shared = local_session_conf(config)
    own = local_session_conf(in_memory)

    assert shared["spark.sql.catalogImplementation"] == "hive"
    assert shared["spark.hadoop.javax.jdo.option.ConnectionURL"].startswith(
        f"jdbc:derby:;databaseName={tmp_path}"
    )
    assert shared["spark.driver.memory"] == "4g"
    assert own["spark.sql.catalogImplementation"] == "in-memory"
    assert own["spark.driver.memory"] == "2g"
    # Nothing else differs.
    assert {k: v for k, v in own.items() if shared[k] != v} == {
        "spark.sql.catalogImplementation": "in-memory",
        "spark.driver.memory": "2g",
    }


def test_a_local_session_runs_a_task_thread_per_core_unless_the_config_sets_fewer(tmp_path: Path) -> None:
    config = load_config("local", lakehouse=str(tmp_path), directory=REPO / "conf")
    one = config.model_copy(update={"spark": config.spark.model_copy(update={"local_threads": 1})})

    assert local_session_conf(config)["spark.master"] == "local[*]"
    assert local_session_conf(one) == local_session_conf(config) | {"spark.master": "local[1]"}
