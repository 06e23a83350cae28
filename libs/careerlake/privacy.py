"""Keyed pseudonymization (HMAC-SHA256) of user names, handles and e-mail addresses.

The key comes from the secret scope on Databricks, else from the environment variable named
in config.privacy.key_env_var; locally (only) a development default is used. The hash runs as
Spark expressions: HMAC(K, m) = SHA256((K ^ opad) || SHA256((K ^ ipad) || m)), with the two
padded keys computed once on the driver, so no Python UDF ever sees the clear text.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

from careerlake.runtime.config import Config
from careerlake.runtime.errors import ConfigError
from careerlake.runtime.platform import Platform

_BLOCK = 64  # SHA-256 block size in bytes
# E-mails first so their "@domain" is not also taken for a handle.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
HANDLE_PATTERN = r"(?<![A-Za-z0-9/])(?:/?u/[A-Za-z0-9_-]{2,}|@[A-Za-z0-9_]{2,})"
IDENTITY_PATTERN = f"{EMAIL_PATTERN}|{HANDLE_PATTERN}"


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


def _pads(key: str) -> tuple[bytes, bytes]:
    raw = key.encode("utf-8")
    if len(raw) > _BLOCK:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)


def hmac_hex(key: str, value: str) -> str:
    """Python twin of `hmac_sha256` (tests and the evaluation use it)."""
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def hmac_sha256(value: Column, key: str) -> Column:
    """Hex HMAC-SHA256 of a string column with `key`; null stays null."""
    inner_pad, outer_pad = _pads(key)
    inner = F.unhex(F.sha2(F.concat(F.lit(inner_pad), F.encode(value, "UTF-8")), 256))
    return F.sha2(F.concat(F.lit(outer_pad), inner), 256)


def identity_norm(value: Column) -> Column:
    """u/Name, @name and name are one person: lower-case, without the u/ or @ prefix."""
    return F.lower(F.regexp_replace(F.trim(value), r"^/?u/|^@", ""))


def pseudonym(value: Column, key: str) -> Column:
    """Keyed hash of a user name, handle or e-mail (null or blank stays null)."""
    norm = identity_norm(value)
    return F.when(norm != "", hmac_sha256(norm, key))


def _token(found: Column, key: str) -> Column:
    short = F.substring(hmac_sha256(identity_norm(found), key), 1, 12)
    return (
        F.when(found.contains("@") & ~found.startswith("@"), F.concat(F.lit("<email:"), short, F.lit(">")))
        .when(found.startswith("@"), F.concat(F.lit("@user-"), short))
        .otherwise(F.concat(F.lit("u/user-"), short))
    )


def scrub_identities(text: Column, key: str) -> Column:
    """Replace every e-mail and handle inside `text` by its keyed pseudonym (Spark-only)."""
    found = F.array_distinct(F.regexp_extract_all(F.coalesce(text, F.lit("")), F.lit(IDENTITY_PATTERN), 0))
    # Longest first, so replacing "@ann" cannot damage "@anna".
    ordered = F.array_sort(
        found,
        lambda a, b: F.when(F.length(a) > F.length(b), -1).when(F.length(a) < F.length(b), 1).otherwise(0),
    )
    scrubbed = F.aggregate(
        ordered, F.coalesce(text, F.lit("")), lambda acc, h: F.replace(acc, h, _token(h, key))
    )
    return F.when(text.isNotNull(), scrubbed)
