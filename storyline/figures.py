"""Figures of a sentence and what they count, the one reader for claims and the brief.

A figure is a number that counts something ("23 people", "$5 million",
"8 percent"), written in digits or in words ("Thirty-one", "two thousand"),
with what it counts (the words right after it) and the words of its clause
around it (the event). Each figure is the range of values it allows: "27" is
exactly 27, "more than 300" is 300 or more, "up to 300" at most 300, "nearly
300" from 270 to 300, "about 400" from 360 to 440. Two figures of one measure
clash only when their ranges do not meet. Years, days of a date, times of
day, durations, ages and ordinals are left out, and so is the word "one":
they are not counts that two sources could give differently for one fact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .textfeatures import STOP_WORDS, number_word, stem

_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
                    "august september october november december".split())
# Words in front of a figure that make it a bound or an estimate: the range it allows, from its value.
_AT_LEAST, _AT_MOST, _NEARLY, _ABOUT = (1.0, math.inf), (0.0, 1.0), (0.9, 1.0), (0.9, 1.1)
_BOUNDS = {
    **dict.fromkeys(["more than", "over", "at least", "upwards of", "in excess of"], _AT_LEAST),
    **dict.fromkeys(["fewer than", "less than", "at most", "up to", "under"], _AT_MOST),
    **dict.fromkeys(["nearly", "almost", "just under"], _NEARLY),
    **dict.fromkeys(["about", "around", "roughly", "some", "approximately", "estimated", "close to", "circa"],
                    _ABOUT),
}
_BOUND_WORDS = sorted((tuple(words.split()) for words in _BOUNDS), key=len, reverse=True)
# what a figure of time counts (times of day, durations, ages): never a count
_TIME_UNITS = frozenset(stem(w) for w in (
    "second seconds minute minutes hour hours day days night nights week weeks month months year years "
    "decade decades century centuries am pm old".split())) | {"am", "pm", "uhr", "h"}
_CURRENCY = frozenset("$ € £ ¥".split()) | {"usd", "eur", "euro", "euros", "dollar", "dollars", "pound", "pounds"}
# words a figure can count although they are stop words elsewhere
_COUNTED_STOP = frozenset({"people", "time", "times", "year", "years"})
_CLAUSE_END = frozenset(";:()—–\"“”„«»") | {"and", "but", "while", "whereas", "or", "und", "aber"}
# an ordinal ("3rd", no count), a number ("1,200", "6:40", "8.5"), a word, a currency sign, punctuation
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|\d+(?:[.,:]\d+)*|[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?|[%$€£¥]"
                    r"|[,;:()—–\"“”„«»]", re.UNICODE)


@dataclass(frozen=True)
class Figure:
    """A figure of a sentence and what it counts: ``value`` (normalised),
    ``shown`` (as written, after its bound in lower case: "about 400"), ``low`` and
    ``high`` (the range it allows), ``units`` (the content stems right after
    it: "23 *people*", "400 *rail passengers*"), ``context`` (the content stems
    of its clause nearby: "*injuring* 23 people") and ``kind`` (count, percent,
    money, rate)."""

    value: float
    shown: str
    low: float
    high: float
    units: frozenset[str]
    context: frozenset[str]
    kind: str
    state: str = ""  # the counted word when it is a participle ("the 23 *injured*")

    @property
    def counts_a_state(self) -> set[str]:
        return {self.state} if self.state else set()


def _digit_value(token: str) -> float | None:
    """The value of a figure in digits: "1,200", "1.200", "8.5"; ``None`` for a time ("6:40") or an ordinal ("3rd")."""
    if ":" in token:
        return None  # a time of day
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):  # 1.200 (German thousands)
        token = token.replace(".", "")
    token = token.replace(",", ".")
    try:
        return float(token)
    except ValueError:
        return None


def _bound(before: list[str]) -> tuple[int, tuple[float, float]]:
    """The bound or estimate that ends ``before`` (the words in front of a
    figure): how many words it takes and the range factors; none: (0, exact)."""
    for words in _BOUND_WORDS:
        if tuple(before[len(before) - len(words):]) == words:
            return len(words), _BOUNDS[" ".join(words)]
    return 0, (1.0, 1.0)


def sentence_figures(text: str) -> list[Figure]:
    """The figures of a sentence that count something, each with what it
    counts and the range it allows (see the module's doc for what is left out)."""
    toks = [m.group() for m in _TOKEN.finditer(text)]
    low = [t.lower().rstrip(".") if t[-1:] == "." and not t[:1].isdigit() and t.count(".") == 1 else t.lower()
           for t in toks]
    found = []
    i = 0
    while i < len(toks):
        tok, start = low[i], i
        value = _digit_value(tok) if tok[:1].isdigit() else number_word(tok)
        if value is None or tok == "one":
            i += 1
            continue
        end = i + 1
        while end < len(toks) and low[end] in _SCALE:
            value *= _SCALE[low[end]]
            end += 1
        i = end
        before = low[max(0, start - 3):start]
        after = low[end:end + 3]
        if tok[:1].isdigit() and re.fullmatch(r"(1[89]|20)\d\d", tok):
            continue  # a year
        if (before[-1:] and before[-1] in _MONTHS) or (after[:1] and after[0] in _MONTHS):
            continue  # a day of a date
        if before[-1:] == ["aged"] or (after[:1] and after[0].endswith(("year-old", "year-olds"))):
            continue  # an age
        if before[-1:] == [","] and after[:1] == [","] and start >= 2 and toks[start - 2][:1].isupper():
            continue  # "Petra Vogel, 42, a teacher": an age in apposition
        kind = "count"
        if (before[-1:] and before[-1] in _CURRENCY) or (after[:1] and after[0] in _CURRENCY):
            kind = "money"
        elif after[:1] and after[0] in ("%", "percent", "per", "prozent"):
            kind = "percent"
        units: list[str] = []
        j = end
        while j < len(toks) and len(units) < 2 and kind == "count":
            word = low[j]
            if not word[:1].isalpha() or (word in STOP_WORDS and word not in _COUNTED_STOP):
                break
            if units and word.endswith(("ed", "ing")):
                break  # "340 passengers stranded": what happened to them is the event, not the noun
            units.append(stem(word.replace(".", "")))
            j += 1
        if units and units[0] in _TIME_UNITS or (after[:1] and after[0] in _TIME_UNITS):
            continue  # a time of day or a duration
        rate = low[j:j + 2]
        if len(rate) == 2 and rate[0] in ("a", "an", "per", "each", "every") and stem(rate[1]) in _TIME_UNITS:
            kind = "rate"  # "4,000 passengers a day" is not a count of one event
        bound, (lo, hi) = _bound(before)
        first = start - bound
        context: set[str] = set()
        for step in (-1, 1):
            k, seen = (first - 1, 0) if step < 0 else (j, 0)
            while 0 <= k < len(toks) and seen < 5:
                word = low[k]
                if word in _CLAUSE_END:
                    break
                if (word[:1].isalpha() and toks[k][:1].islower() and word not in STOP_WORDS and len(word) > 2
                        and number_word(word) is None and word not in _SCALE):
                    context.add(stem(word))
                k += step
                seen += 1
        state = units[0] if units and low[end].endswith("ed") else ""
        shown = " ".join(low[first:start] + toks[start:end])
        found.append(Figure(value, shown, lo * value, hi * value, frozenset(units), frozenset(context - set(units)),
                            kind, state))
    # what another figure of the sentence counts is not this one's event ("340 passengers on two trains")
    return [replace(f, context=f.context - {u for g in found if g is not f for u in g.units}) for f in found]


def same_measure(a: Figure, b: Figure, loose: bool = False) -> bool:
    """Whether two figures count the same thing: the same kind, and the same
    counted noun in a clause about the same event ("injuring 23 people",
    "27 people injured"), or one's counted noun is the other's event ("the 23
    injured", "injured 27 people"). ``loose``: the two sentences are aligned
    and neither counts that noun twice, so the noun alone is enough
    ("31 people were treated" beside "injuring 23 people")."""
    if a.kind != b.kind:
        return False
    if a.kind != "count":
        return bool(a.context & b.context)
    if a.units & b.units:
        return loose or bool(a.context & b.context)
    if a.counts_a_state & b.context or b.counts_a_state & a.context:
        return True  # "the 23 injured" and "injured 27 people"
    if not a.units or not b.units:
        return len(a.context & b.context) >= 2
    return False


def counted_once(f: Figure, others: Sequence[Figure]) -> bool:
    """Whether ``f``'s sentence (its figures ``others``) counts what ``f`` counts only once."""
    return sum(1 for g in others if (g.units & f.units if f.units else not g.units)) == 1


def shared_measures(a: Sequence[Figure], b: Sequence[Figure], loose: bool = False) -> list[tuple[Figure, Figure]]:
    """The pairs of figures of two sentences that count the same thing (``loose``: the sentences are aligned)."""
    return [(x, y) for x in a for y in b if same_measure(x, y, loose and counted_once(x, a) and counted_once(y, b))]


def agree(a: Figure, b: Figure) -> bool:
    """Whether both figures can hold at once: their ranges meet ("more than 300" and "340")."""
    return a.low <= b.high and b.low <= a.high


def clash(a: Sequence[Figure], b: Sequence[Figure], loose: bool = False) -> bool:
    """Whether two sentences (their figures) count one thing with figures
    that cannot both hold: a figure of ``a`` meets figures of ``b`` for its
    measure and agrees with none of them (23 people and 27 people; not "more
    than 300 homes" and "340 homes")."""
    pairs = shared_measures(a, b, loose)
    return any(not any(agree(x, y) for x2, y in pairs if x2 is x) for x, _ in pairs)
