"""Cleaning plain text copied from web pages (issue 15): the 181 pages of
shared/bench/article_extraction turned into the text a reader gets by copying
the article out of the page, debris and all, then cleaned as plain text.

The text form of a page: the smallest element of the page whose words hold
nearly all of the gold body's words (the article's container, with its
captions, credits, related-link lists, share, tune-in, newsletter and app
prompts), written one line per block element (a table row is one line of tab-separated
cells, as a browser copies it), scripts and styles left out.
A line is article text when its words run, in order, inside the gold body
(or it is mostly made of the gold body's 4-word shingles); every other line
is debris. Scores: debris recall (debris lines cleaning removes), precision
of the removals, and the share of article lines kept, pooled over pages.

Rows, all in the same run on the same texts:
- storyline's cleaning rules (``clean.clean_text``, plain-text mode);
- the same without the plain-text link-list rules (``clean._link_lists``),
  to show what they add;
- keep everything (the floor: nothing removed);
- a naive rule: drop every line of fewer than 8 words that does not end like a sentence.

Rules may be designed by looking at the "design" half of the pages only; the
"held out" half is the figure that counts.
"""

from __future__ import annotations

import hashlib
import re
import sys

from lxml import etree
from lxml import html as lxml_html

from storyline import clean
from storyline.clean import clean_text

from common import print_table, write_results

GOALS = {"debris_recall": 0.90, "article_kept": 0.995}
HALVES = ("design", "held out")
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "figure", "blockquote",
           "section", "article", "aside", "header", "footer", "nav", "table", "tr", "dd", "dt", "form",
           "button", "label", "pre", "time", "address", "main", "iframe", "hr", "br", "caption", "summary",
           "details"}
_DROP = ("script", "style", "noscript", "template", "svg", "head", "select", "option")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _text_lines(element) -> list[str]:
    """The element's text, one line per block element."""
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            return
        block = node.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        elif node.tag.lower() in ("td", "th"):  # a browser copies a table row as one line of cells
            parts.append("\t")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    return ["\t".join(" ".join(cell.split()) for cell in line.strip().split("\t"))
            for line in "".join(parts).split("\n") if line.strip()]


def text_form(page: str, gold: str) -> list[str] | None:
    """The page as copied text around the gold body, or ``None`` when no element holds it."""
    try:
        root = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    etree.strip_elements(root, *_DROP, etree.Comment, with_tail=False)
    gold_words = set(_words(gold))
    if not gold_words:
        return None
    best, best_size = None, None
    for element in root.iter("article", "main", "div", "section", "body", "td"):
        text = element.text_content()
        size = len(text)
        if best_size is not None and size >= best_size:
            continue
        if len(gold_words & set(_words(text))) >= 0.9 * len(gold_words):
            best, best_size = element, size
    return _text_lines(best) if best is not None else None


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 4]) for i in range(max(0, len(words) - 3))}


def is_article_line(line: str, gold_text: str, gold_shingles: set) -> bool:
    words = _words(line)
    if not words:
        return False
    if f" {' '.join(words)} " in gold_text:
        return True
    shingles = _shingles(words)
    return bool(shingles) and len(shingles & gold_shingles) >= 0.5 * len(shingles)


# Cues that name a medium as the article's source, measured here and not used by
# storyline (see markdown()): "he told RFE/RL", "news agency AFP reported".
_MEDIUM = (r"(?:[A-Z]{2,6}(?:[/&][A-Z]{1,6})?|(?:[A-Z][\w'.-]+ ){0,3}(?:News|Times|Post|Journal|Radio|"
           r"Television|TV|Agency|Press|Herald|Tribune|Telegraph|Guardian|Gazette|Daily|Wire|Network))")
CUES = {"told X": re.compile(rf"\btold (?:the )?({_MEDIUM})\b"),
        "news agency X reported": re.compile(rf"\bnews agency ({_MEDIUM}) (?:reported|said|reports|says)\b")}


def _matches_host(name: str, host: str) -> bool:
    letters = re.sub(r"[^a-z]", "", name.lower())
    return bool(letters) and letters in re.sub(r"[^a-z]", "", host.lower())


def outlet_cues(pages) -> dict:
    """On the text forms of the pages: for each cue, the pages where it names
    exactly one medium, and how often that medium is the site the page is on."""
    from urllib.parse import urlsplit

    from storyline.clean import outlet_cue

    found: dict[str, dict] = {name: {"pages": 0, "right": 0, "examples": []}
                              for name in ["storyline (dateline, banner, app prompt)", *CUES]}
    for _, url, page, gold in pages:
        lines = text_form(page, gold) or []
        host = urlsplit(url).hostname or ""
        named = {"storyline (dateline, banner, app prompt)": {outlet_cue(lines, [])} - {None}}
        named |= {name: {m.group(1) for line in lines for m in cue.finditer(line)} for name, cue in CUES.items()}
        for name, media in named.items():
            if len(media) == 1:
                medium = media.pop()
                f = found[name]
                f["pages"] += 1
                f["right"] += _matches_host(medium, host)
                f["examples"].append(f"{medium} on {host}")
    return found


def naive_removes(line: str) -> bool:
    return len(line.split()) < 8 and not re.search(r"[.!?…]['’\"”)]?$", line)


def main(limit: int | None = None) -> dict:
    from bench_extraction import load_pages

    pages = load_pages(limit)
    link_lists = clean._link_lists
    names = ("storyline", "storyline without the link-list rules", "keep everything",
             "naive: short lines without a sentence end")
    totals = {(name, half): {"debris": 0, "debris_removed": 0, "article": 0, "article_kept": 0, "removed": 0}
              for name in names for half in HALVES}
    by_reason: dict[str, int] = {}
    missed: list[str] = []
    used = 0
    for page_id, _, page, gold in pages:
        half = HALVES[int(hashlib.md5(page_id.encode()).hexdigest(), 16) % 2]
        lines = text_form(page, gold)
        if not lines:
            continue
        used += 1
        gold_words = _words(gold)
        gold_text, gold_shingles = f" {' '.join(gold_words)} ", _shingles(gold_words)
        article = [is_article_line(line, gold_text, gold_shingles) for line in lines]
        cleaned = clean_text("\n".join(lines))
        kept = {" ".join(line.split()) for line in cleaned.text.splitlines() if line.strip()}
        for item in cleaned.removed:
            by_reason[item.reason] = by_reason.get(item.reason, 0) + 1
        clean._link_lists = lambda *_: None  # the rules as they were before issue 15's list rules
        before = clean_text("\n".join(lines))
        clean._link_lists = link_lists
        kept_before = {" ".join(line.split()) for line in before.text.splitlines() if line.strip()}
        decisions = {
            "storyline": [" ".join(line.split()) not in kept for line in lines],
            "storyline without the link-list rules": [" ".join(line.split()) not in kept_before
                                                            for line in lines],
            "keep everything": [False] * len(lines),
            "naive: short lines without a sentence end": [naive_removes(line) for line in lines],
        }
        for name, removed in decisions.items():
            t = totals[(name, half)]
            for is_article, gone in zip(article, removed):
                t["removed"] += gone
                if is_article:
                    t["article"] += 1
                    t["article_kept"] += not gone
                else:
                    t["debris"] += 1
                    t["debris_removed"] += gone
        if half == HALVES[0]:  # only the half the rules may be designed on is shown
            missed += [line for line, a, gone in zip(lines, article, decisions["storyline"]) if not a and not gone]
    result: dict = {"pages": len(pages), "pages_used": used, "systems": {}, "goals": GOALS,
                    "storyline_reasons": dict(sorted(by_reason.items(), key=lambda kv: -kv[1]))}
    rows = []
    for (name, half), t in totals.items():
        scores = {"debris_lines": t["debris"], "article_lines": t["article"],
                  "debris_recall": t["debris_removed"] / max(1, t["debris"]),
                  "removal_precision": t["debris_removed"] / t["removed"] if t["removed"] else None,
                  "article_kept": t["article_kept"] / max(1, t["article"])}
        result["systems"].setdefault(name, {})[half] = scores
        rows.append([name, half, scores["debris_recall"], scores["removal_precision"] or 0.0, scores["article_kept"]])
    result["missed_sample"] = missed[:: max(1, len(missed) // 40)][:40]
    result["outlet_cues"] = outlet_cues(pages)
    print_table("Outlet cues in the text (right = the site the page is on)", ["cue", "pages", "right"],
                [[name, f["pages"], f["right"]] for name, f in result["outlet_cues"].items()])
    print_table(f"Plain-text debris on {used} pages", ["system", "pages", "debris recall", "removal precision",
                                                          "article lines kept"], rows)
    write_results("debris", result)
    return result


def goals(r: dict) -> list[tuple[str, str, str, bool]]:
    s = r["systems"]["storyline"][HALVES[1]]
    return [("15", "plain-text debris recall ≥ 0.90 with ≥ 0.995 of article lines kept (held-out pages)",
             f"{s['debris_recall']:.3f} recall, {s['article_kept']:.4f} kept",
             s["debris_recall"] >= GOALS["debris_recall"] and s["article_kept"] >= GOALS["article_kept"])]


def _cues_md(r: dict) -> str:
    cues = r.get("outlet_cues")
    if not cues:
        return ""
    rows = "\n".join(f"| {name} | {f['pages']} | {f['right']} | {'; '.join(f['examples'][:6])} |"
                     for name, f in cues.items())
    return f"""Outlet cues (issue 15: can the text name a missing outlet?), on the same texts. A cue
counts where it names exactly one medium; it is right when that medium is the site the page is on
(a wire dateline on a partner's site, "(AP) —" on sfgate.com, counts as wrong here, though the
article is the agency's copy).

| cue | pages | right | examples |
|---|---:|---:|---|
{rows}

"told X" names another outlet's interview about as often as the page's own ("told the BBC"
in an AP story, "told CBS" on Vox), so storyline does not take an outlet from it; nor from
"news agency X reported", which these pages never use. Only the dateline, banner and app-prompt
cues fill a missing outlet.
"""


def markdown(r: dict) -> str:
    rows = "\n".join(
        f"| {name} | {half} | {s['debris_lines']} / {s['article_lines']} | {s['debris_recall']:.3f} | "
        f"{'–' if s['removal_precision'] is None else format(s['removal_precision'], '.3f')} | {s['article_kept']:.4f} |"
        for name, halves in r["systems"].items() for half, s in halves.items())
    reasons = ", ".join(f"{k} {v}" for k, v in r["storyline_reasons"].items())
    sample = "\n".join(f"- `{line[:100]}`" for line in r["missed_sample"][:12])
    return f"""## Cleaning plain text copied from web pages (issue 15)

`benchmarks/bench_debris.py`, {r['date']}: the {r['pages_used']} of {r['pages']} pages of
`shared/bench/article_extraction` whose article container could be found, written out as the
text a reader copies from the page (the smallest element holding 90 % of the gold body's words,
one line per block: captions, credits, related links, share and app prompts included), then
cleaned as plain text (a line is article text when its words run inside the gold body). Goal:
debris recall ≥ {r['goals']['debris_recall']} with ≥ {r['goals']['article_kept']} of article lines kept,
on the held-out pages: rules may be designed by looking at the {HALVES[0]} pages (md5 of the page
id even), and the {HALVES[1]} ones (odd) are the figure that counts.

| system | pages | debris / article lines | debris recall | removal precision | article lines kept |
|---|---|---:|---:|---:|---:|
{rows}

storyline's removals by reason: {reasons}.

{_cues_md(r)}
A sample of the debris lines the rules keep on the design half (what a next rule would have to see):

{sample}
"""


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
