"""Which Delta errors the bounded retry repeats (the conflicts) and which it lets through at once."""

from __future__ import annotations

import pytest

from careerlake.runtime import delta
from careerlake.runtime.errors import WriteConflictError


class _Flaky:
    """Fails with `error` the first `failures` calls, then returns 7."""

    def __init__(self, error: Exception, failures: int) -> None:
        self.error, self.failures, self.calls = error, failures, 0

    def __call__(self) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return 7


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delta, "BASE_BACKOFF_SECONDS", 0.0)


@pytest.mark.parametrize(
    "message",
    [
        "[DELTA_CONCURRENT_APPEND.WITHOUT_PARTITION_HINT] ConcurrentAppendException: Files were added",
        "[DELTA_CONCURRENT_DELETE_READ] ConcurrentDeleteReadException: This transaction attempted to read",
        "[DELTA_METADATA_CHANGED] MetadataChangedException: The metadata of the Delta table has been changed",
        "[DELTA_PROTOCOL_CHANGED] ProtocolChangedException: The protocol version of the Delta table",
    ],
)
def test_conflicts_are_retried_until_the_commit_lands(message: str) -> None:
    action = _Flaky(RuntimeError(message), failures=2)
    assert delta.with_conflict_retry(action, "MERGE into t") == 7
    assert action.calls == 3


def test_other_errors_are_not_retried() -> None:
    action = _Flaky(RuntimeError("[DELTA_MERGE_MISSING_WHEN] There must be at least one WHEN clause"), 1)
    with pytest.raises(RuntimeError, match="DELTA_MERGE_MISSING_WHEN"):
        delta.with_conflict_retry(action, "MERGE into t")
    assert action.calls == 1


def test_endless_conflicts_end_in_one_clear_line() -> None:
    action = _Flaky(
        RuntimeError("[DELTA_CONCURRENT_WRITE] ConcurrentWriteException: A concurrent transaction"), 99
    )
    with pytest.raises(WriteConflictError) as error:
        delta.with_conflict_retry(action, "MERGE into t")
    assert action.calls == delta.MAX_ATTEMPTS
    assert str(error.value) == (
        f"MERGE into t: gave up after {delta.MAX_ATTEMPTS} attempts on concurrent Delta writes (RuntimeError)"
    )
