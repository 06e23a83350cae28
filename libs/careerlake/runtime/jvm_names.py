"""Java classes, packages and methods that PySpark names, resolved once per local process.

PySpark reaches the JVM by name for nearly every column it builds: `org.apache.spark.sql.functions`
and then its method (`col`, `lit`, ...), `PythonUtils.toSeq` for a list of columns, py4j's
`TypeUtil.isInstanceOf` through the packages `py4j` and `py4j.reflection`. py4j answers each
lookup with a round trip to the JVM, which tries a short name against every import of the
gateway; each miss searches all of the 282 jars on Spark's class path. A warm sample run
resolved 10,905 names (0.15 to 0.8 ms each), and building silver's plan took 0.78 of its time
when each answer was kept (docs/benchmarks.md).

A class, package or method proxy holds only its name and the gateway, so the first answer serves
every later lookup: the proxy keeps it as an attribute, which Python finds before it calls
`__getattr__`. Static fields are values, and failures are errors: neither is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from py4j.java_gateway import JavaClass, JavaMember, JavaPackage, JVMView

_KEPT = (JavaClass, JavaMember, JavaPackage)


def _remembering(resolve: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    @wraps(resolve)
    def remember(proxy: Any, name: str) -> Any:
        found = resolve(proxy, name)
        if isinstance(found, _KEPT):
            proxy.__dict__[name] = found
        return found

    return remember


def remember_jvm_names() -> None:
    """Make py4j's JVM views, packages and classes keep each class, package and method they
    resolve, for this process (once: later calls change nothing)."""
    for proxy in (JVMView, JavaPackage, JavaClass):
        if not hasattr(proxy.__getattr__, "__wrapped__"):
            proxy.__getattr__ = _remembering(proxy.__getattr__)  # type: ignore[method-assign]
