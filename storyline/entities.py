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
mention's label: the labels vote, and cues of shape add to the vote. An
organisation word heading the name ("Valdora Rail", "University of Lentz") makes
an organisation and a place word ("Kessler Pass", "Mercy Hospital") a place;
"in X", "near X", "the village of X" count for a place; "X said" counts for a
person when X looks like a first and last name. A name that does not look like
a person's (lower-case or all-capital words: "html HP", "EYP MCF") is not a
person, nor is a one-word name that begins a longer organisation or place name
of the story ("Valdora" of "Valdora Rail"), nor a "person" whose surname is the
story's name of a place or organisation ("Etisalat Egypt"). A lone generic
word ("Defense", "State", "Ministry"; or one the story also writes in lower
case) is dropped.

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
""".split())
_SAY = frozenset({"say", "tell"})
_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|"
                          r"bin|ibn|al|el|de|da|di|del|van|von|der|le|la|dos|das|[a-z]{1,3}-[A-Z][a-z]+)$")
W_LABEL, W_PLACE, W_SAID, W_PERSONAL = 1.0, 2.0, 1.0, 1.0  # tuned on even ECB+ topics
_LOCATIVE = frozenset({"in", "near", "from", "around", "to", "into", "outside", "across", "at", "towards", "toward"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SKELETON_RULES = [("kh", "h"), ("x", "ks"), ("ck", "k"), ("q", "k"), ("ph", "f"), ("dh", "d"), ("ow", "ou"),
                   ("w", "v"), ("iy", "y"), ("ij", "y"), ("yy", "y"), ("yo", "e"), ("j", "y"), ("y", "i"),
                   ("ou", "u")]
_ARTICLE = re.compile(r"\b(?:al|el|ad|as|ash|at|ar)-", re.I)


def skeleton(name: str) -> str:
    """A spelling-insensitive key of a name."""
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
    personal: bool = False  # "Mr X", "Dr X", "X, 47,"


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


def mentions_of(article_id: str, doc) -> list[Mention]:
    """The entity mentions spaCy finds in one parsed article."""
    found = []
    for ent in doc.ents:
        label = TYPES.get(ent.label_)
        if not label:
            continue
        name = clean_name(ent.text)
        if not name or not any(ch.isupper() for ch in name):
            continue
        if label == "PLACE" and " " not in name and name.lower().endswith(("ian", "ians", "ish", "ese")):
            continue  # "Ukrainian", "British": adjectives of nationality, not places
        before = ent.start - 1
        if before >= 0 and doc[before].lower_ == "the":
            before -= 1
        locative = before >= 0 and doc[before].lower_ in _LOCATIVE
        place_cue = before >= 0 and (doc[before].lower_ in _PLACE_PREP or (
            doc[before].lower_ == "of" and before > 0 and doc[before - 1].lower_ in _PLACE_NOUNS))
        said = ent.end < len(doc) and doc[ent.end].lemma_.lower() in _SAY
        personal = (ent.end + 2 < len(doc) and doc[ent.end].text == "," and doc[ent.end + 1].like_num
                    and doc[ent.end + 2].text == ",") or (
            ent.start > 0 and doc[ent.start - 1].lower_.strip(".") in _PERSON_TITLES) or (
            ent[0].lower_.strip(".") in _PERSON_TITLES)
        offset = ent.text.find(name.split()[0])
        start = ent.start_char + max(0, offset)
        found.append(Mention(article_id, start, start + len(name), name, label, locative, place_cue, said,
                             personal))
    return found


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


def _votes(mentions: Sequence[Mention], surfaces: Sequence[str]) -> Counter:
    votes: Counter = Counter()
    for m in mentions:
        votes[m.label] += W_LABEL
        votes["PLACE"] += W_PLACE * m.place_cue
    if any(len(s.split()) > 1 and person_shaped(s) for s in surfaces):
        votes["PERSON"] += W_SAID * sum(m.said for m in mentions)
    if any(person_shaped(s) for s in surfaces):
        votes["PERSON"] += W_PERSONAL * sum(m.personal for m in mentions)
    return votes


def _decide(mentions: Sequence[Mention], exclude: str | None = None, default: str | None = None) -> str:
    """The type of one name from all its mentions in the story."""
    surfaces = Counter(m.text for m in mentions)
    name = max(surfaces, key=lambda s: (not s.isupper(), surfaces[s], s))
    head = _head(name)
    if head in ORG_WORDS and len(name.split()) > 1:
        return "ORG"
    if head in PLACE_WORDS and len(name.split()) > 1:
        return "PLACE"
    votes = _votes(mentions, list(surfaces))
    if not any(person_shaped(s) for s in surfaces):
        exclude = "PERSON"
    if exclude:
        votes.pop(exclude, None)
    ranked = [t for t in ("PERSON", "ORG", "PLACE") if t != exclude]
    best = max(ranked, key=lambda t: (votes[t], t == default, -ranked.index(t)))
    return best if votes[best] > 0 or not default else default


def decide_types(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions, each labelled with the type its name has across the story."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[skeleton(m.text)].append(m)
    types = {k: _decide(ms) for k, ms in by_key.items()}
    words = {k: k.split() for k in by_key}
    # A one-word name that begins a longer organisation or place name is not a person ("Valdora" / "Valdora Rail").
    for k, ms in by_key.items():
        if len(words[k]) == 1 and types[k] == "PERSON":
            longer = [o for o in by_key if len(words[o]) > 1 and words[o][0] == k and types[o] != "PERSON"]
            if longer:
                types[k] = _decide(ms, exclude="PERSON", default=types[max(longer, key=lambda o: len(by_key[o]))])
    # A "person" whose surname is the story's name of a place or organisation, said more often, is not a person.
    for k, ms in by_key.items():
        last = words[k][-1] if len(words[k]) > 1 else None
        if types[k] == "PERSON" and last in by_key and _not_person(by_key[last], types[last], len(ms)):
            types[k] = _decide(ms, exclude="PERSON", default="ORG")
    return [replace(m, label=types[skeleton(m.text)]) for m in mentions]


def _not_person(mentions: Sequence[Mention], decided: str, than: int) -> bool:
    """A one-word name the story never labels a person, decided a place, and said more than ``than`` times."""
    return decided == "PLACE" and len(mentions) > than and not any(m.label == "PERSON" for m in mentions)


def _same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (first_a, last_a), (first_b, last_b) = a, b
    if first_a and first_b and (first_a + last_a).replace(" ", "") == (first_b + last_b).replace(" ", ""):
        return True  # "Kim Jong-un" / "Kim Jong Un"
    if not similar_names(last_a, last_b):
        return False
    if not first_a or not first_b:
        return True
    return fuzz.ratio(first_a, first_b) >= 75


def merge(mentions: Sequence[Mention]) -> list[_Group]:
    """Group mentions that name the same entity, each group with the type its
    mentions decide."""
    raw = defaultdict(list)
    for m in mentions:
        raw[skeleton(m.text)].append(m)
    mentions = decide_types(mentions)
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
                   and not _not_person(raw[sk], m.label, len(g.mentions))]
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
    groups = [g for g in merge(mentions) if not generic(g, lower)]
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
