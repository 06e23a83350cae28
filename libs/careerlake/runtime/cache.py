"""Where the local runtime keeps what it downloads or derives once (jars, the JDK home)."""

from pathlib import Path


def cache_root() -> Path:
    """~/.cache/careerlake."""
    return Path.home() / ".cache" / "careerlake"
