"""The brief on the Multi-News validation sample: ROUGE-1/2/L F1 (stemmed)
against the human summaries, next to lead, LexRank and TextRank (sumy) run
in the same process at the same length.

Every system's output is cut to the same number of words (``WORDS``, near
the human summaries' mean length). sumy needs a sentence splitter; it gets
the one storyline uses (sentencex), since NLTK's punkt cannot be downloaded.
"""

from __future__ import annotations

import json
import os
import re
import statistics
from dataclasses import replace

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from storyline import align
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


def lead(documents: list[str], words: int = WORDS) -> str:
    """First sentences of each document in turn."""
    split = [[s.of(d) for s in sentence_spans(d)] for d in documents]
    order = [s for k in range(max(map(len, split), default=0)) for doc in split if k < len(doc) for s in doc[k:k + 1]]
    return cut(order, words)


def sumy_summary(summarizer_class, documents: list[str], words: int = WORDS) -> str:
    tokenizer = SentencexTokenizer()
    parser = PlaintextParser.from_string("\n\n".join(documents), tokenizer)
    summarizer = summarizer_class(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = summarizer(parser.document, 40)
    return cut([str(s) for s in sentences], words)


def prepare(documents: list[str]) -> list[Article]:
    """As storyline would: cleaned text, copies found (so that copies count once)."""
    articles = [Article(id=f"d{i}", source="", text=clean_text(d).text or d) for i, d in enumerate(documents)]
    articles, _ = build_stories(articles, DEFAULT_SETTINGS.__class__(describe=False))
    return articles


LENGTHS = (100, 250)
FLOOR_GRID = [0.3, 0.4, 0.5, 0.6, 0.7]
CENTROID_GRID = [0.0, 0.25, 0.5, 0.75, 1.0]
LENGTH_EXPONENTS = [0.5, 0.7]
REDUNDANCY_GRID = [0.3, 0.4, 0.5]
HALVES = (("even clusters", 0), ("odd clusters", 1))


def _mean(values: list[float], half: int | None = None) -> float:
    return statistics.mean(values if half is None else values[half::2])


def held_out(prepared, vectors, scorer) -> dict:
    """Each choice made on one half of the clusters (even or odd), scored on the
    other: ``align_floor`` (where the encoder's cosine starts to count) at each
    length, the selection's ``brief_length_exponent`` and ``brief_redundancy``
    (together, on both lengths), and ``brief_centroid_weight`` (words only) at
    250 words."""
    def rouge2(settings, words, with_vectors=True) -> list[float]:
        return [100 * scorer.score(ref, cut([s.text for s in summarize(a, settings, max_words=words,
                                                                        vectors=v if with_vectors else None)], words))
                ["rouge2"].fmeasure for (a, ref), v in zip(prepared, vectors)]
    out: dict = {"floor": {}, "centroid": []}
    for words in LENGTHS:
        table = {f: rouge2(replace(DEFAULT_SETTINGS, align_floor=f), words) for f in FLOOR_GRID}
        lexical = rouge2(replace(DEFAULT_SETTINGS, encoder=False), words, False)
        rows = []
        for name, f in HALVES:
            best = max(FLOOR_GRID, key=lambda x: _mean(table[x], f))
            rows.append({"tuned_on": name, "chosen": best, "held_out": _mean(table[best], 1 - f),
                         "held_out_words_only": _mean(lexical, 1 - f)})
        out["floor"][str(words)] = {"grid": {str(f): _mean(v) for f, v in table.items()}, "halves": rows}
    # the selection's two knobs, chosen together on one half (ROUGE-2 summed over both lengths)
    combos = [(r, c) for r in LENGTH_EXPONENTS for c in REDUNDANCY_GRID]
    scores = {(r, c, w): rouge2(replace(DEFAULT_SETTINGS, brief_length_exponent=r, brief_redundancy=c), w)
              for r, c in combos for w in LENGTHS}
    out["selection"] = []
    for name, f in HALVES:
        best = max(combos, key=lambda rc: sum(_mean(scores[(*rc, w)], f) for w in LENGTHS))
        out["selection"].append({"tuned_on": name, "chosen": {"brief_length_exponent": best[0],
                                                              "brief_redundancy": best[1]},
                                 "held_out": {str(w): _mean(scores[(*best, w)], 1 - f) for w in LENGTHS}})
    table = {w: rouge2(replace(DEFAULT_SETTINGS, brief_centroid_weight=w, encoder=False), WORDS, False)
             for w in CENTROID_GRID}
    for name, f in HALVES:
        best = max(CENTROID_GRID, key=lambda w: _mean(table[w], f))
        out["centroid"].append({"tuned_on": name, "chosen": best,
                                "held_out_gain_over_no_centroid": _mean(table[best], 1 - f) - _mean(table[0.0], 1 - f)})
    return out


def stage_throughput(clusters) -> dict:
    """Seconds spent in the brief and the claims stage on every cluster, as
    storyline runs them (sentence vectors computed once for both), with the
    encoder and with words only, in one run."""
    spent = {"brief + claims, words only": 0.0, "brief + claims, with the encoder": 0.0}
    total = 0
    load_before = os.getloadavg()[0]
    for documents, _ in clusters:
        articles = [Article(id=f"d{i}", source="", text=clean_text(d).text or d) for i, d in enumerate(documents)]
        articles, _ = build_stories(articles, DEFAULT_SETTINGS.__class__(describe=False))
        total += len(articles)
        for name, settings in (("brief + claims, words only", replace(DEFAULT_SETTINGS, encoder=False)),
                               ("brief + claims, with the encoder", DEFAULT_SETTINGS)):
            with Timer() as t:
                vectors = align.story_vectors(articles, settings)
                summarize(articles, settings, vectors=vectors)
                differences(find_claims("s", articles, settings, vectors), articles)
            spent[name] += t.seconds
    result = {name: {"articles": total, "seconds": seconds, "articles_per_second": total / seconds}
              for name, seconds in spent.items()}
    result["ratio"] = spent["brief + claims, words only"] / spent["brief + claims, with the encoder"]
    # the machine's 1-minute load average before and after (others' work slows the encoder's threads most)
    result["load_average"] = [load_before, os.getloadavg()[0]]
    return result


def main() -> dict:
    clusters = multinews_clusters()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    prepared = [(prepare(docs), ref.lstrip("– ").strip()) for docs, ref in clusters]
    vectors = [align.story_vectors(a) for a, _ in prepared]
    words_only = replace(DEFAULT_SETTINGS, encoder=False)
    results: dict = {"clusters": len(clusters), "lengths": list(LENGTHS),
                     "reference_words_mean": statistics.mean(len(s.split()) for _, s in clusters), "by_length": {}}
    for words in LENGTHS:
        systems = {
            "storyline": lambda i, d, w=words: cut([s.text for s in summarize(prepared[i][0], DEFAULT_SETTINGS, w,
                                                                              vectors[i])], w),
            "storyline, words only": lambda i, d, w=words: cut([s.text for s in summarize(prepared[i][0],
                                                                                          words_only, w)], w),
            "lead": lambda i, d, w=words: lead(d, w),
            "LexRank (sumy)": lambda i, d, w=words: sumy_summary(LexRankSummarizer, d, w),
            "TextRank (sumy)": lambda i, d, w=words: sumy_summary(TextRankSummarizer, d, w),
        }
        table: dict = {}
        per_cluster: dict[str, list[float]] = {}
        fill: dict = {}
        for name, fn in systems.items():
            r1, r2, rl, lengths = [], [], [], []
            for i, (docs, _) in enumerate(clusters):
                text = fn(i, docs)
                lengths.append(len(text.split()))
                s = scorer.score(prepared[i][1], text)
                r1.append(100 * s["rouge1"].fmeasure)
                r2.append(100 * s["rouge2"].fmeasure)
                rl.append(100 * s["rougeLsum"].fmeasure)
            per_cluster[name] = r2
            fill[name] = {"mean_words": _mean(lengths), "short": sum(n < words for n in lengths)}
            table[name] = {"rouge1": _mean(r1), "rouge2": _mean(r2), "rougeL": _mean(rl),
                           "rouge2_even": _mean(r2, 0), "rouge2_odd": _mean(r2, 1)}
        diffs = [a - b for a, b in zip(per_cluster["storyline"], per_cluster["LexRank (sumy)"])]
        gain = {"all": _mean(diffs), "even": _mean(diffs, 0), "odd": _mean(diffs, 1),
                "standard_error": statistics.stdev(diffs) / len(diffs) ** 0.5}
        # the brief's own length before the cut (it may run over the budget by its last sentence)
        uncut = [sum(len(s.text.split()) for s in summarize(a, DEFAULT_SETTINGS, words, v))
                 for (a, _), v in zip(prepared, vectors)]
        fill["storyline"]["mean_words_before_cut"] = _mean(uncut)
        results["by_length"][str(words)] = {"systems": table, "rouge2_gain_over_lexrank": gain, "fill": fill}
        rows = [[n, v["rouge1"], v["rouge2"], v["rougeL"], v["rouge2_even"], v["rouge2_odd"]] for n, v in table.items()]
        rows += [[f"{n} (published)", a, b, c, None, None] for n, (a, b, c) in PUBLISHED.items()]
        print_table(f"Brief vs. human summaries, Multi-News ({len(clusters)} clusters, {words} words)",
                    ["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "R-2 even", "R-2 odd"], rows)
        print(f"ROUGE-2 over LexRank at {words} words: {gain['all']:+.2f} (even {gain['even']:+.2f}, "
              f"odd {gain['odd']:+.2f}; s.e. {gain['standard_error']:.2f})")
    results["held_out"] = held_out(prepared, vectors, scorer)
    print(json.dumps(results["held_out"], indent=1))
    results["stages"] = stage_throughput(clusters)
    print_table("Brief and claims stages (after cleaning and copies)", ["stage", "articles", "seconds", "articles/s"],
                [[n, v["articles"], v["seconds"], v["articles_per_second"]] for n, v in results["stages"].items()
                 if isinstance(v, dict)])
    write_results("brief", results)
    return results


def _held_out_gain(r: dict, words: int) -> float:
    """Storyline with its selection knobs chosen on one half, minus LexRank, on
    the other half (the worse of the two directions)."""
    lexrank = r["by_length"][str(words)]["systems"]["LexRank (sumy)"]
    halves = r["held_out"].get("selection") or [
        {"tuned_on": h["tuned_on"], "held_out": {str(words): h["held_out"]}}
        for h in r["held_out"]["floor"][str(words)]["halves"]]
    return min(h["held_out"][str(words)] - lexrank["rouge2_odd" if h["tuned_on"] == "even clusters" else "rouge2_even"]
               for h in halves)


def _held_out_rows(r: dict) -> list[str]:
    """One markdown row per length and direction: the selection knobs chosen on one
    half, storyline scored on the other, next to the baselines on that same half."""
    rows = []
    for words in r["lengths"]:
        systems = r["by_length"][str(words)]["systems"]
        for h in r["held_out"].get("selection", []):
            other = "rouge2_odd" if h["tuned_on"] == "even clusters" else "rouge2_even"
            ours = h["held_out"][str(words)]
            base = [systems[n][other] for n in ("LexRank (sumy)", "TextRank (sumy)", "lead")]
            chosen = f"{h['chosen']['brief_length_exponent']} / {h['chosen']['brief_redundancy']}"
            rows.append(f"| {words} | {h['tuned_on']} | {other[7:]} clusters | {chosen} | {ours:.2f} | "
                        + " | ".join(f"{b:.2f}" for b in base) + f" | {ours - base[0]:+.2f} |")
    return rows


def goals(r: dict) -> list[tuple[str, str, str, bool]]:
    out = []
    for words in r["lengths"]:
        gain = _held_out_gain(r, words)
        out.append(("13", f"brief ROUGE-2 ≥ LexRank + 2.0 at {words} words (held-out half)", f"{gain:+.2f}",
                    gain >= 2.0))
    ratio = r["stages"]["ratio"]
    out.append(("13", "brief + claims with the encoder ≥ 0.5× words only", f"{ratio:.2f}×", ratio >= 0.5))
    return out


def markdown(r: dict) -> str:
    parts = [f"""## The brief (issues 6 and 13)

`benchmarks/bench_brief.py`, {r['date']}: ROUGE F1 (stemmed; ROUGE-L is summary-level) against the
human summaries of the {r['clusters']} Multi-News validation clusters, every system cut to the same length
(the references average {r['reference_words_mean']:.0f} words). Baselines in the same run; published rows are
on the full test split, for scale only. "R-2 even/odd" are the two halves of the clusters.
"""]
    for words in r["lengths"]:
        d = r["by_length"][str(words)]
        rows = "\n".join(f"| {n} | {v['rouge1']:.2f} | {v['rouge2']:.2f} | {v['rougeL']:.2f} | "
                         f"{v['rouge2_even']:.2f} | {v['rouge2_odd']:.2f} |" for n, v in d["systems"].items())
        g = d["rouge2_gain_over_lexrank"]
        parts.append(f"""### {words} words

| system | ROUGE-1 | ROUGE-2 | ROUGE-L | R-2 even | R-2 odd |
|---|---:|---:|---:|---:|---:|
{rows}

ROUGE-2 over LexRank (shipped settings): {g['all']:+.2f} (even {g['even']:+.2f}, odd {g['odd']:+.2f}; standard
error of the per-cluster difference {g['standard_error']:.2f}).
""")
    parts.append(f"""### Held out, both directions

Length exponent / redundancy chosen together on one half (ROUGE-2 summed over both lengths), storyline
scored on the other half, next to the baselines on that same half (same run). The goal is read on the
worse direction.

| words | knobs chosen on | scored on | exponent / redundancy | storyline | LexRank | TextRank | lead | over LexRank |
|---|---|---|---|---:|---:|---:|---:|---:|
{chr(10).join(_held_out_rows(r))}
""")
    if all("fill" in r["by_length"][str(w)] for w in r["lengths"]):
        rows = []
        for w in r["lengths"]:
            for n, f in r["by_length"][str(w)]["fill"].items():
                before = f.get("mean_words_before_cut")
                rows.append(f"| {w} | {n} | {f['mean_words']:.1f} | {f['short']} | "
                            f"{'–' if before is None else f'{before:.1f}'} |")
        parts.append(f"""### Does each system fill the budget?

Every system's output is cut by the same function to the same number of words; a cluster whose
output is shorter than the budget (too little text to pick from) loses recall.

| words | system | mean words after the cut | clusters under the budget | storyline's brief before the cut |
|---|---|---:|---:|---:|
{chr(10).join(rows)}
""")
    fl = r["held_out"]["floor"]
    lines = []
    for words in r["lengths"]:
        for h in fl[str(words)]["halves"]:
            lines.append(f"| {words} | {h['tuned_on']} | {h['chosen']} | {h['held_out']:.2f} | "
                         f"{h['held_out_words_only']:.2f} |")
    grid = "; ".join(f"{w} words: " + ", ".join(f"{f}: {v:.2f}" for f, v in fl[str(w)]["grid"].items())
                     for w in r["lengths"])
    parts.append(f"""### Held out: where the encoder's cosine starts to count (`align_floor`)

The brief compares sentences by the larger of their words' cosine and the encoder's cosine above
`align_floor`, stretched to [0, 1]. The floor is chosen on one half and scored on the other, next to the
words only on that same half:

| words | chosen on | floor | ROUGE-2, other half | words only, other half |
|---|---|---:|---:|---:|
{chr(10).join(lines)}

Grid (all clusters): {grid}. Held-out gain of storyline over LexRank at each length (selection knobs
chosen on one half, the worse of the two other halves):
{", ".join(f"{w} words {_held_out_gain(r, w):+.2f}" for w in r["lengths"])} (goal +2.0).
The selection (concept coverage, Gillick & Favre 2009) has two knobs, `brief_length_exponent`
({', '.join(map(str, LENGTH_EXPONENTS))}) and `brief_redundancy` ({', '.join(map(str, REDUNDANCY_GRID))}), chosen together on one
half: {'; '.join(f"on {h['tuned_on']} → {h['chosen']['brief_length_exponent']} / {h['chosen']['brief_redundancy']}, other half " + ", ".join(f"{w} words {v:.2f}" for w, v in h['held_out'].items()) for h in r["held_out"].get("selection", []))}.
The centroid weight (`brief_centroid_weight`, words only, 250 words) chosen on one half:
{'; '.join(f"tuned on {h['tuned_on']} → {h['chosen']}, {h['held_out_gain_over_no_centroid']:+.2f} ROUGE-2 against no centroid term on the other half" for h in r["held_out"]["centroid"])}.
""")
    st = r["stages"]
    load = (f" Load average of the machine ({r['machine']['cpus']} cores) before / after the timing: "
            f"{st['load_average'][0]:.1f} / {st['load_average'][1]:.1f}." if "load_average" in st else "")
    rows = "\n".join(f"| {n} | {v['articles']} | {v['seconds']:.1f} | {v['articles_per_second']:.1f} |"
                     for n, v in st.items() if isinstance(v, dict))
    parts.append(f"""### Cost of the brief and claims stages

Same clusters, cleaned and copies found; sentence vectors are computed once per story for both stages
(the spaCy parse that quotes need is timed in the quotes benchmark). One run:

| stages | articles | seconds | articles/s |
|---|---:|---:|---:|
{rows}

With the encoder they run at **{st['ratio']:.2f}×** the speed of words only (goal ≥ 0.5×).{load}
""")
    return "\n".join(parts)


if __name__ == "__main__":
    main()
