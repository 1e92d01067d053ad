"""Features of a sentence pair for statement alignment (``align``'s model).

Three kinds, all symmetric in the two sentences (each directional measure is
given as the min and the max of its two directions):

* ``lexical(a, b)``: 53 static features that need no fitting (``LEXICAL``
  names them): BLEU-style clipped n-gram precision (n = 1..4) on lowercased
  tokens and on stems, content-stem precision and unmatched counts, longest
  common subsequence of stems, character 3/4/5-gram cosines, rapidfuzz
  ratios, lengths, numbers (same, clashing, unmatched), named things,
  negation, token edit distance, unmatched runs, the order of shared words
  (Kendall's tau), first/last stems and unmatched capitalised words.
* TF-KLD (Ji and Eisenstein 2013): a weight per stem, fitted on labelled
  pairs (``kld_weights``), says how much a stem found in one sentence but not
  the other speaks against a paraphrase; ``kld`` gives four weighted overlaps
  of a pair (``KLD`` names them).
* The encoder's vectors ``u``, ``v`` (``embeddings``): their cosine and
  ``encoder_pair(u, v) = [(u - v)^2, u * v]``, which the model reduces by a
  fitted PCA.

Each sentence is analysed once (``analyse``, cached by text), so a sentence
compared with several others (claims' candidates) is tokenised and stemmed once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from .paraphrase import numbers
from .textfeatures import STOP_WORDS, named_things, stem

# numbers (with their separators), words (with an apostrophe part), $ and %; "n't" split off as a word
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|[$%]", re.UNICODE)
_SPACES = re.compile(r"\s+")
NEGATIONS = frozenset("not no never n't nothing none nobody neither nor without cannot".split())
NGRAM_ORDERS = (1, 2, 3, 4)
CHAR_ORDERS = (3, 4, 5)

LEXICAL = tuple(
    [f"{kind}_{n}gram_precision_{side}" for kind in ("token", "stem") for n in NGRAM_ORDERS
     for side in ("min", "max")]
    + ["content_precision_min", "content_precision_max", "content_unmatched_min", "content_unmatched_max",
       "stem_lcs_min", "stem_lcs_max", "stem_bleu_min", "stem_bleu_max",
       "char3_cosine", "char4_cosine", "char5_cosine", "char4_jaccard",
       "fuzz_ratio", "fuzz_partial", "fuzz_token_sort", "fuzz_token_set",
       "length_ratio", "length_log_ratio", "length_log_mean",
       "number_match", "number_clash", "numbers_unmatched", "numbers_any",
       "name_dice", "names_unmatched_min", "names_unmatched_max", "negation_mismatch",
       "stem_levenshtein", "unmatched_run_min", "unmatched_run_max", "unmatched_share_min",
       "unmatched_share_max", "shared_order_tau", "first_stem_equal", "last_stem_equal",
       "capitalised_unmatched_min", "capitalised_unmatched_max"])
KLD = ("kld_cosine", "kld_jaccard", "kld_unmatched_min", "kld_unmatched_max")


def tokens(text: str) -> list[str]:
    """Lowercased word and number tokens, "n't" a token of its own."""
    text = text.replace("’", "'").replace("n't", " n't")
    return [w.lower() for w in _TOKEN.findall(text)]


def _ngrams(seq: Sequence[str], n: int) -> Counter:
    return Counter(tuple(seq[i:i + n]) for i in range(len(seq) - n + 1))


def _chars(text: str, n: int) -> Counter:
    padded = " " + _SPACES.sub(" ", text.lower()) + " "
    return Counter(padded[i:i + n] for i in range(len(padded) - n + 1))


@dataclass(frozen=True)
class Analysed:
    """What the pair features need of one sentence."""

    text: str
    tokens: list[str]
    stems: list[str]
    token_ngrams: list[Counter]  # for NGRAM_ORDERS
    stem_ngrams: list[Counter]
    content: Counter  # content-word stems (no stop words, no one-letter words but digits)
    chars: list[Counter]  # for CHAR_ORDERS
    char_norms: list[float]  # their Euclidean norms
    numbers: set[str]
    names: set[str]
    negated: bool
    capitalised: set[str]  # capitalised words after the first, lowercased

    @property
    def terms(self) -> frozenset[str]:
        """The stems TF-KLD weighs."""
        return frozenset(self.stems)


@lru_cache(maxsize=1024)  # ~40 KiB each
def analyse(text: str) -> Analysed:
    toks = tokens(text)
    stems = [stem(w) for w in toks]
    words = text.split()
    chars = [_chars(text, n) for n in CHAR_ORDERS]
    return Analysed(
        text=text, tokens=toks, stems=stems,
        token_ngrams=[_ngrams(toks, n) for n in NGRAM_ORDERS],
        stem_ngrams=[_ngrams(stems, n) for n in NGRAM_ORDERS],
        content=Counter(s for w, s in zip(toks, stems) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())),
        chars=chars, char_norms=[math.sqrt(sum(v * v for v in c.values())) for c in chars],
        numbers=numbers(text),
        names=set(named_things(text)),
        negated=bool(NEGATIONS.intersection(toks)),
        capitalised={w.strip('.,";:()').lower() for w in words[1:] if w[:1].isupper()},
    )


def _overlap(a: Counter, b: Counter) -> int:
    """Items ``a`` and ``b`` share, each counted as often as the one that has it fewer times."""
    return sum(min(a[g], b[g]) for g in a.keys() & b.keys())


def _precisions(a: Counter, b: Counter) -> tuple[float, float]:
    """BLEU's clipped precision of ``a``'s items in ``b`` and of ``b``'s in ``a``."""
    shared = _overlap(a, b)
    total_a, total_b = a.total(), b.total()
    return shared / total_a if total_a else 0.0, shared / total_b if total_b else 0.0


def _cosine(a: Counter, b: Counter, norm_a: float, norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    return sum(a[k] * b[k] for k in a.keys() & b.keys()) / (norm_a * norm_b)


def _longest_unmatched_run(seq: Sequence[str], other: set[str]) -> int:
    best = current = 0
    for s in seq:
        current = current + 1 if s not in other else 0
        best = max(best, current)
    return best


def _shared_order(sa: Sequence[str], sb: Sequence[str]) -> float:
    """Kendall's tau of the content stems both share, in ``a``'s order against ``b``'s (0 if < 2)."""
    first_in_b: dict[str, int] = {}
    for i, s in enumerate(sb):
        first_in_b.setdefault(s, i)
    seen: set[str] = set()
    order = []
    for s in sa:
        if s in first_in_b and s not in seen and s not in STOP_WORDS:
            seen.add(s)
            order.append(first_in_b[s])
    n = len(order)
    if n < 2:
        return 0.0
    concordant = sum(1 for i in range(n) for j in range(i + 1, n) if order[i] < order[j])
    return 2 * concordant / (n * (n - 1)) - 1


def _both(x: float, y: float) -> list[float]:
    return [min(x, y), max(x, y)]


def lexical(a: str | Analysed, b: str | Analysed) -> list[float]:
    """The 53 static features of a pair, in ``LEXICAL``'s order."""
    x = a if isinstance(a, Analysed) else analyse(a)
    y = b if isinstance(b, Analysed) else analyse(b)
    out: list[float] = []
    stem_precisions = []  # (x in y, y in x) for each n
    for grams_x, grams_y in ((x.token_ngrams, y.token_ngrams), (x.stem_ngrams, y.stem_ngrams)):
        for gx, gy in zip(grams_x, grams_y):
            precisions = _precisions(gx, gy)
            out += _both(*precisions)
            if grams_x is x.stem_ngrams:
                stem_precisions.append(precisions)
    out += _both(*_precisions(x.content, y.content))
    out += _both(sum(1 for k in x.content if k not in y.content), sum(1 for k in y.content if k not in x.content))
    common = LCSseq.similarity(x.stems, y.stems)
    out += _both(common / max(len(x.stems), 1), common / max(len(y.stems), 1))
    # BLEU's geometric mean of the four stem precisions (each + 0.1), in each direction
    out += _both(*(math.exp(sum(math.log(p[side] + 0.1) for p in stem_precisions) / len(stem_precisions))
                   for side in (0, 1)))
    out += [_cosine(cx, cy, nx, ny) for cx, cy, nx, ny in zip(x.chars, y.chars, x.char_norms, y.char_norms)]
    four_x, four_y = set(x.chars[1]), set(y.chars[1])
    out.append(len(four_x & four_y) / max(len(four_x | four_y), 1))
    out += [fuzz.ratio(x.text, y.text) / 100, fuzz.partial_ratio(x.text, y.text) / 100,
            fuzz.token_sort_ratio(x.text, y.text) / 100, fuzz.token_set_ratio(x.text, y.text) / 100]
    nx, ny = len(x.tokens), len(y.tokens)
    out += [min(nx, ny) / max(nx, ny, 1), abs(math.log((nx + 1) / (ny + 1))), math.log((nx + ny) / 2 + 1)]
    mx, my = x.numbers, y.numbers
    out += [float(bool(mx) and mx == my), float(bool(mx and my) and not (mx & my)), float(len(mx ^ my)),
            float(bool(mx or my))]
    names_x, names_y = x.names, y.names
    out.append(2 * len(names_x & names_y) / (len(names_x) + len(names_y)) if names_x or names_y else 1.0)
    out += _both(len(names_x - names_y), len(names_y - names_x))
    out.append(float(x.negated != y.negated))
    set_x, set_y = set(x.stems), set(y.stems)
    out.append(Levenshtein.normalized_similarity(x.stems, y.stems))
    out += _both(_longest_unmatched_run(x.stems, set_y), _longest_unmatched_run(y.stems, set_x))
    out += _both(sum(s not in set_y for s in x.stems) / max(len(x.stems), 1),
                 sum(s not in set_x for s in y.stems) / max(len(y.stems), 1))
    out.append(_shared_order(x.stems, y.stems))
    out += [float(x.stems[:1] == y.stems[:1]), float(x.stems[-1:] == y.stems[-1:])]
    words_x, words_y = set(x.tokens), set(y.tokens)
    out += _both(sum(1 for c in x.capitalised if c not in words_y), sum(1 for c in y.capitalised if c not in words_x))
    return out


# ---------------------------------------------------------------- TF-KLD

def kld_weights(pairs: Iterable[tuple[Iterable[str], Iterable[str]]], labels: Sequence[int],
                prior: float = 20.0) -> tuple[dict[str, float], float]:
    """TF-KLD term weights from labelled pairs of term sets: ``(weights, unseen)``.

    For each term, ``p`` is the rate at which a paraphrase that has it in one
    sentence also has it in the other, ``q`` the same for non-paraphrases;
    both are shrunk towards their all-terms rate with ``prior`` pseudo-
    occurrences, and the weight is KL(p || q). ``unseen`` is the weight of a
    term not in the pairs (both rates at their all-terms value)."""
    both = [Counter(), Counter()]  # by label: pairs with the term on both sides
    one = [Counter(), Counter()]  # ... on one side only
    for (ta, tb), label in zip(pairs, labels):
        sa, sb = set(ta), set(tb)
        both[label].update(sa & sb)
        one[label].update(sa ^ sb)
    terms = sorted(set(both[0]) | set(both[1]) | set(one[0]) | set(one[1]))

    def rates(label: int) -> tuple[np.ndarray, float]:
        shared = np.array([both[label][t] for t in terms], dtype=float)
        alone = np.array([one[label][t] for t in terms], dtype=float)
        base = 2 * shared.sum() / (2 * shared.sum() + alone.sum())
        return (2 * shared + prior * base) / (2 * shared + alone + prior), base

    (p, p0), (q, q0) = rates(1), rates(0)

    def kl(p, q):
        return p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q))

    return dict(zip(terms, kl(p, q).tolist())), float(kl(p0, q0))


def kld(ta: Iterable[str], tb: Iterable[str], weights: Mapping[str, float], unseen: float) -> list[float]:
    """The four TF-KLD features of a pair of term sets, in ``KLD``'s order: weighted
    cosine and Jaccard, and the smaller and larger weight of the unmatched terms."""
    sa, sb = set(ta), set(tb)
    wa = {t: weights.get(t, unseen) for t in sa}
    wb = {t: weights.get(t, unseen) for t in sb}
    shared = sum(wa[t] for t in sa & sb)
    total_a, total_b = sum(wa.values()), sum(wb.values())
    shared2 = sum(wa[t] ** 2 for t in sa & sb)
    norm2 = sum(w * w for w in wa.values()) * sum(w * w for w in wb.values())
    return [shared2 / math.sqrt(max(norm2, 1e-12)), shared / max(total_a + total_b - shared, 1e-12),
            *_both(total_a - shared, total_b - shared)]


# ---------------------------------------------------------------- the encoder

def encoder_pair(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``[(u - v)^2, u * v]`` of the encoder's vectors (rows: pairs), which the model reduces by PCA."""
    return np.hstack([(u - v) ** 2, u * v])
