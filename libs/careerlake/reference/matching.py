"""Taxonomy matching as Spark expressions: no Python UDF, no explode, no join.

Text is tokenized with the same rules as the aliases (taxonomy.tokenize), and n-grams up to
the longest alias are built where an alias of two or more tokens could begin. Ids are found by
looking each n-gram up in bucketed alias->id maps, so a row costs its own n-grams, whatever the
size of the taxonomy. Matching is therefore word-boundary aware by construction: "Go" is not found in
"go-live" (one token), R is not found in "R&D", Excel is not found in "excellent".
Case-sensitive aliases (Rust, Excel) match only their exact case; all others match
case-insensitively.

Short names that are also ordinary text (the taxonomy's `context` aliases: C, R, Go) count only
in context: next to another alias ("C/C++", "Go or Rust", "R, Python"), after "in", "with",
"using" or a developer's title ("written in Go", "Backend Engineer (Go)"), before a language
word ("C programming", "Go developer"), or alone as the whole text (a list item or skills field
"Go"). So "plan C", "Series C", "Go to market" and "a C-level" name no language.

Each function takes and returns a DataFrame: tokens and n-grams are computed once as
intermediate columns and referenced from there, instead of being copied into every
expression that needs them (Spark does not share sub-expressions inside lambdas).

The expressions over those columns are written as SQL text (`F.expr`), one call into Spark per
column. Built from `functions`, each matcher took about 3,000 round trips to the JVM, 0.2 s
before any row was read, 21 matchers per sample run (docs/benchmarks.md). Tokens stay a Column:
their regular expressions need no SQL quoting that way.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Callable

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from careerlake.reference.taxonomy import EDGE_PATTERN, SEPARATOR_PATTERN, Taxonomy
from careerlake.runtime.local_rows import rows_frame
from careerlake.runtime.sql_text import sql_string


def tokens(text: Column) -> Column:
    """array<string> of tokens; the Spark twin of taxonomy.tokenize."""
    raw = F.split(F.regexp_replace(F.coalesce(text, F.lit("")), SEPARATOR_PATTERN, " "), " ")
    trimmed = F.transform(raw, lambda t: F.regexp_replace(t, EDGE_PATTERN, ""))
    return F.filter(trimmed, lambda t: t != "")


def start_tokens(taxonomy: Taxonomy) -> list[str]:
    """The lower-case first tokens of the taxonomy's aliases of two or more tokens."""
    return sorted(
        {alias.split(" ")[0].lower() for alias in (*taxonomy.folded, *taxonomy.exact) if " " in alias}
    )


def start_positions(token_array: str, starts: list[str]) -> str:
    """SQL: the 1-based positions in `token_array` whose token, lower-cased, is one of `starts`.

    Only there can an n-gram of two or more tokens be an alias. About three in ten tokens of
    the benchmark's generated descriptions are such a start ("data", "a", "ml"), so most
    n-grams are never built or looked up: skill matching of 50,000 postings took 3.1 s, against
    6.6 s before this, the CRC-32 buckets and the tools' hash set (docs/benchmarks.md).
    """
    words = ", ".join(sql_string(s) for s in starts)
    found = f"CASE WHEN lower(__token) IN ({words}) THEN __at + 1 END"
    return f"filter(transform({token_array}, (__token, __at) -> {found}), __at -> __at IS NOT NULL)"


def ngrams(token_array: str, positions: str, max_n: int) -> str:
    """SQL: the tokens of `token_array` (a quoted name), then its 2..max_n-grams that begin at
    the positions in the column `positions`, space-joined, shortest first."""
    grams = [token_array]
    for n in range(2, max_n + 1):
        begins = f"filter({positions}, __at -> __at + {n - 1} <= size({token_array}))"
        grams.append(f"transform({begins}, __at -> concat_ws(' ', slice({token_array}, __at, {n})))")
    return f"flatten(array({', '.join(grams)}))"


# Spark looks a key up in a map by scanning its entries. The alias->id maps are split into
# buckets by a hash of the alias that Python and Spark compute alike, so a lookup scans about
# 1/LOOKUP_BUCKETS of the aliases: at a million postings this is most of the matching time.
LOOKUP_BUCKETS = 512


def alias_bucket(alias: str) -> int:
    """The bucket of an alias: CRC-32 of its UTF-8 bytes; `_bucket` is its Spark twin."""
    return zlib.crc32(alias.encode("utf-8")) % LOOKUP_BUCKETS


def _bucket(alias: str) -> str:
    # Every n-gram of every text is bucketed. CRC-32 reads its bytes once; the first and last
    # characters and the length it replaced counted its characters twice: skill matching of
    # 50,000 postings took 7.3 s with those, 5.8 s with CRC-32 (docs/benchmarks.md).
    return f"cast(crc32(cast({alias} AS binary)) % {LOOKUP_BUCKETS} AS int) + 1"


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
    return F.broadcast(rows_frame(df.sparkSession, [tuple(row)], ", ".join(schema)))


def _id(buckets: str, term: str) -> str:
    """The id of `term` if it is an alias, else null."""
    return f"try_element_at(element_at({buckets}, {_bucket(term)}), {term})"


def _hits(haystack: str, buckets: str) -> str:
    """The distinct n-grams that are aliases, each with its id, hits and tokens; looked up one by
    one, as in `_ids`: array_intersect hashed every alias of the taxonomy for every row."""
    found = f"filter(array_distinct({haystack}), __gram -> {_id(buckets, '__gram')} IS NOT NULL)"
    return (
        f"transform({found}, __alias -> named_struct("
        f"'id', {_id(buckets, '__alias')}, "
        "'alias', __alias, "
        f"'hits', size(filter({haystack}, __gram -> __gram = __alias)), "
        "'tokens', size(split(__alias, ' '))))"
    )


def _ids(haystack: str, buckets: str) -> str:
    """Ids of the n-grams that are aliases, looked up one by one: a row has far fewer n-grams
    than there are aliases, and array_intersect would hash every alias for every row."""
    return f"filter(transform({haystack}, __gram -> {_id(buckets, '__gram')}), __id -> __id IS NOT NULL)"


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(sql_string(w) for w in words)


def _in_context(tokens: str, padded: str, folded: str, exact: str, context: str) -> str:
    """The context aliases among `tokens` that stand next to another alias or a cue word, one
    element per occurrence (`padded`: the tokens with two empty ones on each side)."""

    def at(offset: int) -> str:
        # __at is the 0-based index in the tokens; +3 makes it the 1-based index in padded.
        return f"element_at({padded}, __at + {3 + offset})"

    def is_alias(offset: int) -> str:
        token = at(offset)
        return (
            f"({_id(folded, f'lower({token})')} IS NOT NULL"
            f" OR {_id(exact, token)} IS NOT NULL"
            f" OR array_contains({context}, {token}))"
        )

    def neighbour_is_alias(offset: int, step: int) -> str:
        """The token at offset is an alias, or a connector followed (in `step` direction) by one."""
        return (
            f"CASE WHEN lower({at(offset)}) IN ({_words(CONNECTORS)}) "
            f"THEN {is_alias(offset + step)} ELSE {is_alias(offset)} END"
        )

    named = " OR ".join(
        [
            f"size({tokens}) = 1",  # the whole text: a list item or a skills field
            f"lower({at(-1)}) IN ({_words(CUES_BEFORE)})",
            f"lower({at(1)}) IN ({_words(CUES_AFTER)})",
            f"({neighbour_is_alias(-1, -1)})",
            f"({neighbour_is_alias(1, 1)})",
        ]
    )
    found = f"CASE WHEN array_contains({context}, __token) AND ({named}) THEN __token END"
    return f"filter(transform({tokens}, (__token, __at) -> {found}), __token -> __token IS NOT NULL)"


def _quoted(name: str) -> str:
    return f"`{name}`"


def _with_matches(
    df: DataFrame,
    text_col: str,
    taxonomy: Taxonomy,
    out_col: str,
    matches: Callable[[str, str], str],
) -> DataFrame:
    """Add `out_col`: `matches(haystack, buckets)` over the folded, then the exact aliases."""
    tag = uuid.uuid4().hex[:8]
    tok, grams, folded = f"_tok_{tag}", f"_grams_{tag}", f"_folded_{tag}"
    starts, padded, named = f"_starts_{tag}", f"_padded_{tag}", f"_named_{tag}"
    lookups = _lookup_frame(df, taxonomy, tag)
    folded_map, exact_map = _quoted(f"_folded_map_{tag}"), _quoted(f"_exact_map_{tag}")
    context_keys, context_map = _quoted(f"_context_keys_{tag}"), _quoted(f"_context_map_{tag}")
    staged = df.withColumn(tok, tokens(F.col(text_col)))
    if first_tokens := start_tokens(taxonomy):
        staged = staged.withColumn(starts, F.expr(start_positions(_quoted(tok), first_tokens)))
        staged = staged.withColumn(grams, F.expr(ngrams(_quoted(tok), _quoted(starts), taxonomy.max_tokens)))
    else:
        staged = staged.withColumn(grams, F.col(tok))
    staged = staged.withColumn(
        folded, F.expr(f"transform({_quoted(grams)}, __gram -> lower(__gram))")
    ).crossJoin(lookups)
    found = [
        matches(_quoted(folded), folded_map),
        matches(_quoted(grams), exact_map),
    ]
    if taxonomy.context:
        # Two empty tokens on each side, so a neighbour two tokens away is always an element.
        staged = staged.withColumn(padded, F.expr(f"concat(array('', ''), {_quoted(tok)}, array('', ''))"))
        staged = staged.withColumn(
            named, F.expr(_in_context(_quoted(tok), _quoted(padded), folded_map, exact_map, context_keys))
        )
        found.append(matches(_quoted(named), context_map))
    return staged.withColumn(out_col, F.expr(f"concat({', '.join(found)})")).drop(
        tok, starts, grams, folded, padded, named, *lookups.columns
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
    ids = f"array_distinct(transform({_quoted(hits)}, __hit -> __hit.id))"
    mentions = f"aggregate(filter({_quoted(hits)}, __hit -> __hit.id = __id), 0, (__sum, __hit) -> __sum + __hit.hits)"
    return (
        with_term_hits(df, text_col, taxonomy, hits)
        .withColumn(out_col, F.expr(f"map_from_arrays({ids}, transform({ids}, __id -> {mentions}))"))
        .drop(hits)
    )


def with_best_match(df: DataFrame, text_col: str, taxonomy: Taxonomy, out_col: str) -> DataFrame:
    """Add `out_col`: id of the longest alias found (most tokens, then characters); null if none."""
    hits = f"_hits_{uuid.uuid4().hex[:8]}"
    ranked = (
        f"array_sort(transform({_quoted(hits)}, __hit -> "
        "named_struct('t', -__hit.tokens, 'c', -length(__hit.alias), 'id', __hit.id)))"
    )
    return (
        with_term_hits(df, text_col, taxonomy, hits)
        .withColumn(out_col, F.expr(f"try_element_at({ranked}, 1).id"))
        .drop(hits)
    )
