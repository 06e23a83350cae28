"""Serverless is Spark Connect: no persist, no cache, no checkpoints, no sparkContext, no JVM.

Jobs and libraries ask `runtime/platform.py` to cache or pin, which does so only on a local
session; this test fails as soon as any other module persists, caches or reaches the JVM.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN_CALLS = {"persist", "cache", "unpersist", "localCheckpoint", "checkpoint"}
FORBIDDEN_ATTRIBUTES = {"sparkContext", "_jvm", "_jdf", "_jsc", "_jsparkSession", "_sc"}
# Modules allowed to use them, and why.
ALLOWED = {
    # The one place that knows the platform: caches and pins only where `can_cache`.
    "libs/careerlake/runtime/platform.py": FORBIDDEN_CALLS,
    # Builds the classic local session only (a Connect session returns before).
    "libs/careerlake/runtime/session.py": {"sparkContext"},
    # `careerlake eval career-docs`: a local evaluation command, never a Databricks task.
    "libs/careerlake/silver/career_docs/evaluation.py": {"persist", "unpersist"},
}


def _on_platform(receiver: ast.expr) -> bool:
    """`platform.cache(...)` or `ctx.platform.cache(...)`: the platform decides."""
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
    return name == "platform"


def _uses(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in FORBIDDEN_CALLS and not _on_platform(node.func.value):
                found.add((node.func.attr, node.lineno))
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.add((node.attr, node.lineno))
    return found


def _sources() -> list[Path]:
    return sorted([*(REPO / "libs").rglob("*.py"), *(REPO / "jobs").rglob("*.py")])


def test_no_module_persists_caches_or_touches_the_jvm_outside_the_platform() -> None:
    offences = [
        f"{path.relative_to(REPO)}:{line} uses {name}"
        for path in _sources()
        for name, line in sorted(_uses(path))
        if name not in ALLOWED.get(str(path.relative_to(REPO)), set())
    ]
    assert offences == []


def test_the_check_sees_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "job.py"
    sample.write_text(
        "def run(ctx, frame):\n"
        "    frame.cache()\n"
        "    kept = frame.persist()\n"
        "    ctx.spark.sparkContext.setLogLevel('ERROR')\n"
        "    ctx.platform.cache(frame)\n"
        "    return kept.localCheckpoint(eager=True)\n",
        encoding="utf-8",
    )
    assert _uses(sample) == {("cache", 2), ("persist", 3), ("sparkContext", 4), ("localCheckpoint", 6)}
