"""Entities: the people, organisations and places of a story, one entry each.

Mentions come from spaCy's named-entity recogniser. Inside a story they are
merged across articles and spellings:

- titles and possessives are stripped ("President Vladimir Putin's" -> "Vladimir Putin");
- names are compared on a transliteration skeleton (no accents, kh->h, x->ks,
  y->i, doubled letters once), so Zelensky / Zelenskyy / Zelenskiy,
  Arakhamia / Arahamia and Mykhailo / Mykhaylo meet, and fuzzy string
  similarity (rapidfuzz) absorbs what is left (Alexander / Aleksandr);
- two people are one when their surnames match and their first names do not
  disagree; a surname alone joins the one person of that surname;
- a one-word "person" that the text puts after "in", "near", "from" ... is a place.

An entity's type is decided across all its mentions in the story, not by one
mention's label: the labels vote, and cues of shape and context add to the vote
or turn one mention's vote. An organisation word heading the name ("Valdora
Rail", "University of Lentz") makes an organisation and a place word ("Kessler
Pass", "Mercy Hospital") a place; "in X", "near X", "the village of X", "towns
such as X", "the capital, X" count for a place, and "from X", "at X", "towards
X" turn the mention's vote to a place; "X said" counts for a person when X looks
like a first and last name and one of its mentions is labelled or cued a person
(an organisation speaks too: "Brightwell Ferries said"), and "Mr X", "X, 47,",
"the 63-year-old X", "X, who" and "X ... his/her" in X's own clause count for
a person. Company words head organisations too ("Ferries", "Logistics",
"Holdings"). What a person's name does not
take turns a "person" vote to an organisation: "the X", "X, which", "on X",
"X ... its/their", "X's shares", "X, the largest website". Names coordinated
with each other ("Tonban, Gavarzin and Khaledin") share the words in front of
the list and lean to the kind most of the others have; a list spaCy ran into
one entity ("Kyiv, Lviv, Rivne") is split into its names. A name that does not
look like a person's (lower-case or all-capital words: "html HP", "EYP MCF") is
not a person, nor is a one-word name that begins a longer organisation or place
name of the story ("Valdora" of "Valdora Rail") or ends one after "of"
("Lentz" of "University of Lentz": a place), nor a "person" whose surname is the
story's name of a place or organisation ("Etisalat Egypt"); a full name that
shares its surname with a person of the story and is called a person once is a
person. The name of an outlet of the story's articles (their ``outlet`` field)
is an organisation. A lone generic word ("Defense", "State", "Ministry"; or one
the story also writes in lower case) joins the story's only organisation or
place name it heads ("Ministry" / "Finance Ministry"), else it is dropped.

Only articles in a language with a spaCy model (English) have mentions: the
others are left out rather than read with a model made for another language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from .model import Article, Entity

TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
TITLES = frozenset("""
president vice prime minister deputy foreign defense defence interior finance secretary state
adviser advisor presidential spokesman spokeswoman spokesperson mr mrs ms miss dr prof gen general
lt col colonel major sgt sen senator rep representative gov governor mayor chancellor king queen
prince princess pope ambassador former chief head lawmaker mp judge justice sir lord lady dame
commander admiral captain officer director ceo chairman chairwoman leader negotiator opposition
u.s. us uk
""".split())
_PLACE_PREP = frozenset({"in", "near", "outside", "across", "throughout", "inside", "around"})
_PLACE_NOUNS = frozenset("""
village town city province region district county island capital suburb municipality country port
neighbourhood neighborhood state republic kingdom
""".split())
# Words that head an organisation's name, or a place's.
ORG_WORDS = frozenset("""
rail railway railways railroad ministry university college council inc inc. corp corp. corporation co co.
ltd ltd. llc plc party agency bank airlines airline airways court police army navy group company
association institute foundation department commission committee union federation organization
organisation authority service services network news times post press club board league assembly
parliament senate congress government office bureau administration forces guard fund trust society
brigade command coalition alliance tribunal cabinet directorate channel broadcasting magazine journal
ferries ferry lines shipping logistics transport systems holdings partners industries motors technologies
communications telecom networks media labs laboratories pharmaceuticals energy utilities foods brands stores
ventures investments securities insurance enterprises solutions studios entertainment cruises manufacturing
mining petroleum chemicals software
""".split())
PLACE_WORDS = frozenset("""
street road avenue square clinic center centre mountain mountains river lake island islands valley pass bay
county province region district village park airport station bridge highway hospital hotel stadium arena theatre theater
cathedral mosque temple prison sea ocean gulf peninsula strait coast beach canyon hills hill
desert forest border
""".split())
GENERIC = frozenset("""
defense defence state ministry government court police army navy parliament senate council agency
department office bureau administration authority commission committee company group bank party
university college school hospital city county province region republic kingdom union federation
president minister secretary
""".split())
_PERSON_TITLES = frozenset("""
mr mrs ms miss dr prof sen senator rep gov governor mayor president minister secretary chancellor judge
ambassador spokesman spokeswoman spokesperson sgt lt col gen capt officer detective actress actor singer
lawmaker legislator mp councillor councilor councilman councilwoman commissioner prosecutor lawyer attorney
chairman chairwoman ceo professor economist analyst activist candidate coach chief correspondent
""".split())
_SAY = frozenset({"say", "tell"})
_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|"
                          r"bin|ibn|al|el|de|da|di|del|van|von|der|le|la|dos|das|[a-z]{1,3}-[A-Z][a-z]+)$")
W_LABEL, W_PLACE, W_SAID, W_PERSONAL = 1.0, 2.0, 1.0, 1.0  # tuned on even ECB+ topics
_LOCATIVE = frozenset({"in", "near", "from", "around", "to", "into", "outside", "across", "at", "towards", "toward"})
_WHENCE = frozenset({"from", "at", "towards", "toward", "into"})  # "from X": the mention's own vote is PLACE
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SKELETON_RULES = [("kh", "h"), ("x", "ks"), ("ck", "k"), ("q", "k"), ("ph", "f"), ("dh", "d"), ("ow", "ou"),
                   ("w", "v"), ("iy", "y"), ("ij", "y"), ("yy", "y"), ("yo", "e"), ("j", "y"), ("y", "i"),
                   ("ou", "u")]
_ARTICLE = re.compile(r"\b(?:al|el|ad|as|ash|at|ar)-", re.I)


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A spelling-insensitive key of a name (cached: a story asks for the same names many times)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _ARTICLE.sub("", text)  # "al-Assad" / "Assad"
    text = re.sub(r"\bye", "e", text)  # "Yevgeny" / "Evgeny"
    text = re.sub(r"[^a-z ]+", "", text)
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text).strip()


def similar_names(a: str, b: str) -> bool:
    """Two name skeletons that spell one name: equal, or close when long enough
    that one letter is not the whole difference (Johnson / Johnston)."""
    return a == b or (min(len(a), len(b)) >= 8 and fuzz.ratio(a, b) >= 90)


def clean_name(text: str) -> str:
    """Strip titles, possessives and a leading article from an entity's text."""
    text = _POSSESSIVE.sub("", text.strip())
    tokens = text.split()
    while len(tokens) > 1 and (tokens[0].lower().strip(".") in TITLES or tokens[0].lower() == "the"):
        tokens.pop(0)
    name = " ".join(tokens).strip(" ,;:")
    return name if name.count(".") > 1 else name.rstrip(".")  # keep "U.S.", drop a full stop


@dataclass
class Mention:
    article_id: str
    start: int
    end: int
    text: str  # as in the article, title stripped
    label: str  # PERSON / ORG / PLACE
    locative: bool = False  # follows "in", "near", ...
    place_cue: bool = False  # follows "in", "near", "the village of" ...
    said: bool = False  # "X said", "X told"
    personal: bool = False  # "Mr X", "Dr X", "X, 47,", "X, who"
    nonperson: bool = False  # "the X", "X, which", "on X"
    siblings: tuple[str, ...] = ()  # skeletons of the names coordinated with this one ("X, Y and Z")
    listed: bool = False  # one name of a list spaCy ran together: its label was the list's
    prep: str = ""  # the preposition before the name ("the" skipped)


@dataclass
class _Group:
    label: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def full_names(self) -> list[str]:
        return [m.text for m in self.mentions if len(m.text.split()) > 1]

    def key_tokens(self) -> tuple[str, str]:
        """(first-name skeleton, surname skeleton) of the group's fullest name."""
        names = self.full_names or [m.text for m in self.mentions]
        tokens = Counter(names).most_common(1)[0][0].split()
        return (skeleton(tokens[0]) if len(tokens) > 1 else "", skeleton(tokens[-1]))


def _name_spans(ent) -> list[tuple[int, int]]:
    """Token spans of the names in one spaCy entity: the entity, or each name of
    a list it ran together ("Kyiv, Lviv, Rivne": two commas or more)."""
    if sum(t.text == "," for t in ent) < 2:
        return [(ent.start, ent.end)]
    parts, start = [], ent.start
    for t in ent:
        if t.text == "," or t.lower_ in ("and", "or"):
            if t.i > start:
                parts.append((start, t.i))
            start = t.i + 1
    if ent.end > start:
        parts.append((start, ent.end))
    return parts


def _coordinated(token) -> set[int]:
    """Indexes of the tokens coordinated with ``token`` ("X, Y and Z"), itself included."""
    top = token
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    found, stack = {top.i}, [top]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.i not in found:
                found.add(child.i)
                stack.append(child)
    return found


def mentions_of(article_id: str, doc) -> list[Mention]:
    """The entity mentions spaCy finds in one parsed article."""
    found: list[tuple[Mention, object, tuple[int, ...]]] = []
    for ent in doc.ents:
        label = TYPES.get(ent.label_)
        if not label:
            continue
        spans = _name_spans(ent)
        for first, last in spans:
            mention = _mention(article_id, doc, first, last, label)
            if mention:
                mention.listed = len(spans) > 1
                found.append((mention, doc[first:last].root, tuple(a for a, _ in spans if a != first)))
    # Names coordinated with each other ("Tonban, Gavarzin and Khaledin") are of one kind.
    by_token: dict[int, Mention] = {}
    for m, root, _ in found:
        by_token[root.i] = m
    for m, root, parts in found:
        near = (_coordinated(root) - {root.i}) | {doc[a:a + 1].root.i for a in parts}
        names = [by_token[i] for i in sorted(near) if i in by_token and by_token[i] is not m]
        m.siblings = tuple(skeleton(o.text) for o in names)
        # The words in front of a list are in front of each of its names: "in Kyiv and Kharkiv".
        first = names[0] if names and names[0].start < m.start else None
        if first is not None:
            m.place_cue, m.locative, m.prep = (m.place_cue or first.place_cue, m.locative or first.locative,
                                               m.prep or first.prep)
    return [m for m, _, _ in found]


def _mention(article_id: str, doc, first: int, last: int, label: str) -> Mention | None:
    """The mention of the name at tokens ``first:last``, with the cues of its context."""
    span = doc[first:last]
    name = clean_name(span.text)
    if not name or not any(ch.isupper() for ch in name):
        return None
    if label == "PLACE" and " " not in name and name.lower().endswith(("ian", "ians", "ish", "ese")):
        return None  # "Ukrainian", "British": adjectives of nationality, not places
    before = first - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1
    locative = before >= 0 and doc[before].lower_ in _LOCATIVE
    root = span.root
    place_cue = before >= 0 and (doc[before].lower_ in _PLACE_PREP or _of_places(doc, before)) or (
        root.dep_ == "appos" and root.head.lower_ in _PLACE_NOUNS) or (  # "the capital, Kyiv"
        root.dep_ == "compound" and root.head.lower_ in _PLACE_NOUNS)  # "the X region"
    said = last < len(doc) and doc[last].lemma_.lower() in _SAY
    after = [t.lower_ for t in doc[last:last + 2]]
    relative = after[1:2] if after[:1] == [","] else after[:1]
    pronoun = _own_pronoun(span)
    personal = (last + 2 < len(doc) and doc[last].text == "," and doc[last + 1].like_num
                and doc[last + 2].text == ",") or (
        first > 0 and doc[first - 1].lower_.strip(".") in _PERSON_TITLES) or (
        span[0].lower_.strip(".") in _PERSON_TITLES) or bool(relative and relative[0] in _WHO) or (
        pronoun in ("his", "her")) or _aged(doc, first)
    nonperson = _determined(doc, first, last) or bool(relative and relative[0] == "which") or (
        first > 0 and doc[first - 1].lower_ in _NONPERSON_PREP and after[:1] not in (["'s"], ["’s"])) or (
        pronoun in ("its", "their")) or (root.dep_ == "poss" and root.head.lower_ in _ORG_HAS) or (
        bool(_apposed(root) & _ORG_NOUNS))
    offset = span.text.find(name.split()[0])
    start = span.start_char + max(0, offset)
    return Mention(article_id, start, start + len(name), name, label, locative, place_cue, said, personal,
                   nonperson, prep=doc[before].lower_ if before >= 0 and doc[before].dep_ == "prep" else "")


def _determined(doc, first: int, last: int) -> bool:
    """"the X": the article belongs to the name itself, not to a noun it modifies
    ("the Obama administration"). People's names take no article."""
    if doc[first].lower_ == "the":
        return True
    if first == 0 or doc[first - 1].lower_ != "the":
        return False
    return first <= doc[first - 1].head.i < last


def _own_pronoun(span) -> str | None:
    """The first possessive pronoun after a subject in its own clause (not in a
    clause the verb governs): "X posted on its website" / "X said his ..."."""
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause, stack = [], [root.head]
    while stack:
        token = stack.pop()
        clause.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSES)
    return next((t.lower_ for t in sorted(clause, key=lambda t: t.i) if t.i >= span.end and t.dep_ == "poss"
                 and t.lower_ in ("his", "her", "its", "their")), None)


_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "acl", "csubj"})


def _of_places(doc, before: int) -> bool:
    """A place word and "of", "such as", "including" or "like" in front of a name:
    "the village of X", "towns such as X", "cities including X"."""
    word = doc[before].lower_
    noun = before - 1
    if word == "as" and noun >= 0 and doc[noun].lower_ == "such":
        noun -= 1
    elif word not in ("of", "including", "like"):
        return False
    return noun >= 0 and doc[noun].lemma_.lower() in _PLACE_NOUNS


def _aged(doc, first: int) -> bool:
    """"the 63-year-old X": an age in front of a name."""
    words = [t.lower_ for t in doc[max(0, first - 4):first]]
    return "old" in words[-2:] and any(w.startswith("year") for w in words)


def _apposed(root) -> set[str]:
    """The common nouns in apposition to a name: "X, the largest website", "the firm, X"."""
    apposed = [c for c in root.children if c.dep_ == "appos"][:1]  # the nearest only
    nouns = {c.lower_ for c in apposed if c.pos_ == "NOUN"}
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        nouns.add(root.head.lower_)
    return nouns


_WHO = frozenset({"who", "whom", "whose"})
_ORG_NOUNS = frozenset("""
company firm website site newspaper paper magazine broadcaster network agency group organisation organization
maker manufacturer provider operator carrier retailer chain business brand team club party union charity
publisher studio label developer producer startup corporation
""".split())
# What an organisation has and a person does not: "X's shares", "X's chief executive".
_ORG_HAS = frozenset("""
ceo shares stock stockholders shareholders employees customers subscribers headquarters subsidiary subsidiaries
acquisition website executives
""".split())
_NONPERSON_PREP = frozenset({"on", "via"})


def _person_word(word: str, last: bool = True) -> bool:
    word = word.strip("\"“”‘’'()")
    if not word or word in _SUFFIXES or word in _PARTICLES or re.fullmatch(r"[A-Z]\.?", word):
        return True  # a nickname's quotation marks; "Jr."; "bin", "de"; an initial
    if not last and _INITIALS.match(word):
        return True  # initials before a surname: "W.", "G.K."
    parts = [p for p in re.split(r"[-'’]", word) if p]
    return (word[:1].isupper() and not word.isupper() and all(p.isalpha() for p in parts)) or (
        len(parts) > 1 and parts[0] in _PARTICLES and _person_word(parts[-1]))  # "al-Assad"


_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
_PARTICLES = frozenset({"-", "bin", "ibn", "al", "el", "de", "da", "di", "del", "van", "von", "der", "le", "la", "dos",
                        "das", "du", "ter", "ten"})


_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})


def person_shaped(name: str) -> bool:
    """Whether a name is written as a person's: capitalised words (not all capitals,
    not lower case) with at most particles and initials between them."""
    tokens = name.split()
    return (bool(tokens) and tokens[0] not in _PARTICLES
            and all(_person_word(t, i == len(tokens) - 1) for i, t in enumerate(tokens)))


def _head(name: str) -> str:
    """The word that heads a name: the one before "of" ("University of X"), else the last."""
    tokens = [t.lower() for t in name.split()]
    if "of" in tokens[1:]:
        return tokens[tokens.index("of", 1) - 1]
    return tokens[-1].strip(",;:")


def _votes(mentions: Sequence[Mention], surfaces: Sequence[str], kinds: Mapping[str, str] | None = None) -> Counter:
    votes: Counter = Counter()
    for m in mentions:
        label = "ORG" if m.label == "PERSON" and m.nonperson else m.label  # "the X", "X, which", "on X"
        label = "PLACE" if m.prep in _WHENCE and not m.nonperson else label  # "from X", "at X", "towards X"
        if not m.listed:
            votes[label] += W_LABEL
        votes["PLACE"] += W_PLACE * m.place_cue
        if kinds:  # the kind most of the names coordinated with it have
            around = Counter(kinds[k] for k in m.siblings if k in kinds).most_common(2)
            if around and (len(around) == 1 or around[0][1] > around[1][1]):
                votes[around[0][0]] += W_LABEL
    if any(len(s.split()) > 1 and person_shaped(s) for s in surfaces) and any(
            m.label == "PERSON" or m.personal for m in mentions):
        votes["PERSON"] += W_SAID * sum(m.said for m in mentions)
    if any(person_shaped(s) for s in surfaces):
        votes["PERSON"] += W_PERSONAL * sum(m.personal for m in mentions)
    return votes


def _decide(mentions: Sequence[Mention], exclude: str | None = None, default: str | None = None,
            kinds: Mapping[str, str] | None = None) -> str:
    """The type of one name from all its mentions in the story (``kinds``: the
    types decided so far, for the names coordinated with it)."""
    surfaces = Counter(m.text for m in mentions)
    name = max(surfaces, key=lambda s: (not s.isupper(), surfaces[s], s))
    head = _head(name)
    if head in ORG_WORDS and len(name.split()) > 1:
        return "ORG"
    if head in PLACE_WORDS and len(name.split()) > 1:
        return "PLACE"
    votes = _votes(mentions, list(surfaces), kinds)
    if not any(person_shaped(s) for s in surfaces):
        exclude = "PERSON"
    if exclude:
        votes.pop(exclude, None)
    ranked = [t for t in ("PERSON", "ORG", "PLACE") if t != exclude]
    best = max(ranked, key=lambda t: (votes[t], t == default, -ranked.index(t)))
    return best if votes[best] > 0 or not default else default


def decide_types(mentions: Sequence[Mention], outlets: frozenset[str] = frozenset()) -> list[Mention]:
    """The mentions, each labelled with the type its name has across the story.
    ``outlets``: skeletons of the story's outlet names (an outlet is an organisation)."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[skeleton(m.text)].append(m)
    types = {k: _decide(ms) for k, ms in by_key.items()}
    # Coordinated names are of one kind: a second round with the kinds of the first.
    types = {k: _decide(ms, kinds={o: t for o, t in types.items() if o != k})
             if any(m.siblings for m in ms) else types[k] for k, ms in by_key.items()}
    words = {k: k.split() for k in by_key}
    for k, ms in by_key.items():
        if len(words[k]) == 1 and types[k] == "PERSON":
            # A one-word name that begins a longer organisation or place name is not a person ("Valdora" /
            # "Valdora Rail"), nor one that ends it after "of" ("Lentz" / "University of Lentz"): a place.
            longer = [o for o in by_key if len(words[o]) > 1 and words[o][0] == k and types[o] != "PERSON"]
            tail = any(len(words[o]) > 2 and words[o][-2:] == ["of", k] and types[o] != "PERSON" for o in by_key)
            if longer:
                types[k] = _decide(ms, exclude="PERSON", default=types[max(longer, key=lambda o: len(by_key[o]))])
            elif tail:
                types[k] = _decide(ms, exclude="PERSON", default="PLACE")
    # A "person" whose surname is the story's name of a place or organisation, said more often, is not a person.
    for k, ms in by_key.items():
        last = words[k][-1] if len(words[k]) > 1 else None
        if types[k] == "PERSON" and last in by_key and _not_person(by_key[last], types[last], len(ms)):
            types[k] = _decide(ms, exclude="PERSON", default="ORG")
    # A full name written like a person's, sharing its surname with a person of the story and called a person
    # at least once, is a person ("Madeline Kafoury" beside "Charlie Kafoury"): spaCy's labels of one
    # name waver.
    surnames = {words[k][-1] for k in by_key if len(words[k]) > 1 and types[k] == "PERSON"}
    for k, ms in by_key.items():
        if len(words[k]) > 1 and types[k] != "PERSON" and words[k][-1] in surnames and _personish(ms):
            types[k] = "PERSON"
    for k in by_key.keys() & outlets:
        types[k] = "ORG"  # the name of an outlet of the story's articles
    return [replace(m, label=types[skeleton(m.text)]) for m in mentions]


def _personish(mentions: Sequence[Mention]) -> bool:
    """Written like a person's name, not headed by an organisation or place word,
    and labelled or cued a person at least once."""
    return all(person_shaped(m.text) and _head(m.text) not in ORG_WORDS | PLACE_WORDS for m in mentions) and any(
        m.label == "PERSON" or m.personal for m in mentions)


def _not_person(mentions: Sequence[Mention], decided: str, than: int) -> bool:
    """A one-word name the story never labels a person, decided a place, and said more than ``than`` times."""
    return decided == "PLACE" and len(mentions) > than and not any(m.label == "PERSON" for m in mentions)


def _impersonal(mentions: Sequence[Mention]) -> bool:
    """A one-word name the story writes as a thing's more often than as a person's
    ("the X", "X, which", "X ... its") is not a person's surname ("Dell" / "Michael Dell")."""
    return sum(m.nonperson for m in mentions) > sum(m.personal or m.said for m in mentions)


def _same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (first_a, last_a), (first_b, last_b) = a, b
    if first_a and first_b and (first_a + last_a).replace(" ", "") == (first_b + last_b).replace(" ", ""):
        return True  # "Kim Jong-un" / "Kim Jong Un"
    if not similar_names(last_a, last_b):
        return False
    if not first_a or not first_b:
        return True
    return fuzz.ratio(first_a, first_b) >= 75


def merge(mentions: Sequence[Mention], outlets: frozenset[str] = frozenset()) -> list[_Group]:
    """Group mentions that name the same entity, each group with the type its
    mentions decide (``outlets``: skeletons of the story's outlet names)."""
    raw = defaultdict(list)
    for m in mentions:
        raw[skeleton(m.text)].append(m)
    mentions = decide_types(mentions, outlets)
    people: list[_Group] = []
    others: dict[tuple[str, str], _Group] = {}
    single: list[Mention] = []
    # Full person names first; one-word names join them afterwards.
    for m in sorted(mentions, key=lambda m: (-len(m.text.split()), m.article_id, m.start)):
        if m.label == "PERSON" and len(m.text.split()) > 1 or (
                m.label != "PERSON" and len(m.text.split()) > 1
                and any(_same_person(g.key_tokens(), _tokens(m.text)) for g in people)):
            key = _tokens(m.text)
            for group in people:
                if _same_person(group.key_tokens(), key):
                    group.mentions.append(m)
                    break
            else:
                people.append(_Group("PERSON", [m]))
        elif len(m.text.split()) == 1:
            single.append(m)
        else:
            others.setdefault((m.label, skeleton(m.text)), _Group(m.label)).mentions.append(m)
    # One-word names: a person's surname, else a name of its own.
    loose: dict[str, list[Mention]] = defaultdict(list)
    for m in single:
        sk = skeleton(m.text)
        matches = [g for g in people if similar_names(g.key_tokens()[1], sk)
                   and not _not_person(raw[sk], m.label, len(g.mentions)) and not _impersonal(raw[sk])]
        if matches:
            max(matches, key=lambda g: len(g.mentions)).mentions.append(m)
        else:
            loose[sk].append(m)
    for sk, group_mentions in loose.items():
        labels = Counter(m.label for m in group_mentions)
        if labels["PERSON"] and (labels["PLACE"] or sum(m.locative for m in group_mentions) * 2 >= len(group_mentions)):
            label = "PLACE"  # "in the Kyiv ... directions": spaCy's small model calls places people
        else:
            label = labels.most_common(1)[0][0]
        key = (label, sk)
        if key in others:
            others[key].mentions += group_mentions
        else:
            others[key] = _Group(label, list(group_mentions))
    return people + list(others.values())


def _tokens(name: str) -> tuple[str, str]:
    tokens = name.split()
    return (skeleton(tokens[0]) if len(tokens) > 1 else "", skeleton(tokens[-1]))


def _entity(story_id: str, group: _Group) -> Entity:
    surfaces = Counter(m.text for m in group.mentions)
    full = Counter(m.text for m in group.mentions if len(m.text.split()) > 1)
    name = max(full or surfaces, key=lambda s: ((full or surfaces)[s], len(s), s))
    surname = name.split()[-1]
    aliases = sorted({s for s in surfaces if s != name and s != surname})
    digest = hashlib.sha1(f"{story_id}|{group.label}|{skeleton(name)}".encode()).hexdigest()[:10]
    return Entity(id=f"e-{digest}", name=name, type=group.label, aliases=aliases,
                  article_ids=sorted({m.article_id for m in group.mentions}), mentions=len(group.mentions))


def _common_noun(token) -> bool:
    """A lower-case noun written as a word of a sentence (not a piece of a web
    address or of a hyphenated slug)."""
    doc, i = token.doc, token.i
    before = doc[i - 1] if i else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    return (token.is_lower and token.is_alpha and token.pos_ == "NOUN"
            and (before is None or (bool(before.whitespace_) and before.text not in _SLUG))
            and (after is None or after.text not in _SLUG))


_SLUG = frozenset({"-", "/", "_", ".", "–", "=", "&", "?"})


def generic(group: _Group, lower_words: set[str]) -> bool:
    """A lone generic word rather than a name: one word that is a generic
    institution word ("Defense", "State", "Ministry") or that the story also
    writes in lower case ("Actress", "Bank")."""
    names = {m.text for m in group.mentions}
    if any(len(n.split()) > 1 for n in names):
        return False
    return all(n.lower() in GENERIC or n.lower() in lower_words for n in names)


def _join_generic(groups: list[_Group], lower_words: set[str]) -> list[_Group]:
    """The groups without lone generic words: one joins the story's only
    organisation or place name it heads ("Ministry" / "Finance Ministry",
    "Times" / "Los Angeles Times"), else it is dropped."""
    kept, lone = [], []
    for g in groups:
        (lone if generic(g, lower_words) else kept).append(g)
    heads: dict[str, dict[int, _Group]] = defaultdict(dict)
    for g in kept:
        if g.label != "PERSON":
            for m in g.mentions:
                if len(m.text.split()) > 1:
                    heads[_head(m.text)][id(g)] = g
    for g in lone:
        words = {m.text.lower() for m in g.mentions}
        named = [h for w in words for h in heads.get(w, {}).values()]
        if len(words) == 1 and len(named) == 1:
            named[0].mentions.extend(g.mentions)
    return kept


@dataclass
class EntityIndex:
    """The story's entities and which entity each mention belongs to."""

    entities: list[Entity]
    mention_entity: dict[tuple[str, int], str]  # (article id, start) -> entity id
    by_skeleton: dict[str, str]  # name or surname skeleton -> entity id (people)
    people: set[str] = field(default_factory=set)

    def is_person(self, entity_id: str) -> bool:
        return entity_id in self.people

    def find(self, name: str) -> str | None:
        """The entity a speaker's name refers to, if any."""
        name = clean_name(name)
        if not name:
            return None
        sk = skeleton(name)
        if sk in self.by_skeleton:
            return self.by_skeleton[sk]
        last = skeleton(name.split()[-1])
        return self.by_skeleton.get(last)


def find_entities(story_id: str, articles: Sequence[Article], docs: Mapping[str, object]) -> EntityIndex:
    """Entities of one story, most mentioned first. An article with no parse
    (``None``: no spaCy model for its language) adds none."""
    parsed = [docs[a.id] for a in articles if docs.get(a.id) is not None]
    mentions = [m for a in articles if docs.get(a.id) is not None for m in mentions_of(a.id, docs[a.id])]
    lower = {t.text for doc in parsed for t in doc if _common_noun(t)}
    outlets = frozenset(skeleton(a.outlet) for a in articles if a.outlet and skeleton(a.outlet))
    groups = _join_generic(merge(mentions, outlets), lower)
    entities: list[Entity] = []
    mention_entity: dict[tuple[str, int], str] = {}
    by_skeleton: dict[str, str] = {}
    for group in groups:
        entity = _entity(story_id, group)
        entities.append(entity)
        for m in group.mentions:
            mention_entity[(m.article_id, m.start)] = entity.id
            if group.label == "PERSON":
                by_skeleton.setdefault(skeleton(m.text), entity.id)
        if group.label == "PERSON":
            by_skeleton.setdefault(skeleton(entity.name.split()[-1]), entity.id)
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return EntityIndex(entities, mention_entity, by_skeleton, {e.id for e in entities if e.type == "PERSON"})
