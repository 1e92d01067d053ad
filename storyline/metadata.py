"""Article metadata that the content itself gives away: language, outlet."""

from __future__ import annotations

from functools import lru_cache

_MIN_CHARS = 40  # below this a language guess is noise


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def base_language(code: str | None) -> str | None:
    """The language of a tag without its region: 'es-MX' -> 'es'."""
    return code.lower().split("-")[0] if code else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or ``None`` if unsure."""
    sample = text[:800]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= 0.5 else None
