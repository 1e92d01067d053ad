"""Fit the statement alignment models on MSRP train and write them as package
data (``storyline/data/alignment.npz``, read by ``storyline.align``).

    python scripts/fit_alignment.py [--out PATH]

Only the MSRP training pairs are used (``$STORYLINE_BENCH_DATA/msrp``, by
default ``../shared/bench/msrp``). Deterministic: fixed folds and seeds, the
encoder's vectors as ``storyline.embeddings.embed`` gives them. Without the
encoder installed only the words-only model is written. The recipe is
``storyline.align.fit``, the one ``benchmarks/bench_paraphrase.py``
cross-validates.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_paraphrase import load  # noqa: E402

from storyline import align, embeddings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=align.MODEL_FILE)
    args = parser.parse_args()
    pairs, labels = load()
    u = v = None
    if embeddings.available():
        u = embeddings.embed([a for a, _ in pairs]).astype(float)
        v = embeddings.embed([b for _, b in pairs]).astype(float)
    models = align.fit(pairs, labels, u, v)
    models.save(args.out, data=f"MSRP train, {len(pairs)} pairs", script="scripts/fit_alignment.py",
                encoder=embeddings.MODEL if u is not None else "none")
    train = models.probabilities(pairs, u, v) >= 0.5
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB): words-only model "
          f"({len(models.words.support)} support vectors)"
          + (f", encoder model ({len(models.encoder.support)} support vectors)" if models.encoder else "")
          + f"; {len(models.kld_weights)} TF-KLD stems; training accuracy {np.mean(train == labels):.3f}"
          " (in-sample, not a score: see benchmarks/bench_paraphrase.py)")


if __name__ == "__main__":
    main()
