"""Run every benchmark: ``make bench`` or ``python benchmarks/run.py [NAME...]``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_brief  # noqa: E402
import bench_copies  # noqa: E402
import bench_crosslang  # noqa: E402
import bench_debris  # noqa: E402
import bench_encoder  # noqa: E402
import bench_entities  # noqa: E402
import bench_extraction  # noqa: E402
import bench_paraphrase  # noqa: E402
import bench_quotes  # noqa: E402
import bench_reliability  # noqa: E402
import bench_scale  # noqa: E402
import bench_similarity  # noqa: E402
import bench_store  # noqa: E402
import bench_stories  # noqa: E402
import bench_throughput  # noqa: E402
import bench_web  # noqa: E402
import bench_workers  # noqa: E402

# name -> module with main() (runs, prints, writes results/NAME.json) and markdown(result)
BENCHMARK_MODULES = {
    "extraction": bench_extraction,
    "debris": bench_debris,
    "throughput": bench_throughput,
    "stories": bench_stories,
    "similarity": bench_similarity,
    "encoder": bench_encoder,
    "crosslang": bench_crosslang,
    "copies": bench_copies,
    "scale": bench_scale,
    "store": bench_store,
    "workers": bench_workers,
    "entities": bench_entities,
    "quotes": bench_quotes,
    "brief": bench_brief,
    "paraphrase": bench_paraphrase,
    "web": bench_web,
    "reliability": bench_reliability,
}


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARK_MODULES)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(BENCHMARK_MODULES)}")
    for name in names or BENCHMARK_MODULES:
        BENCHMARK_MODULES[name].main()


if __name__ == "__main__":
    main(sys.argv[1:])
