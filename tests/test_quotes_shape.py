"""Quotation marks, partial quotes and cue clauses read by the shape of the
text (issue 15: PolNeAR's held-out split), and organisation names that a
"said" does not make people. Every text here is written for these tests."""

from __future__ import annotations

from storyline.entities import find_entities
from storyline.model import Article
from storyline.parsing import parse
from storyline.quotes import find_quotes, quotations, quote_spans


def _found(text: str):
    article = Article(id="a", source="a", text=text, language="en")
    docs = parse([article])
    found = find_quotes(article, docs["a"], find_entities("s", [article], docs))
    return [(text[f.start:f.end], f.partial, f.speaker) for f in found]


def test_marks_pair_by_their_sides_within_a_paragraph():
    # a curly opening closed by a straight mark, then a paragraph opened with the wrong glyph:
    # neither shifts the pairs after it
    text = ('The mayor said there was “no evidence" of sabotage in the collapse.\n\n'
            '”The pier was old and the storms were strong,” the engineer said.\n\n'
            '"We will rebuild it before the winter comes," Holm said.')
    assert [text[s:e] for s, e in quote_spans(text)] == [
        "The pier was old and the storms were strong", "We will rebuild it before the winter comes"]


def test_an_inner_quotation_stays_inside_the_outer_one():
    text = '"They called the plan “too slow” and “too costly,” but it is the only plan we have," Varga said.'
    assert [text[s:e] for s, e in quote_spans(text)] == [
        "They called the plan “too slow” and “too costly,” but it is the only plan we have"]


def test_a_stray_mark_opening_a_paragraph_is_no_quotation():
    text = ('"Kevin was asleep on the sofa when the results came in.\n\n'
            'His wife kept watching the news until morning.')
    assert quotations(text) == []
    # the convention for a quotation over several paragraphs: only the last one closes
    text = ('"The pier was the heart of this town for a hundred years.\n\n'
            '"We will rebuild it before the winter comes," Holm said.')
    assert [text[s:e] for s, e in quote_spans(text)] == [
        "The pier was the heart of this town for a hundred years.", "We will rebuild it before the winter comes"]


def test_a_title_with_the_sentence_full_stop_inside_is_not_speech_nor_a_speaker():
    text = ('"The repairs will take six weeks at the very least," Varga, the harbour master, said on '
            'Harbour Radio\'s "Morning Tide and Friends."')
    found = _found(text)
    assert [(q, s) for q, _, s in found] == [("The repairs will take six weeks at the very least", "Varga")]


def test_a_quote_the_writer_leads_into_after_a_comma_is_partial():
    text = ('Holm said on Monday that under the new plan, "the city will pay for every repair from its reserves."\n\n'
            'The council said in a statement that, "Nobody will lose their job over the closure."\n\n'
            'Mayor Piet Holm said, "the harbour will reopen in the spring, whatever it costs."\n\n'
            '"We will need six weeks," Varga said on Tuesday, "and probably more if the storms continue."')
    partial = {q[:20]: p for q, p, _ in _found(text)}
    assert partial == {"the city will pay fo": True, "Nobody will lose the": True, "the harbour will reo": False,
                       "We will need six wee": False, "and probably more if": False}


def test_a_quote_the_writer_s_sentence_runs_on_after_is_partial():
    text = ('Varga said the closure was "the only way to keep people safe" until the repairs are done.\n\n'
            '"The only way the harbour will change is if the council pays for it" out of its reserves, she said.\n\n'
            '"We will need at least six weeks," the harbour master said.\n\n'
            '"Nobody will lose their job over this" Holm said on Monday.')
    partial = {q[:12]: p for q, p, _ in _found(text)}
    assert partial == {"the only way": True, "The only way": True, "We will need": False, "Nobody will ": False}


def test_a_cue_in_the_next_paragraph_does_not_name_the_speaker():
    text = ('Harbour master Lena Varga inspected the pier on Monday.\n\n'
            '"We will need at least six weeks," she said. "There is a reason for that. None of the supports '
            'were replaced when they should have been."\n\n'
            'Looking ahead, Piet Holm explained why the council would pay.')
    found = _found(text)
    assert [s for *_, s in found] == ["Lena Varga", "Lena Varga"]


def _types(text: str) -> dict[str, str]:
    article = Article(id="t", source="t", text=text)
    return {e.name: e.type for e in find_entities("s-t", [article], parse([article])).entities}


def test_organisation_names_followed_by_said_are_organisations():
    types = _types('Brightwell Ferries said on Monday that crossings would resume. Harbor Logistics said it had '
                   'no comment.\n\nPassengers were stranded for hours, Brightwell Ferries said.\n\n'
                   'Tom Williams said he was tired. Sarah Collins said the town would rebuild.')
    assert types.get("Brightwell Ferries") == "ORG"
    assert types.get("Harbor Logistics") == "ORG"
    assert types.get("Tom Williams") == "PERSON"
    assert types.get("Sarah Collins") == "PERSON"
