"""Operate a deployed bundle with databricks-sdk: trigger and watch runs, grants, uploads."""

DAILY_JOB = "careerlake_daily"
DEFAULT_ANALYSTS_GROUP = "careerlake-analysts"
