"""Loaders for the shared benchmark data sets."""

from __future__ import annotations

import ast
import csv
import sys

from common import BENCH_DATA, require


def multinews_clusters() -> list[tuple[list[str], str]]:
    """(source documents, human summary) for each of the 250 Multi-News clusters."""
    csv.field_size_limit(sys.maxsize)
    path = require(BENCH_DATA / "multinews" / "sample_validation.csv")
    clusters = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            documents = [d.replace(" \n ", "\n").strip() for d in ast.literal_eval(row["documents"])]
            clusters.append(([d for d in documents if d], row["summary"]))
    return clusters
