"""Baselines proving the feature tables are usable: a salary model and a next-role ranker.

Each writes a JSON report under `<lakehouse>/reports/` (and logs to MLflow when it is
installed, as on Databricks Runtime ML), and prints its path and figures.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from careerlake.features import transforms
from careerlake.features.pit import training_set
from careerlake.registry import features, silver
from careerlake.runtime.config import Config
from careerlake.runtime.context import JobContext, console
from careerlake.runtime.delta import read_source
from careerlake.runtime.errors import CareerLakeError
from careerlake.runtime.feature_store import FeatureLookup
from careerlake.runtime.platform import Platform

SALARY_LABEL = "label_salary_mid_usd"
# The training set goes to pandas for scikit-learn: bounded by the labelled postings, capped here.
MAX_TRAINING_ROWS = 200_000
TEST_SHARE = 0.2
HOLDOUT_EVERY = 5
TOP_K = 3
CATEGORICAL = ("role_id", "country", "work_model", "employment_type")
NUMERIC = (
    "seniority_ordinal",
    "skill_count",
    "description_length",
    "postings_30d",
    "postings_90d",
    "demand_growth",
    "salary_p50_usd",
    "salary_iqr_usd",
    "remote_share",
)

SALARY_LOOKUPS = (
    FeatureLookup(
        features.POSTING_FEATURES,
        lookup_key=("posting_id",),
        timestamp_lookup_key="posted_at",
        feature_names=(
            "seniority_ordinal",
            "country",
            "work_model",
            "employment_type",
            "skill_vector",
            "skill_count",
            "description_length",
        ),
    ),
    # Role features as of the day before posting: a day's row also counts that day's later postings.
    FeatureLookup(features.ROLE_FEATURES, lookup_key=("role_id",), timestamp_lookup_key="features_as_of"),
)


def salary_labels(posting_features: DataFrame, config: Config) -> DataFrame:
    """Label rows: posting, role, posting time, feature time (previous day) and the salary label."""
    q = config.quality
    return posting_features.filter(
        F.col(SALARY_LABEL).between(q.annual_salary_usd_min, q.annual_salary_usd_max)
    ).select(
        "posting_id",
        "role_id",
        "posted_at",
        F.date_sub(F.to_date("posted_at"), 1).alias("features_as_of"),
        SALARY_LABEL,
    )


def salary_training_set(spark: SparkSession, config: Config) -> DataFrame:
    """Point-in-time salary training set from features.posting_features and features.role_features."""
    labels = salary_labels(read_source(spark, config, features.POSTING_FEATURES, "the features job"), config)
    return training_set(spark, labels, SALARY_LOOKUPS, config=config, label=SALARY_LABEL)


def report_path(config: Config, name: str) -> Path:
    return Path(config.lakehouse) / "reports" / f"{name}.json"


def _write_report(config: Config, name: str, report: dict[str, Any]) -> Path:
    path = report_path(config, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=True), encoding="utf-8")
    try:
        import mlflow
    except ImportError:
        mlflow = None
    if mlflow is not None:
        with mlflow.start_run(run_name=name):
            mlflow.log_metrics({k: v for k, v in report.items() if isinstance(v, int | float)})
            mlflow.log_dict(report, f"{name}.json")
    console.print(f"report: {path}")
    for key, value in sorted(report.items()):
        if isinstance(value, int | float | str):
            console.print(f"  {key}: {value}")
    return path


def _design_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as strings, numerics as floats (NaN kept: the model handles it), skills as columns."""
    out = pd.DataFrame(index=frame.index)
    for column in CATEGORICAL:
        out[column] = frame[column].fillna("unknown").astype(str)
    for column in NUMERIC:
        out[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    vectors = frame["skill_vector"].apply(lambda v: list(v) if v is not None else [])
    width = int(vectors.map(len).max() or 0)
    skills = np.array([v + [0] * (width - len(v)) for v in vectors], dtype=float).reshape(len(frame), width)
    for i in range(width):
        out[f"skill_{i}"] = skills[:, i]
    return out


def fit_salary_baseline(frame: pd.DataFrame) -> dict[str, Any]:
    """Time-based split; HistGradientBoosting vs median-by-role, both scored by MAE on the later part."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    frame = frame.sort_values(["posted_at", "posting_id"]).reset_index(drop=True)
    if len(frame) < 2:
        raise CareerLakeError(f"salary baseline needs at least 2 labelled postings, found {len(frame)}")
    n_test = max(1, round(len(frame) * TEST_SHARE))
    train, test = frame.iloc[:-n_test], frame.iloc[-n_test:]
    x_train, x_test = _design_matrix(train), _design_matrix(test)
    # A numeric feature with no value in the training window carries nothing to learn from,
    # and HistGradientBoosting cannot bin an all-NaN column.
    empty = [c for c in NUMERIC if x_train[c].isna().all()]
    x_train, x_test = x_train.drop(columns=empty), x_test.drop(columns=empty)
    encoder = ColumnTransformer(
        [("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(CATEGORICAL))],
        remainder="passthrough",
    )
    model = make_pipeline(encoder, HistGradientBoostingRegressor(random_state=0))
    model.fit(x_train, train[SALARY_LABEL])
    predicted = model.predict(x_test)
    by_role = train.groupby(train["role_id"].fillna("unknown"))[SALARY_LABEL].median()
    fallback = float(train[SALARY_LABEL].median())
    baseline = test["role_id"].fillna("unknown").map(by_role).fillna(fallback).to_numpy(dtype=float)
    actual = test[SALARY_LABEL].to_numpy(dtype=float)
    return {
        "model": "HistGradientBoostingRegressor",
        "rows_train": len(train),
        "rows_test": len(test),
        "split_at": str(test["posted_at"].iloc[0]),
        "mae_model": float(np.mean(np.abs(actual - predicted))),
        "mae_median_by_role": float(np.mean(np.abs(actual - baseline))),
        "features": [*CATEGORICAL, *(c for c in NUMERIC if c not in empty), "skill_vector"],
    }


def train_salary_baseline(ctx: JobContext) -> None:
    dataset = salary_training_set(ctx.spark, ctx.config)
    with ctx.step("reports.salary_baseline") as step:
        latest = dataset.orderBy(F.desc("posted_at"), "posting_id").limit(MAX_TRAINING_ROWS)
        frame = latest.toPandas()
        step.rows_read = len(frame)
        report = fit_salary_baseline(frame)
        report["generated_at"] = datetime.now(UTC).isoformat()
        _write_report(ctx.config, "salary_baseline", report)


def split_by_document(transitions: DataFrame) -> DataFrame:
    """Transitions with `held_out`: every 5th document in xxhash64 order (the 2nd, 7th, ...)."""
    docs = transitions.select("doc_id").distinct()
    # One global ordering over distinct document ids: small, and deterministic for the split.
    ranked = docs.withColumn("rn", F.row_number().over(Window.orderBy(F.xxhash64("doc_id"), "doc_id")))
    held = ranked.select("doc_id", (F.col("rn") % HOLDOUT_EVERY == 2).alias("held_out"))
    return transitions.join(held, "doc_id")


def next_role_hits(transitions: DataFrame, platform: Platform) -> dict[str, Any]:
    """Rank next roles by training-document evidence; hit@3 on the held-out documents' transitions."""
    usable = platform.cache(
        split_by_document(
            transitions.filter(
                F.col("from_role_id").isNotNull() & (F.col("from_role_id") != F.col("to_role_id"))
            )
        )
    )
    train, test = usable.filter(~F.col("held_out")), usable.filter("held_out")
    evidence = transforms.transition_evidence(train).withColumn(
        "score", F.col("guide_evidence") + F.col("thread_evidence") + F.col("article_evidence")
    )
    by_source = Window.partitionBy("from_role_id").orderBy(F.desc("score"), "to_role_id")
    top = (
        evidence.withColumn("rank", F.row_number().over(by_source))
        .filter(F.col("rank") <= TOP_K)
        .groupBy("from_role_id")
        .agg(F.collect_list("to_role_id").alias("predicted"))
    )
    # Backoff for unseen origins: the most popular destinations overall.
    popular = (
        evidence.groupBy("to_role_id")
        .agg(F.sum("score").alias("score"))
        .withColumn("rank", F.row_number().over(Window.orderBy(F.desc("score"), "to_role_id")))
        .filter(F.col("rank") <= TOP_K)
        .agg(F.collect_list("to_role_id").alias("popular"))
    )
    scored = (
        test.join(top, "from_role_id", "left")
        .crossJoin(popular)
        .select(
            F.array_contains(F.coalesce("predicted", "popular"), F.col("to_role_id"))
            .cast("int")
            .alias("hit"),
            F.array_contains("popular", F.col("to_role_id")).cast("int").alias("popular_hit"),
            F.col("predicted").isNotNull().cast("int").alias("covered"),
            "doc_id",
        )
    )
    totals = scored.agg(
        F.count(F.lit(1)).alias("n"),
        F.avg("hit").alias("hit_at_3"),
        F.avg("popular_hit").alias("popularity_hit_at_3"),
        F.avg("covered").alias("coverage"),
        F.countDistinct("doc_id").alias("docs"),
    ).first()
    train_totals = train.agg(F.count(F.lit(1)).alias("n"), F.countDistinct("doc_id").alias("docs")).first()
    platform.release(usable)
    if not totals["n"]:
        raise CareerLakeError("next-role baseline needs transitions in at least 2 documents, none held out")
    return {
        "k": TOP_K,
        "hit_at_3": float(totals["hit_at_3"]),
        "popularity_hit_at_3": float(totals["popularity_hit_at_3"]),
        "coverage": float(totals["coverage"]),
        "heldout_transitions": int(totals["n"]),
        "heldout_documents": int(totals["docs"]),
        "train_transitions": int(train_totals["n"]),
        "train_documents": int(train_totals["docs"]),
    }


def train_next_role_baseline(ctx: JobContext) -> None:
    transitions = read_source(ctx.spark, ctx.config, silver.CAREER_TRANSITIONS, "silver_career_docs")
    with ctx.step("reports.next_role_baseline") as step:
        report = next_role_hits(transitions, ctx.platform)
        step.rows_read = report["heldout_transitions"] + report["train_transitions"]
        report["generated_at"] = datetime.now(UTC).isoformat()
        _write_report(ctx.config, "next_role_baseline", report)
