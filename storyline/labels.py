"""Names a reader can tell apart: what the report's sentences and the renders
call an article and an entity type, so nothing is ever named by its id."""

from __future__ import annotations

from .model import Article, BriefSentence, Claim, Quote
from .summarize import speakerless
from .textfeatures import dateline

ENTITY_HEADINGS = (("PERSON", "People"), ("ORG", "Organisations"), ("PLACE", "Places"))


def _opening(article: Article, words: int) -> str:
    text = article.text.lstrip()
    opening = dateline(text[:100])
    if opening:
        text = text[opening.end():]
    lead = text.split()
    return " ".join(lead[:words]) + (" …" if len(lead) > words else "")


def article_label(article: Article, words: int = 10) -> str:
    """The article's title; without one, its outlet and the first words of its lead,
    after any dateline ("CNN: The Russian delegation at the talks in Istanbul …")."""
    if article.title:
        return article.title
    opening = _opening(article, words)
    return f"{article.outlet}: {opening}" if article.outlet else opening


def source_name(article: Article) -> str:
    """An article as a sentence names it: its outlet, else its title in quotes,
    else the opening words of its lead in quotes."""
    if article.outlet:
        return article.outlet
    if article.title:
        words = article.title.split()
        return "“" + " ".join(words[:8]) + (" …" if len(words) > 8 else "") + "”"
    return "“" + _opening(article, 6) + "”"


def shown_text(text: str, limit: int | None = None) -> str:
    """A claim's or a timeline entry's words as a reader sees them in a table or
    list: without a leading dateline ("LENTZ, May 3 (Alpine Wire) -"), and cut
    at a word, not inside one, past ``limit`` characters."""
    opening = dateline(text[:100])
    if opening and opening.end() < len(text):
        text = text[opening.end():]
    if limit and len(text) > limit:
        cut = text[:limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + " …"
    return text


def counted(n: int, noun: str) -> str:
    """"1 article", "7 articles", "1 story", "2 stories"."""
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{n:,} {noun if n == 1 else plural}"


def brief_speaker(sentence: BriefSentence, quotes: list[Quote]) -> str | None:
    """Who speaks in a brief sentence that quotes someone without naming them
    ("“We cannot keep patching it,” she said."): the speaker the quotes stage
    found for a quote inside the sentence's cited words. The renders show the
    name in front of the sentence, whose words stay the article's own."""
    if not speakerless(sentence.text):
        return None
    for c in sentence.citations:
        for q in quotes:
            if q.article_id == c.article_id and c.start <= q.start < c.end and q.speaker_name:
                return q.speaker_name
    return None


def entity_heading(entity_type: str) -> str:
    """The heading an entity type is listed under."""
    return dict(ENTITY_HEADINGS).get(entity_type, "Other names")


def citation_numbers(article_ids: list[str], number: dict[str, int]) -> list[int]:
    """Each cited article's number once, in the order first cited."""
    seen: list[int] = []
    for article_id in article_ids:
        n = number.get(article_id)
        if n is not None and n not in seen:
            seen.append(n)
    return seen


def claim_status(claim: Claim) -> str:
    """A claim's status as a reader reads it: a corroborated statement its
    sources quote in other words says so ("corroborated, worded differently")."""
    if claim.conflict is not None and claim.status != "conflicting":
        return f"{claim.status}, {claim.conflict.kind} differs"
    return claim.status
