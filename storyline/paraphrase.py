"""Do two sentences say the same thing? The compact lexical scorer.

Eight cheap, symmetric features of a sentence pair: overlap of content word
stems (Dice and containment), of word bigrams, of named things and of
numbers, fuzzy token-set similarity (rapidfuzz) and the length ratio, with a
logistic model whose weights were fitted on the MSRP training pairs.
Statement alignment itself uses ``align``'s richer model (``pairfeatures``);
this scorer remains the source of the across-languages model's name and
number features and the baseline ``benchmarks/bench_paraphrase.py``
cross-validates next to it ("old 8-feature logistic").
"""

from __future__ import annotations

import math
import re

from rapidfuzz import fuzz

from .textfeatures import content_stems, named_things

_NUMBER = re.compile(r"\d[\d,.]*")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

FEATURES = ("stem_dice", "stem_containment", "bigram_dice", "name_dice", "number_match", "number_clash",
            "token_set", "length_ratio")
# Fitted on MSRP train (benchmarks/bench_paraphrase.py before the model of align.py); intercept last.
WEIGHTS = (3.46, 0.083, -0.278, -0.26, 0.371, -0.966, 3.976, 3.898, -7.678)
THRESHOLD = 0.5


def _dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


def features(a: str, b: str) -> list[float]:
    sa, sb = set(content_stems(a)), set(content_stems(b))
    wa = [w.lower() for w in _WORD.findall(a)]
    wb = [w.lower() for w in _WORD.findall(b)]
    ba, bb = set(zip(wa, wa[1:])), set(zip(wb, wb[1:]))
    na, nb = set(named_things(a)), set(named_things(b))
    ma, mb = numbers(a), numbers(b)
    return [
        _dice(sa, sb),
        len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0,
        _dice(ba, bb),
        _dice(na, nb) if na or nb else 1.0,
        1.0 if ma and ma == mb else 0.0,
        1.0 if ma and mb and not (ma & mb) else 0.0,
        fuzz.token_set_ratio(a, b) / 100.0,
        min(len(wa), len(wb)) / max(len(wa), len(wb), 1),
    ]


def probability(a: str, b: str, weights: tuple[float, ...] = WEIGHTS) -> float:
    """Probability that ``a`` and ``b`` are paraphrases."""
    z = weights[-1] + sum(w * x for w, x in zip(weights, features(a, b)))
    return 1.0 / (1.0 + math.exp(-z))


def same_statement(a: str, b: str) -> bool:
    return probability(a, b) >= THRESHOLD
