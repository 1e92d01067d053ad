"""All tunable parameters in one place (trafilatura's ``Extractor`` idea)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # ingest
    max_file_bytes: int = 50 * 1024 * 1024  # a larger file is skipped with a warning
    max_line_bytes: int = 20 * 1024 * 1024  # one JSONL line
    min_text_chars: int = 20  # shorter cleaned text is not an article
    input_suffixes: tuple[str, ...] = (".txt", ".html", ".htm", ".jsonl")
    # HTML extraction (trafilatura); chosen on benchmarks/bench_extraction.py
    include_comments: bool = False
    favor_precision: bool = True
    include_tables: bool = True
    short_extraction_chars: int = 600  # below this, also try a balanced extraction
    # cleaning
    max_debris_words: int = 25  # debris lines are short; longer lines are prose


DEFAULT_SETTINGS = Settings()
