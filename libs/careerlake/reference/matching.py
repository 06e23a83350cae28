"""Taxonomy matching as Spark expressions: no Python UDF, no explode, no join.

Text is tokenized with the same rules as the aliases (taxonomy.tokenize) and n-grams up to
the longest alias are built from shifted copies of the token array. Ids are found by looking
each n-gram up in bucketed alias->id maps, so a row costs its own n-grams, whatever the size of
the taxonomy. Matching
is therefore word-boundary aware by construction: "Go" is not found in "go-live" (one
token), R is not found in "R&D", Excel is not found in "excellent". Case-sensitive aliases
(Rust, Excel) match only their exact case; all others match case-insensitively.

Short names that are also ordinary text (the taxonomy's `context` aliases: C, R, Go) count only
in context: next to another alias ("C/C++", "Go or Rust", "R, Python"), after "in", "with",
"using" or a developer's title ("written in Go", "Backend Engineer (Go)"), before a language
word ("C programming", "Go developer"), or alone as the whole text (a list item or skills field
"Go"). So "plan C", "Series C", "Go to market" and "a C-level" name no language.

Each function takes and returns a DataFrame: tokens and n-grams are computed once as
intermediate columns and referenced from there, instead of being copied into every
expression that needs them (Spark does not share sub-expressions inside lambdas).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.taxonomy import EDGE_PATTERN, SEPARATOR_PATTERN, Taxonomy


def tokens(text: Column) -> Column:
    """array<string> of tokens; the Spark twin of taxonomy.tokenize."""
    raw = F.split(F.regexp_replace(F.coalesce(text, F.lit("")), SEPARATOR_PATTERN, " "), " ")
    trimmed = F.transform(raw, lambda t: F.regexp_replace(t, EDGE_PATTERN, ""))
    return F.filter(trimmed, lambda t: t != "")


def ngrams(token_array: Column, max_n: int) -> Column:
    """Every 1..max_n-gram of a token-array column, space-joined. Pass a column reference."""
    length = F.greatest(F.size(token_array), F.lit(1))
    grams = [token_array]
    for n in range(2, max_n + 1):
        shifted = F.arrays_zip(*(F.slice(token_array, k, length) for k in range(1, n + 1)))
        grams.append(_join_complete(shifted, n))
    return F.flatten(F.array(*grams))


def _join_complete(zipped: Column, n: int) -> Column:
    """n-grams from zipped shifted copies; the tail rows padded with nulls are not n-grams."""
    fields = [str(k) for k in range(n)]
    complete = F.filter(zipped, lambda z: z[fields[-1]].isNotNull())
    return F.transform(complete, lambda z: F.concat_ws(" ", *(z[f] for f in fields)))


# Spark looks a key up in a map by scanning its entries. The alias->id maps are split into
# buckets by a hash of the alias that Python and Spark compute alike, so a lookup scans about
# 1/LOOKUP_BUCKETS of the aliases: at a million postings this is most of the matching time.
LOOKUP_BUCKETS = 512


def alias_bucket(alias: str) -> int:
    """The bucket of an alias; `_bucket` is its Spark twin."""
    return (ord(alias[0]) * 961 + ord(alias[-1]) * 31 + len(alias)) % LOOKUP_BUCKETS


def _bucket(alias: Column) -> Column:
    code = F.ascii(alias) * 961 + F.ascii(F.substring(alias, -1, 1)) * 31 + F.length(alias)
    return F.pmod(code, F.lit(LOOKUP_BUCKETS)) + 1


# Words around a context alias that make it a name ("Go and Rust", "in R", "C programming").
CONNECTORS = ("and", "or", "&", "+")
CUES_BEFORE = ("in", "with", "using", "engineer", "developer", "programmer")
CUES_AFTER = (
    "language",
    "languages",
    "programming",
    "developer",
    "developers",
    "engineer",
    "engineers",
    "code",
)


def _lookup_frame(df: DataFrame, taxonomy: Taxonomy, tag: str) -> DataFrame:
    """One broadcast row holding the bucketed alias->id maps (and the context aliases) as columns.

    Referenced as columns rather than inlined as literals: a plan with thousands of literal
    array elements takes the optimizer tens of seconds per query.
    """
    row, schema = [], []
    for kind, mapping in (
        ("folded", taxonomy.folded),
        ("exact", taxonomy.exact),
        ("context", taxonomy.context),
    ):
        buckets: list[dict[str, str]] = [{} for _ in range(LOOKUP_BUCKETS)]
        for alias in sorted(mapping):
            buckets[alias_bucket(alias)][alias] = mapping[alias]
        row.append(buckets)
        schema.append(f"_{kind}_map_{tag} array<map<string,string>>")
    # The context aliases as a list too: `_in_context` asks whether a token is one.
    row.append(sorted(taxonomy.context))
    schema.append(f"_context_keys_{tag} array<string>")
    return F.broadcast(df.sparkSession.createDataFrame([tuple(row)], ", ".join(schema)))


def _id(buckets: Column, term: Column) -> Column:
    """The id of `term` if it is an alias, else null."""
    return F.try_element_at(F.element_at(buckets, _bucket(term)), term)


def _hits(haystack: Column, buckets: Column) -> Column:
    """The distinct n-grams that are aliases, each with its id, hits and tokens; looked up one by
    one, as in `_ids`: array_intersect hashed every alias of the taxonomy for every row."""
    found = F.filter(F.array_distinct(haystack), lambda gram: _id(buckets, gram).isNotNull())
    return F.transform(
        found,
        lambda alias: F.struct(
            _id(buckets, alias).alias("id"),
            alias.alias("alias"),
            F.size(F.filter(haystack, lambda g: g == alias)).alias("hits"),
            F.size(F.split(alias, " ")).alias("tokens"),
        ),
    )


def _ids(haystack: Column, buckets: Column) -> Column:
    """Ids of the n-grams that are aliases, looked up one by one: a row has far fewer n-grams
    than there are aliases, and array_intersect would hash every alias for every row."""
    return F.filter(F.transform(haystack, lambda gram: _id(buckets, gram)), lambda found: found.isNotNull())


def _in_context(tokens: Column, padded: Column, folded: Column, exact: Column, context: Column) -> Column:
    """The context aliases among `tokens` that stand next to another alias or a cue word, one
    element per occurrence (`padded`: the tokens with two empty ones on each side)."""

    def at(k: Column) -> Column:
        return F.element_at(padded, k)

    def is_alias(k: Column) -> Column:
        token = at(k)
        return (
            _id(folded, F.lower(token)).isNotNull()
            | _id(exact, token).isNotNull()
            | F.array_contains(context, token)
        )

    def neighbour_is_alias(k: Column, step: int) -> Column:
        """The token at k is an alias, or a connector followed (in `step` direction) by one."""
        return F.when(F.lower(at(k)).isin(*CONNECTORS), is_alias(k + step)).otherwise(is_alias(k))

    def found(token: Column, i: Column) -> Column:
        k = i + 3  # 0-based index in the tokens -> 1-based index in padded
        named = (
            (F.size(tokens) == 1)  # the whole text: a list item or a skills field
            | F.lower(at(k - 1)).isin(*CUES_BEFORE)
            | F.lower(at(k + 1)).isin(*CUES_AFTER)
            | neighbour_is_alias(k - 1, -1)
            | neighbour_is_alias(k + 1, 1)
        )
        return F.when(F.array_contains(context, token) & named, token)

    return F.filter(F.transform(tokens, found), lambda t: t.isNotNull())


def _with_matches(
    df: DataFrame,
    text_col: str,
    taxonomy: Taxonomy,
    out_col: str,
    matches: Callable[[Column, Column], Column],
) -> DataFrame:
    """Add `out_col`: `matches(haystack, buckets)` over the folded, then the exact aliases."""
    tag = uuid.uuid4().hex[:8]
    tok, grams, folded = f"_tok_{tag}", f"_grams_{tag}", f"_folded_{tag}"
    padded, named = f"_padded_{tag}", f"_named_{tag}"
    lookups = _lookup_frame(df, taxonomy, tag)
    folded_map, exact_map = F.col(f"_folded_map_{tag}"), F.col(f"_exact_map_{tag}")
    context_keys, context_map = F.col(f"_context_keys_{tag}"), F.col(f"_context_map_{tag}")
    staged = (
        df.withColumn(tok, tokens(F.col(text_col)))
        .withColumn(grams, ngrams(F.col(tok), taxonomy.max_tokens))
        .withColumn(folded, F.transform(F.col(grams), F.lower))
        .crossJoin(lookups)
    )
    found = [
        matches(F.col(folded), folded_map),
        matches(F.col(grams), exact_map),
    ]
    if taxonomy.context:
        # Two empty tokens on each side, so a neighbour two tokens away is always an element.
        pad = F.array(F.lit(""), F.lit(""))
        staged = staged.withColumn(padded, F.concat(pad, F.col(tok), pad)).withColumn(
            named, _in_context(F.col(tok), F.col(padded), folded_map, exact_map, context_keys)
        )
        found.append(matches(F.col(named), context_map))
    return staged.withColumn(out_col, F.concat(*found)).drop(
        tok, grams, folded, padded, named, *lookups.columns
    )


def with_term_hits(df: DataFrame, text_col: str, taxonomy: Taxonomy, out_col: str) -> DataFrame:
    """Add `out_col`: array<struct<id, alias, hits, tokens>> of every alias found in `text_col`."""
    return _with_matches(df, text_col, taxonomy, out_col, _hits)


def with_matched_ids(df: DataFrame, text_col: str, taxonomy: Taxonomy, out_col: str) -> DataFrame:
    """Add `out_col`: sorted distinct ids found in `text_col` (e.g. the skills of a posting).

    Only ids: the hit counts of `with_term_hits` cost a pass over the n-grams per alias found.
    """
    ids = f"_ids_{uuid.uuid4().hex[:8]}"
    return (
        _with_matches(df, text_col, taxonomy, ids, _ids)
        .withColumn(out_col, F.array_sort(F.array_distinct(F.col(ids))))
        .drop(ids)
    )


def with_id_counts(df: DataFrame, text_col: str, taxonomy: Taxonomy, out_col: str) -> DataFrame:
    """Add `out_col`: map<id, int> of mentions per id, summing every alias of the id."""
    hits = f"_hits_{uuid.uuid4().hex[:8]}"
    entries = F.transform(F.col(hits), lambda h: F.struct(h["id"].alias("id"), h["hits"].alias("hits")))
    ids = F.array_distinct(F.transform(F.col(hits), lambda h: h["id"]))
    counts = F.transform(
        ids,
        lambda i: F.aggregate(
            F.filter(entries, lambda e: e["id"] == i), F.lit(0), lambda acc, e: acc + e["hits"]
        ),
    )
    return (
        with_term_hits(df, text_col, taxonomy, hits)
        .withColumn(out_col, F.map_from_arrays(ids, counts))
        .drop(hits)
    )


def with_best_match(df: DataFrame, text_col: str, taxonomy: Taxonomy, out_col: str) -> DataFrame:
    """Add `out_col`: id of the longest alias found (most tokens, then characters); null if none."""
    hits = f"_hits_{uuid.uuid4().hex[:8]}"
    ranked = F.array_sort(
        F.transform(
            F.col(hits),
            lambda h: F.struct(
                (-h["tokens"]).alias("t"), (-F.length(h["alias"])).alias("c"), h["id"].alias("id")
            ),
        )
    )
    return (
        with_term_hits(df, text_col, taxonomy, hits)
        .withColumn(out_col, F.try_element_at(ranked, F.lit(1))["id"])
        .drop(hits)
    )
