"""Operational tables: job runs and data-quality results that analysts and alerts query."""

from careerlake.registry.table import Table, col, key

JOB_RUNS = Table(
    layer="ops",
    name="job_runs",
    comment="One row per job and table touched in a run: rows read, written, quarantined and time taken.",
    columns=(
        key("run_id", "string", "Pipeline run id."),
        key("job", "string", "Job name."),
        key("table_name", "string", "Table the figures are for ('-' for job-level rows)."),
        key("rows_read", "bigint", "Rows read from sources."),
        key("rows_written", "bigint", "Rows inserted or updated in the table."),
        key("rows_quarantined", "bigint", "Rows sent to quarantine."),
        key("seconds", "double", "Wall time of the step."),
        key("status", "string", "succeeded, failed, or skipped (a derived job whose inputs were unchanged)."),
        col("message", "string", "Error message when failed."),
        key("finished_at", "timestamp", "When the step finished."),
    ),
    keys=("run_id", "job", "table_name"),
)

QUALITY_RESULTS = Table(
    layer="ops",
    name="quality_results",
    comment="Great Expectations results per run, table and expectation.",
    columns=(
        key("run_id", "string", "Pipeline run id."),
        key("job", "string", "Job that ran the check."),
        key("table_name", "string", "Table checked, e.g. silver.postings."),
        key("expectation", "string", "Expectation name and its column or argument."),
        key("severity", "string", "critical or warning."),
        key("success", "boolean", "Whether the expectation passed."),
        col("observed_value", "string", "Observed value as reported by the check."),
        col("failing_count", "bigint", "Rows that failed, when row-level."),
        key("checked_at", "timestamp", "When the check ran."),
    ),
    keys=("run_id", "table_name", "expectation"),
    constraints={"valid_severity": "severity IN ('critical','warning')"},
)

TABLES = (JOB_RUNS, QUALITY_RESULTS)
