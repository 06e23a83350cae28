"""Keyed pseudonymization: Spark HMAC equals Python's, handles and e-mails never survive in text,
and the key is in no query plan."""

from __future__ import annotations

import contextlib
import hashlib
import io

import pytest
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careerlake.privacy import hmac_hex, pseudonym, pseudonymization_key, scrub_identities
from careerlake.runtime.config import Config
from careerlake.runtime.errors import ConfigError
from careerlake.runtime.local_rows import rows_frame

KEY = "test-key"


def test_spark_hmac_matches_python_hmac(spark: SparkSession) -> None:
    frame = rows_frame(spark, [("u/Pipeline_Pete",), ("@pipeline_pete",), ("",), (None,)], "who string")
    hashed = [r.h for r in frame.select(pseudonym(F.col("who"), KEY).alias("h")).collect()]
    assert hashed == [hmac_hex(KEY, "pipeline_pete")] * 2 + [None, None]
    long_key = "k" * 100  # longer than a SHA-256 block: hashed first, as RFC 2104 says
    frame = rows_frame(spark, [("ann",)], "who string")
    assert frame.select(pseudonym(F.col("who"), long_key)).first()[0] == hmac_hex(long_key, "ann")


def test_handles_and_emails_are_replaced_inside_text(spark: SparkSession) -> None:
    text = "Thanks u/mlops_maria and @AnnaLee, mail pete.helper@example.com or ping u/mlops_maria again."
    frame = rows_frame(spark, [(text,)], "t string")
    scrubbed = frame.select(scrub_identities(F.col("t"), KEY)).first()[0]
    maria, anna, mail = (hmac_hex(KEY, v)[:12] for v in ("mlops_maria", "annalee", "pete.helper@example.com"))
    assert scrubbed == (
        f"Thanks u/user-{maria} and @user-{anna}, mail <email:{mail}> or ping u/user-{maria} again."
    )
    for clear in ("mlops_maria", "AnnaLee", "pete.helper", "example.com"):
        assert clear not in scrubbed


def test_key_sources(base_config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(base_config.privacy.key_env_var, raising=False)
    assert pseudonymization_key(base_config) == base_config.privacy.local_default_key
    monkeypatch.setenv(base_config.privacy.key_env_var, "from-env")
    assert pseudonymization_key(base_config) == "from-env"
    monkeypatch.delenv(base_config.privacy.key_env_var)
    with pytest.raises(ConfigError, match="CAREERLAKE_PSEUDONYM_KEY is not set"):
        pseudonymization_key(base_config.model_copy(update={"env": "staging"}))


def _key_traces(key: str) -> list[str]:
    """The key and the key-bearing bytes of its HMAC pads (how an expression would carry them), in hex."""
    raw = key.encode("utf-8")
    inner, outer = (bytes(b ^ pad for b in raw) for pad in (0x36, 0x5C))
    return [key.lower(), raw.hex(), inner.hex(), outer.hex(), hashlib.sha256(raw).hexdigest()]


def test_the_key_is_in_no_query_plan(spark: SparkSession) -> None:
    key = "plan-secret-4711"
    frame = rows_frame(spark, [("u/ann", "ping @bob or ann@example.com")], "who string, t string")
    hashed = frame.select(
        pseudonym(F.col("who"), key).alias("who_hash"), scrub_identities(F.col("t"), key).alias("t")
    )
    plans = io.StringIO()
    with contextlib.redirect_stdout(plans):
        hashed.explain(extended=True)
        hashed.explain(mode="formatted")
    hashed.createOrReplaceTempView("hashed_identities")
    try:
        plans.write(
            "\n".join(r[0] for r in spark.sql("EXPLAIN EXTENDED SELECT * FROM hashed_identities").collect())
        )
    finally:
        spark.catalog.dropTempView("hashed_identities")
    text = plans.getvalue().lower()
    assert "== physical plan ==" in text
    assert "keyed_hash" in text  # the plan does show the hash, by the batch function's name
    for trace in _key_traces(key):
        assert trace not in text, trace
    # And the values are still the keyed HMAC.
    row = hashed.first()
    assert row.who_hash == hmac_hex(key, "ann")
    bob, ann = hmac_hex(key, "bob")[:12], hmac_hex(key, "ann@example.com")[:12]
    assert row.t == f"ping @user-{bob} or <email:{ann}>"
