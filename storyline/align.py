"""Statement alignment: do two sentences say the same thing? One answer for
claims, the brief and quote groups.

The model is fitted on MSRP train by ``scripts/fit_alignment.py`` (which
calls ``fit``) and shipped as package data (``storyline/data/alignment.npz``);
``benchmarks/bench_paraphrase.py`` cross-validates exactly this recipe. Its
inputs (``pairfeatures``): 53 lexical features, four TF-KLD features (stem
weights fitted on the training pairs) and, when the encoder's vectors of both
sentences are known, their cosine and eight PCA components of
``[(u - v)^2, u * v]``. An RBF support vector machine with Platt's
sigmoid turns them into a probability; at run time this is numpy only (the
arrays, not a pickled scikit-learn object). Two models: with the encoder
(same language) and words only (the encoder off or not installed, or a
sentence without a vector). Across languages the words can't be compared,
so a third, small logistic model uses only what crosses languages: names,
numbers and the cosine.

Within a story, ``Alignment`` holds the sentences' TF-IDF and encoder
vectors. Candidates come cheaply first (``nearest``: the closest sentence of
each other article), and only those get the full model. Only the first few
sentences of each article are embedded (``story_vectors``); a pair without
two vectors is judged by its words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from . import embeddings, pairfeatures, paraphrase
from .copies import independent_groups
from .metadata import base_language
from .model import Article
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import content_stems, word_count

MODEL_FILE = Path(__file__).parent / "data" / "alignment.npz"
WORDS_FEATURES = pairfeatures.LEXICAL + pairfeatures.KLD
PCA_COMPONENTS = 8
ENCODER_FEATURES = WORDS_FEATURES + ("cosine",) + tuple(f"encoder_pca_{k}" for k in range(PCA_COMPONENTS))
# Across languages (quotes in two languages): fitted on MSRP train (benchmarks/bench_paraphrase.py), intercept last.
ACROSS_FEATURES = ("name_dice", "number_match", "number_clash", "cosine")
ACROSS_WEIGHTS = (-0.423, 0.072, -0.788, 7.31, -4.439)

_ACROSS_INDEX = [paraphrase.FEATURES.index(f) for f in ACROSS_FEATURES[:-1]]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


def _logistic(weights: Sequence[float], values: Sequence[float]) -> float:
    z = weights[-1] + sum(w * x for w, x in zip(weights, values))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass
class PairModel:
    """One fitted model as plain arrays. The features are standardised
    (``mean``, ``scale``); a logistic model gives the linear decision
    ``z @ coef + linear_intercept``. Kind "logistic": its sigmoid is the
    probability. Kind "svc": an RBF SVM (``support`` vectors, ``dual``
    coefficients, ``intercept``, ``gamma``) gives a second decision, and the
    probability is ``sigmoid(combine @ [svm, linear, 1])`` (Platt's sigmoid
    over both decisions). The linear part matters away from the training
    pairs: there an RBF SVM's decision falls to its intercept, whatever the
    words say, while the linear one keeps saying "less overlap, less likely".
    With the encoder, ``pca_mean`` and ``pca_components`` reduce
    ``[(u - v)^2, u * v]`` (the scaler before the PCA folded in)."""

    kind: str  # "svc" or "logistic"
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    linear_intercept: float
    support: np.ndarray | None = None
    dual: np.ndarray | None = None
    intercept: float = 0.0
    gamma: float = 0.0
    combine: np.ndarray | None = None
    pca_mean: np.ndarray | None = None
    pca_components: np.ndarray | None = None
    _support_norms: np.ndarray | None = field(default=None, repr=False)

    @property
    def encoder(self) -> bool:
        return self.pca_components is not None

    def inputs(self, words: np.ndarray, cosine: np.ndarray | None = None,
               pairs: np.ndarray | None = None) -> np.ndarray:
        """The model's input matrix from the words' features (lexical + TF-KLD)
        and, with the encoder, the cosines and ``encoder_pair`` rows (a row of
        NaN: vectors unknown, its components taken at their training mean)."""
        if not self.encoder:
            return words
        components = (pairs - self.pca_mean) @ self.pca_components.T
        return np.hstack([words, cosine[:, None], np.nan_to_num(components, nan=0.0)])

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = (np.asarray(x, dtype=float) - self.mean) / self.scale
        linear = z @ self.coef + self.linear_intercept
        if self.kind == "logistic":
            return _sigmoid(linear)
        if self._support_norms is None:
            self._support_norms = (self.support ** 2).sum(axis=1)
        distances = np.maximum((z ** 2).sum(axis=1)[:, None] + self._support_norms[None, :]
                               - 2.0 * z @ self.support.T, 0.0)
        svm = np.exp(-self.gamma * distances) @ self.dual + self.intercept
        return _sigmoid(self.combine[0] * svm + self.combine[1] * linear + self.combine[2])

    _ARRAYS = ("mean", "scale", "coef", "support", "dual", "combine", "pca_mean", "pca_components")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}_{n}": getattr(self, n) for n in self._ARRAYS if getattr(self, n) is not None}
        out[f"{prefix}_kind"] = np.array(self.kind)
        out[f"{prefix}_scalars"] = np.array([self.linear_intercept, self.intercept, self.gamma])
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> PairModel:
        found = {n: np.asarray(arrays[f"{prefix}_{n}"], dtype=float) for n in cls._ARRAYS
                 if f"{prefix}_{n}" in arrays}
        linear_intercept, intercept, gamma = (float(v) for v in arrays[f"{prefix}_scalars"])
        return cls(kind=str(arrays[f"{prefix}_kind"]), linear_intercept=linear_intercept, intercept=intercept,
                   gamma=gamma, **found)


@dataclass
class Models:
    """The shipped alignment models: TF-KLD stem weights (and the weight of an
    unseen stem), shared by the words-only model and the encoder model."""

    kld_weights: dict[str, float]
    kld_unseen: float
    words: PairModel
    encoder: PairModel | None = None

    def words_features(self, pairs: Sequence[tuple[str, str]], lexical: np.ndarray | None = None) -> np.ndarray:
        """Lexical + TF-KLD features of text pairs (``lexical``: the 53 already computed)."""
        analysed = [(pairfeatures.analyse(a), pairfeatures.analyse(b)) for a, b in pairs]
        if lexical is None:
            lexical = np.array([pairfeatures.lexical(x, y) for x, y in analysed]).reshape(len(pairs), -1)
        kld = np.array([pairfeatures.kld(x.terms, y.terms, self.kld_weights, self.kld_unseen)
                        for x, y in analysed]).reshape(len(pairs), -1)
        return np.hstack([lexical, kld])

    def probabilities(self, pairs: Sequence[tuple[str, str]], u: np.ndarray | None = None,
                      v: np.ndarray | None = None, lexical: np.ndarray | None = None,
                      cosine: np.ndarray | None = None) -> np.ndarray:
        """Probability that each pair says the same thing (same language). ``u``,
        ``v``: the encoder's vectors of the pairs' two sides (``None``: words
        only); ``cosine`` may replace them when only the cosines are known."""
        if not len(pairs):
            return np.zeros(0)
        words = self.words_features(pairs, lexical)
        if self.encoder is None or (u is None and cosine is None):
            return self.words.probabilities(words)
        if u is None:
            encoded = np.full((len(pairs), self.encoder.pca_mean.shape[0]), np.nan)
        else:
            cosine = (u * v).sum(axis=1) if cosine is None else cosine
            encoded = pairfeatures.encoder_pair(u, v)
        return self.encoder.probabilities(self.encoder.inputs(words, np.asarray(cosine, dtype=float), encoded))

    def save(self, path: Path, **provenance: str) -> None:
        terms = sorted(self.kld_weights)
        arrays = {"kld_terms": np.array(terms), "kld_weights": np.array([self.kld_weights[t] for t in terms]),
                  "kld_unseen": np.array(self.kld_unseen), "words_features": np.array(WORDS_FEATURES)}
        arrays |= self.words.arrays("words")
        if self.encoder is not None:
            arrays |= self.encoder.arrays("encoder") | {"encoder_features": np.array(ENCODER_FEATURES)}
        arrays |= {f"about_{k}": np.array(v) for k, v in provenance.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Models:
        with np.load(path, allow_pickle=False) as data:
            arrays = dict(data)
        return cls(kld_weights=dict(zip(arrays["kld_terms"].tolist(), arrays["kld_weights"].tolist())),
                   kld_unseen=float(arrays["kld_unseen"]), words=PairModel.from_arrays(arrays, "words"),
                   encoder=PairModel.from_arrays(arrays, "encoder") if "encoder_kind" in arrays else None)


@lru_cache(maxsize=1)
def shipped() -> Models:
    """The models shipped with the package (``MODEL_FILE``)."""
    return Models.load(MODEL_FILE)


def fit(pairs: Sequence[tuple[str, str]], labels: Sequence[int], u: np.ndarray | None = None,
        v: np.ndarray | None = None, lexical: np.ndarray | None = None, kind: str = "svc",
        seed: int = 0) -> Models:
    """Fit the models on labelled pairs (scikit-learn, at fitting time only).

    TF-KLD weights come from all the pairs; the pairs' own TF-KLD features
    from 5-fold cross-fitting (weights of the other four fifths), otherwise
    in-sample optimism makes them useless. With ``u``, ``v`` (the encoder's
    vectors) the encoder model is fitted too: a standard scaler and an
    8-component PCA of ``[(u - v)^2, u * v]``. The classifier is an RBF SVC
    (C=1, gamma='scale') next to a logistic regression (C=0.1), with Platt's
    sigmoid over both decisions (see ``PairModel``), or, with
    ``kind="logistic"``, the logistic regression alone."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    y = np.asarray(labels, dtype=int)
    terms = [(pairfeatures.analyse(a).terms, pairfeatures.analyse(b).terms) for a, b in pairs]
    if lexical is None:
        lexical = np.array([pairfeatures.lexical(a, b) for a, b in pairs])
    kld = np.zeros((len(pairs), len(pairfeatures.KLD)))
    for rest, part in StratifiedKFold(5, shuffle=True, random_state=seed).split(kld, y):
        weights, unseen = pairfeatures.kld_weights([terms[i] for i in rest], y[rest])
        kld[part] = [pairfeatures.kld(*terms[i], weights, unseen) for i in part]
    weights, unseen = pairfeatures.kld_weights(terms, y)
    words = np.hstack([lexical, kld])

    def classifier(x: np.ndarray, **extra) -> PairModel:
        scaler = StandardScaler().fit(x)
        z = scaler.transform(x)

        def linear_model():
            return LogisticRegression(C=0.1, max_iter=5000)

        linear = linear_model().fit(z, y)
        common = {"mean": scaler.mean_, "scale": scaler.scale_, "coef": linear.coef_[0],
                  "linear_intercept": float(linear.intercept_[0])} | extra
        if kind == "logistic":
            return PairModel("logistic", **common)
        gamma = 1.0 / (z.shape[1] * z.var())  # scikit-learn's gamma="scale"
        # Platt's sigmoid over both decisions, fitted on 5-fold out-of-fold decisions; the SVM itself on all pairs
        held_out = np.zeros((len(y), 2))
        for rest, part in StratifiedKFold(5, shuffle=True, random_state=seed).split(z, y):
            held_out[part, 0] = SVC(C=1.0, gamma=gamma).fit(z[rest], y[rest]).decision_function(z[part])
            held_out[part, 1] = linear_model().fit(z[rest], y[rest]).decision_function(z[part])
        platt = LogisticRegression().fit(held_out, y)
        svm = SVC(C=1.0, gamma=gamma).fit(z, y)
        return PairModel("svc", support=svm.support_vectors_, dual=svm.dual_coef_[0],
                         intercept=float(svm.intercept_[0]), gamma=gamma,
                         combine=np.append(platt.coef_[0], platt.intercept_[0]), **common)

    models = Models(kld_weights=weights, kld_unseen=unseen, words=classifier(words))
    if u is not None:
        encoded = pairfeatures.encoder_pair(u, v)
        scaler = StandardScaler().fit(encoded)
        pca = PCA(PCA_COMPONENTS, svd_solver="full").fit(scaler.transform(encoded))
        components = pca.components_ / scaler.scale_
        pca_mean = scaler.mean_ + scaler.scale_ * pca.mean_
        reduced = (encoded - pca_mean) @ components.T
        x = np.hstack([words, (u * v).sum(axis=1)[:, None], reduced])
        models.encoder = classifier(x, pca_mean=pca_mean, pca_components=components)
    return models


def features(a: str, b: str, cosine: float | None = None, same_language: bool = True) -> list[float]:
    """The words' features of one pair (lexical + TF-KLD, see ``pairfeatures``);
    across languages (``cosine`` given, ``same_language`` false) the across model's inputs."""
    if cosine is not None and not same_language:
        lexical = paraphrase.features(a, b)
        return [lexical[i] for i in _ACROSS_INDEX] + [float(cosine)]
    return shipped().words_features([(a, b)])[0].tolist()


def probability(a: str, b: str, cosine: float | None = None, same_language: bool = True,
                vectors: tuple[np.ndarray, np.ndarray] | None = None) -> float:
    """Probability that ``a`` and ``b`` say the same thing. ``cosine`` is the
    encoder's cosine of the two, ``vectors`` their encoder vectors (the model
    with the encoder uses both; given only the cosine, it takes the vectors'
    PCA components at their mean). Neither: words only."""
    if vectors is not None and cosine is None:
        cosine = float(np.dot(vectors[0], vectors[1]))
    if cosine is not None and not same_language:
        return _logistic(ACROSS_WEIGHTS, features(a, b, cosine, same_language))
    u = v = None
    if vectors is not None:
        u, v = np.asarray(vectors[0], dtype=float)[None, :], np.asarray(vectors[1], dtype=float)[None, :]
    return float(shipped().probabilities([(a, b)], u, v, cosine=None if cosine is None else np.array([cosine]))[0])


def sentence_vectors(texts: Sequence[str], settings: Settings = DEFAULT_SETTINGS,
                     cache: embeddings.VectorCache | None = None) -> np.ndarray | None:
    """Unit vectors of ``texts`` from the encoder (through ``cache`` when given),
    or ``None`` when it is off or not installed (then every decision falls back to words)."""
    if not settings.encoder or not texts or not embeddings.available():
        return None
    return embeddings.embed_cached(list(texts), cache)


def story_vectors(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
                  cache: embeddings.VectorCache | None = None) -> dict[tuple[str, int], np.ndarray] | None:
    """The encoder's vectors of the sentences ``story_sentences`` picks (the
    first ``align_sentences_per_article`` of each article, as news states its
    main facts first; all of them in a story of several languages), computed
    once for claims and the brief: ``{(article_id, start): vector}``. Other
    sentences are compared by their words. ``None`` when the encoder is
    off or not installed, or when the story has one independent source
    (nothing to align across sources). ``cache`` (the store's) spares
    sentences embedded before."""
    if not settings.encoder or not embeddings.available() or len(independent_groups(articles)) < 2:
        return None
    keys, texts = story_sentences(articles, settings)
    return dict(zip(keys, embeddings.embed_cached(texts, cache))) if texts else {}


def story_sentences(articles: Sequence[Article],
                    settings: Settings = DEFAULT_SETTINGS) -> tuple[list[tuple[str, int]], list[str]]:
    """The sentences ``story_vectors`` embeds: the first
    ``align_sentences_per_article`` long enough of each article, or all of
    them when the story is in more than one language (across languages,
    words say nothing), as ``(article_id, start)`` keys and their texts."""
    shortest = min(settings.claim_min_words, settings.brief_min_words)
    languages = {base_language(a.language) for a in articles}
    per_article = None if len(languages) > 1 else settings.align_sentences_per_article
    keys, texts = [], []
    for article in articles:
        spans = [span for span in sentence_spans(article.text, article.language)
                 if word_count(span.of(article.text)) >= shortest]
        for span in spans[:per_article]:
            keys.append((article.id, span.start))
            texts.append(span.of(article.text))
    return keys, texts


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
    words'; ``probability(i, j)`` is the fitted model's (``probabilities`` for
    many pairs at once)."""

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
        self._known: dict[tuple[int, int], float] = {}  # probabilities computed so far

    def __len__(self) -> int:
        return len(self.texts)

    def encoder_cosine(self, i: int, j: int) -> float | None:
        """The encoder's cosine of two sentences, ``None`` if either has no vector."""
        if self.vectors is None or np.isnan(self.cosine[i, j]):
            return None
        return float(self.cosine[i, j])

    def probability(self, i: int, j: int) -> float:
        return float(self.probabilities([(i, j)])[0])

    def probabilities(self, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        """The model's probability for each pair of sentence indices, in one
        batch per model: across languages (with vectors) the names-numbers-cosine
        model, else the encoder model when both have vectors, else words only.
        Pairs are symmetric and each is computed once per ``Alignment``."""
        todo = sorted({(min(i, j), max(i, j)) for i, j in pairs} - self._known.keys())
        across, encoded, words = [], [], []
        for i, j in todo:
            if self.encoder_cosine(i, j) is None:
                words.append((i, j))
            elif (self.languages[i] or "en") != (self.languages[j] or "en"):
                across.append((i, j))
            else:
                encoded.append((i, j))
        for i, j in across:
            self._known[i, j] = probability(self.texts[i], self.texts[j], self.encoder_cosine(i, j), False)
        models = shipped()
        for batch, with_vectors in ((encoded, True), (words, False)):
            if not batch:
                continue
            texts = [(self.texts[i], self.texts[j]) for i, j in batch]
            if with_vectors:
                rows, cols = np.array(batch).T
                found = models.probabilities(texts, self.vectors[rows].astype(float), self.vectors[cols].astype(float))
            else:
                found = models.probabilities(texts)
            self._known.update(zip(batch, found.tolist()))
        return np.array([self._known[min(i, j), max(i, j)] for i, j in pairs])

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
