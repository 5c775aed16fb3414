"""Near-duplicates: the same story with trivial differences (spacing, punctuation, a word or two).

Exact copies (the same bytes) are already one article with several paths; this module flags
articles whose *bodies* differ only trivially. It never compares every pair: bodies are reduced to
one-permutation MinHash signatures over word trigrams, and only articles that collide in a locality-sensitive
hashing band (they share a run of signature values, likely only when their trigram sets overlap by
roughly 70% or more) are compared character by character with rapidfuzz.

Definitions, used by the tests and the column descriptions:

- A body's *normal form* is its words (``\\w+`` runs), casefolded, joined by single spaces: spacing,
  line breaks and punctuation do not count.
- The *similarity* of two bodies is rapidfuzz's normalised Indel similarity (``fuzz.ratio`` / 100)
  of their normal forms, from 0 to 1, rounded to four decimals.
- Two articles are near-duplicates when their similarity is at least :data:`THRESHOLD`.
- The article with the lower id is the original; each other article points to its most similar
  lower-id near-duplicate (the lowest such id on ties), so flags never form a cycle.

Everything is deterministic: hashes are CRC-32 and fixed multipliers, never Python's ``hash``.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby, islice

import numpy as np
from rapidfuzz import fuzz
from sqlalchemy import Connection, bindparam, delete, select, update

from pipeline.ids import chunked
from pipeline.schema.models import Article, WorkNearDuplicateBand
from pipeline.store.state import finished_with, record_finished_with
from pipeline.store.upsert import insert_rows
from pipeline.versions import fingerprint

THRESHOLD = 0.9
"""Similarity of the normal forms at or above which two bodies are near-duplicates."""

SHINGLE_WORDS = 3
BODIES_PER_FETCH = 500
PAIRS_PER_CHUNK = 20_000
NORMAL_FORMS_CACHED = 20_000
RECENT_PAIRS = 200_000
WORD_HASHES_CACHED = 200_000
MAX_BUCKET_PEERS = 32
"""Lower-id members of a bucket each member is compared with: all of them in a bucket this small."""
BANDS_STAGE = "near_duplicates"
_BIN_BITS = 7
PERMUTATIONS = 1 << _BIN_BITS
BANDS = 16
ROWS_PER_BAND = PERMUTATIONS // BANDS
"""16 bands of 8 rows: trigram-Jaccard 0.9 collides with probability ~1, 0.3 with ~0.001."""

_LOW_BITS = (1 << (64 - _BIN_BITS)) - 1

_WORD = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1
_PRIME64 = 0x9E3779B97F4A7C15


def _fixed_multipliers(count: int, seed: int) -> np.ndarray:
    """Odd 64-bit multipliers from a SplitMix64 sequence: the same on every machine and run."""
    values = []
    state = seed
    for _ in range(count):
        state = (state + _PRIME64) & _MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        values.append((z ^ (z >> 31)) | 1)
    return np.array(values, dtype=np.uint64)


_MIX = _fixed_multipliers(1, seed=1)[0]
_SHINGLE_MULTIPLIERS = _fixed_multipliers(SHINGLE_WORDS, seed=3)


def normal_form(text: str) -> str:
    """The words of ``text``, casefolded and joined by single spaces.

    Args:
        text: Any text.

    Returns:
        E.g. ``"the house voted 186 to 97"`` for ``"The House  voted 186 to 97!"``.
    """
    return " ".join(_WORD.findall(text.casefold()))


def similarity(first: str, second: str) -> float:
    """How similar two texts are after normalisation, from 0 (nothing alike) to 1 (the same).

    Args:
        first: A text (an article body).
        second: Another text.

    Returns:
        The normalised Indel similarity of the two normal forms, rounded to four decimals.
    """
    return round(fuzz.ratio(normal_form(first), normal_form(second)) / 100, 4)


class _WordHashes(dict[str, int]):
    """CRC-32 of each word, computed once per word: news vocabulary repeats a lot."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


def _shingle_hashes(words: list[str], word_hashes: _WordHashes) -> np.ndarray:
    """64-bit hashes of the word trigrams (of the whole text when it has fewer words)."""
    token_hashes = np.fromiter(map(word_hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    shingles = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position in range(width):
            shingles = (
                shingles * np.uint64(_PRIME64)
                + token_hashes[position : position + count] * (_SHINGLE_MULTIPLIERS[position])
            )
    return shingles  # repeats do not change a minimum: no need to deduplicate


def signature(normalised: str, word_hashes: _WordHashes | None = None) -> np.ndarray | None:
    """The one-permutation MinHash signature of a normal form; None when it has no words.

    Each shingle is hashed once; the top bits choose one of ``PERMUTATIONS`` bins and the
    signature keeps each bin's smallest remaining bits (one-permutation hashing, linear in the
    text). An empty bin borrows the value of the next non-empty bin, marked with the distance,
    so that two texts with the same shingles always get the same signature.

    Args:
        normalised: A text in normal form (see :func:`normal_form`).
        word_hashes: A cache of word hashes to share between the texts of one corpus.

    Returns:
        ``PERMUTATIONS`` unsigned 64-bit values, or None for a text without words.
    """
    words = normalised.split()
    if not words:
        return None
    shingles = _shingle_hashes(words, _WordHashes() if word_hashes is None else word_hashes)
    with np.errstate(over="ignore"):
        mixed = shingles * _MIX
    mixed ^= mixed >> np.uint64(29)
    bins = (mixed >> np.uint64(64 - _BIN_BITS)).astype(np.intp)
    empty = np.iinfo(np.uint64).max
    result = np.full(PERMUTATIONS, empty, dtype=np.uint64)
    np.minimum.at(result, bins, mixed & np.uint64(_LOW_BITS))
    filled = np.flatnonzero(result != empty)
    if len(filled) < PERMUTATIONS:
        # Densify: each empty bin takes the next filled bin's value (circularly) tagged by distance.
        positions = np.arange(PERMUTATIONS)
        index = np.searchsorted(filled, positions) % len(filled)
        distance = (filled[index] - positions) % PERMUTATIONS
        with np.errstate(over="ignore"):
            borrowed = result[filled[index]] + (distance.astype(np.uint64) << np.uint64(64 - _BIN_BITS))
        result = np.where(result == empty, borrowed, result)
    return result


def band_buckets(values: np.ndarray) -> list[int]:
    """The signature's bucket in each band: a signed 64-bit hash of the band's rows (storable)."""
    buckets = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            values[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes(), digest_size=8
        )
        buckets.append(int.from_bytes(digest.digest(), "big", signed=True))
    return buckets


def bucket_pairs(members: Sequence[str]) -> Iterator[tuple[str, str]]:
    """``(lower id, higher id)`` pairs of one bucket's members, at most MAX_BUCKET_PEERS per member.

    A bucket of real near-duplicates (a story and its versions) is small and gives all its pairs; a
    bucket of thousands (pages from one template) would give millions, so each member is paired
    only with the MAX_BUCKET_PEERS members just below it in id order.
    """
    ordered = sorted(members)
    for index, copy in enumerate(ordered):
        for original in ordered[max(0, index - MAX_BUCKET_PEERS) : index]:
            yield original, copy


def candidate_pairs(signatures: Mapping[str, np.ndarray]) -> set[tuple[str, str]]:
    """Pairs of ids whose signatures agree on every row of at least one band (see `bucket_pairs`).

    Args:
        signatures: MinHash signatures by article id.

    Returns:
        ``(lower id, higher id)`` pairs worth comparing; never all pairs unless all collide.
    """
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    for article_id, values in signatures.items():
        for band, bucket in enumerate(band_buckets(values)):
            buckets[band, bucket].append(article_id)
    pairs: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(bucket_pairs(members))
    return pairs


@dataclass(frozen=True)
class NearDuplicate:
    """An article's flag: the original it nearly duplicates, and how similar the bodies are."""

    original: str
    similarity: float


class _Scorer:
    """Scores candidate pairs a chunk at a time and keeps each copy's best original.

    The best original does not depend on the order pairs come in (highest similarity, then lowest
    id), so pairs can stream from the bands in any order and a pair seen twice changes nothing.
    Normal forms are fetched for a chunk's ids and kept in a bounded cache.
    """

    def __init__(self, fetch: Callable[[Collection[str]], Mapping[str, str]], threshold: float) -> None:
        self.fetch = fetch
        self.threshold = threshold
        self.best: dict[str, NearDuplicate] = {}
        self.cache: dict[str, str] = {}
        self.recent: set[tuple[str, str]] = set()
        self.scored = 0

    def score(self, pairs: Iterable[tuple[str, str]]) -> None:
        # Pairs recur in the bands that follow; recently scored ones are not scored again.
        chunk = sorted(set(pairs) - self.recent)
        if len(self.recent) + len(chunk) > RECENT_PAIRS:
            self.recent.clear()
        self.recent.update(chunk)
        wanted = sorted({key for pair in chunk for key in pair} - self.cache.keys())
        if len(self.cache) + len(wanted) > NORMAL_FORMS_CACHED:
            self.cache.clear()
            wanted = sorted({key for pair in chunk for key in pair})
        self.cache.update((key, normal_form(body)) for key, body in self.fetch(wanted).items())
        cutoff = self.threshold * 100
        for original, copy in chunk:
            first, second = self.cache[original], self.cache[copy]
            self.scored += 1
            if 2 * min(len(first), len(second)) < self.threshold * (len(first) + len(second)):
                continue  # the Indel similarity cannot reach the threshold: skip the expensive part
            score = round(fuzz.ratio(first, second, score_cutoff=cutoff) / 100, 4)
            if score < self.threshold:
                continue
            current = self.best.get(copy)
            if current is None or (-score, original) < (-current.similarity, current.original):
                self.best[copy] = NearDuplicate(original, score)


def find_near_duplicates(
    bodies: Iterable[tuple[str, str]],
    threshold: float = THRESHOLD,
    fetch_bodies: Callable[[Collection[str]], Mapping[str, str]] | None = None,
) -> dict[str, NearDuplicate]:
    """Flag every article whose body nearly duplicates the body of an article with a lower id.

    Args:
        bodies: ``(article id, body)`` pairs; ids must be distinct.
        threshold: Least similarity (0-1) that counts as a near-duplicate.
        fetch_bodies: Gives the bodies of the ids it is asked for. With it only the signatures
            (1 KiB an article) are kept while `bodies` streams by, and the few bodies that
            collide are fetched again; without it every body is kept until the end.

    Returns:
        ``{article id: NearDuplicate}`` for the flagged articles only; the original (the lower
        id) of a pair is never flagged by that pair.
    """
    signatures = {}
    kept: dict[str, str] = {}
    word_hashes = _WordHashes()
    for article_id, body in bodies:
        values = signature(normal_form(body), word_hashes)
        if values is not None:
            signatures[article_id] = values
        if fetch_bodies is None:
            kept[article_id] = body
    scorer = _Scorer(fetch_bodies or (lambda ids: {key: kept[key] for key in ids}), threshold)
    pairs = sorted(candidate_pairs(signatures))
    for start in range(0, len(pairs), PAIRS_PER_CHUNK):
        scorer.score(pairs[start : start + PAIRS_PER_CHUNK])
    return scorer.best


def near_duplicates_version() -> str:
    """Changes when the signature, banding or comparison code changes (stored bands are redone)."""
    return fingerprint(("pipeline.corpus.near_duplicates",), packages=("numpy",))


def store_bands(connection: Connection) -> int:
    """Compute and store the bands of every article that has none yet; returns how many articles.

    Rebuilding an article (clean deletes and inserts it) deletes its bands by cascade, so only new
    and changed articles are signed again; all of them when this code changed.
    """
    if finished_with(connection, BANDS_STAGE) != near_duplicates_version():
        connection.execute(delete(WorkNearDuplicateBand))
        record_finished_with(connection, BANDS_STAGE, near_duplicates_version())
    banded = select(WorkNearDuplicateBand.article_id).where(WorkNearDuplicateBand.article_id == Article.id)
    unsigned = (
        connection.execute(select(Article.id).where(~banded.exists()).order_by(Article.id)).scalars().all()
    )
    word_hashes = _WordHashes()
    for batch in chunked(unsigned, BODIES_PER_FETCH):
        rows = []
        for article_id, body in _bodies_of(connection, batch).items():
            values = signature(normal_form(body), word_hashes)
            if values is not None:
                rows += [
                    {"band": band, "bucket": bucket, "article_id": article_id}
                    for band, bucket in enumerate(band_buckets(values))
                ]
        insert_rows(connection, WorkNearDuplicateBand, rows)
        if len(word_hashes) > WORD_HASHES_CACHED:
            word_hashes.clear()
    return len(unsigned)


def stored_candidate_pairs(connection: Connection) -> Iterator[tuple[str, str]]:
    """Candidate pairs from the stored bands, streamed bucket by bucket (see `bucket_pairs`).

    A bucket whose members are exactly those of a bucket already seen (the same articles collide in
    several bands) gives nothing new and is skipped.
    """
    rows = connection.execute(
        select(
            WorkNearDuplicateBand.band, WorkNearDuplicateBand.bucket, WorkNearDuplicateBand.article_id
        ).order_by(WorkNearDuplicateBand.band, WorkNearDuplicateBand.bucket),
        execution_options={"yield_per": BODIES_PER_FETCH * BANDS},
    )
    seen: set[bytes] = set()
    for _bucket, group in groupby(rows, key=lambda row: (row[0], row[1])):
        members = sorted(row[2] for row in group)
        if len(members) < 2:
            continue
        key = hashlib.blake2b("\x1f".join(members).encode(), digest_size=16).digest()
        if key not in seen:
            seen.add(key)
            yield from bucket_pairs(members)


def flag_near_duplicates(connection: Connection, threshold: float = THRESHOLD) -> int:
    """Set ``articles.near_duplicate_of`` and ``near_duplicate_similarity`` for the whole corpus.

    Signatures are computed only for articles without stored bands; candidates stream from the
    bands' index and are scored a chunk at a time, so memory does not grow with the pairs. Only rows
    whose flag changes are written, so an unchanged corpus writes nothing.

    Args:
        connection: The working database, inside the clean stage's transaction.
        threshold: Least similarity (0-1) that counts as a near-duplicate.

    Returns:
        How many articles are flagged as near-duplicates.
    """
    store_bands(connection)
    scorer = _Scorer(partial(_bodies_of, connection), threshold)
    pairs = stored_candidate_pairs(connection)
    while chunk := list(islice(pairs, PAIRS_PER_CHUNK)):
        scorer.score(chunk)
    flags = scorer.best
    rows = connection.execute(
        select(Article.id, Article.near_duplicate_of, Article.near_duplicate_similarity)
    ).all()
    changes = []
    for row in rows:
        flag = flags.get(row.id)
        wanted = (flag.original, flag.similarity) if flag else (None, None)
        if (row.near_duplicate_of, row.near_duplicate_similarity) != wanted:
            changes.append({"key": row.id, "original": wanted[0], "score": wanted[1]})
    if changes:
        connection.execute(
            update(Article)
            .where(Article.id == bindparam("key"))
            .values(near_duplicate_of=bindparam("original"), near_duplicate_similarity=bindparam("score")),
            changes,
        )
    return len(flags)


def _bodies_of(connection: Connection, article_ids: Collection[str]) -> dict[str, str]:
    bodies: dict[str, str] = {}
    for batch in chunked(list(article_ids), BODIES_PER_FETCH):
        rows = connection.execute(select(Article.id, Article.body).where(Article.id.in_(batch)))
        bodies.update((article_id, body) for article_id, body in rows)
    return bodies
