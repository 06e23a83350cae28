"""The run report's job-end actions: what a job gathered first (the frames it staged) outlives
what it gathered later to use them (one validation per table)."""

from __future__ import annotations

from typing import Any

from careerlake.runtime.context import RunReport


def test_job_end_runs_the_last_gathered_key_first_with_every_item_once() -> None:
    report = RunReport("r1")
    ran: list[tuple[str, list[Any]]] = []
    report.collect_until_job_end("_scratch", "staged-a", lambda items: ran.append(("drop", items)))
    report.collect_until_job_end("gx:bronze_postings", 1, lambda items: ran.append(("validate", items)))
    report.collect_until_job_end("_scratch", "staged-b", lambda items: ran.append(("drop", items)))
    report.collect_until_job_end("gx:bronze_postings", 2, lambda items: ran.append(("validate", items)))

    report.end_job()
    report.end_job()

    assert ran == [("validate", [1, 2]), ("drop", ["staged-a", "staged-b"])]
