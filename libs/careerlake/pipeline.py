"""Every job of the pipeline: what it reads and writes, and where its code lives.

The order of `careerlake run --all`, the bundle's task DAG and the docs all derive from
the `reads`/`writes` declared here against the table registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from careerlake.registry import features, gold, reference, silver
from careerlake.runtime.context import JobContext
from careerlake.runtime.errors import UnknownJobError

# Features' plans compile locally from this many postings on. Interpreted, the job took 0.77 of
# its compiled time on the sample's 70 postings and about the same at 1,827; at 5,000 and more
# compiled plans win (docs/benchmarks.md).
FEATURES_COMPILED_FROM_POSTINGS = 2_000


def _ids(*tables: tuple) -> tuple[str, ...]:
    return tuple(t.id for group in tables for t in group)


@dataclass(frozen=True)
class JobSpec:
    name: str
    description: str
    entry: str  # "module:function" taking a JobContext
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    in_pipeline: bool = True
    # A function of its `reads`, the packaged reference data and the config: skipped when
    # those are unchanged since its last success (runtime.fingerprint). Ingestion reads
    # landing files, so it tracks them itself (streaming checkpoints).
    derived: bool = False
    uses_run_date: bool = False
    # How a workflow task of this job behaves (the bundle's generated jobs read these): every
    # write is idempotent (MERGE or replace on natural keys), so every task may retry.
    max_retries: int = 1
    timeout_seconds: int = 2700
    # Jobs that must finish first although they write no table this job reads (e.g. landing files).
    after: tuple[str, ...] = ()
    # (table, rows): its plans run over many more rows than it reads (features: every key on
    # every day), so locally they are compiled once that input holds that many rows, where other
    # jobs' plans run interpreted (runtime.session). Derived jobs only: the count runs after the
    # check that may skip the job.
    compiled_plans_from: tuple[str, int] | None = None

    def load(self) -> Callable[[JobContext], None]:
        module, function = self.entry.split(":")
        return getattr(importlib.import_module(module), function)


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "fetch_postings",
            "Public board APIs and JSON-LD pages of conf fetch.boards -> landing files + ops.fetch_log",
            "careerlake.sources.fetch.job:fetch_postings",
            reads=(),
            writes=("ops.fetch_log", "ops.board_freshness"),
            # Boards answer again after a pause; each attempt is bounded by the per-request
            # timeouts and retries of conf fetch, this caps a whole attempt.
            max_retries=2,
            timeout_seconds=3600,
        ),
        JobSpec(
            "load_reference",
            "Taxonomies and FX rates shipped with the package -> reference.*",
            "careerlake.reference.job:load_reference",
            reads=(),
            writes=_ids(reference.TABLES),
            derived=True,
            timeout_seconds=900,
        ),
        JobSpec(
            "ingest_postings",
            "Landing postings files (5 formats) -> bronze.postings + quarantine",
            "careerlake.ingest.postings_job:ingest_postings",
            reads=(),
            writes=("bronze.postings", "bronze.postings_quarantine", "bronze.schema_drift"),
            max_retries=2,
            after=("fetch_postings",),
        ),
        JobSpec(
            "ingest_career_docs",
            "Landing career documents -> bronze.career_docs + quarantine",
            "careerlake.ingest.career_docs_job:ingest_career_docs",
            reads=(),
            writes=("bronze.career_docs", "bronze.career_docs_quarantine"),
            max_retries=2,
        ),
        JobSpec(
            "silver_postings",
            "bronze.postings -> silver.postings (normalized, deduplicated) + SCD2 history",
            "careerlake.silver.postings.job:silver_postings",
            reads=("bronze.postings", "ops.fetch_log", *_ids(reference.TABLES)),
            writes=(
                "silver.postings",
                "silver.postings_history",
                "silver.posting_pay_ranges",
                "silver.postings_quarantine",
            ),
            derived=True,
        ),
        JobSpec(
            "silver_career_docs",
            "bronze.career_docs -> documents, comments, mentions, transitions, guides",
            "careerlake.silver.career_docs.job:silver_career_docs",
            reads=("bronze.career_docs", "reference.roles", "reference.skills", "reference.seniority_levels"),
            writes=tuple(t.id for t in silver.TABLES if not t.id.startswith("silver.posting")),
            derived=True,
        ),
        JobSpec(
            "gold",
            "silver.* -> gold analyst tables",
            "careerlake.gold.job:build_gold",
            reads=(
                "silver.postings",
                "silver.postings_history",
                "silver.compensation_mentions",
                "silver.career_transitions",
                "silver.role_guides",
                "silver.skill_mentions",
                "silver.career_documents",
                "reference.fx_rates",
                "reference.roles",
            ),
            writes=_ids(gold.TABLES),
            derived=True,
            timeout_seconds=1800,
        ),
        JobSpec(
            "features",
            "silver.* + gold.* -> point-in-time feature tables",
            "careerlake.features.job:build_features",
            reads=("silver.postings", "silver.career_transitions", "gold.career_paths"),
            writes=_ids(features.TABLES),
            derived=True,
            uses_run_date=True,
            timeout_seconds=1800,
            compiled_plans_from=("silver.postings", FEATURES_COMPILED_FROM_POSTINGS),
        ),
        JobSpec(
            "train_salary_baseline",
            "Point-in-time training set -> salary model vs median-by-role baseline (MAE report)",
            "careerlake.features.train:train_salary_baseline",
            reads=("features.posting_features", "features.role_features"),
            writes=(),
            in_pipeline=False,
        ),
        JobSpec(
            "train_next_role_baseline",
            "Held-out transitions -> most-likely-next-role baseline (hit@3 report)",
            "careerlake.features.train:train_next_role_baseline",
            reads=("features.role_transition_features", "silver.career_transitions"),
            writes=(),
            in_pipeline=False,
        ),
    )
}


def get_job(name: str) -> JobSpec:
    try:
        return JOBS[name]
    except KeyError:
        raise UnknownJobError(f"unknown job '{name}': expected one of {', '.join(JOBS)}") from None


def upstream_jobs(job: JobSpec) -> list[str]:
    """Jobs that write a table this job reads, or that it runs after: the edges of the task DAG."""
    return [
        other.name
        for other in JOBS.values()
        if other is not job and (set(other.writes) & set(job.reads) or other.name in job.after)
    ]


def pipeline_order() -> list[str]:
    """Jobs of `run --all` in an order where every job runs after the jobs it reads from."""
    ordered: list[str] = []
    pending = [j for j in JOBS.values() if j.in_pipeline]
    while pending:
        ready = [j for j in pending if all(u in ordered for u in upstream_jobs(j) if JOBS[u].in_pipeline)]
        if not ready:
            raise AssertionError(f"cycle among jobs {[j.name for j in pending]}")
        ordered.extend(j.name for j in ready)
        pending = [j for j in pending if j not in ready]
    return ordered
