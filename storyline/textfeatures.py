"""Lexical features shared by the stages: words, stems, named things, vectors.

Everything here is language-light and deterministic: lowercase word stems
without stop words for topical similarity, and "named things" (capitalised
words inside a sentence, four-digit years) that tell apart stories of the
same kind (another storm, another election) by who, where and when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\b[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*|[.!?]", re.UNICODE)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_STEMMER = snowballstemmer.stemmer("english")
# Function words and reporting verbs only: a general list (scikit-learn's) also
# drops "fire", "bill", "five" or "third", which tell news stories apart.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either even ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its
itself just like many may me might more most much must my myself neither no nor not now of off on once
only or other others our ours ourselves out over own per same shall she should since so some such than
that the their theirs them themselves then there these they this those though through thus to too
under until up upon us very was we were what when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves
said says say told tell according just also new year years time people
""".split())


# A dateline or credit that opens a lead, up to its dash: "KYIV, March 29 (Reuters) -",
# "(CNN) —", "Kyiv (AP) —", "LONDON —", "WASHINGTON, May 2 —". Either a credit in
# brackets that opens with a capital (the outlet), after an optional place and date,
# or a place in capitals; "The ceasefire (for now) — holds" is no dateline.
_DATELINE = re.compile(
    r"\s*(?:(?:[A-Z][\w.,'’ /-]{0,50}?\s*)?\((?P<outlet>[A-Z][^()\n]{0,39})\)"
    r"|[A-Z][A-Z.'’ -]*[A-Z.](?:,[^\n.!?()—–]{1,40}?)?)\s*[—–-]{1,2}\s+"
)


def dateline(text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """The dateline opening ``text[start:end]``; its ``outlet`` group is the bracketed credit."""
    return _DATELINE.match(text, start, len(text) if end is None else end)


_UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen").split()
_TEN_WORDS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_NUMBER_WORDS = {**{w: n for n, w in enumerate(_UNIT_WORDS)}, **_TEN_WORDS}


def number_word(word: str) -> int | None:
    """The value of an English number word below a hundred: "six", "Thirty-one"; else ``None``."""
    parts = word.lower().split("-")
    if len(parts) == 1:
        return _NUMBER_WORDS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TEN_WORDS and parts[1] in _UNIT_WORDS[1:10]:
        return _TEN_WORDS[parts[0]] + _UNIT_WORDS.index(parts[1])
    return None


# Scripts written without spaces between words (Chinese, Japanese).
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words of ``text``; in Chinese or Japanese, two characters make a word."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(UNSPACED.sub(" ", text).split()) + unspaced // 2


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order, stop words dropped."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [stem(w) for w in words if len(w) > 1 and w not in STOP_WORDS]


def named_things(text: str) -> list[str]:
    """Capitalised words that do not start a sentence, and years, as features.

    A cheap stand-in for named entities: good enough to say two articles
    are about the same people, places and dates.
    """
    out = []
    sentence_start = True
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ".!?":
            sentence_start = True
            continue
        if _YEAR.match(token):
            out.append("Y:" + token)
        elif not sentence_start and token[:1].isupper() and len(token) > 1:
            lowered = token.lower()
            if lowered not in STOP_WORDS:
                out.append("N:" + lowered)
        sentence_start = False
    return out


def story_terms(text: str) -> list[str]:
    """The terms a story vector is made of: content stems, named things, pairs
    of names mentioned one after the other (who with whom, who where), and the
    lead (first three non-empty lines) counted twice, as news puts the event first."""
    names = named_things(text)
    pairs = [f"{a}_{b}" for a, b in zip(names, names[1:])]
    lead = "\n".join([line for line in text.split("\n", 12)[:12] if line.strip()][:3])
    return content_stems(text) + names + pairs + content_stems(lead) + named_things(lead)


def shingles(tokens: Iterable[str], n: int) -> set[tuple[str, ...]]:
    items = list(tokens)
    return {tuple(items[i:i + n]) for i in range(max(1, len(items) - n + 1))} if items else set()
