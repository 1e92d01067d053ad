"""Copies: find articles that repeat another one, and say how.

- ``duplicate``: (nearly) the same text;
- ``syndicated``: the same wire text with other debris, headline or trimming
  (most of the shorter text's word 5-grams appear in the longer one);
- ``rewrite``: a reworded copy that follows the original sentence by sentence
  (most of the shorter article's sentences have a counterpart with the same
  content words, in the same order).

Quoted speech is left out of the sentence alignment: independent reports of
one event quote the same statements, so shared quotes prove nothing.
Candidates come from MinHash-LSH over content-word sets (datasketch), so the
search stays sub-quadratic. The copy is the later article when dates differ,
else the shorter one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from .disjoint import DisjointSets
from .model import Article, CopyOf
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import content_stems, shingles

_QUOTED = re.compile(r"[“\"«„‘][^“”\"«»„]{3,}?[”\"»“]")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class _Profile:
    article: Article
    stems: set[str]
    grams: np.ndarray  # sorted unique hashes of the word 5-grams
    sentences: list[set[str]]  # content stems of each sentence outside quotes


def _gram_hashes(words: list[str]) -> np.ndarray:
    hashes = {hash(gram) for gram in shingles(words, 5)}
    return np.array(sorted(hashes), dtype=np.int64)


def _profile(article: Article) -> _Profile:
    text = article.text
    words = _WORDS.findall(text.lower())
    sentences = []
    for span in sentence_spans(text, article.language):
        unquoted = _QUOTED.sub(" ", span.of(text))
        stems = set(content_stems(unquoted))
        if len(stems) >= 4:
            sentences.append(stems)
    # Quoted words count for candidate search: a copy repeats its quotes too.
    return _Profile(article, set(content_stems(text)), _gram_hashes(words), sentences)


@lru_cache(maxsize=8)
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows for the LSH threshold (datasketch integrates to find them: do it once)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _candidates(profiles: list[_Profile], settings: Settings) -> list[list[int]]:
    """For each article, the indexes of the few others most likely to be its copies."""
    n = len(profiles)
    if n <= settings.copy_all_pairs_below:
        return [[j for j in range(n) if j != i] for i in range(n)]
    lsh = MinHashLSH(num_perm=settings.copy_minhash_perm,
                     params=_lsh_params(settings.copy_candidate_jaccard, settings.copy_minhash_perm))
    hashes = []
    for i, p in enumerate(profiles):
        mh = MinHash(num_perm=settings.copy_minhash_perm, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sorted(p.stems)])
        hashes.append(mh)
        lsh.insert(i, mh)
    # Checking the closest few candidates is enough to find what an article copies.
    return [sorted((j for j in lsh.query(hashes[i]) if j != i),
                   key=lambda j: (-hashes[i].jaccard(hashes[j]), j))[:settings.copy_max_candidates]
            for i in range(n)]


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _longest_increasing_run(values: list[int]) -> list[int]:
    """One longest strictly increasing subsequence of ``values``."""
    if not values:
        return []
    length = [1] * len(values)
    previous = [-1] * len(values)
    for i, v in enumerate(values):
        for j in range(i):
            if values[j] < v and length[j] + 1 > length[i]:
                length[i], previous[i] = length[j] + 1, j
    i = max(range(len(values)), key=length.__getitem__)
    run = []
    while i >= 0:
        run.append(values[i])
        i = previous[i]
    return run[::-1]


@dataclass
class Alignment:
    coverage: float  # share of the shorter article's sentences aligned, in order
    aligned: int
    adjacency: float  # share of consecutive aligned sentences whose counterparts are also near-consecutive


def align(copy: _Profile, original: _Profile, settings: Settings = DEFAULT_SETTINGS) -> Alignment:
    """Align ``copy``'s sentences to ``original``'s: a rewrite follows the
    original sentence by sentence, so its counterparts come in order and
    mostly one after another; independent reports share facts in any order."""
    if not copy.sentences or not original.sentences:
        return Alignment(0.0, 0, 0.0)
    targets = []
    for sentence in copy.sentences:
        best, where = 0.0, -1
        for j, other in enumerate(original.sentences):
            score = _dice(sentence, other)
            if score > best:
                best, where = score, j
        if best >= settings.copy_sentence_dice:
            targets.append(where)
    run = _longest_increasing_run(targets)
    steps = [b - a for a, b in zip(run, run[1:])]
    adjacency = sum(1 for step in steps if step <= 2) / len(steps) if steps else 0.0
    return Alignment(len(run) / len(copy.sentences), len(run), adjacency)


def _order(profile: _Profile) -> tuple[str, int, str]:
    """Originals sort first: earlier date, then longer text, then id."""
    a = profile.article
    return (a.date or "9999-99-99", -len(a.text), a.id)


def compare(a: _Profile, b: _Profile, settings: Settings = DEFAULT_SETTINGS) -> tuple[str, float] | None:
    """Whether one of two articles copies the other: (kind, similarity) or None."""
    small, large = (a, b) if len(a.grams) <= len(b.grams) else (b, a)
    if len(small.grams):
        shared = len(np.intersect1d(small.grams, large.grams, assume_unique=True))
        contained = shared / len(small.grams)
        if contained >= settings.copy_duplicate_containment and len(small.grams) >= 0.9 * len(large.grams):
            return "duplicate", round(contained, 3)
        if contained >= settings.copy_syndicated_containment:
            return "syndicated", round(contained, 3)
    shorter, longer = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
    alignment = align(shorter, longer, settings)
    if (alignment.coverage >= settings.copy_rewrite_coverage and alignment.aligned >= settings.copy_min_aligned
            and alignment.adjacency >= settings.copy_rewrite_adjacency):
        return "rewrite", round(alignment.coverage, 3)
    return None


def detect_copies(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> dict[str, CopyOf]:
    """``copy_of`` for each article that repeats another; originals are absent."""
    profiles = [_profile(a) for a in articles]
    best: dict[str, CopyOf] = {}
    checked: dict[int, set[int]] = {}
    for i, candidates in enumerate(_candidates(profiles, settings)):
        p = profiles[i]
        for j in candidates:
            if j < i and i in checked.get(j, ()):
                continue
            checked.setdefault(i, set()).add(j)
            verdict = compare(p, profiles[j], settings)
            if verdict is None:
                continue
            kind, similarity = verdict
            copy, original = (p, profiles[j]) if _order(p) > _order(profiles[j]) else (profiles[j], p)
            current = best.get(copy.article.id)
            if current is None or similarity > current.similarity:
                best[copy.article.id] = CopyOf(article_id=original.article.id, kind=kind, similarity=similarity)
    return best


def independent_groups(articles: Sequence[Article]) -> list[list[str]]:
    """Articles grouped by independent source: copies join what they copy,
    and articles of one named outlet count once."""
    sets = DisjointSets(a.id for a in articles)
    by_outlet: dict[str, str] = {}
    for a in articles:
        if a.copy_of and a.copy_of.article_id in sets:
            sets.union(a.copy_of.article_id, a.id)
        if a.outlet:
            key = a.outlet.casefold()
            if key in by_outlet:
                sets.union(by_outlet[key], a.id)
            else:
                by_outlet[key] = a.id
    return sets.groups()
