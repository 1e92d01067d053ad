"""All tunable parameters in one place (trafilatura's ``Extractor`` idea)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # ingest
    max_file_bytes: int = 50 * 1024 * 1024  # a larger file is skipped with a warning
    max_line_bytes: int = 20 * 1024 * 1024  # one JSONL line
    max_json_depth: int = 100  # arrays and objects inside each other in one JSONL line
    min_text_chars: int = 20  # shorter cleaned text is not an article
    max_article_chars: int = 200_000  # ~30,000 words; the rest of a longer text is not analysed (and said so)
    input_suffixes: tuple[str, ...] = (".txt", ".html", ".htm", ".jsonl")
    store_lock_timeout: float = 600.0  # seconds an ingest waits for another one writing to the same store
    # URLs and feeds
    fetch_timeout: float = 15.0  # seconds: connecting, and waiting for each piece of the answer
    fetch_total_seconds: float = 60.0  # a whole download; a slower one is given up
    fetch_max_bytes: int = 10 * 1024 * 1024  # a larger page is skipped with a warning
    fetch_max_redirects: int = 5
    feed_max_entries: int = 200  # entries read from one feed
    fetch_private_entries: bool = False  # feed entries on private/local addresses of another host are refused
    watch_host_interval: float = 1.0  # seconds between two requests to one host (watch)
    watch_max_backoff: float = 6 * 3600.0  # a failing feed is asked again after at most this many seconds
    # HTML extraction (trafilatura); chosen on benchmarks/bench_extraction.py
    include_comments: bool = False
    favor_precision: bool = True
    include_tables: bool = True
    short_extraction_chars: int = 600  # below this, also try a balanced extraction
    # cleaning
    max_debris_words: int = 25  # debris lines are short; longer lines are prose
    # copies; chosen on benchmarks/bench_copies.py
    copy_candidate_jaccard: float = 0.3  # MinHash-LSH threshold on content-word sets
    copy_minhash_perm: int = 64
    copy_max_candidates: int = 10  # most similar LSH candidates checked per article
    copy_all_pairs_below: int = 12  # smaller groups compare every pair, no LSH
    copy_sentence_dice: float = 0.5  # two sentences say the same in other words
    copy_rewrite_coverage: float = 0.7  # share of the shorter article's sentences aligned in order
    copy_rewrite_adjacency: float = 0.7  # ... and following each other as in the original
    copy_min_aligned: int = 4  # fewer aligned sentences are too little evidence
    copy_syndicated_containment: float = 0.5  # share of the shorter text's 5-grams found in the longer
    copy_duplicate_containment: float = 0.9
    # entities, quotes and the brief of each story; off only to time the other stages
    describe: bool = True
    # brief; chosen on benchmarks/bench_brief.py (Multi-News)
    brief_words: int = 130  # about 100-150 words
    brief_sentences_per_article: int = 50
    brief_min_words: int = 6
    brief_max_words: int = 60
    brief_support_similarity: float = 0.35  # a sentence this close in another source supports it
    brief_support_weight: float = 0.5
    brief_centroid_weight: float = 0.5  # similarity to the story's centroid (each source weighing the same)
    brief_position_decay: float = 0.02
    # these two chosen together on half of Multi-News's clusters (bench_brief: words only, both halves choose
    # 0.7 / 0.4; with the encoder, the odd half chooses 0.5 / 0.4); the other half is the held-out figure
    brief_redundancy: float = 0.4  # never two sentences this close
    brief_length_exponent: float = 0.7  # a sentence's gain is per word ** this (0: per sentence, 1: per word)
    brief_dangling_penalty: float = 0.5  # for "He said ..." sentences that need their context
    # claims; alignment weights from benchmarks/bench_paraphrase.py (MSRP)
    claim_sentences_per_article: int = 60
    claim_min_words: int = 6
    claim_candidate_cosine: float = 0.15  # cheap filter before the paraphrase scorer
    claim_same_probability: float = 0.5  # paraphrase probability that joins two statements
    claim_containment: float = 0.6  # ... or this share of the shorter's content words in the longer
    claim_min_shared: int = 5
    claim_related_probability: float = 0.25  # closer than this, a statement is not "only X reports"
    # ... nor across languages at this encoder cosine: on SemEval-22 cross-language pairs
    # (bench_crosslang) 5.4 % of statements of unrelated pairs reach it on the held-out half
    claim_related_cosine: float = 0.40
    # statement alignment (storyline/align.py): the encoder cosine that counts as 0 on the words' cosine scale
    align_floor: float = 0.5
    # sentences of each article (its first) embedded for claims and the brief; the rest by words. Set by
    # cost: claims + brief with the encoder at >= 0.5x the speed of words only (bench_brief)
    align_sentences_per_article: int = 5
    # the multilingual sentence encoder (storyline/embeddings.py); off = words only
    encoder: bool = True
    # an article's vector: its title and lead cut at these lengths (summed if several); bench_similarity:
    # the fastest cut within 0.01 r of the best on SemEval's tuning half (best: 300 + 1000, at half the speed)
    encoder_leads: tuple[int, ...] = (800,)
    # stories; chosen on benchmarks/bench_stories.py (ECB+, Multi-News)
    story_name_weight: float = 1.0  # weight of named things against content words
    story_neighbors: int = 4  # k of the k-nearest-neighbour graph
    story_min_similarity: float = 0.16  # weaker links are not edges
    story_relative_cutoff: float = 0.35  # ... nor links weaker than this share of either end's best one
    story_density: float = 0.03  # CPM resolution: a story's links must be denser than this
    story_exact_limit: int = 3000  # up to this many articles, candidates are all pairs
    story_candidate_terms: int = 40  # each article's strongest terms used to find candidates
    story_candidates: int = 30  # candidates re-scored exactly per article
    story_max_term_articles: int = 400  # a term among more articles' top terms than this finds no candidates
    # time: coverage that goes on links through articles within this many days of each other, at full
    # strength; chosen on bench_stories' dated test (half the topics, scored on the other half)
    story_same_days: int = 45
    story_decay_days: float = 1.0  # beyond, a link weakens by 1 / (1 + extra_days / decay): it is gone within days
    # the encoder cosine that counts as 0 on the term-cosine scale; chosen for the best cross-language
    # link decisions on SemEval's tuning half (bench_similarity)
    story_encoder_floor: float = 0.5
    story_cross_language_candidates: int = 10  # closest articles in other languages checked per article
    story_settle_days: int = 60  # stored stories older than this (before the newest article) stay fixed;
    # longer than story_same_days, so a newcomer's links reach only stories that are still regrouped


DEFAULT_SETTINGS = Settings()
