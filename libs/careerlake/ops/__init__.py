"""Operate a deployed bundle with databricks-sdk: trigger and watch runs, grants, uploads."""
