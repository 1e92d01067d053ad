"""What a brief sentence may cite: only sentences that say the same thing.
A sentence that rests on a quotation is backed only by sentences carrying
that quotation (the same words, an excerpt, or another rendering of it);
a sentence counting the same thing with other figures never backs it. And a
quotation read out of context is shown with its speaker's name.
All texts are invented."""

from __future__ import annotations

import pytest

from storyline import align, embeddings
from storyline.figures import clash, sentence_figures
from storyline.model import Article
from storyline.summarize import rests_on_quotation, speakerless, summarize


def _cited(brief, needle: str) -> set[str]:
    [sentence] = [s for s in brief if needle in s.text]
    return {c.article_id for c in sentence.citations[1:]}


def _span(article: Article, citation) -> str:
    return article.text[citation.start:citation.end]


FLOOD = {
    "north-star": ("The river Aller burst its banks in the town of Wessling on Sunday, flooding the old market "
                   "square and forcing 600 residents from their homes. \"The water rose faster than anyone "
                   "expected,\" harbour master Ilse Brandt told reporters on the quay. Volunteers filled "
                   "sandbags through the night while the fire brigade pumped water out of cellars."),
    "valley-times": ("Floodwater from the river Aller covered the market square of Wessling on Sunday and 600 "
                     "residents had to leave their homes. Harbour master Ilse Brandt said the water would "
                     "reach its highest point on Monday evening. The fire brigade pumped out cellars while "
                     "volunteers filled sandbags."),
    "east-courier": ("The river Aller flooded the centre of Wessling on Sunday, and 600 residents were "
                     "evacuated from their homes. \"The water rose faster than anyone expected,\" Brandt said. "
                     "Firefighters pumped water out of flooded cellars."),
}


def test_a_quotation_is_backed_only_by_sentences_that_carry_it():
    """The same speaker saying something else (no quotation) is not support."""
    articles = [Article(id=k, source=k, text=v) for k, v in FLOOD.items()]
    brief = summarize(articles)
    cited = _cited(brief, "rose faster than anyone")
    assert "valley-times" not in cited, cited
    assert "east-courier" in cited, cited


def test_a_translated_quotation_still_backs_it():
    if not embeddings.available():
        pytest.skip("needs the multilingual encoder")
    german = ("Der Fluss Aller ist am Sonntag in Wessling über die Ufer getreten, 600 Bewohner mussten ihre "
              "Häuser verlassen. „Das Wasser stieg schneller, als irgendjemand erwartet hatte“, sagte "
              "Hafenmeisterin Ilse Brandt. Freiwillige füllten die ganze Nacht Sandsäcke.")
    articles = [Article(id="north-star", source="a", text=FLOOD["north-star"]),
                Article(id="valley-times", source="b", text=FLOOD["valley-times"]),
                Article(id="wessling-bote", source="c", text=german, language="de")]
    brief = summarize(articles, vectors=align.story_vectors(articles))
    cited = _cited(brief, "rose faster than anyone")
    assert "wessling-bote" in cited and "valley-times" not in cited, cited


POWER = {
    "grid-news": ("A storm cut power to 4,000 homes in the Kessel valley on Sunday night, the regional utility "
                  "said. Crews worked through the night to repair fallen lines near the village of Ardo. "
                  "Schools in the valley will stay closed on Monday."),
    "valley-post": ("The storm cut power to 6,500 homes in the Kessel valley on Sunday night, according to the "
                    "regional utility. Repair crews worked through the night on fallen lines near Ardo. "
                    "Schools will stay closed on Monday."),
    "ardo-herald": ("Power was cut to about 4,000 homes in the Kessel valley when the storm hit on Sunday night, "
                    "the regional utility said. Crews repaired fallen lines near Ardo through the night."),
}


def test_clashing_figures_never_back_a_sentence():
    articles = [Article(id=k, source=k, text=v) for k, v in POWER.items()]
    brief = summarize(articles)
    for sentence in brief:
        counts = sentence_figures(sentence.text)
        for citation in sentence.citations[1:]:
            other = next(a for a in articles if a.id == citation.article_id)
            assert not clash(counts, sentence_figures(_span(other, citation)), loose=True), \
                (sentence.text, _span(other, citation))
    assert any(len(s.citations) > 1 for s in brief)  # the agreeing outlet still backs it


SCHOOL = {
    "a": ("Principal Mara Feld said the Lindenhof school would reopen on Monday after the flood. "
          "\"We will reopen the school on Monday and every class will be back in its own room,\" she said. "
          "Parents had been told to keep their children at home all week."),
    "b": ("The Lindenhof school will reopen on Monday after last week's flood, principal Mara Feld said. "
          "\"We will reopen the school on Monday and every class will be back in its own room,\" she said. "
          "Cleaning crews dried the classrooms over the weekend."),
    "c": ("The flooded Lindenhof school reopens on Monday. "
          "\"We will reopen the school on Monday and every class will be back in its own room.\" "
          "Buses will run on the usual timetable."),
}


def test_a_quotation_without_its_speaker_is_shown_with_the_speakers_name():
    """The brief keeps the article's own words; the renders put the speaker the
    quotes stage found in front of a quotation that does not name them."""
    from storyline.labels import brief_speaker
    from storyline.pipeline import analyze
    from storyline.render import render_html, render_markdown

    from .conftest import EXAMPLES

    report = analyze([EXAMPLES])
    markdown, html = render_markdown(report), render_html(report)
    shown = 0
    for story in report.stories:
        for sentence in story.summary:
            if speakerless(sentence.text):
                speaker = brief_speaker(sentence, story.quotes)
                assert speaker, sentence.text
                assert f"*{speaker}:* {sentence.text}" in markdown
                assert f"<span class='speaker'>{speaker}:</span>" in html
                shown += 1
            else:
                assert brief_speaker(sentence, story.quotes) is None
    assert shown  # the examples' brief quotes Marković's "We cannot keep patching it," she said.


@pytest.mark.parametrize(("text", "alone"), [
    ('"We cannot keep patching it," she said.', True),
    ('"We will take them down the valley by bus before dark."', True),
    ("“This is the third slide on this stretch in five years.", True),  # the quotation goes on
    ("„Wir hatten großes Glück, dass der Wind aufs Meer hinaus wehte“, sagte sie.", True),
    ('"We cannot keep patching it," Marković told reporters.', False),
    ('"We cannot keep patching it," the minister said.', False),
    ('She said the line would stay closed for "at least two weeks".', False),  # reported, not a quotation
    ("The line will stay closed for two weeks.", False),
])
def test_speakerless(text, alone):
    assert speakerless(text) is alone


def test_rests_on_quotation():
    assert not rests_on_quotation('"We were lucky," fire chief Anja Lorentz said.')  # three words
    assert rests_on_quotation('"We were very lucky indeed," fire chief Anja Lorentz said.')
    assert not rests_on_quotation('Moscow said it would "reduce military activity" near Kyiv.')
