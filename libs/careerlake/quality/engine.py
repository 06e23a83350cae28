"""Run a suite on one incremental batch: its row rules in the pass that computes the batch,
its keys and schema before the write, its GX expectations once per job.

Cost is bounded: only the batch is read (never the whole table); the row rules come back as
one row of counts; GX returns counts plus at most PARTIAL_UNEXPECTED_COUNT sample values
per expectation; DataFrames are never persisted here (the platform decides, through the gate).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import Column, DataFrame, Observation
from pyspark.sql import functions as F

from careerlake.quality.results import CheckResult
from careerlake.quality.suites import Check, Suite
from careerlake.runtime.config import Config, Quality
from careerlake.runtime.delta import SMALL_BATCH_ROWS

PARTIAL_UNEXPECTED_COUNT = 3
DOCS_SITE = "careerlake"
DATASOURCE = "careerlake_spark"
BATCH_DEFINITION = "incremental_batch"
STORES_FOLDER = "_stores"


def row_rule_aggregates(suite: Suite, batch: DataFrame) -> list[Column]:
    """The row count and one failing-row count per row rule, as aggregates over the batch."""
    aggregates = [F.count(F.lit(1)).alias("rows")]
    if set(suite.table.column_names) <= set(batch.columns):
        # Otherwise the schema check reports the mismatch; the row rules cannot be evaluated.
        # One SQL expression per rule: built from functions, each cost a few calls into the JVM.
        aggregates += [
            F.expr(f"count_if(NOT coalesce(({c.predicate or 'true'}), false)) AS c{i}")
            for i, c in enumerate(suite.spark_checks)
        ]
    return aggregates


def row_rule_results(suite: Suite, stats: dict[str, Any]) -> tuple[int, list[CheckResult]]:
    """Row count and row-rule results from the aggregates of `row_rule_aggregates`."""
    rows = int(stats.get("rows") or 0)
    results = []
    for i, check in enumerate(suite.spark_checks):
        if f"c{i}" not in stats:
            continue
        failing = int(stats[f"c{i}"] or 0)
        results.append(
            CheckResult(
                suite.name,
                check.expectation,
                check.severity,
                failing == 0,
                f"{failing} of {rows} row(s) unexpected",
                failing,
            )
        )
    return rows, results


def observe_row_rules(suite: Suite, batch: DataFrame) -> tuple[DataFrame, Observation]:
    """`batch` with the row rules attached: the action that computes it also counts them."""
    observation = Observation(f"{suite.name}_row_rules")
    return batch.observe(observation, *row_rule_aggregates(suite, batch)), observation


def run_spark_checks(suite: Suite, batch: DataFrame) -> tuple[int, list[CheckResult]]:
    """Row count and every row rule of the suite in ONE aggregation over the batch."""
    stats = batch.agg(*row_rule_aggregates(suite, batch)).first()
    return row_rule_results(suite, stats.asDict() if stats else {})


def key_results(suite: Suite, batch: DataFrame, rows: int) -> list[CheckResult]:
    """Rows whose keys another row of the batch repeats (GX's unexpected count), per key check;
    `rows` is the batch's row count."""
    results = []
    # A small batch is counted in one task: no shuffle, one stage instead of three (a warm
    # check of 87 rows took 76 ms instead of 135 ms, docs/benchmarks.md).
    counted = batch.coalesce(1) if rows <= SMALL_BATCH_ROWS else batch
    for check in suite.key_checks:
        keys = list(suite.table.keys)
        repeated = counted.groupBy(*keys).count().where(F.col("count") > 1).agg(F.sum("count")).first()
        failing = int(repeated[0] or 0) if repeated else 0
        observed = f"{failing} row(s) share their key with another row"
        results.append(
            CheckResult(suite.name, check.expectation, check.severity, failing == 0, observed, failing)
        )
    return results


def schema_results(suite: Suite, batch: DataFrame, rows: int) -> list[CheckResult]:
    """Column set and column types from the batch's schema: no Spark job.

    A wrong type concerns every row of the batch, as GX would count it.
    """
    actual = {f.name: type(f.dataType).__name__ for f in batch.schema.fields}
    results = []
    for check in suite.schema_checks:
        if check.column is None:
            expected = set(suite.table.column_names)
            ok = set(actual) == expected
            observed = json.dumps(sorted(actual))
        else:
            found = actual.get(check.column)
            ok = found == check.spark_type
            observed = json.dumps(found)
        results.append(
            CheckResult(suite.name, check.expectation, check.severity, ok, observed, 0 if ok else rows)
        )
    return results


@dataclass
class _GxProject:
    """One GX context per Data Docs folder, reused for the life of the process.

    Suites and validation results live in files next to the Data Docs, so the index built by
    one job's process still lists what earlier jobs validated; the rest stays in memory.
    """

    context: Any
    datasource: Any
    checkpoints: dict[str, Any] = field(default_factory=dict)
    unpublished: list[Any] = field(default_factory=list)


def _filesystem_store(class_name: str, folder: str) -> dict[str, Any]:
    return {
        "class_name": class_name,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": folder},
    }


_PROJECTS: dict[tuple[str, Quality], _GxProject] = {}


def _project(config: Config) -> _GxProject:
    docs_folder, cache_key = config.data_docs, (config.data_docs, config.quality)
    if cache_key in _PROJECTS:
        return _PROJECTS[cache_key]
    # Imported lazily: GX takes seconds to import and only the validation at a job's end needs it.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    stores = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
    stores.stores[stores.expectations_store_name] = _filesystem_store(
        "ExpectationsStore", f"{docs_folder}/{STORES_FOLDER}/expectations"
    )
    stores.stores[stores.validation_results_store_name] = _filesystem_store(
        "ValidationResultsStore", f"{docs_folder}/{STORES_FOLDER}/validations"
    )
    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=stores,
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )
    context.add_data_docs_site(
        DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_folder},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    # persist=False: GX would cache every batch and never release it; the gate decides instead.
    datasource = context.data_sources.add_spark(DATASOURCE, persist=False)
    project = _GxProject(context, datasource)
    _PROJECTS[cache_key] = project
    return project


def result_format(checks: tuple[Check, ...]) -> dict[str, Any]:
    """GX's BASIC results, with sample values only where GX decides a row-level check (drift):
    collecting samples costs GX a query per expectation."""
    samples = any(c.row_level and c.engine == "gx" for c in checks)
    return {"result_format": "BASIC", "partial_unexpected_count": PARTIAL_UNEXPECTED_COUNT if samples else 0}


def _checkpoint(project: _GxProject, suite_name: str, checks: tuple[Check, ...]) -> Any:
    if suite_name in project.checkpoints:
        return project.checkpoints[suite_name]
    import great_expectations as gx

    context = project.context
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(name=suite_name, expectations=[c.build_gx() for c in checks if c.gx is not None])
    )
    asset = project.datasource.add_dataframe_asset(name=suite_name)
    batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite_name, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=suite_name,
            validation_definitions=[validation],
            result_format=result_format(checks),
        )
    )
    project.checkpoints[suite_name] = checkpoint
    return checkpoint


def _observed(result: dict[str, Any]) -> str | None:
    if "observed_value" in result:
        return json.dumps(result["observed_value"], default=str)
    if "unexpected_count" in result:
        sample = json.dumps(result.get("partial_unexpected_list", []), default=str)
        return (
            f"{result['unexpected_count']} of {result.get('element_count')} row(s) unexpected, e.g. {sample}"
        )
    return None


def run_gx_checks(
    config: Config,
    table_id: str,
    suite_name: str,
    checks: tuple[Check, ...],
    batch: DataFrame,
    rows: int,
) -> list[CheckResult]:
    """Validate the batch with a GX Checkpoint; `build_data_docs` publishes the results later.

    Returns the results of every check given; the gate records those GX decides.
    """
    if not checks:
        return []
    project = _project(config)
    checkpoint = _checkpoint(project, suite_name, checks)
    outcome = checkpoint.run(batch_parameters={"dataframe": batch})
    project.unpublished.extend(outcome.run_results.keys())
    by_name = {c.expectation: c for c in checks}
    results = []
    for validation in outcome.run_results.values():
        for r in validation.results:
            name = r.expectation_config.meta["careerlake_expectation"]
            check, result = by_name[name], r.result or {}
            if result.get("unexpected_count") is not None:
                failing = int(result["unexpected_count"])
            else:
                # A table-level failure (schema, type, freshness) concerns every row of the batch.
                failing = 0 if r.success else rows
            observed = _observed(result)
            if r.exception_info and r.exception_info.get("raised_exception"):
                observed = str(r.exception_info.get("exception_message", ""))[:300]
            results.append(CheckResult(table_id, name, check.severity, bool(r.success), observed, failing))
    order = {c.expectation: i for i, c in enumerate(checks)}
    return sorted(results, key=lambda r: order[r.expectation])


def build_data_docs(config: Config) -> None:
    """Render this process's new validation results into the Data Docs site and its index."""
    project = _PROJECTS.get((config.data_docs, config.quality))
    if project is None or not project.unpublished:
        return
    published, project.unpublished = project.unpublished, []
    project.context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=published)
