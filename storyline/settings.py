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
    # stories; chosen on benchmarks/bench_stories.py (ECB+, Multi-News)
    story_name_weight: float = 0.5  # weight of named things against content words
    story_neighbors: int = 3  # k of the k-nearest-neighbour graph
    story_min_similarity: float = 0.1  # weaker links are not edges
    story_resolution: float = 5.0  # Louvain resolution: higher keeps similar events apart
    story_candidate_terms: int = 40  # each article's strongest terms used to find candidates
    story_candidates: int = 30  # candidates re-scored exactly per article
    story_max_term_share: float = 0.05  # a term in more articles' top terms than this does not block
    story_same_days: int = 3  # dates this close never weaken a link
    story_decay_days: float = 14.0  # then the link weakens by 1 / (1 + extra_days / decay)


DEFAULT_SETTINGS = Settings()
