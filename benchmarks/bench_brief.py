"""The brief on the Multi-News validation sample: ROUGE-1/2/L F1 (stemmed)
against the human summaries, next to lead, LexRank and TextRank (sumy) run
in the same process at the same length.

Every system's output is cut to the same number of words (``WORDS``, near
the human summaries' mean length). sumy needs a sentence splitter; it gets
the one storyline uses (sentencex), since NLTK's punkt cannot be downloaded.
"""

from __future__ import annotations

import re
import statistics

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from storyline.claims import differences, find_claims
from storyline.clean import clean_text
from storyline.model import Article
from storyline.pipeline import build_stories
from storyline.sentences import sentence_spans
from storyline.settings import DEFAULT_SETTINGS
from storyline.summarize import summarize

from common import Timer, print_table, write_results
from data import multinews_clusters

WORDS = 250
PUBLISHED = {"LexRank (full test split)": (38.3, 12.7, None), "PRIMERA zero-shot": (42.0, 13.6, 20.8),
             "PRIMERA fine-tuned": (49.9, 21.1, 25.9)}


class SentencexTokenizer:
    """The two methods sumy asks of a tokenizer."""

    language = "english"

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(s.of(text) for s in sentence_spans(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(re.findall(r"[^\W_]+(?:['’][^\W_]+)?", sentence))


def cut(sentences: list[str], words: int = WORDS) -> str:
    out: list[str] = []
    for sentence in sentences:
        out += sentence.split()
        if len(out) >= words:
            break
    return " ".join(out[:words])


def lead(documents: list[str]) -> str:
    """First sentences of each document in turn."""
    split = [[s.of(d) for s in sentence_spans(d)] for d in documents]
    order = [s for k in range(max(map(len, split), default=0)) for doc in split if k < len(doc) for s in doc[k:k + 1]]
    return cut(order)


def sumy_summary(summarizer_class, documents: list[str]) -> str:
    tokenizer = SentencexTokenizer()
    parser = PlaintextParser.from_string("\n\n".join(documents), tokenizer)
    summarizer = summarizer_class(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = summarizer(parser.document, 40)
    return cut([str(s) for s in sentences])


def ours(documents: list[str]) -> str:
    # as storyline would: cleaned text, copies found, then the brief
    articles = [Article(id=f"d{i}", source="", text=clean_text(d).text or d) for i, d in enumerate(documents)]
    settings = DEFAULT_SETTINGS.__class__(describe=False)
    build_stories(articles, settings)  # copies, so that copies count once
    return cut([s.text for s in summarize(articles, settings, max_words=WORDS)])


def stage_throughput(clusters) -> dict:
    """Seconds spent in the brief (``summarize``) and in the claims stage
    (``find_claims`` + ``differences``) on every cluster, as storyline runs them."""
    spent = {"brief (summarize)": 0.0, "claims (find_claims + differences)": 0.0}
    total = 0
    for documents, _ in clusters:
        articles = [Article(id=f"d{i}", source="", text=clean_text(d).text or d) for i, d in enumerate(documents)]
        build_stories(articles, DEFAULT_SETTINGS.__class__(describe=False))
        total += len(articles)
        with Timer() as t:
            summarize(articles, DEFAULT_SETTINGS)
        spent["brief (summarize)"] += t.seconds
        with Timer() as t:
            differences(find_claims("s", articles, DEFAULT_SETTINGS), articles)
        spent["claims (find_claims + differences)"] += t.seconds
    return {name: {"articles": total, "seconds": seconds, "articles_per_second": total / seconds}
            for name, seconds in spent.items()}


def main() -> dict:
    clusters = multinews_clusters()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    systems = {"storyline": ours, "lead": lead,
               "LexRank (sumy)": lambda d: sumy_summary(LexRankSummarizer, d),
               "TextRank (sumy)": lambda d: sumy_summary(TextRankSummarizer, d)}
    results: dict = {"clusters": len(clusters), "words": WORDS,
                     "reference_words_mean": statistics.mean(len(s.split()) for _, s in clusters), "systems": {}}
    for name, fn in systems.items():
        r1, r2, rl = [], [], []
        with Timer() as t:
            outputs = [fn(docs) for docs, _ in clusters]
        for out, (_, reference) in zip(outputs, clusters):
            reference = reference.lstrip("– ").strip()
            s = scorer.score(reference, out)
            r1.append(s["rouge1"].fmeasure)
            r2.append(s["rouge2"].fmeasure)
            rl.append(s["rougeLsum"].fmeasure)
        results["systems"][name] = {"rouge1": 100 * statistics.mean(r1), "rouge2": 100 * statistics.mean(r2),
                                    "rougeL": 100 * statistics.mean(rl), "seconds": t.seconds,
                                    "clusters_per_second": len(clusters) / t.seconds}
    rows = [[n, v["rouge1"], v["rouge2"], v["rougeL"], v["clusters_per_second"]] for n, v in results["systems"].items()]
    rows += [[f"{n} (published)", a, b, c, None] for n, (a, b, c) in PUBLISHED.items()]
    print_table(f"Brief vs. human summaries, Multi-News validation sample ({len(clusters)} clusters, {WORDS} words)",
                ["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "clusters/s"], rows)
    results["stages"] = stage_throughput(clusters)
    print_table("Claim and brief stages (after cleaning and copies)", ["stage", "articles", "seconds", "articles/s"],
                [[n, v["articles"], v["seconds"], v["articles_per_second"]] for n, v in results["stages"].items()])
    gain = results["systems"]["storyline"]["rouge2"] - results["systems"]["LexRank (sumy)"]["rouge2"]
    results["rouge2_gain_over_lexrank"] = gain
    print(f"ROUGE-2 over LexRank: {gain:+.2f} points (goal +1.5)")
    write_results("brief", results)
    return results


def markdown(r: dict) -> str:
    rows = "\n".join(f"| {n} | {v['rouge1']:.2f} | {v['rouge2']:.2f} | {v['rougeL']:.2f} | {v['clusters_per_second']:.1f} |"
                     for n, v in r["systems"].items())
    published = "\n".join(f"| {n} (published, full test split) | {a} | {b} | {c if c is not None else '–'} | – |"
                          for n, (a, b, c) in PUBLISHED.items())
    stages = ""
    if "stages" in r:
        stages = ("\nStage throughput on the same clusters (cleaned, copies found; the spaCy parse that quotes need "
                  "is timed in the quotes benchmark):\n\n| stage | articles | seconds | articles/s |\n|---|---:|---:|---:|\n"
                  + "\n".join(f"| {n} | {v['articles']} | {v['seconds']:.1f} | {v['articles_per_second']:.1f} |"
                               for n, v in r["stages"].items()) + "\n")
    return f"""## The brief (issue 6)

`benchmarks/bench_brief.py`, {r['date']}: ROUGE F1 (stemmed; ROUGE-L is summary-level) against the
human summaries of the {r['clusters']} Multi-News validation clusters, every system cut to {r['words']} words
(the references average {r['reference_words_mean']:.0f}). Baselines in the same run; published rows are
on the full test split, for scale only.

| system | ROUGE-1 | ROUGE-2 | ROUGE-L | clusters/s |
|---|---:|---:|---:|---:|
{rows}
{published}

ROUGE-2 over LexRank: **{r['rouge2_gain_over_lexrank']:+.2f}** points (goal: +1.5).
{stages}"""


if __name__ == "__main__":
    main()
