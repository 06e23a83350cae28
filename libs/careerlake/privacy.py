"""Keyed pseudonymization (HMAC-SHA256) of user names, handles and e-mail addresses.

The key comes from the secret scope on Databricks, else from the environment variable named
in config.privacy.key_env_var; locally (only) a development default is used. The keyed hash
runs in Arrow batch functions that hold the key, so the key never appears in a query plan.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable

import pandas as pd
from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.config import Config
from careerlake.runtime.errors import ConfigError
from careerlake.runtime.platform import Platform

# E-mails first so their "@domain" is not also taken for a handle.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
HANDLE_PATTERN = r"(?<![A-Za-z0-9/])(?:/?u/[A-Za-z0-9_-]{2,}|@[A-Za-z0-9_]{2,})"
IDENTITY_PATTERN = f"{EMAIL_PATTERN}|{HANDLE_PATTERN}"
_IDENTITY = re.compile(IDENTITY_PATTERN)
_PREFIX = re.compile(r"^/?u/|^@")


def pseudonymization_key(config: Config, spark: SparkSession | None = None) -> str:
    """The HMAC key: Databricks secret, else environment variable, else the local default."""
    privacy = config.privacy
    if spark is not None and (
        secret := Platform(spark, config).secret(privacy.secret_scope, privacy.secret_key)
    ):
        return secret
    if value := os.environ.get(privacy.key_env_var):
        return value
    if config.env != "local":
        raise ConfigError(
            f"{privacy.key_env_var} is not set: a pseudonymization key is required outside local"
        )
    return privacy.local_default_key


def hmac_hex(key: str, value: str) -> str:
    """Hex HMAC-SHA256 of `value` with `key` (the batch functions below and the tests use it)."""
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def identity_norm(value: Column) -> Column:
    """u/Name, @name and name are one person: lower-case, without the u/ or @ prefix."""
    return F.lower(F.regexp_replace(F.trim(value), r"^/?u/|^@", ""))


def _norm_text(found: str) -> str:
    """`identity_norm` of one found identity (ASCII only, as the patterns match)."""
    return _PREFIX.sub("", found.strip(" ")).lower()


def _token(found: str, key: str) -> str:
    short = hmac_hex(key, _norm_text(found))[:12]
    if "@" in found and not found.startswith("@"):
        return f"<email:{short}>"
    return f"@user-{short}" if found.startswith("@") else f"u/user-{short}"


def _scrubbed(text: str, key: str) -> str:
    found = list(dict.fromkeys(m.group(0) for m in _IDENTITY.finditer(text)))
    # Longest first, so replacing "@ann" cannot damage "@anna".
    for identity in sorted(found, key=len, reverse=True):
        text = text.replace(identity, _token(identity, key))
    return text


# Why Python: Spark SQL has no keyed hash that takes its key from outside the plan, and any
# Spark expression would carry the key (or its HMAC pads) as a literal into EXPLAIN, the Spark
# UI and query profiles. These Arrow batch functions hold the key in their closure instead;
# it travels only inside the serialized function, never in a plan string.
def _hash_batches(key: str) -> Callable[[pd.Series], pd.Series]:
    def keyed_hash(values: pd.Series) -> pd.Series:
        return values.map(lambda v: hmac_hex(key, v), na_action="ignore")

    return keyed_hash


def _scrub_batches(key: str) -> Callable[[pd.Series], pd.Series]:
    def scrub(texts: pd.Series) -> pd.Series:
        return texts.map(lambda t: _scrubbed(t, key), na_action="ignore")

    return scrub


def hmac_sha256(value: Column, key: str) -> Column:
    """Hex HMAC-SHA256 of a string column with `key`; null stays null. The key is in no plan."""
    return F.pandas_udf(_hash_batches(key), "string")(value)  # type: ignore[call-overload]


def pseudonym(value: Column, key: str) -> Column:
    """Keyed hash of a user name, handle or e-mail (null or blank stays null)."""
    norm = identity_norm(value)
    return F.when(norm != "", hmac_sha256(norm, key))


def scrub_identities(text: Column, key: str) -> Column:
    """Replace every e-mail and handle inside `text` by its keyed pseudonym; null stays null."""
    return F.pandas_udf(_scrub_batches(key), "string")(text)  # type: ignore[call-overload]
