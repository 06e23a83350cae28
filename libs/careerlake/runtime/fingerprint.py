"""Skip a derived job whose inputs have not changed since its last successful run.

A derived job (reference, silver, gold, features) is a function of its input tables, the
packaged reference data, the config and, for some, the run date. Its fingerprint is the
latest Delta version of every input plus hashes of the reference data and the config (and
the run date when it matters); it is saved after each success in the job's checkpoint
folder. The caller names the reference data folder: the runtime knows no layer. A no-op run then
costs one version lookup per input (`Platform.latest_version`: a listing of its Delta log locally)
instead of recomputing and MERGEing every table.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from pyspark.sql import SparkSession

from careerlake.registry import get_table
from careerlake.runtime.config import Config
from careerlake.runtime.delta import full_name
from careerlake.runtime.platform import Platform

Fingerprint = dict[str, object]


def fingerprint_file(config: Config, job: str) -> Path:
    return Path(config.checkpoints) / job / "inputs.json"


def input_fingerprint(
    spark: SparkSession,
    config: Config,
    reads: tuple[str, ...],
    run_date: date | None,
    reference_dir: Path,
) -> Fingerprint:
    """Latest Delta version of each input (None when missing), the hashes of the files of
    `reference_dir` and of the config, and the run date."""
    platform = Platform(spark, config)
    versions = {table_id: platform.latest_version(get_table(table_id)) for table_id in reads}
    config_hash = hashlib.sha256(config.model_dump_json().encode()).hexdigest()
    return {
        "inputs": versions,
        "reference_data": folder_hash(reference_dir),
        "config": config_hash,
        "run_date": run_date.isoformat() if run_date else None,
    }


def folder_hash(folder: Path) -> str:
    """Hash of the names and contents of the files of `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def unchanged_since_last_success(
    spark: SparkSession, config: Config, job: str, writes: tuple[str, ...], fingerprint: Fingerprint
) -> bool:
    """True when every input and output exists and the fingerprint equals the last success's."""
    path = fingerprint_file(config, job)
    inputs = fingerprint["inputs"]
    if not path.is_file() or not isinstance(inputs, dict) or None in inputs.values():
        return False
    # The file first: a run whose inputs moved looks up none of its outputs.
    if json.loads(path.read_text(encoding="utf-8")) != fingerprint:
        return False
    return all(spark.catalog.tableExists(full_name(config, get_table(t))) for t in writes)


def changed_inputs(config: Config, job: str, fingerprint: Fingerprint) -> dict[str, tuple[int, int]] | None:
    """Inputs whose Delta version moved since the job's last success: table id -> (version then,
    version now). None when that cannot be told by versions alone: no last success, an input
    missing then or now, or the reference data or config changed. A new run date alone keeps the
    versions: of the jobs that use it, features dates its daily rows from its stored ones."""
    path = fingerprint_file(config, job)
    if not path.is_file():
        return None
    previous = json.loads(path.read_text(encoding="utf-8"))
    then, now = previous.get("inputs"), fingerprint["inputs"]
    if not isinstance(then, dict) or not isinstance(now, dict) or set(then) != set(now):
        return None
    if None in then.values() or None in now.values():
        return None
    if any(previous.get(part) != fingerprint[part] for part in ("reference_data", "config")):
        return None
    return {t: (then[t], now[t]) for t in now if then[t] != now[t]}


def save_fingerprint(config: Config, job: str, fingerprint: Fingerprint) -> None:
    path = fingerprint_file(config, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file and renamed: a crash never leaves half a fingerprint.
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(fingerprint, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
