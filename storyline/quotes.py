"""Quotes: direct speech, who said it, and the same statement across outlets.

A quote is text between quotation marks (straight, curly, angle « » ‹ › » «,
low-high „ “ ‚ ‘, corner brackets 「」) of at least ``MIN_WORDS`` words (two
Chinese or Japanese characters count as one), or a shorter whole utterance
("I love you,").
Double marks (" “ ”) are paired paragraph by paragraph, each read as opening
or closing by what stands on its sides (a wrong glyph or a mixed pair does not
shift every pair after it); one left open at the end of its paragraph is the
part of a quotation the next paragraph goes on with when that paragraph opens
with a mark, else a stray mark.
Titles and names in quotation marks (a show, a nickname, a slogan: capitalised
words with no closing punctuation, or set into the writer's sentence) are not
speech. A quote that continues the writer's own sentence is ``partial``: a few
quoted words, not a statement: its opening mark follows a word that is not a
cue ('called it "..."'), or a comma after "that" or after the writer's words
when it opens in lower case ('said that under X, "the ..."'), or the sentence
runs on after its closing mark with no cue clause ('"..." for criminal
behaviour').
A transcript line ("PENCE: Well, ...") is spoken by its label.
Its speaker is found with spaCy's parse of the sentence around it:

1. a cue verb outside the quotation marks ("said", "told", "added",
   "declared", "wrote", ...) in the quote's own paragraph and its grammatical
   subject (never a word of the quote itself, or of a title in quotation
   marks, that the parser hung on the cue), or "according to X";
2. else the speaker of the sentence just before (a quote that follows
   "X said:" or continues X's words);
3. a pronoun or a role ("he", "who", "the minister") becomes the person
   mentioned last before the quote; "it" and other nouns ("the report")
   never do.

A partial quote takes the speaker of its own clause or none: the subject of
a cue verb that governs the clause holding its words ('Russia saying it
would ... "to boost mutual trust"'; a cue set into the clause, 'X, he says,
has "..."'), when that subject is a name or a pronoun other than "it". It
never falls back to an earlier sentence or the last speaker, and a common
noun ("talks", "the report") is never its speaker.

An article with no parse (no spaCy model for its language) keeps every
quoted statement; a cue word of its language next to the quote names the
speaker ("«...», dijo la alcaldesa Ana Ruiz", "Ana Ruiz afirmó: «...»"; a few
cues for Spanish, Portuguese, Italian and French), else the speaker is unknown.

Quotes that render one statement (a translation, a shortened form) share a
``group``: their content words overlap enough, or, in two languages, the
alignment model (``align.py``: the multilingual encoder, names, numbers) says
they say the same; and their speakers, where known, are the same entity. Short
quoted phrases ("meaningful progress") are kept when a cue names their
speaker; two of them share a group when one speaker is quoted by two articles
with overlapping words. """

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from . import align
from .disjoint import DisjointSets
from .embeddings import VectorCache
from .entities import EntityIndex
from .metadata import base_language
from .model import Article, Quote
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import UNSPACED, content_stems, word_count

MIN_WORDS = 4
CUE_LEMMAS = frozenset("""
say tell add declare write state announce note explain warn insist ask claim argue report describe
stress confirm deny reply respond continue acknowledge admit conclude tweet post remark recall urge
call caution predict suggest vow promise testify complain emphasize emphasise observe
demand sing chant yell shout scream cry exclaim scold comment boast quip joke retort counter concede
whisper mutter plead proclaim recount read
""".split())
# Nouns that name a person by their role: "the minister said" may refer to
# the minister named earlier; "the report said" never refers to a person.
ROLE_NOUNS = frozenset("""
minister president official spokesman spokeswoman spokesperson adviser advisor aide negotiator chief head
leader secretary director manager chairman chairwoman chair governor mayor senator lawmaker legislator
representative congressman congresswoman ambassador diplomat envoy general commander officer captain
colonel sergeant lieutenant analyst expert professor researcher scientist economist lawyer attorney
prosecutor judge candidate nominee premier chancellor king queen prince princess pope bishop priest
doctor physician nurse witness resident victim survivor father mother son daughter wife husband brother
sister friend coach player owner founder executive ceo editor reporter journalist correspondent columnist
host anchor moderator author writer activist organizer volunteer student teacher worker employee farmer
voter supporter critic opponent rival partner colleague counterpart deputy assistant staffer strategist
pollster consultant man woman boy girl neighbour neighbor officials actor actress singer star
""".split())
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who"})
_PERSONAL = frozenset({"he", "she"})  # pronouns that only a person can be
_ADJOINING = re.compile(r"[\"”’'»,.!?;: \t]{0,4}")  # closing marks and a space: no paragraph break
_QUOTE = re.compile(
    r"“(?P<a>[^“”]{2,}?)”|\"(?P<b>[^\"]{2,}?)\"|«(?P<c>[^«»]{2,}?)»|„(?P<d>[^„“”]{2,}?)[“”]"
    r"|(?:^|(?<=\n))”(?P<e>[^“”\n]{2,}?)”"  # a paragraph opened with the wrong mark
    r"|‚(?P<f>[^‚‘’\n]{2,}?)[‘’]"  # German, Polish: single low-high
    r"|‹(?P<g>[^‹›\n]{2,}?)›|»(?P<h>[^«»\n]{2,}?)«"  # single guillemets; German »...«
    r"|「(?P<i>[^「」]+?)」|『(?P<j>[^『』]+?)』"  # Japanese, Chinese corner brackets
, re.M)
# Scripts written without spaces between words: two characters count as a word.
_UTTERANCE_END = ".?!…。！？"
_TRAILING = " \t\n,\u00a0\u202f\u2009、，"
SHORT_WORDS = 2  # a short quote counts when it is a whole utterance: "I love you," he said.
GROUP_OVERLAP = 0.5  # shared content words / the shorter quote's
SHORT_PHRASE_STEMS = 4  # quotes of at most this many content words are phrases


@dataclass
class _Found:
    start: int
    end: int
    speaker: str | None
    speaker_entity: str | None
    mention: tuple[int, int] | None = None  # where the text names (or refers to) the speaker
    partial: bool = False


def quote_spans(text: str, phrases: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks that
    hold a statement. With ``phrases``, also the short quoted phrases (two
    or three words, not a title), which count when a cue gives their speaker."""
    spans = []
    for start, end in quotations(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        words = text[start:end].split()
        ends_utterance = bool(text[end - 1:end]) and text[end - 1] in _UTTERANCE_END or text[end:end + 1] == ","
        # a name or title ('on "Fox and Friends."': set into the writer's sentence, even
        # with the sentence's full stop inside the marks) is not speech
        if _is_title(words) and (not ends_utterance or is_partial(text, start)):
            continue
        whole = text[start:start + 1].isupper() and ends_utterance
        n_words = word_count(text[start:end])
        if n_words >= MIN_WORDS or (n_words >= SHORT_WORDS and (whole or phrases)):
            spans.append((start, end))
    return spans


_DOUBLE = re.compile(r"[\"“”]")
_OPENS_AFTER = " \t\u00a0([{—–-/"  # what may stand before an opening mark


def _double_quotes(text: str) -> list[tuple[int, int]]:
    """The outermost double quotations (" “ ”), paragraph by paragraph, each
    mark read as opening or closing by what stands on its sides, not by its
    glyph alone ('⏎”Mr. X ...', '... 51 percent.“' are the wrong glyphs, and a
    straight and a curly mark may pair). Inner quotations ('"It is "too loud,"
    he said"') stay inside the outer one. A quotation still open at the end of
    its paragraph ends there when the next paragraph opens with a mark (the
    continuation); else the mark is a stray."""
    found = []
    offset = 0
    lines = text.split("\n")
    for n, line in enumerate(lines):
        stack: list[int] = []
        for match in _DOUBLE.finditer(line):
            i = match.start()
            before = line[i - 1] if i else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            space_before = before in _OPENS_AFTER or before in "\"“”"
            space_after = after.isspace() or after in ",.;:!?)]}—–…" or after in "\"“”"
            glyph = match.group()
            if not line[:i].strip() or (space_before and not space_after):
                opening = True  # (a paragraph opens with a mark of either glyph: '” … what I learned')
            elif space_after and not space_before:
                opening = False
            elif space_before and space_after:
                opening = glyph == "“" if glyph != '"' else not stack
            else:  # between two words: trust a curly glyph, else close what is open
                opening = glyph == "“" if glyph != '"' else not stack
            if opening:
                stack.append(i + 1)
            elif stack:
                start = stack.pop()
                if not stack:
                    found.append((offset + start, offset + i))
        following = next((other.lstrip() for other in lines[n + 1:] if other.strip()), "")
        if stack and following[:1] in "\"“”":
            found.append((offset + stack[0], offset + len(line)))
        offset += len(line) + 1
    return found


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside every pair of quotation marks, in order."""
    spans = _double_quotes(text)
    for match in _QUOTE.finditer(text):
        if match.lastgroup not in ("a", "b", "e"):
            spans.append(match.span(match.lastgroup))
    spans.sort()
    # a quotation inside another (German »...„...“...«) stays part of the outer one
    kept: list[tuple[int, int]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


# '"..." ― Ana Ruiz': a name after a dash right behind the closing mark signs the quote
_SIGNED = re.compile(r"[\"”»“]?[.,]?[^\S\n]*[―—–][^\S\n]*((?:[A-Z][\w'’.-]*[^\S\n]+){0,4}[A-Z][\w'’.-]*)")
_MINOR_WORDS = frozenset("a an and as at by for from in of on or the to with vs".split())
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’ -]{1,40}[A-Z.]):\s")


def _is_title(words: list[str]) -> bool:
    """A name or title in quotation marks: every word but the minor ones capitalised."""
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[:1].isupper() or not w[:1].isalpha() for w in major)


_CUE_FORMS = frozenset(form for lemma in CUE_LEMMAS for form in (lemma, lemma + "s", lemma + "ed", lemma + "d"))
_CUE_FORMS |= {"said", "told", "wrote", "sang", "read"}


def is_partial(text: str, start: int, cues: frozenset[str] = frozenset()) -> bool:
    """A quote whose words continue the writer's own sentence ('called it "a
    true wake-up call"'), rather than a statement set off by a cue, a comma,
    a colon or a paragraph ('X said, "..."', '"...," X said'). ``cues``: more
    cue words (of the article's language)."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    i -= 1  # the opening quotation mark
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    if i >= 0 and text[i] == ",":
        if text[start:start + 1].islower():
            return _lead_in(text, i, cues)
        # 'said that, "Of course ..."', 'a problem because, "In the end ..."'
        return bool(re.search(r"(?<![\w'’])(?:that|because|than|whether)\s*$", text[max(0, i - 12):i], re.I))
    if i < 0 or not text[i].isalnum() or UNSPACED.match(text[i]):
        return False  # (Japanese and Chinese set every quote into the sentence: 市長は「...」と述べた)
    word_start = i
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    word = text[word_start:i + 1].lower()
    return word not in _CUE_FORMS and word not in cues


_RUN_ON = re.compile(r"[\"”»“][^\S\n]+([a-z][\w'’-]*)((?:[^\S\n]+[\w'’.-]+){0,4})")


def runs_on(text: str, end: int) -> bool:
    """Whether the writer's sentence goes on past a quote's closing mark, with
    no cue clause: '"Of course ..." against what the campaign sees', '"... jail
    time" for criminal behavior' (not '"...," she said', '"..." the minister
    added', '"...," according to X')."""
    match = _RUN_ON.match(text, end)  # the quote's last word, its closing mark, a word in lower case
    if not match or not text[end - 1:end].isalnum():
        return False
    words = [match.group(1).lower()] + re.findall(r"[^\W\d_]+", match.group(2).lower())
    return not any(w in _CUE_FORMS or w == "according" for w in words)


def _lead_in(text: str, comma: int, cues: frozenset[str]) -> bool:
    """Whether a quote opening in lower case after ``comma`` continues the
    writer's sentence ('said that under X, "the generals ..."', 'called him, "a
    ..."'), rather than a statement after its cue ('X said, "the ...') or going on
    with one its cue clause interrupted ('"...," he said Monday, "and ..."'): no
    cue word lies between the comma and the quotation that closed last in the
    paragraph."""
    line_start = text.rfind("\n", 0, comma) + 1
    head = text[line_start:comma]
    last = re.findall(r"[^\W\d_]+", head[-30:].lower())[-1:]
    if last and (last[0] in _CUE_FORMS or last[0] in cues):
        return False  # 'X said, "the city will ..."'
    closed = max(head.rfind(mark) for mark in "\"”»")
    if closed < 0:
        return True
    words = re.findall(r"[^\W\d_]+", head[closed:].lower())
    return not any(w in _CUE_FORMS or w in cues for w in words)


def _subject_of(verb, quoted=None) -> object | None:
    """The grammatical subject of a cue verb. ``quoted(offset)``: whether an
    offset lies inside quotation marks; a subject there is a word of the
    quote the parser hung on the cue ('"..., it will ...," said X'), not its
    speaker."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and not (quoted and quoted(child.idx)):
            return child
    # "..., Fomin said, adding ..." / conjunct verbs share their head's subject
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        return _subject_of(verb.head, quoted)
    return None


def _person_just_before(cue, reach: int = 10):
    """A person named shortly before a cue the parser left without a subject
    ('what Minister X, the host of the talks, called "..."'), with no verb between."""
    doc = cue.doc
    found = None
    for ent in doc.ents:
        if ent.end > cue.i:
            break
        if ent.label_ == "PERSON" and cue.i - ent.end <= reach:
            between = doc[ent.end:cue.i]
            if not any(t.pos_ in ("VERB", "AUX") for t in between):
                found = ent.root
    return found



def _span_name(token) -> str:
    """The name a subject token stands for: its compound/flat name tokens."""
    if token.ent_type_ and token.ent_iob_ != "O":
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if ent is not None:
            return ent.text
    parts = [t for t in token.subtree if t.i <= token.i and t.dep_ in ("compound", "flat", "amod", "det")] + [token]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def _last_person_before(doc, index: EntityIndex, offset: int) -> tuple[str | None, str | None]:
    best: tuple[str | None, str | None] = (None, None)
    for ent in doc.ents:
        if ent.start_char >= offset:
            break
        entity = index.find(ent.text) if ent.label_ in ("PERSON", "ORG", "GPE", "FAC") else None
        if entity and index.is_person(entity):
            best = (ent.text, entity)
    return best


@dataclass
class _Context:
    """What an article said before a quote: for pronouns and continuations."""

    doc: object
    index: EntityIndex
    last_speaker: tuple = (None, None, None)
    spans: list[tuple[int, int]] = field(default_factory=list)
    # (offset, speaker) of every person named and every subject of a cue verb
    events: list[tuple[int, tuple[str | None, str | None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for ent in self.doc.ents:
            entity = self.index.find(ent.text)
            if entity and self.index.is_person(entity):
                self.events.append((ent.start_char, (ent.text, entity)))
        for token in self.doc:
            if token.pos_ == "VERB" and (token.lemma_ or token.lower_) in CUE_LEMMAS and not self.quoted(token.idx):
                subject = _subject_of(token)
                if subject is not None and subject.lower_ not in PRONOUNS:
                    self.events.append((subject.idx, _resolve(subject, self, subject.idx)))
        self.events.sort(key=lambda e: e[0])

    def quoted(self, offset: int) -> bool:
        """Whether ``offset`` lies inside any quotation of the article."""
        return any(start <= offset < end for start, end in self.spans)

    def latest_before(self, offset: int, pronoun: str | None = None) -> tuple[str | None, str | None]:
        """Who was named or speaking last before ``offset``: what "he said" refers to.
        "he" and "she" refer to a person only: when the last one named or speaking
        is a thing ("the report said", "the General Staff stated"), the speaker
        stays unknown rather than going to a person named further back. A name
        inside a quotation is the speaker's word, not the writer's: never what
        the writer's pronoun refers to."""
        before = [speaker for position, speaker in self.events if position < offset and speaker[0]
                  and not self.quoted(position)]
        if not before:
            return (None, None)
        if pronoun in _PERSONAL and not (before[-1][1] and self.index.is_person(before[-1][1])):
            return (None, None)
        return before[-1]


def _resolve(token, ctx: _Context, offset: int) -> tuple[str | None, str | None]:
    doc, index = ctx.doc, ctx.index
    if token.lower_ == "it":  # an organisation, a document: never the person named last
        return token.text, None
    if token.lower_ in PRONOUNS:
        return ctx.latest_before(min(offset, token.idx), token.lower_)
    # a name inside the subject: "former ambassador ..., Dr. Olexander Scherba"
    for t in token.subtree:
        if t.ent_type_ == "PERSON":
            ent = next((e for e in doc.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                return ent.text, index.find(ent.text)
    name = _span_name(token)
    entity = index.find(name)
    if entity:
        return name, entity
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or token.pos_ == "PROPN":
        return name, None
    # a role: "the minister", "an adviser to the president" (not "a statement", "the report")
    if token.lemma_.lower() not in ROLE_NOUNS and token.lower_ not in ROLE_NOUNS:
        return name, None
    person = _last_person_before(doc, index, offset)
    return person if person[1] else (name, None)


def _speaker_in(sentence, quote: tuple[int, int], ctx: _Context) -> tuple | None:
    """(name, entity id, mention span) from a cue in ``sentence`` outside the
    quote, or None if there is no cue.

    Of several cues ("X said, '...', news agency Y reported") a person wins."""
    doc = ctx.doc
    q_start, q_end = quote
    text = doc.text
    # a sentence the parser ran across a paragraph break: a cue in another paragraph is not this quote's
    outside = [t for t in sentence if not (q_start <= t.idx < q_end) and not ctx.quoted(t.idx)
               and "\n" not in text[min(t.idx, q_end):max(t.idx, q_start)]]
    candidates = []
    for token in outside:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                obj = objects[0]
                candidates.append((abs(token.idx - q_end), _resolve(obj, ctx, q_start), (obj.idx, obj.idx + len(obj))))
    for cue in outside:
        if cue.pos_ == "VERB" and (cue.lemma_ or cue.lower_) in CUE_LEMMAS:
            subject = _subject_of(cue, lambda i: q_start <= i < q_end or ctx.quoted(i)) or _person_just_before(cue)
            if subject is not None and not (q_start <= subject.idx < q_end):
                distance = min(abs(cue.idx - q_end), abs(cue.idx - q_start))
                candidates.append((distance, _resolve(subject, ctx, q_start),
                                   (subject.idx, subject.idx + len(subject))))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (not (c[1][1] and ctx.index.is_person(c[1][1])), c[0]))
    _, (name, entity), mention = candidates[0]
    return name, entity, mention


def _opens_with_cue(sentence, words: int = 10) -> bool:
    """Whether ``sentence`` is a cue clause: its root is a speech verb among its
    first words ('Vitter demanded.', 'a narrator in the ad asks.', 'said Hester,
    a teacher.')."""
    root = sentence.root
    return (root.pos_ == "VERB" and (root.lemma_ or root.lower_) in CUE_LEMMAS
            and root.i - sentence.start < words)


def _names_someone(token) -> bool:
    """Whether a cue's subject names a speaker by itself: a name (a proper
    noun, a named entity, a person named inside it) or a personal pronoun;
    not a common noun ("talks", "the report") nor "it"."""
    if token.lower_ in PRONOUNS:
        return token.lower_ != "it"
    if token.pos_ == "PROPN" or (token.ent_iob_ != "O" and token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")):
        return True
    return any(t.ent_type_ == "PERSON" for t in token.subtree)


def _governing_cues(sentence, quote: tuple[int, int], ctx: _Context) -> list:
    """The cue verbs that govern the clause holding a quote: the words its
    quoted words hang from, up to the root of the sentence ('X said ... that
    Y needs "..."', 'what X called "..."'), and a cue set into one of them
    ('Y, X says, has "..."'), outside any quotation."""
    q_start, q_end = quote
    inside = [t for t in sentence if q_start <= t.idx < q_end]
    cues, seen = [], set()
    for token in inside:
        head = token
        while head.head.i != head.i:
            head = head.head
            if head.i in seen:
                break
            seen.add(head.i)
            if q_start <= head.idx < q_end or ctx.quoted(head.idx):
                continue
            # the clause's own verb, or a cue set into it ('X, he says, has "..."')
            for word in [head] + [c for c in head.children if c.dep_ == "parataxis"]:
                if word.pos_ == "VERB" and (word.lemma_ or word.lower_) in CUE_LEMMAS and word not in cues:
                    cues.append(word)
    return cues


def _clause_speaker(sentence, quote: tuple[int, int], ctx: _Context) -> tuple | None:
    """The speaker of a partial quote: the subject of a cue verb governing the
    clause that holds it, or the words after "according to" in its sentence,
    when that subject is a name or a pronoun. Never a person named elsewhere
    (no earlier sentence, no last speaker), never a common noun."""
    doc = ctx.doc
    q_start, q_end = quote
    candidates = []
    for token in sentence:
        if (token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
                and not (q_start <= token.idx < q_end) and not ctx.quoted(token.idx)):
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects and _names_someone(objects[0]):
                obj = objects[0]
                candidates.append((abs(token.idx - q_end), _resolve(obj, ctx, q_start), (obj.idx, obj.idx + len(obj))))
    for cue in _governing_cues(sentence, quote, ctx):
        subject = _subject_of(cue, lambda i: q_start <= i < q_end or ctx.quoted(i)) or _person_just_before(cue)
        if subject is not None and not (q_start <= subject.idx < q_end) and _names_someone(subject):
            resolved = _resolve(subject, ctx, q_start)
            if resolved[0]:
                distance = min(abs(cue.idx - q_end), abs(cue.idx - q_start))
                candidates.append((distance, resolved, (subject.idx, subject.idx + len(subject))))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (not (c[1][1] and ctx.index.is_person(c[1][1])), c[0]))
    _, (name, entity), mention = candidates[0]
    return name, entity, mention


def _names_person(text: str, speaker: tuple, index: EntityIndex) -> bool:
    """Whether the cue's own subject is a person: their name or a pronoun,
    not a role ("the ministry") that was resolved to someone named earlier."""
    name, entity, mention = speaker
    if not (entity and index.is_person(entity) and mention):
        return False
    words = text[mention[0]:mention[1]]
    return words.lower() in PRONOUNS or index.find(words) == entity


def find_quotes(article: Article, doc, index: EntityIndex) -> list[_Found]:
    """Direct quotes of one article with their speakers. With no parse
    (``doc`` is ``None``: no model for the article's language), quotation
    marks and the language's cue words only (``plain_quotes``)."""
    if doc is None:
        return plain_quotes(article, index)
    found: list[_Found] = []
    spans = quote_spans(article.text, phrases=True)
    statements = set(quote_spans(article.text))
    # every quotation, titles too: a word inside one is never a cue or its subject
    ctx = _Context(doc, index, spans=quotations(article.text))
    sentences = list(doc.sents)
    for start, end in spans:
        label = _TRANSCRIPT_LABEL.match(article.text, start, end)
        if label:  # a transcript line: the label names the speaker
            name = label.group(1).strip().title()
            speaker = (name, index.find(name), label.span(1))
            ctx.last_speaker = speaker
            found.append(_Found(label.end(), end, *speaker))
            continue
        containing = [s for s in sentences if s.start_char < end and s.end_char > start]
        speaker = None
        signed = _SIGNED.match(article.text, end)
        if signed:
            name = signed.group(1).rstrip(".")
            speaker = (name, index.find(name), (signed.start(1), signed.start(1) + len(name)))
        phrase = (start, end) not in statements
        partial = phrase or is_partial(article.text, start) or runs_on(article.text, end)
        for sentence in containing if speaker is None else []:
            # a partial quote (words set in the writer's sentence) takes the speaker of
            # its own clause or none; a statement, any cue of its sentence
            speaker = (_clause_speaker if partial else _speaker_in)(sentence, (start, end), ctx)
            if speaker:
                break
        if phrase:
            # a short phrase counts only as the words of whoever a cue beside it names
            if speaker is None or not _names_person(article.text, speaker, index):
                continue
            found.append(_Found(start, end, *speaker, partial=True))
            continue
        if partial:
            speaker = speaker or (None, None, None)
            ctx.last_speaker = speaker
            found.append(_Found(start, end, *speaker, partial=True))
            continue
        if speaker is None and containing:
            # A quote with no cue of its own: the cue just before it in its paragraph
            # ('"Q1," he said. "Q2."'), else a cue clause that opens the sentence
            # right after its closing mark, set apart by the parser ('"… ?" Vitter
            # demanded.'), else the sentence before.
            first, last = containing[0], containing[-1]
            before = [s for s in sentences if s.end_char <= first.start_char][-1:]
            after = [s for s in sentences if s.start_char >= last.end_char][:1]
            if before and "\n" not in article.text[before[0].start_char + len(before[0].text.rstrip()):start]:
                speaker = _speaker_in(before[0], (start, end), ctx)
            if speaker is None and after and _ADJOINING.fullmatch(article.text, end, after[0].start_char) \
                    and _opens_with_cue(after[0]):
                speaker = _speaker_in(after[0], (start, end), ctx)
            for sentence in before if speaker is None else []:
                speaker = _speaker_in(sentence, (start, end), ctx)
        if speaker is None:
            speaker = ctx.last_speaker  # a quote that continues the last speaker's words
        ctx.last_speaker = speaker
        found.append(_Found(start, end, *speaker))
    return found


# Languages with no parser: a cue word of the article's language next to the
# quote names its speaker ('«...», dijo la alcaldesa Ana Ruiz', 'Ana Ruiz
# afirmó: «...»'). Cues, then the articles a role may start with ('la
# alcaldesa'), then words a role never holds ('dijo el martes en Madrid').
PLAIN_CUES: dict[str, tuple[str, str, str]] = {
    "es": ("dijo|afirmó|declaró|aseguró|explicó|añadió|agregó|señaló|indicó|advirtió|subrayó|insistió|sostuvo|"
           "respondió|manifestó|comentó|reconoció|precisó|apuntó|destacó|denunció|admitió|según",
           "el la los las", "en a al con por para ante tras que y e o desde sobre hasta durante este esta ayer hoy"),
    "pt": ("disse|afirmou|declarou|garantiu|explicou|acrescentou|sublinhou|indicou|advertiu|respondeu|comentou|"
           "admitiu|reconheceu|segundo",
           "o a os as", "em no na com por para que e ou desde sobre até durante ontem hoje"),
    "it": ("ha detto|ha dichiarato|ha affermato|ha spiegato|ha aggiunto|ha sottolineato|ha assicurato|dice|"
           "afferma|spiega|aggiunge|sottolinea|secondo",
           "il lo la l' l’ i gli le", "in a al con per da che e o su durante ieri oggi"),
    "fr": ("a dit|a déclaré|a affirmé|a expliqué|a ajouté|a indiqué|a souligné|a assuré|a estimé|a précisé|"
           "dit|déclare|affirme|explique|ajoute|indique|souligne|assure|estime|précise|selon",
           "le la l' l’ les", "en à au aux avec par pour que et ou depuis sur pendant hier aujourd'hui"),
}
_PARTICLES = frozenset("de del della di da do dos das du van von la le".split())
_OPENING_MARKS = "“\"«„‚‹»「『”"
_CLOSING_MARKS = "”\"»“‘’›«」』"
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*|[,;:.!?]")


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def _name_after(text: str, start: int, articles: frozenset[str], stops: frozenset[str]) -> tuple[str, int] | None:
    """'la alcaldesa Lucía Aranburu, que ...' -> ('Lucía Aranburu', its offset)."""
    tokens = [(m.group(), m.start()) for m in _NAME_TOKEN.finditer(text, start, min(len(text), start + 120))]
    i = 0
    if i < len(tokens) and tokens[i][0].lower() in articles:  # a role: 'la alcaldesa', 'el jefe de bomberos'
        i += 1
        role = 0
        while i < len(tokens) and not _capitalised(tokens[i][0]) and tokens[i][0].isalpha():
            if tokens[i][0].lower() in stops or role == 4:
                return None
            i, role = i + 1, role + 1
        if i < len(tokens) and tokens[i][0] == ",":
            i += 1
    name: list[tuple[str, int]] = []
    while i < len(tokens):
        token = tokens[i][0]
        if _capitalised(token):
            name.append(tokens[i])
            if token.endswith(".") and len(token) > 2:  # 'Jean Dupont. Le préfet ...': the sentence ends
                break
        elif token.lower() in _PARTICLES and name and i + 1 < len(tokens) and _capitalised(tokens[i + 1][0]):
            name.append(tokens[i])
        else:
            break
        i += 1
    if not name:
        return None
    first, last = name[0], name[-1]
    return text[first[1]:last[1] + len(last[0])].rstrip("."), first[1]


def _name_before(text: str, end: int, index: EntityIndex) -> tuple[str, int] | None:
    """'..., Mateo Salcedo, jefe de Protección Civil,' ending at ``end`` ->
    ('Mateo Salcedo', its offset): the capitalised words before an apposition."""
    line_start = text.rfind("\n", 0, end) + 1
    head = text[line_start:end].rstrip()
    if head.endswith(","):  # an apposition between the name and the cue
        comma = head.rfind(",", 0, len(head) - 1)
        if comma < 0 or len(head) - comma > 90:
            return None
        head = head[:comma]
    tokens = [(m.group(), m.start()) for m in _NAME_TOKEN.finditer(head)]
    name: list[tuple[str, int]] = []
    for token, offset in reversed(tokens):
        if token.endswith(".") and len(token) > 2:  # the end of the sentence before
            break
        if _capitalised(token) or (token.lower() in _PARTICLES and name):
            name.insert(0, (token, offset))
        else:
            break
    while name and not _capitalised(name[0][0]):
        name.pop(0)
    if not name:
        return None
    first, last = name[0], name[-1]
    found = head[first[1]:last[1] + len(last[0])]
    # A lone capitalised word opening the sentence is as likely 'Después' as
    # a name, unless it is a person the story knows.
    sentence_start = first[1] == 0 or head[:first[1]].rstrip()[-1:] in ".!?"
    if len(name) == 1 and sentence_start and not (index.find(found) and index.is_person(index.find(found))):
        return None
    return found, line_start + first[1]


@lru_cache(maxsize=8)
def _plain_cues(language: str) -> tuple[re.Pattern, frozenset[str], frozenset[str]]:
    cues, articles, stops = PLAIN_CUES[language]
    return re.compile(rf"(?:{cues})(?!\w)", re.I), frozenset(articles.split()), frozenset(stops.split())


def _plain_speaker(text: str, start: int, end: int, language: str, index: EntityIndex) -> tuple[str, int] | None:
    """A speaker named by a cue word of ``language`` right after the quote
    ('», dijo X') or right before it ('X afirmó: «')."""
    cue, articles, stops = _plain_cues(language)
    # after: closing mark, then a comma or a dash, then the cue
    i = end
    while i < len(text) and (text[i] in _CLOSING_MARKS or text[i] in " \u00a0\u202f\u2009"):
        i += 1
    after = re.compile(r"[^\S\n]*[,—–-]?[^\S\n]*").match(text, i)
    if after and after.group().strip():  # a comma or a dash: the cue's clause goes on
        match = cue.match(text, after.end())
        if match:
            named = _name_after(text, match.end(), articles, stops)
            if named:
                return named
    # before: the cue, an optional colon or comma, the opening mark
    j = start
    while j > 0 and text[j - 1].isspace():
        j -= 1
    while j > 0 and text[j - 1] in _OPENING_MARKS:
        j -= 1
    window = max(0, j - 200)
    head = text[window:j].rstrip()
    head = head[:-1].rstrip() if head.endswith((":", ",")) else head
    found = None
    for match in cue.finditer(head):
        if match.end() == len(head) and (match.start() == 0 or not head[match.start() - 1].isalnum()):
            found = match
    return _name_before(text, window + found.start(), index) if found else None


def plain_cue_words(language: str | None) -> frozenset[str]:
    """The one-word cues of a language (for ``is_partial``)."""
    if language not in PLAIN_CUES:
        return frozenset()
    return frozenset(c for c in PLAIN_CUES[language][0].split("|") if " " not in c)


def plain_quotes(article: Article, index: EntityIndex) -> list[_Found]:
    """Quotes of an article with no parse: every statement in quotation marks;
    its speaker from a cue word of the article's language, else unknown."""
    text = article.text
    language = base_language(article.language) or ""
    cues = plain_cue_words(language)
    found = []
    for start, end in quote_spans(text):
        speaker: tuple[str | None, str | None, tuple[int, int] | None] = (None, None, None)
        signed = _SIGNED.match(text, end)
        named = None
        if signed:
            named = (signed.group(1).rstrip("."), signed.start(1))
        elif language in PLAIN_CUES:
            named = _plain_speaker(text, start, end, language, index)
        if named:
            name, at = named
            speaker = (name, index.find(name), (at, at + len(name)))
        found.append(_Found(start, end, *speaker, partial=is_partial(text, start, cues)))
    return found


def _same_words(a: set[str], b: set[str], qa: Quote, qb: Quote) -> bool:
    shared = len(a & b)
    if not shared or shared / min(len(a), len(b)) < GROUP_OVERLAP:
        return False
    # Short phrases share few words: they render one statement only when the
    # same speaker is quoted by another article ("meaningful progress" /
    # "the most significant progress yet").
    phrase = max(len(a), len(b)) <= SHORT_PHRASE_STEMS and qa.article_id != qb.article_id
    return shared >= 3 or bool(phrase and qa.speaker and qa.speaker == qb.speaker)


def group_quotes(quotes: Sequence[Quote], languages: Mapping[str, str | None] | None = None,
                 settings: Settings = DEFAULT_SETTINGS, cache: VectorCache | None = None) -> None:
    """Give quotes that render the same statement a shared ``group``.
    ``languages`` maps article ids to their language; quotes in two languages
    are compared by meaning (when the encoder is on)."""
    stems = [set(content_stems(q.text)) for q in quotes]
    sets = DisjointSets(range(len(quotes)))
    speakers = [{q.speaker} if q.speaker else set() for q in quotes]  # per group root
    language = [base_language((languages or {}).get(q.article_id)) or "en" for q in quotes]
    vectors = align.sentence_vectors([q.text for q in quotes], settings, cache) if len(set(language)) > 1 else None
    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if language[i] == language[j] or vectors is None:
                if not _same_words(stems[i], stems[j], quotes[i], quotes[j]):
                    continue
            elif align.probability(quotes[i].text, quotes[j].text, float(vectors[i] @ vectors[j]),
                                   same_language=False) < settings.claim_same_probability:
                continue
            ri, rj = sets.find(i), sets.find(j)
            if ri == rj or len(speakers[ri] | speakers[rj]) > 1:
                continue  # two known speakers never share a statement
            sets.union(ri, rj)
            speakers[ri] |= speakers[rj]
    for group in sets.groups():
        key = min(quotes[i].id for i in group)
        name = "qg-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        for i in group:
            quotes[i].group = name


def quote_groups(quotes: Sequence[Quote]) -> list[list[Quote]]:
    """Quotes by statement, most widely quoted first. Each group opens with the
    quote that best speaks for it: by the speaker most of the group names, a
    whole statement rather than a partial one, the longest."""
    groups: dict[str, list[Quote]] = {}
    for quote in quotes:
        groups.setdefault(quote.group or quote.id, []).append(quote)
    ordered = []
    for members in groups.values():
        votes: dict[str, int] = {}
        for q in members:
            if q.speaker:
                votes[q.speaker] = votes.get(q.speaker, 0) + 1
        lead = max(members, key=lambda q: (votes.get(q.speaker, 0) if q.speaker else -1, not q.partial, len(q.text)))
        ordered.append([lead] + [q for q in members if q is not lead])
    return sorted(ordered, key=lambda g: (-len({q.article_id for q in g}), min(q.id for q in g)))


def story_quotes(articles: Sequence[Article], docs: Mapping[str, object], index: EntityIndex,
                 settings: Settings = DEFAULT_SETTINGS, cache: VectorCache | None = None) -> list[Quote]:
    """All direct quotes of a story's articles, speakers linked, statements grouped."""
    names = {e.id: e.name for e in index.entities}
    quotes = []
    for article in articles:
        for f in find_quotes(article, docs.get(article.id), index):
            digest = hashlib.sha1(f"{article.id}|{f.start}".encode()).hexdigest()[:10]
            quotes.append(Quote(id=f"q-{digest}", text=article.text[f.start:f.end], article_id=article.id,
                                start=f.start, end=f.end, speaker=f.speaker_entity,
                                speaker_name=names.get(f.speaker_entity, f.speaker) if f.speaker_entity else f.speaker,
                                partial=f.partial))
    group_quotes(quotes, {a.id: a.language for a in articles}, settings, cache)
    return quotes
