"""Each layer's job killed with SIGKILL mid-write in a lakehouse of its own, then re-run in a
new process, ending exactly where the uninterrupted sample run ended.

One lakehouse advances layer by layer through the tests (in pipeline order). The process that
re-runs a killed job goes on to the next kill, so every kill and every re-run is a real
process, with one JVM start per kill plus one for the last re-run.
"""

from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from careerlake.pipeline import JOBS, pipeline_order
from careerlake.registry import get_table
from careerlake.runtime.config import Config
from careerlake.runtime.context import RunReport
from support.chaos import (
    KILL_AFTER,
    Lakehouse,
    contents,
    duplicate_keys,
    kill_mid_write,
    lakehouse_at,
    rerun_killed,
)


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Lakehouse:
    """The lakehouse every layer test kills a job in; the tests run in pipeline order."""
    return lakehouse_at(tmp_path_factory.mktemp("chaos") / "lakehouse")


@pytest.fixture(scope="module")
def selected_kills(request: pytest.FixtureRequest) -> list[str]:
    """The jobs whose kill test this session runs, in pipeline order."""
    selected = {
        item.callspec.params["job"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    }
    return [job for job in KILL_AFTER if job in selected]


def _next_kill(selected: list[str], job: str) -> str | None:
    later = selected[selected.index(job) + 1 :]
    return later[0] if later else None


@pytest.mark.parametrize("job", list(KILL_AFTER), ids=["bronze", "silver", "gold", "features"])
def test_job_killed_mid_write_then_rerun_matches_uninterrupted_run(
    spark: SparkSession,
    sample_run: tuple[Config, RunReport],
    chaos: Lakehouse,
    selected_kills: list[str],
    job: str,
) -> None:
    config, _ = sample_run
    reference = Lakehouse(Path(config.lakehouse), config, set(pipeline_order()))
    if chaos.killed != job:  # else the previous test's re-run process killed it already
        kill_mid_write(chaos, job)
    rerun_killed(chaos, _next_kill(selected_kills, job))
    killed_state = chaos.kill_states[job]

    for table_id in JOBS[job].writes:
        table = get_table(table_id)
        assert duplicate_keys(spark, chaos, table) == [], f"{table_id}: duplicate keys after kill + rerun"
        expected = contents(spark, reference, table)
        actual = contents(spark, chaos, table)
        assert len(actual) == len(expected), f"{table_id}: {len(actual)} rows, expected {len(expected)}"
        assert actual == expected, (
            f"{table_id} differs from the uninterrupted run (killed at: {killed_state})"
        )
    assert any(contents(spark, reference, get_table(t)) for t in JOBS[job].writes), f"{job} wrote nothing"
