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
from scipy import sparse

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


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, str]:
    """The hash permutations of a MinHash with seed 1, and their scheme (each new MinHash would draw them again)."""
    template = MinHash(num_perm=num_perm, seed=1)
    return template.permutations, template.scheme


def _candidates(profiles: list[_Profile], settings: Settings) -> list[list[int]]:
    """For each article, the indexes of the few others most likely to be its copies."""
    n = len(profiles)
    if n <= settings.copy_all_pairs_below:
        return [[j for j in range(n) if j != i] for i in range(n)]
    lsh = MinHashLSH(num_perm=settings.copy_minhash_perm,
                     params=_lsh_params(settings.copy_candidate_jaccard, settings.copy_minhash_perm))
    hashes = []
    permutations, scheme = _permutations(settings.copy_minhash_perm)
    for i, p in enumerate(profiles):
        mh = MinHash(num_perm=settings.copy_minhash_perm, seed=1, permutations=permutations, scheme=scheme)
        mh.update_batch([s.encode("utf-8") for s in sorted(p.stems)])
        hashes.append(mh)
        lsh.insert(i, mh)
    # Checking the closest few candidates is enough to find what an article copies.
    return [sorted((j for j in lsh.query(hashes[i]) if j != i),
                   key=lambda j: (-hashes[i].jaccard(hashes[j]), j))[:settings.copy_max_candidates]
            for i in range(n)]


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


def _incidence(profiles: Sequence[_Profile], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """One row per sentence of ``profiles`` (in order), 1 at each of its stems' columns."""
    indptr, indices = [0], []
    for p in profiles:
        for stems in p.sentences:
            indices.extend(vocabulary.setdefault(stem, len(vocabulary)) for stem in stems)
            indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(indptr) - 1, len(vocabulary)))


def sentence_dice(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """Dice of every sentence of ``a`` with every sentence of ``b`` (rows of
    ``_incidence`` over one vocabulary): 2 |x & y| / (|x| + |y|)."""
    shared = (a @ b.T).toarray()
    sizes = np.diff(a.indptr)[:, None] + np.diff(b.indptr)[None, :]
    return 2 * shared / sizes


def align(copy: _Profile, original: _Profile, settings: Settings = DEFAULT_SETTINGS,
          dice: np.ndarray | None = None) -> Alignment:
    """Align ``copy``'s sentences to ``original``'s: a rewrite follows the
    original sentence by sentence, so its counterparts come in order and
    mostly one after another; independent reports share facts in any order.
    ``dice`` is ``sentence_dice`` of the two when already computed."""
    if not copy.sentences or not original.sentences:
        return Alignment(0.0, 0, 0.0)
    if dice is None:
        rows = _incidence([copy, original], {})
        dice = sentence_dice(rows[:len(copy.sentences)], rows[len(copy.sentences):])
    where = dice.argmax(axis=1)  # each sentence's best counterpart, the first on a tie
    best = dice[np.arange(len(where)), where]
    targets = [int(j) for j, score in zip(where, best) if score > 0 and score >= settings.copy_sentence_dice]
    run = _longest_increasing_run(targets)
    steps = [b - a for a, b in zip(run, run[1:])]
    adjacency = sum(1 for step in steps if step <= 2) / len(steps) if steps else 0.0
    return Alignment(len(run) / len(copy.sentences), len(run), adjacency)


def _order(profile: _Profile) -> tuple[str, int, str]:
    """Originals sort first: earlier date, then longer text, then id."""
    a = profile.article
    return (a.date or "9999-99-99", -len(a.text), a.id)


def compare(a: _Profile, b: _Profile, settings: Settings = DEFAULT_SETTINGS,
            dice: np.ndarray | None = None) -> tuple[str, float] | None:
    """Whether one of two articles copies the other: (kind, similarity) or
    None. ``dice`` is ``sentence_dice`` of a's sentences with b's, when known."""
    small, large = (a, b) if len(a.grams) <= len(b.grams) else (b, a)
    if len(small.grams):
        shared = len(np.intersect1d(small.grams, large.grams, assume_unique=True))
        contained = shared / len(small.grams)
        if contained >= settings.copy_duplicate_containment and len(small.grams) >= 0.9 * len(large.grams):
            return "duplicate", round(contained, 3)
        if contained >= settings.copy_syndicated_containment:
            return "syndicated", round(contained, 3)
    shorter, longer = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
    if dice is not None and shorter is not a:
        dice = dice.T
    alignment = align(shorter, longer, settings, dice)
    if (alignment.coverage >= settings.copy_rewrite_coverage and alignment.aligned >= settings.copy_min_aligned
            and alignment.adjacency >= settings.copy_rewrite_adjacency):
        return "rewrite", round(alignment.coverage, 3)
    return None


def detect_copies(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> dict[str, CopyOf]:
    """``copy_of`` for each article that repeats another; originals are absent."""
    profiles = [_profile(a) for a in articles]
    rows = _incidence(profiles, {})  # every sentence of the story over one vocabulary
    first = np.cumsum([0] + [len(p.sentences) for p in profiles])
    best: dict[str, CopyOf] = {}
    checked: dict[int, set[int]] = {}
    for i, candidates in enumerate(_candidates(profiles, settings)):
        p = profiles[i]
        todo = [j for j in candidates if not (j < i and i in checked.get(j, ()))]
        checked.setdefault(i, set()).update(todo)
        if not todo:
            continue
        # The sentence Dice of this article with all its candidates at once, then split by candidate.
        theirs = np.concatenate([np.arange(first[j], first[j + 1]) for j in todo])
        dice = sentence_dice(rows[first[i]:first[i + 1]], rows[theirs])
        ends = np.cumsum([first[j + 1] - first[j] for j in todo])
        for j, block in zip(todo, np.split(dice, ends[:-1], axis=1)):
            verdict = compare(p, profiles[j], settings, block)
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
