"""Typed, validated configuration: conf/base.yml overlaid by conf/<env>.yml.

An unknown key, a missing required key or a wrong type is a `ConfigError` whose one line
names the file and the dotted key.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from careerlake.runtime.errors import ConfigError

ENVIRONMENTS = ("local", "dev", "staging", "prod")
ENV_VAR = "CAREERLAKE_ENV"
LANDING_ENV_VAR = "CAREERLAKE_LANDING"
LAKEHOUSE_ENV_VAR = "CAREERLAKE_LAKEHOUSE"
SCHEMA_PREFIX_ENV_VAR = "CAREERLAKE_SCHEMA_PREFIX"
CONF_DIR_ENV_VAR = "CAREERLAKE_CONF_DIR"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Schemas(_Strict):
    reference: str
    bronze: str
    silver: str
    gold: str
    features: str
    ops: str


class Paths(_Strict):
    landing: str
    lakehouse: str
    checkpoints: str | None = None
    data_docs: str | None = None


class SourceToggle(_Strict):
    enabled: bool = True


class Sources(_Strict):
    # Posting format name -> toggle. The formats are plugins a layer above the config, which
    # checks the names against them (careerlake.sources.postings.enabled_formats).
    postings: dict[str, SourceToggle]
    career_docs: SourceToggle


# A board name is the first part of its landing file name (`<board>-<UTC timestamp>.<ext>`), and
# ingestion reads the board back as what comes before the first '-'.
BoardName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+$")]


class JsonLdTarget(_Strict):
    name: BoardName
    url: str = Field(pattern=r"^https?://")


class Boards(_Strict):
    """The boards to follow, per format: API board tokens, JSON-LD pages and sitemaps."""

    greenhouse: list[BoardName] = []
    lever: list[BoardName] = []
    ashby: list[BoardName] = []
    jsonld_pages: list[JsonLdTarget] = []
    jsonld_sitemaps: list[JsonLdTarget] = []

    def count(self) -> int:
        return sum(len(getattr(self, name)) for name in type(self).model_fields)


class ApiEndpoints(_Strict):
    greenhouse: str = Field(pattern=r"^https?://")
    lever: str = Field(pattern=r"^https?://")
    ashby: str = Field(pattern=r"^https?://")


class Fetch(_Strict):
    user_agent: str = Field(min_length=1)
    timeout_seconds: float = Field(gt=0)
    retries: int = Field(ge=0, le=10)
    backoff_seconds: float = Field(ge=0)
    max_retry_after_seconds: float = Field(ge=0)
    per_host_in_flight: int = Field(ge=1, le=16)
    max_sitemap_pages: int = Field(ge=1)
    endpoints: ApiEndpoints
    boards: Boards


class Quality(_Strict):
    fail_on_critical: bool
    freshness_max_days: int = Field(gt=0)
    gold_p50_max_change_pct: float = Field(gt=0)
    annual_salary_usd_min: float
    annual_salary_usd_max: float


class Gold(_Strict):
    min_cell_postings: int = Field(ge=1)
    # An incremental run whose roles hold more than this share of the postings recomputes
    # everything: past it, a write of some roles' rows costs more than a write of all of them.
    full_recompute_share: float = Field(ge=0, le=1)


class Features(_Strict):
    top_n_skills: int = Field(ge=1)
    title_hash_buckets: int = Field(ge=2)


class Privacy(_Strict):
    secret_scope: str
    secret_key: str
    key_env_var: str
    local_default_key: str


class SparkSettings(_Strict):
    shuffle_partitions: int = Field(ge=1)
    driver_memory: str | None = None
    # Where a local session keeps its schema and table names. "hive": the Derby metastore under
    # the lakehouse folder, which the next run, `careerlake sql`, spark-sql and the Thrift server
    # read. "in-memory": this process only, for a process whose names need not outlive it (the
    # one a kill test kills, which registers a copy's tables by location): it skips starting and
    # filling a Derby database, about 3.5 s of CPU of a cold `silver_postings` process
    # (docs/benchmarks.md). Databricks ignores it.
    local_catalog: Literal["hive", "in-memory"] = "hive"
    # How many task threads a local session runs: one per core when unset (`local[*]`). The test
    # suite runs two sessions side by side on two cores and gives each one thread: the gold tests
    # then used 0.92 to 0.98 of the machine's CPU in the same wall time (docs/benchmarks.md).
    # Databricks ignores it.
    local_threads: int | None = Field(default=None, ge=1)


class Config(_Strict):
    env: str
    platform: Literal["local", "databricks"]
    catalog: str | None
    schemas: Schemas
    paths: Paths
    sources: Sources
    fetch: Fetch
    quality: Quality
    gold: Gold
    features: Features
    privacy: Privacy
    spark: SparkSettings

    @property
    def on_databricks(self) -> bool:
        return self.platform == "databricks"

    @property
    def landing(self) -> str:
        return self.paths.landing

    @property
    def lakehouse(self) -> str:
        return self.paths.lakehouse

    @property
    def checkpoints(self) -> str:
        return self.paths.checkpoints or f"{self.paths.lakehouse}/_checkpoints"

    @property
    def data_docs(self) -> str:
        return self.paths.data_docs or f"{self.paths.lakehouse}/data_docs"

    def schema_for(self, layer: str) -> str:
        """The database (locally) or `catalog.schema` (Unity Catalog) that holds a layer."""
        schema = getattr(self.schemas, layer)
        return f"{self.catalog}.{schema}" if self.catalog else schema


def conf_dir() -> Path:
    """conf/ of the working tree, else the copy packaged in the wheel (for Databricks tasks)."""
    if override := os.environ.get(CONF_DIR_ENV_VAR):
        return Path(override)
    local = Path.cwd() / "conf"
    if (local / "base.yml").is_file():
        return local
    return Path(__file__).resolve().parent.parent / "conf"


def resolve_env(env: str | None) -> str:
    chosen = env or os.environ.get(ENV_VAR) or "local"
    if chosen not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment '{chosen}': expected one of {', '.join(ENVIRONMENTS)}")
    return chosen


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: top level must be a mapping")
    return loaded


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has_key(tree: dict[str, Any], dotted: tuple[str | int, ...]) -> bool:
    node: Any = tree
    for part in dotted:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


# Keys an overlay may still set from an earlier release: the error says what became of them.
REMOVED_KEYS = {
    "quality.max_quarantine_share": "removed: quarantine has no share limit; each bad record "
    "costs only itself (docs/quality.md)",
    "features.role_windows_days": "removed: the role feature windows are fixed at 30 and 90 days, "
    "as their column names say (docs/features.md)",
}


def _first_error(exc: ValidationError, base_path: Path, env_path: Path, env_tree: dict[str, Any]) -> str:
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    key = ".".join(str(part) for part in loc)
    if error["type"] == "missing":
        return f"{env_path} (over {base_path.name}): missing required key '{key}'"
    source = env_path if _has_key(env_tree, loc) else base_path
    if error["type"] == "extra_forbidden":
        if key in REMOVED_KEYS:
            return f"{source}: key '{key}' {REMOVED_KEYS[key]}: delete it"
        return f"{source}: unknown key '{key}'"
    got = error.get("input")
    return f"{source}: key '{key}': {error['msg'].lower()} (got {got!r})"


def _prefix_schemas(tree: dict[str, Any], prefix: str) -> None:
    """Put `prefix` before every layer schema, in `schemas` and in the UC volume paths under them.

    Development-mode bundle deploys rename UC schemas to `dev_<user>_<schema>`; the dev tasks pass
    that prefix so conf/dev.yml's plain names point at the schemas the deploy created.
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+", prefix):
        raise ConfigError(f"schema prefix '{prefix}': use letters, digits and underscores only")
    schemas = tree.get("schemas")
    if not isinstance(schemas, dict):
        return
    catalog, paths = tree.get("catalog"), tree.get("paths")
    for layer, name in list(schemas.items()):
        schemas[layer] = f"{prefix}{name}"
        if not isinstance(paths, dict):
            continue
        volume = f"/Volumes/{catalog}/{name}/"
        for key, path in paths.items():
            if isinstance(path, str) and path.startswith(volume):
                paths[key] = f"/Volumes/{catalog}/{prefix}{name}/" + path.removeprefix(volume)


def load_config(
    env: str | None = None,
    *,
    landing: str | None = None,
    lakehouse: str | None = None,
    directory: Path | None = None,
    schema_prefix: str | None = None,
) -> Config:
    """Load base.yml + <env>.yml, apply --landing / --lakehouse / --schema-prefix (or their env
    vars), validate."""
    chosen = resolve_env(env)
    folder = directory or conf_dir()
    base_path, env_path = folder / "base.yml", folder / f"{chosen}.yml"
    if directory is None and not base_path.is_file():
        raise ConfigError(
            f"{base_path}: config file not found; run from the repository root (its conf/ folder) "
            f"or set {CONF_DIR_ENV_VAR} to the folder holding base.yml and {chosen}.yml"
        )
    env_tree = _read_yaml(env_path)
    merged = _overlay(_read_yaml(base_path), env_tree)
    merged["env"] = chosen
    prefix = schema_prefix if schema_prefix is not None else os.environ.get(SCHEMA_PREFIX_ENV_VAR, "")
    if prefix:
        _prefix_schemas(merged, prefix)
    paths = merged.get("paths")
    if isinstance(paths, dict):
        overrides = {
            "landing": landing or os.environ.get(LANDING_ENV_VAR),
            "lakehouse": lakehouse or os.environ.get(LAKEHOUSE_ENV_VAR),
        }
        for key, value in overrides.items():
            if value:
                paths[key] = value
                if key == "lakehouse" and merged.get("platform") == "local":
                    paths["checkpoints"] = paths["data_docs"] = None
        if merged.get("platform") == "local":
            for key in ("landing", "lakehouse", "checkpoints", "data_docs"):
                if isinstance(paths.get(key), str):
                    paths[key] = str(Path(paths[key]).expanduser().resolve())
    try:
        return Config.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc, base_path, env_path, env_tree)) from None
