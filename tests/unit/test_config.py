"""Config loading: overlays, overrides, and a one-line error naming file and key for each fault."""

from pathlib import Path

import pytest

from careerlake.runtime.config import load_config
from careerlake.runtime.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def conf_dir(tmp_path: Path) -> Path:
    for name in ("base.yml", "local.yml", "dev.yml", "staging.yml", "prod.yml"):
        (tmp_path / name).write_text((REPO / "conf" / name).read_text())
    return tmp_path


@pytest.mark.parametrize("env", ["local", "dev", "staging", "prod"])
def test_every_shipped_environment_loads(env: str) -> None:
    config = load_config(env, directory=REPO / "conf")
    assert config.env == env
    assert config.on_databricks == (env != "local")


def test_uc_names_come_from_catalog_and_schema() -> None:
    assert load_config("prod", directory=REPO / "conf").schema_for("gold") == "careerlake_prod.gold"
    assert load_config("local", directory=REPO / "conf").schema_for("gold") == "gold"


def test_schema_prefix_renames_schemas_and_the_volume_paths_under_them() -> None:
    config = load_config("dev", directory=REPO / "conf", schema_prefix="dev_jane_doe_")

    assert config.schemas.model_dump() == {
        layer: f"dev_jane_doe_{layer}"
        for layer in ("reference", "bronze", "silver", "gold", "features", "ops")
    }
    assert config.paths.model_dump() == {
        "landing": "/Volumes/careerlake_dev/dev_jane_doe_bronze/landing",
        "lakehouse": "/Volumes/careerlake_dev/dev_jane_doe_ops/lakehouse",
        "checkpoints": "/Volumes/careerlake_dev/dev_jane_doe_ops/lakehouse/_checkpoints",
        "data_docs": "/Volumes/careerlake_dev/dev_jane_doe_ops/lakehouse/data_docs",
    }


def test_schema_prefix_comes_from_the_environment_and_must_be_an_identifier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAREERLAKE_SCHEMA_PREFIX", "ci_")
    assert load_config("prod", directory=REPO / "conf").schema_for("gold") == "careerlake_prod.ci_gold"
    with pytest.raises(ConfigError, match="schema prefix 'dev-jane': use letters, digits and underscores"):
        load_config("dev", directory=REPO / "conf", schema_prefix="dev-jane")


def test_overlay_overrides_base_key_by_key() -> None:
    prod = load_config("prod", directory=REPO / "conf")
    assert prod.gold.min_cell_postings == 10
    assert prod.quality.gold_p50_max_change_pct == 50.0


def test_environment_variable_chooses_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERLAKE_ENV", "staging")
    assert load_config(directory=REPO / "conf").env == "staging"


def test_landing_and_lakehouse_overrides_are_absolute(tmp_path: Path) -> None:
    config = load_config(
        "local", landing="some/where", lakehouse=str(tmp_path / "lh"), directory=REPO / "conf"
    )
    assert config.landing == str(Path("some/where").resolve())
    assert config.checkpoints == str(tmp_path / "lh" / "_checkpoints")


def test_unknown_environment_is_one_line_error() -> None:
    with pytest.raises(ConfigError, match="unknown environment 'qa'"):
        load_config("qa", directory=REPO / "conf")


def test_unknown_key_names_file_and_key(conf_dir: Path) -> None:
    (conf_dir / "local.yml").write_text("platform: local\nquality:\n  max_quarantine_shar: 0.2\n")
    with pytest.raises(ConfigError) as err:
        load_config("local", directory=conf_dir)
    assert str(err.value) == f"{conf_dir / 'local.yml'}: unknown key 'quality.max_quarantine_shar'"


def test_a_removed_key_says_what_became_of_it(conf_dir: Path) -> None:
    (conf_dir / "local.yml").write_text("platform: local\nfeatures:\n  role_windows_days: [30, 90]\n")
    with pytest.raises(ConfigError) as err:
        load_config("local", directory=conf_dir)
    assert str(err.value) == (
        f"{conf_dir / 'local.yml'}: key 'features.role_windows_days' removed: the role feature windows "
        "are fixed at 30 and 90 days, as their column names say (docs/features.md): delete it"
    )


def test_missing_required_key_names_the_key(conf_dir: Path) -> None:
    lines = (conf_dir / "base.yml").read_text().splitlines(keepends=True)
    (conf_dir / "base.yml").write_text("".join(x for x in lines if not x.startswith("  min_cell_postings:")))
    with pytest.raises(ConfigError, match=r"missing required key 'gold\.min_cell_postings'"):
        load_config("local", directory=conf_dir)


def test_wrong_type_names_file_key_and_value(conf_dir: Path) -> None:
    (conf_dir / "local.yml").write_text("platform: local\ngold:\n  min_cell_postings: lots\n")
    with pytest.raises(ConfigError) as err:
        load_config("local", directory=conf_dir)
    message = str(err.value)
    assert message.startswith(f"{conf_dir / 'local.yml'}: key 'gold.min_cell_postings'")
    assert "'lots'" in message
    assert "\n" not in message


def test_invalid_yaml_and_missing_file(conf_dir: Path) -> None:
    (conf_dir / "dev.yml").write_text("platform: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config("dev", directory=conf_dir)
    (conf_dir / "staging.yml").unlink()
    with pytest.raises(ConfigError, match="config file not found"):
        load_config("staging", directory=conf_dir)


def test_a_missing_conf_folder_says_where_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERLAKE_CONF_DIR", str(tmp_path))
    with pytest.raises(ConfigError) as err:
        load_config("local")
    assert str(err.value) == (
        f"{tmp_path / 'base.yml'}: config file not found; run from the repository root (its conf/ folder) "
        "or set CAREERLAKE_CONF_DIR to the folder holding base.yml and local.yml"
    )
