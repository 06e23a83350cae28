"""The Lakeview dashboard resource: its datasets are the sql/ queries verbatim, on the bundle's variables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
RESOURCE = REPO / "resources" / "careerlake.dashboard.yml"


def test_dashboard_resource_points_at_its_file_and_variables() -> None:
    dashboard = yaml.safe_load(RESOURCE.read_text(encoding="utf-8"))["resources"]["dashboards"][
        "careerlake_gold"
    ]
    assert dashboard["warehouse_id"] == "${var.warehouse_id}"
    assert dashboard["dataset_catalog"] == "${var.catalog}"
    # Development mode renames gold to dev_<user>_gold; the reference resolves to the deployed name.
    assert dashboard["dataset_schema"] == "${resources.schemas.gold.name}"
    assert (RESOURCE.parent / dashboard["file_path"]).is_file()
    variables = yaml.safe_load((REPO / "databricks.yml").read_text(encoding="utf-8"))["variables"]
    assert {"catalog", "analysts_group", "warehouse_id"} <= set(variables)


def test_dashboard_datasets_are_the_sql_queries_and_widgets_use_them() -> None:
    definition = json.loads((REPO / "resources" / "careerlake.lvdash.json").read_text(encoding="utf-8"))
    datasets = {d["name"]: "".join(d["queryLines"]) for d in definition["datasets"]}
    for name, query in datasets.items():
        sql = (REPO / "sql" / f"{name}.sql").read_text(encoding="utf-8")
        assert query == re.sub(r"\bgold\.", "", sql), name
        assert "gold." in sql, name  # the dashboard's dataset_schema stands in for the qualifier
    used = {
        q["query"]["datasetName"]
        for page in definition["pages"]
        for item in page["layout"]
        for q in item["widget"]["queries"]
    }
    assert used == set(datasets)
    assert {p["displayName"] for p in definition["pages"]} == {
        "Salary benchmarks",
        "Skill demand",
        "Career paths",
    }
