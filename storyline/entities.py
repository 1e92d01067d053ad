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

Only articles in a language with a spaCy model (English) have mentions: the
others are left out rather than read with a model made for another language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
        offset = ent.text.find(name.split()[0])
        start = ent.start_char + max(0, offset)
        found.append(Mention(article_id, start, start + len(name), name, label, locative))
    return found


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
    """Group mentions that name the same entity."""
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
        matches = [g for g in people if similar_names(g.key_tokens()[1], sk)]
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
    mentions = [m for a in articles if docs.get(a.id) is not None for m in mentions_of(a.id, docs[a.id])]
    groups = merge(mentions)
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
