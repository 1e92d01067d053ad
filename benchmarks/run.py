"""Run every benchmark: ``make bench`` or ``python benchmarks/run.py [NAME...]``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_extraction  # noqa: E402
import bench_throughput  # noqa: E402

BENCHMARKS = {
    "extraction": bench_extraction.main,
    "throughput": bench_throughput.main,
}


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHMARKS)}")
    for name in names or BENCHMARKS:
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
