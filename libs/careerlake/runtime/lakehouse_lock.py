"""One local process at a time on a lakehouse.

The local metastore is embedded Derby, which admits a single JVM: a second process (a job
while `careerlake sql-shell` or the Thrift server runs, or two runs at once) used to die in
thousands of lines of Java traces. Every local launcher takes an exclusive lock on
`<lakehouse>/lakehouse.lock` before it starts a JVM and writes its pid and command into it,
so the second one is refused in one line that names the first. The kernel drops the lock
when its process exits, even on SIGKILL, so a crash leaves nothing stale behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path
from typing import IO

from careerlake.runtime.errors import CareerLakeError

LOCK_FILE = "lakehouse.lock"

# Locks this process holds, by lakehouse folder: a second session in the same process
# (tests, `careerlake run` after `setup`) shares the one JVM and needs no second lock.
_HELD: dict[Path, IO[str]] = {}


class LakehouseInUseError(CareerLakeError):
    """Another local process has the lakehouse (and its Derby metastore) open."""


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        owner = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        owner = {}
    pid, command = owner.get("pid"), owner.get("command")
    if pid is None:
        return "another process"
    return f"pid {pid} ({command})" if command else f"pid {pid}"


def _command() -> str:
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"


def lock_lakehouse(lakehouse: str, *, keep_across_exec: bool = False) -> Path:
    """Hold the lakehouse's lock until this process ends; refuse if another process holds it.

    `keep_across_exec` lets the lock survive `os.exec*`, so `spark-sql` and the Thrift server
    that replace the CLI process keep holding it.
    """
    root = Path(lakehouse).resolve()
    path = root / LOCK_FILE
    if root in _HELD:
        return path
    root.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open until the process exits
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(handle)
        handle.close()
        raise LakehouseInUseError(
            f"lakehouse {root} is in use by {holder}: its local metastore admits one process at a "
            "time, so stop that process (or wait for it to finish) and retry, or pass another --lakehouse"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "command": _command()}))
    handle.flush()
    os.set_inheritable(handle.fileno(), keep_across_exec)
    _HELD[root] = handle
    return path
