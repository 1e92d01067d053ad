"""The one reader of figures (storyline/figures.py) that claims and the brief
share: what a figure counts, the range a bound or an estimate allows, and what
is no count at all. All texts are invented."""

from __future__ import annotations

import math

import pytest

from storyline.figures import agree, clash, same_measure, sentence_figures


def _one(text: str):
    [figure] = sentence_figures(text)
    return figure


def test_a_figure_counts_the_words_after_it():
    f = _one("The fire injured 23 people on Sunday.")
    assert (f.value, f.shown, f.low, f.high, f.kind) == (23, "23", 23, 23, "count")
    assert f.units == {"peopl"} and "injur" in f.context
    assert _one("About 400 rail passengers were stranded.").units == {"rail", "passeng"}


@pytest.mark.parametrize("text, value", [
    ("Thirty-one people were treated.", 31),
    ("six trucks were lost", 6),
    ("two thousand homes lost power", 2000),
    ("1,200 residents left", 1200),
    ("1.200 Einwohner verließen", 1200),
    ("8.5 tonnes of grain", 8.5),
])
def test_number_words_and_digits(text, value):
    assert _one(text).value == value


@pytest.mark.parametrize("text, low, high", [
    ("more than 300 homes were flooded", 300, math.inf),
    ("at least 12 people died", 12, math.inf),
    ("in excess of 40 trucks", 40, math.inf),
    ("up to 300 homes were flooded", 0, 300),
    ("fewer than 20 people", 0, 20),
    ("nearly 300 homes were flooded", 270, 300),
    ("about 400 passengers", 360, 440),
    ("some 50 boats sank", 45, 55),
])
def test_bounds_and_estimates_are_ranges(text, low, high):
    f = _one(text)
    assert (f.low, f.high) == pytest.approx((low, high))
    assert f.shown.split()[-1].isdigit() and f.shown != f.shown.split()[-1]  # the bound is shown with it


def test_bound_words_are_not_the_event():
    assert "nearli" not in _one("nearly 300 homes were flooded").context


def test_units_kinds_and_rates():
    assert _one("The repairs cost $5 million.").kind == "money"
    assert _one("The repairs cost 5 million euros.").value == 5_000_000
    assert _one("Turnout rose 8 percent in the north.").kind == "percent"
    assert _one("Prices rose 3% in May.").kind == "percent"
    assert _one("The line carries 4,000 passengers a day.").kind == "rate"


@pytest.mark.parametrize("text", [
    "one of the warehouses burned in 2023.",  # "one", a year
    "The water rose on May 3 and again on 12 June.",  # days of dates
    "The water rose at 6:40 a.m.",  # a time of day
    "The search went on for twelve hours and six days.",  # durations
    "A 42-year-old man and a woman aged 70 were rescued.",  # ages
    "Petra Vogel, 42, a teacher, was rescued.",  # an age in apposition
    "It was the 3rd flood this spring.",  # an ordinal
])
def test_what_is_no_count(text):
    assert sentence_figures(text) == []


def test_a_bound_clashes_only_with_figures_outside_it():
    [more] = sentence_figures("more than 300 homes were flooded")
    assert agree(more, _one("340 homes were flooded"))
    assert not agree(more, _one("250 homes were flooded"))
    assert not agree(_one("about 400 passengers"), _one("340 passengers"))
    assert agree(_one("nearly 300 homes"), _one("290 homes"))


def test_clash_by_measure():
    def figs(text):
        return sentence_figures(text)

    assert clash(figs("the storm injured 23 people"), figs("the storm injured 27 people"))
    assert not clash(figs("the storm injured 23 people"), figs("the storm injured 23 people"))
    assert not clash(figs("flooded more than 300 homes"), figs("flooded 340 homes"))
    assert clash(figs("flooded more than 300 homes"), figs("flooded 250 homes"))
    # aligned sentences (loose): the counted noun alone is the measure, each one on its own
    assert clash(figs("23 people and 4 trucks"), figs("27 trucks and 23 people"), loose=True)
    assert not clash(figs("1,200 residents"), figs("1200 residents"), loose=True)
    assert not clash(figs("23 people"), figs("6 trucks"), loose=True)  # different things counted
    assert not clash(figs("23 people"), figs("27 people"))  # strict: no shared event, no measure


def test_same_measure_by_event_or_state():
    assert same_measure(_one("injuring 23 people"), _one("27 people were injured"))
    assert same_measure(_one("the 23 injured"), _one("injured 27 people"))
    assert not same_measure(_one("the storm damaged 40 houses"), _one("left 3 people injured"))
