"""Pure transforms from silver postings and career transitions to the feature tables.

Every daily feature row at `as_of_date` D is computed only from postings whose posted date
is <= D; the `since` argument limits the output to as-of dates >= since (incremental runs).
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from careerlake.registry import features

# The windows are in the column names (postings_30d, postings_90d), so they are fixed, not config.
WINDOW_DAYS = 90
RECENT_DAYS = 30
TOP_SKILL_SHARES = 10
TOP_COOCCURRING = 5
SOURCE_TYPES = ("guide", "thread", "article")


def _conform(df: DataFrame, table_columns: list[str]) -> DataFrame:
    return df.select(*table_columns)


def posting_date(postings: DataFrame) -> DataFrame:
    """Postings with `event_at` (posted_at, else first ingestion) and its UTC `event_date`."""
    return postings.withColumn("event_at", F.coalesce("posted_at", "first_seen_at")).withColumn(
        "event_date", F.to_date("event_at")
    )


def skill_vocabulary(postings: DataFrame, top_n: int) -> DataFrame:
    """One row: `vocabulary` (the top-N skills by posting count, ties by id) and its `version` hash.

    The vocabulary is kept in skill-id order so a shift in counts that keeps the same top-N
    does not reorder every skill vector.
    """
    ranked = (
        postings.select(F.explode(F.array_distinct("skills")).alias("skill_id"))
        .groupBy("skill_id")
        .count()
        .withColumn("rank", F.row_number().over(Window.orderBy(F.desc("count"), "skill_id")))
        .filter(F.col("rank") <= top_n)
    )
    return (
        ranked.agg(F.array_sort(F.collect_list("skill_id")).alias("vocabulary"))
        .withColumn("vocabulary", F.coalesce("vocabulary", F.array().cast("array<string>")))
        .withColumn("version", F.substring(F.sha2(F.array_join("vocabulary", ","), 256), 1, 16))
    )


def title_token_hashes(title: Column, buckets: int) -> Column:
    """Distinct bucket ids of the lower-cased title tokens: pmod(xxhash64(token), buckets)."""
    tokens = F.filter(
        F.split(F.lower(F.coalesce(title, F.lit(""))), r"[^a-z0-9+#]+"), lambda t: F.length(t) > 0
    )
    hashed = F.transform(tokens, lambda t: F.pmod(F.xxhash64(t), F.lit(buckets)).cast("int"))
    return F.array_sort(F.array_distinct(hashed))


def posting_features(postings: DataFrame, vocabulary: DataFrame, title_hash_buckets: int) -> DataFrame:
    """silver.postings -> features.posting_features (one row per posting)."""
    skills = F.coalesce(F.col("skills"), F.array().cast("array<string>"))
    out = (
        posting_date(postings)
        .crossJoin(F.broadcast(vocabulary))
        .select(
            "posting_id",
            F.col("event_at").alias("posted_at"),
            "role_id",
            "seniority_ordinal",
            "country",
            "region",
            "work_model",
            "employment_type",
            F.transform("vocabulary", lambda s: F.array_contains(skills, s).cast("int")).alias(
                "skill_vector"
            ),
            F.col("version").alias("skill_vocabulary_version"),
            F.size(F.array_distinct(skills)).alias("skill_count"),
            F.length(F.coalesce("description_text", F.lit(""))).alias("description_length"),
            title_token_hashes(F.col("title"), title_hash_buckets).alias("title_token_hashes"),
            F.col("salary_min_annual_usd").alias("label_salary_min_usd"),
            F.col("salary_max_annual_usd").alias("label_salary_max_usd"),
            F.col("salary_mid_annual_usd").alias("label_salary_mid_usd"),
        )
    )
    return _conform(out, features.POSTING_FEATURES.column_names)


def date_spine(first_dates: DataFrame, key: str, end: Column, since: date | None) -> DataFrame:
    """(key, as_of_date) for every day from the key's first date (or `since`) to `end`, via
    `sequence`; none for a key whose start is after `end` (`sequence` refuses a reversed range)."""
    start = F.col("first_date") if since is None else F.greatest("first_date", F.lit(since))
    return first_dates.where(start <= end).select(
        key, F.explode(F.sequence(start, end, F.expr("INTERVAL 1 DAY"))).alias("as_of_date")
    )


def _window_rows(spine: DataFrame, events: DataFrame, key: str) -> DataFrame:
    """Spine rows joined to the key's events in the 90 days up to and including as_of_date."""
    return spine.alias("d").join(
        events.alias("e"),
        (F.col(f"d.{key}") == F.col(f"e.{key}"))
        & (F.col("e.event_date") <= F.col("d.as_of_date"))
        & (F.col("e.event_date") > F.date_sub(F.col("d.as_of_date"), WINDOW_DAYS)),
    )


def _age_days() -> Column:
    return F.datediff(F.col("d.as_of_date"), F.col("e.event_date"))


def _growth(recent: Column, before: Column) -> Column:
    return F.when(before > 0, (recent - before) / before)


def _lookback_start(since: date | None) -> Column | None:
    return None if since is None else F.date_sub(F.lit(since), WINDOW_DAYS)


def in_lookback(postings: DataFrame, since: date | None) -> DataFrame:
    """Dated postings that can count in a daily row at or after `since`: those of the 90 days
    before it and later (every posting when `since` is None). A key's spine may then start
    after `since` where it had no posting in those days: its rows there would have none to count."""
    dated = posting_date(postings)
    start = _lookback_start(since)
    return dated if start is None else dated.filter(F.col("event_date") > start)


def role_features(postings: DataFrame, vocabulary: DataFrame, since: date | None = None) -> DataFrame:
    """silver.postings -> features.role_features: one row per role and day."""
    all_dated = posting_date(postings).filter(F.col("role_id").isNotNull())
    end = all_dated.agg(F.max("event_date").alias("end"))
    firsts = all_dated.groupBy("role_id").agg(F.min("event_date").alias("first_date")).crossJoin(end)
    spine = date_spine(firsts, "role_id", F.col("end"), since)
    events = in_lookback(postings, since).filter(F.col("role_id").isNotNull())
    rows = _window_rows(spine, events, "role_id")
    age = _age_days()
    salary = F.col("e.salary_mid_annual_usd")
    quartiles = F.percentile(salary, F.array(F.lit(0.25), F.lit(0.5), F.lit(0.75)))
    stats = rows.groupBy(F.col("d.role_id").alias("role_id"), F.col("d.as_of_date").alias("as_of_date")).agg(
        F.sum((age < RECENT_DAYS).cast("long")).alias("postings_30d"),
        F.count(F.lit(1)).alias("postings_90d"),
        F.sum(((age >= RECENT_DAYS) & (age < 2 * RECENT_DAYS)).cast("long")).alias("postings_prev_30d"),
        quartiles.alias("q"),
        # Share among postings that state a work model: unknown is not "not remote".
        F.avg((F.col("e.work_model") == "remote").cast("double")).alias("remote_share"),
    )
    shares = _top_skill_shares(rows, vocabulary)
    out = (
        stats.join(shares, ["role_id", "as_of_date"], "left")
        .withColumn("demand_growth", _growth(F.col("postings_30d"), F.col("postings_prev_30d")))
        .withColumn("salary_p50_usd", F.col("q")[1])
        .withColumn("salary_iqr_usd", F.col("q")[2] - F.col("q")[0])
        .withColumn(
            "top_skill_shares",
            F.coalesce("top_skill_shares", F.create_map().cast("map<string,double>")),
        )
    )
    return _conform(out, features.ROLE_FEATURES.column_names)


def _top_skill_shares(rows: DataFrame, vocabulary: DataFrame) -> DataFrame:
    """Per role and day: map of the role's 10 most frequent top-N skills to their share of postings."""
    totals = rows.groupBy(F.col("d.role_id").alias("role_id"), F.col("d.as_of_date").alias("as_of_date")).agg(
        F.count(F.lit(1)).alias("n")
    )
    vocab = vocabulary.select(F.explode("vocabulary").alias("skill_id"))
    counts = (
        rows.select(
            F.col("d.role_id").alias("role_id"),
            F.col("d.as_of_date").alias("as_of_date"),
            F.explode(F.array_distinct("e.skills")).alias("skill_id"),
        )
        .join(F.broadcast(vocab), "skill_id")
        .groupBy("role_id", "as_of_date", "skill_id")
        .count()
        .join(totals, ["role_id", "as_of_date"])
        .withColumn("share", F.col("count") / F.col("n"))
    )
    ranked = counts.withColumn(
        "rank",
        F.row_number().over(Window.partitionBy("role_id", "as_of_date").orderBy(F.desc("share"), "skill_id")),
    ).filter(F.col("rank") <= TOP_SKILL_SHARES)
    return ranked.groupBy("role_id", "as_of_date").agg(
        F.map_from_entries(F.collect_list(F.struct("skill_id", "share"))).alias("top_skill_shares")
    )


def skill_features(postings: DataFrame, vocabulary: DataFrame, since: date | None = None) -> DataFrame:
    """silver.postings -> features.skill_features for the top-N skills, one row per skill and day.

    Limited to the vocabulary skills the models use: the co-occurrence count grows with the
    square of skills per posting, so the long tail would dominate the cost for no model input.
    """
    vocab = F.broadcast(vocabulary.select(F.explode("vocabulary").alias("skill_id")))
    dated = posting_date(postings)
    end = dated.agg(F.max("event_date").alias("end"))

    def by_skill(df: DataFrame) -> DataFrame:
        return df.select(
            "posting_id",
            "event_date",
            "salary_mid_annual_usd",
            "skills",
            F.explode(F.array_distinct("skills")).alias("skill_id"),
        ).join(vocab, "skill_id")

    firsts = by_skill(dated).groupBy("skill_id").agg(F.min("event_date").alias("first_date")).crossJoin(end)
    spine = date_spine(firsts, "skill_id", F.col("end"), since)
    events = in_lookback(postings, since)
    rows = _window_rows(spine, by_skill(events), "skill_id")
    age = _age_days()
    stats = rows.groupBy(
        F.col("d.skill_id").alias("skill_id"), F.col("d.as_of_date").alias("as_of_date")
    ).agg(
        F.count(F.lit(1)).alias("postings_90d"),
        F.sum((age < RECENT_DAYS).cast("long")).alias("recent"),
        F.sum(((age >= RECENT_DAYS) & (age < 2 * RECENT_DAYS)).cast("long")).alias("before"),
        F.percentile(F.col("e.salary_mid_annual_usd"), F.lit(0.5)).alias("median_with"),
    )
    # Premium against the median of every posting of the window: one median per day, not per skill.
    days = spine.select("as_of_date").distinct()
    overall = (
        days.alias("d")
        .join(
            events.alias("e"),
            (F.col("e.event_date") <= F.col("d.as_of_date"))
            & (F.col("e.event_date") > F.date_sub(F.col("d.as_of_date"), WINDOW_DAYS)),
        )
        .groupBy(F.col("d.as_of_date").alias("as_of_date"))
        .agg(F.percentile(F.col("e.salary_mid_annual_usd"), F.lit(0.5)).alias("median_all"))
    )
    out = (
        stats.join(overall, "as_of_date", "left")
        .join(_top_cooccurring(rows), ["skill_id", "as_of_date"], "left")
        .withColumn("demand_growth", _growth(F.col("recent"), F.col("before")))
        .withColumn("salary_premium_usd", F.col("median_with") - F.col("median_all"))
        .withColumn(
            "top_cooccurring_skills",
            F.coalesce("top_cooccurring_skills", F.array().cast("array<string>")),
        )
    )
    return _conform(out, features.SKILL_FEATURES.column_names)


def _top_cooccurring(rows: DataFrame) -> DataFrame:
    pairs = (
        rows.select(
            F.col("d.skill_id").alias("skill_id"),
            F.col("d.as_of_date").alias("as_of_date"),
            F.explode(F.array_distinct("e.skills")).alias("other"),
        )
        .filter(F.col("other") != F.col("skill_id"))
        .groupBy("skill_id", "as_of_date", "other")
        .count()
    )
    ranked = pairs.withColumn(
        "rank",
        F.row_number().over(Window.partitionBy("skill_id", "as_of_date").orderBy(F.desc("count"), "other")),
    ).filter(F.col("rank") <= TOP_COOCCURRING)
    ordered = F.array_sort(F.collect_list(F.struct("rank", "other")))
    return ranked.groupBy("skill_id", "as_of_date").agg(
        F.transform(ordered, lambda s: s["other"]).alias("top_cooccurring_skills")
    )


def transition_evidence(transitions: DataFrame) -> DataFrame:
    """(from_role_id, to_role_id) with evidence counts per source type; origin-less statements skipped."""
    counts = [
        F.sum((F.col("source_type") == source).cast("long")).alias(f"{source}_evidence")
        for source in SOURCE_TYPES
    ]
    return (
        transitions.filter(F.col("from_role_id").isNotNull() & (F.col("from_role_id") != F.col("to_role_id")))
        .groupBy("from_role_id", "to_role_id")
        .agg(*counts)
    )


def role_transition_features(transitions: DataFrame, postings: DataFrame, as_of: date) -> DataFrame:
    """silver.career_transitions + silver.postings -> features.role_transition_features at `as_of`.

    Transitions carry no publication date, so each run snapshots the evidence known on its
    run date; the posting-side figures use postings posted on or before that date.
    """
    known = posting_date(postings).filter(
        (F.col("event_date") <= F.lit(as_of)) & F.col("role_id").isNotNull()
    )
    profile = known.groupBy("role_id").agg(
        F.array_distinct(F.flatten(F.collect_list("skills"))).alias("skill_set"),
        F.percentile("salary_mid_annual_usd", F.lit(0.5)).alias("salary_p50"),
        F.percentile("seniority_ordinal", F.lit(0.5)).alias("seniority_p50"),
    )
    src, dst = profile.alias("src"), profile.alias("dst")
    union_size = F.size(F.array_union("src.skill_set", "dst.skill_set"))
    out = (
        transition_evidence(transitions)
        .alias("t")
        .join(src, F.col("t.from_role_id") == F.col("src.role_id"), "left")
        .join(dst, F.col("t.to_role_id") == F.col("dst.role_id"), "left")
        .select(
            "t.*",
            F.lit(as_of).alias("as_of_date"),
            F.when(
                union_size > 0,
                F.size(F.array_intersect("src.skill_set", "dst.skill_set")) / union_size,
            ).alias("skill_jaccard"),
            (F.col("dst.salary_p50") - F.col("src.salary_p50")).alias("salary_uplift_usd"),
            (F.col("dst.seniority_p50") - F.col("src.seniority_p50")).alias("seniority_step"),
        )
    )
    return _conform(out, features.ROLE_TRANSITION_FEATURES.column_names)
