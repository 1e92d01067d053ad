"""Shared helpers for benchmarks: data paths, timing, tables, result files."""

from __future__ import annotations

import json
import os
import platform
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = Path(os.environ.get("STORYLINE_BENCH_DATA", ROOT.parent / "shared" / "bench"))
RESULTS = ROOT / "benchmarks" / "results"
console = Console(highlight=False)

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def bag_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall, F1 of one text against its gold text."""
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def shingle_counts(predicted: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over token n-gram shingles of one document.

    The article-extraction benchmark's published figures use this style of
    score: shingles of 4 tokens, counts per document normalised to sum to 1,
    then pooled over documents.
    """
    def grams(text: str) -> Counter:
        t = tokens(text)
        return Counter(tuple(t[i:i + n]) for i in range(max(1, len(t) - n + 1))) if t else Counter()

    p, g = grams(predicted), grams(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def pooled_prf(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*("–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    console.print(table)


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "date": time.strftime("%Y-%m-%d"), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"results written to {path.relative_to(ROOT)}")
    return path


def require(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(f"benchmark data not found: {path} (set STORYLINE_BENCH_DATA)")
    return path
