"""Main-text extraction on the 181 pages of shared/bench/article_extraction.

Compares storyline's HTML ingest + cleaning with trafilatura's default
extraction, run here on the same pages, and with published figures. Scores:
bag-of-tokens P/R/F1 averaged over pages (the data's README) and the pooled
4-token-shingle P/R/F1 of the original benchmark, for the published column.
Also counts lines our cleaning removed that are in the gold article body:
each is a sentence of the article lost by mistake.
"""

from __future__ import annotations

import gzip
import json
import re
import sys

import trafilatura

from storyline.clean import clean_text
from storyline.errors import SkippedInput
from storyline.model import Document
from storyline.pipeline import prepare_article

from common import BENCH_DATA, Timer, bag_prf, mean, pooled_prf, print_table, require, shingle_counts, write_results

PUBLISHED_F1 = {"trafilatura": 0.958, "newspaper4k": 0.949, "readability": 0.922, "boilerpipe": 0.86}


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def load_pages(limit: int | None = None) -> list[tuple[str, str, str, str]]:
    base = require(BENCH_DATA / "article_extraction")
    truth = json.loads((base / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id, item in list(truth.items())[:limit]:
        html = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((page_id, item["url"], html, item["articleBody"]))
    return pages


def ours(html: str, url: str) -> tuple[str, list]:
    try:
        article = prepare_article(Document(id="x", source=url, html=html, url=url))
    except SkippedInput:
        return "", []
    return article.text, article.removed


def score(name: str, outputs: dict[str, str], pages, seconds: float) -> dict:
    bags = [bag_prf(outputs[pid], gold) for pid, _, _, gold in pages]
    shingles = pooled_prf([shingle_counts(outputs[pid], gold) for pid, _, _, gold in pages])
    return {
        "system": name,
        "bag_precision": mean([b[0] for b in bags]),
        "bag_recall": mean([b[1] for b in bags]),
        "bag_f1": mean([b[2] for b in bags]),
        "shingle_precision": shingles[0],
        "shingle_recall": shingles[1],
        "shingle_f1": shingles[2],
        "seconds": seconds,
        "pages_per_second": len(pages) / seconds if seconds else None,
        "per_page_f1": {pid: b[2] for (pid, *_), b in zip(pages, bags)},
    }


def main(limit: int | None = None) -> dict:
    pages = load_pages(limit)
    systems = {}

    with Timer() as t:
        base_out = {pid: trafilatura.extract(html, url=url) or "" for pid, url, html, _ in pages}
    systems["trafilatura (default)"] = score("trafilatura (default)", base_out, pages, t.seconds)

    with Timer() as t:
        tuned_out = {pid: trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""
                     for pid, url, html, _ in pages}
    systems["trafilatura (no comments, precision)"] = score(
        "trafilatura (no comments, precision)", tuned_out, pages, t.seconds)

    removed_by_page = {}
    with Timer() as t:
        our_out = {}
        for pid, url, html, _ in pages:
            our_out[pid], removed_by_page[pid] = ours(html, url)
    systems["storyline"] = score("storyline", our_out, pages, t.seconds)

    # Removed lines that are really part of the gold body: sentences lost by mistake.
    false_removals, removals = [], 0
    reasons: dict[str, int] = {}
    for pid, _, _, gold in pages:
        gold_norm = _norm(gold)
        for item in removed_by_page[pid]:
            removals += 1
            reasons[item.reason] = reasons.get(item.reason, 0) + 1
            line = _norm(item.text)
            if len(line.split()) >= 4 and line in gold_norm:
                false_removals.append({"page": pid, "reason": item.reason, "text": item.text})

    # The gold bodies themselves, cleaned as plain text: every removal is a mistake.
    text_removals = []
    for pid, _, _, gold in pages:
        cleaned = clean_text(gold)
        text_removals += [{"page": pid, "reason": r.reason, "text": r.text} for r in cleaned.removed]
        if cleaned.title:
            text_removals.append({"page": pid, "reason": "taken as title", "text": cleaned.title})
    gold_lines = sum(len([ln for ln in gold.splitlines() if ln.strip()]) for *_, gold in pages)

    worst = sorted(pages, key=lambda p: systems["storyline"]["per_page_f1"][p[0]])[:10]
    errors = []
    for pid, url, _, gold in worst:
        p, r, f = bag_prf(our_out[pid], gold)
        errors.append({"page": pid, "url": url, "precision": p, "recall": r, "f1": f,
                       "trafilatura_f1": systems["trafilatura (default)"]["per_page_f1"][pid],
                       "our_chars": len(our_out[pid]), "gold_chars": len(gold)})

    losses = sorted((1 - f for f in systems["storyline"]["per_page_f1"].values()), reverse=True)
    worst_share = sum(losses[:10]) / sum(losses) if sum(losses) else 0.0
    rows = [[name, s["bag_precision"], s["bag_recall"], s["bag_f1"], s["shingle_f1"],
             PUBLISHED_F1["trafilatura"] if name.startswith("trafilatura (default") else None,
             s["pages_per_second"]] for name, s in systems.items()]
    rows += [[f"{name} (published)", None, None, None, f1, f1, None]
             for name, f1 in PUBLISHED_F1.items() if name != "trafilatura"]
    print_table(f"Article extraction, {len(pages)} pages",
                ["system", "bag P", "bag R", "bag F1", "shingle F1", "published F1", "pages/s"], rows)
    print_table("Cleaning on these pages", ["what", "count"],
                [["lines removed", removals], ["removed lines found in the gold body", len(false_removals)],
                 ["gold bodies as plain text: lines", gold_lines],
                 ["gold bodies as plain text: lines removed (all wrong)", len(text_removals)]]
                + [[f"  reason: {k}", v] for k, v in sorted(reasons.items())])
    print_table("Lowest-scoring pages (storyline)", ["page", "P", "R", "F1", "trafilatura F1"],
                [[e["page"][:12], e["precision"], e["recall"], e["f1"], e["trafilatura_f1"]] for e in errors])
    result = {
        "pages": len(pages),
        "systems": {k: {kk: vv for kk, vv in v.items() if kk != "per_page_f1"} for k, v in systems.items()},
        "published_f1": PUBLISHED_F1,
        "removed_lines": removals,
        "removed_by_reason": reasons,
        "false_removals": false_removals,
        "gold_as_text_lines": gold_lines,
        "gold_as_text_removals": text_removals,
        "worst_pages": errors,
        "worst10_share_of_f1_loss": worst_share,
        "pages_below_0_9": sum(1 for f in systems["storyline"]["per_page_f1"].values() if f < 0.9),
        "f1_ratio_vs_trafilatura": systems["storyline"]["bag_f1"] / systems["trafilatura (default)"]["bag_f1"],
    }
    write_results("extraction", result)
    return result


def markdown(r: dict) -> str:
    """This benchmark's section of BENCHMARKS.md, from its results file."""
    s = r["systems"]
    rows = "\n".join(
        f"| {name} | {v['bag_precision']:.3f} | {v['bag_recall']:.3f} | {v['bag_f1']:.3f} | {v['shingle_f1']:.3f} "
        f"| {PUBLISHED_F1['trafilatura'] if name == 'trafilatura (default)' else '–'} | {v['pages_per_second']:.1f} |"
        for name, v in s.items()
    )
    published = "\n".join(f"| {name} (published) | – | – | – | – | {f1} | – |"
                           for name, f1 in PUBLISHED_F1.items() if name != "trafilatura")
    return f"""## Article extraction (issue 3)

`benchmarks/bench_extraction.py` on the {r['pages']} pages of `shared/bench/article_extraction`.
Bag-of-tokens P/R/F1 are averaged over pages (the data's README); shingle F1 is the
pooled 4-token-shingle score the published figures use. All rows except "published"
ran in the same process on the same pages ({r['date']}).

| system | bag P | bag R | bag F1 | shingle F1 | published F1 | pages/s |
|---|---:|---:|---:|---:|---:|---:|
{rows}
{published}

storyline / trafilatura default, bag F1: **{r['f1_ratio_vs_trafilatura']:.3f}×**.

Cleaning on these pages removed {r['removed_lines']} lines
({", ".join(f"{k} {v}" for k, v in sorted(r['removed_by_reason'].items()))});
{len(r['false_removals'])} of them are in the gold article body. Fed the gold bodies themselves
as plain text ({r['gold_as_text_lines']} lines), cleaning removed {len(r['gold_as_text_removals'])} lines
(every one a mistake by construction, though some gold bodies do contain credits and
copyright lines).

Where the remaining errors come from: the 10 worst pages carry
{r['worst10_share_of_f1_loss']:.0%} of the total F1 loss ({r['pages_below_0_9']} pages score below 0.9).

| page | P | R | F1 | trafilatura default F1 |
|---|---:|---:|---:|---:|
""" + "\n".join(f"| {e['url'][:70]} | {e['precision']:.2f} | {e['recall']:.2f} | {e['f1']:.2f} | "
                f"{e['trafilatura_f1']:.2f} |" for e in r["worst_pages"][:6]) + """

Low recall (R < 0.5): pages whose body is split into several containers (two Wired
stories) where trafilatura keeps only the first part, with either setting. Low
precision: pages where the gold body is a small part of the main text (a quotation page,
a race calendar) or where lists, tables and bylines next to the body are kept. Neither
is debris a line rule can see, so further gains would have to come from the extractor
itself (e.g. merging sibling containers).
"""


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
