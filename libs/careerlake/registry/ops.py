"""Operational tables: job runs, data-quality results and board fetches that analysts and alerts query."""

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
        key("rows_written", "bigint", "Rows inserted, updated or deleted in the table."),
        key("rows_quarantined", "bigint", "Rows sent to quarantine."),
        key("seconds", "double", "Wall time of the step."),
        key("status", "string", "succeeded, failed, or skipped (a derived job whose inputs were unchanged)."),
        col("message", "string", "Error message when failed; on success, why a step read nothing."),
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

FETCH_LOG = Table(
    layer="ops",
    name="fetch_log",
    comment="One row per request of the fetch_postings job: what was asked, what came back, what landed.",
    columns=(
        key("run_id", "string", "Pipeline run that fetched."),
        key("source", "string", "Posting format fetched: greenhouse, lever, ashby or jsonld."),
        key("board", "string", "Board token, company, or the configured name of a JSON-LD page or sitemap."),
        key("url", "string", "URL requested."),
        key("fetched_at", "timestamp", "When the request started (UTC)."),
        key(
            "full_board",
            "boolean",
            "True when the response lists every open posting of the board (the ATS APIs).",
        ),
        col(
            "status",
            "int",
            "HTTP status of the last attempt; null when no response came (timeout, broken connection).",
        ),
        key("attempts", "int", "Requests made, retries included."),
        col("bytes", "bigint", "Size of the response body."),
        col("postings", "int", "Postings in the response (page URLs for a sitemap)."),
        col(
            "posting_ids", "array<string>", "The source's posting ids in the response; closures compare them."
        ),
        col("content_hash", "string", "SHA-256 of the response body."),
        col(
            "file",
            "string",
            "Landing file written, 'unchanged' when the content equals the last one, null when nothing landed.",
        ),
        key("seconds", "double", "Wall time of the request, retries included."),
        col("error", "string", "Why the fetch failed; null when it succeeded."),
    ),
    keys=("run_id", "source", "board", "url"),
    constraints={"known_source": "source IN ('greenhouse','lever','ashby','jsonld')"},
)

BOARD_FRESHNESS = Table(
    layer="ops",
    name="board_freshness",
    comment="One row per fetched board: when it was last fetched, last succeeded and last changed.",
    columns=(
        key("source", "string", "Posting format: greenhouse, lever, ashby or jsonld."),
        key("board", "string", "Board token, company, or configured JSON-LD name."),
        key("last_fetched_at", "timestamp", "Latest fetch attempt."),
        col("last_status", "int", "HTTP status of the latest fetch."),
        col("last_error", "string", "Error of the latest fetch; null when it succeeded."),
        col("last_success_at", "timestamp", "Latest fetch that succeeded (landed or unchanged)."),
        col("last_changed_at", "timestamp", "Latest fetch that landed a new file."),
        col("postings", "int", "Postings in the latest successful response."),
        key(
            "failures_since_success", "int", "Failed fetches after the latest success (all of them if none)."
        ),
    ),
    keys=("source", "board"),
)

TABLES = (JOB_RUNS, QUALITY_RESULTS, FETCH_LOG, BOARD_FRESHNESS)
