"""Clustering scores: B-cubed precision/recall/F1, ARI and V-measure."""

from __future__ import annotations

from collections import Counter

from sklearn.metrics import adjusted_rand_score, v_measure_score


def bcubed(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """Item-averaged B-cubed precision, recall and F1 (Bagga & Baldwin)."""
    pair = Counter(zip(gold, predicted))
    gold_size, pred_size = Counter(gold), Counter(predicted)
    n = len(gold)
    precision = sum(count * count / pred_size[p] for (g, p), count in pair.items()) / n
    recall = sum(count * count / gold_size[g] for (g, p), count in pair.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    p, r, f = bcubed(gold, predicted)
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": f,
            "ari": adjusted_rand_score(gold, predicted), "v_measure": v_measure_score(gold, predicted),
            "clusters": len(set(predicted))}
