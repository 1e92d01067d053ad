"""Statement alignment: do two sentences say the same thing? One answer for
claims, the brief and quote groups.

Two kinds of evidence are combined: the lexical scorer
(``paraphrase.features``: shared content words, bigrams, names, numbers,
fuzzy token overlap, length ratio) and the multilingual sentence encoder's
cosine (``embeddings``), which sees the same meaning in other words and in
another language. The combination is a logistic model fitted on MSRP train
by ``benchmarks/bench_paraphrase.py`` (which cross-validates it next to each
part alone); its weights are written here. Across languages the words can't
be compared, so a second model uses only what crosses languages: names,
numbers and the cosine. Without the encoder (off or not installed) the
lexical scorer alone decides, as before.

Within a story, ``Alignment`` holds the sentences' TF-IDF and encoder
vectors. Candidates come cheaply first (``nearest``: the closest sentence of
each other article), and only those get the full model. Only the first few
sentences of each article are embedded (``story_vectors``); a pair without
two vectors is judged by its words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from . import embeddings, paraphrase
from .copies import independent_groups
from .model import Article
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import content_stems

# Fitted on MSRP train (benchmarks/bench_paraphrase.py); intercept last.
SAME_LANGUAGE_FEATURES = paraphrase.FEATURES + ("cosine",)
SAME_LANGUAGE_WEIGHTS = (1.982, 0.06, -0.43, -0.499, 0.164, -0.794, 2.797, 3.453, 4.537, -8.554)
ACROSS_FEATURES = ("name_dice", "number_match", "number_clash", "cosine")
ACROSS_WEIGHTS = (-0.423, 0.072, -0.788, 7.31, -4.439)

_ACROSS_INDEX = [paraphrase.FEATURES.index(f) for f in ACROSS_FEATURES[:-1]]


def _logistic(weights: Sequence[float], values: Sequence[float]) -> float:
    z = weights[-1] + sum(w * x for w, x in zip(weights, values))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def features(a: str, b: str, cosine: float | None = None, same_language: bool = True) -> list[float]:
    """The model's inputs for one pair (see ``probability``)."""
    lexical = paraphrase.features(a, b)
    if cosine is None:
        return lexical
    if same_language:
        return lexical + [float(cosine)]
    return [lexical[i] for i in _ACROSS_INDEX] + [float(cosine)]


def probability(a: str, b: str, cosine: float | None = None, same_language: bool = True) -> float:
    """Probability that ``a`` and ``b`` say the same thing. ``cosine`` is the
    encoder's cosine of the two (``None``: words only)."""
    values = features(a, b, cosine, same_language)
    if cosine is None:
        return _logistic(paraphrase.WEIGHTS, values)
    return _logistic(SAME_LANGUAGE_WEIGHTS if same_language else ACROSS_WEIGHTS, values)


def sentence_vectors(texts: Sequence[str], settings: Settings = DEFAULT_SETTINGS,
                     cache: embeddings.VectorCache | None = None) -> np.ndarray | None:
    """Unit vectors of ``texts`` from the encoder (through ``cache`` when given),
    or ``None`` when it is off or not installed (then every decision falls back to words)."""
    if not settings.encoder or not texts or not embeddings.available():
        return None
    return embeddings.embed_cached(list(texts), cache)


def story_vectors(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
                  cache: embeddings.VectorCache | None = None) -> dict[tuple[str, int], np.ndarray] | None:
    """The encoder's vectors of the first ``align_sentences_per_article``
    sentences of each article of a story (news states its main facts first),
    computed once for claims and the brief: ``{(article_id, start): vector}``.
    Later sentences are compared by their words. ``None`` when the encoder is
    off or not installed, or when the story has one independent source
    (nothing to align across sources). ``cache`` (the store's) spares
    sentences embedded before."""
    if not settings.encoder or not embeddings.available() or len(independent_groups(articles)) < 2:
        return None
    shortest = min(settings.claim_min_words, settings.brief_min_words)
    keys, texts = [], []
    for article in articles:
        spans = [span for span in sentence_spans(article.text, article.language)
                 if len(span.of(article.text).split()) >= shortest]
        for span in spans[: settings.align_sentences_per_article]:
            keys.append((article.id, span.start))
            texts.append(span.of(article.text))
    return dict(zip(keys, embeddings.embed_cached(texts, cache))) if texts else {}


def tfidf(texts: Sequence[str]):
    """Unit TF-IDF vectors of the texts' content-word stems (``None`` if there are no words)."""
    try:
        return TfidfVectorizer(analyzer=content_stems, sublinear_tf=True).fit_transform(list(texts))
    except ValueError:  # no content words at all
        return None


class Alignment:
    """The sentences of one story, ready to be compared pair by pair.

    ``vectors`` are their encoder vectors (``None``: words only; a row of NaN:
    this sentence by its words only); ``matrix`` their TF-IDF vectors and ``terms`` its cosines;
    ``cosine[i, j]`` is the encoder's cosine when there are vectors, else the
    words'; ``probability(i, j)`` is the fitted model's."""

    def __init__(self, texts: Sequence[str], languages: Sequence[str | None],
                 settings: Settings = DEFAULT_SETTINGS, vectors: np.ndarray | None = None):
        self.texts = list(texts)
        self.languages = list(languages)
        self.settings = settings
        self.vectors = vectors
        self.matrix = tfidf(self.texts)
        n = len(self.texts)
        self.terms = np.zeros((n, n)) if self.matrix is None else (self.matrix @ self.matrix.T).toarray()
        self.cosine = self.terms if self.vectors is None else self.vectors @ self.vectors.T  # NaN: no vector

    def __len__(self) -> int:
        return len(self.texts)

    def encoder_cosine(self, i: int, j: int) -> float | None:
        """The encoder's cosine of two sentences, ``None`` if either has no vector."""
        if self.vectors is None or np.isnan(self.cosine[i, j]):
            return None
        return float(self.cosine[i, j])

    def probability(self, i: int, j: int) -> float:
        cosine = self.encoder_cosine(i, j)
        same_language = (self.languages[i] or "en") == (self.languages[j] or "en")
        return probability(self.texts[i], self.texts[j], cosine, same_language)

    def similarity(self) -> np.ndarray:
        """A matrix on the words' cosine scale: the larger of the terms' cosine
        and the encoder's cosine above ``align_floor``, stretched to [0, 1]
        (so thresholds chosen on words keep their meaning)."""
        if self.vectors is None:
            return self.terms
        floor = self.settings.align_floor
        meaning = np.nan_to_num((self.cosine - floor) / (1.0 - floor), nan=0.0)
        return np.maximum(self.terms, meaning)

    def nearest(self, i: int, keys: Sequence[object], matrix: np.ndarray, floor: float = 0.0) -> dict[object, int]:
        """For sentence ``i``, the closest sentence of every other key (article)
        by ``matrix`` (e.g. ``similarity()``): ``{key: index}``, only above ``floor``."""
        best: dict[object, tuple[float, int]] = {}
        row = matrix[i]
        for j in np.nonzero(row > floor)[0]:
            key = keys[j]
            if key == keys[i]:
                continue
            if row[j] > best.get(key, (-2.0, -1))[0]:
                best[key] = (float(row[j]), int(j))
        return {key: j for key, (_, j) in best.items()}


def stack(keys: Sequence[tuple[str, int]], known: dict[tuple[str, int], np.ndarray] | None) -> np.ndarray | None:
    """The vectors of ``keys`` from ``story_vectors``'s mapping, a row of NaN
    for a key it lacks; ``None`` if it has none of them."""
    if not known or not any(k in known for k in keys):
        return None
    missing = np.full(embeddings.DIM, np.nan, dtype=np.float32)
    return np.stack([known.get(k, missing) for k in keys])
