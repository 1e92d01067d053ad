"""Cleaning rules on lines and pages written for these tests (none from the seeds)."""

from __future__ import annotations

import pytest

from storyline.clean import classify_line, clean_text

DEBRIS = [
    ("Harbour fire: what we know so far 2:41", "video-caption"),
    ("Why the bridge closed for a month? 04:10", "video-caption"),
    ("Drone footage shows the flooded valley 1:02:33", "video-caption"),
    ("WATCH: Firefighters battle the blaze overnight", "video-caption"),
    ("Watch Lakeside News", "navigation"),
    ("Listen to Radio Tern", "navigation"),
    ("Download the Evening Post app", "app-prompt"),
    ("Open in app", "app-prompt"),
    ("Firefox Edge Cancel", "app-prompt"),
    ("Turn on notifications to follow this story as it develops.", "app-prompt"),
    ("Get push alerts for breaking stories", "app-prompt"),
    ("Leave a comment", "comment-form"),
    ("Post Comment", "comment-form"),
    ("12 Comments", "comment-form"),
    ("Required fields are marked *", "comment-form"),
    ("Save my name, email, and website in this browser for the next time I comment.", "comment-form"),
    ("Ana Ruiz/Reuters", "photo-credit"),
    ("Pia Lund/NTB Scanpix/AFP via Getty Images", "photo-credit"),
    ("Photo: Harbour Press Agency", "photo-credit"),
    ("(Getty Images)", "photo-credit"),
    ("Image credit: City Archive", "photo-credit"),
    ("Read more: Council votes to rebuild the pier", "related-link"),
    ("Related: Five things to know about the strike", "related-link"),
    ("Share this story", "share-prompt"),
    ("Share on Facebook", "share-prompt"),
    ("Sign up for our morning newsletter", "share-prompt"),
    ("Get the best of the week delivered to your inbox every Friday", "share-prompt"),
    ("Follow us on Instagram", "share-prompt"),
    ("Advertisement", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("© 2031 Lakeside Media Group. All rights reserved.", "copyright"),
    ("Share this:", "share-prompt"),
    ("Tomas Berg, AP", "photo-credit"),
    ("(Reporting by Ana Ruiz; Editing by Tom Lind)", "reporting-credit"),
    ("Additional reporting by Pia Lund", "reporting-credit"),
    ("Image 3 of 12", "gallery-counter"),
    ("1 - 5 of 36", "gallery-counter"),
    ("By Ana Ruiz and Tom Lind, Alpine Wire", "byline"),
    ("Von Pia Lund", "byline"),
    ("Lesen Sie auch: Neue Fähre für Lentz", "related-link"),
    ("Lea también: El puerto reabre", "related-link"),
    ("À lire aussi : le port rouvre", "related-link"),
    ("Artikel teilen", "share-prompt"),
    ("Compartir este artículo", "share-prompt"),
    ("Anzeige", "advertisement"),
]

PROSE = [
    "The council meeting started at 10:30 and ended two hours later.",
    "Voting closes at 18:00",
    "The ratio of the model is 1:24",
    "She said she would watch the news at home.",
    "The company said its new app will open to all users next week.",
    "Readers left a comment on almost every post, the editor said.",
    "Share prices fell 4% on Monday after the announcement.",
    "Police said the photo was taken by a neighbour on Sunday evening.",
    "The agency said 14 people were hurt in the crash near the harbour.",
    "Related charges were filed against two other men on Friday.",
    "Follow-up inspections found no further damage to the hull.",
    "Subscribers to the service will pay 3 euros more from May.",
    "He told the court he had never seen the documents before.",
    "“We will not stop until the water is clean,” she said.",
    "The mayor's office, the fire brigade and the port authority declined to comment.",
    "Advertising revenue fell for a third year in a row, the report said.",
    "Copyright law was changed in 2019 after a long campaign by authors.",
    "June 24 -- Harbour Hall, Lentz, PA",
    "Reporting by the local paper exposed the scheme in 2031.",
    "Three of five voters backed the plan.",
    "By the end of the day the fire was out.",
    "Di Maio said the talks would resume on Monday.",
    "Teilen Sie uns Ihre Meinung mit, schrieb die Stadt.",
]


@pytest.mark.parametrize(("line", "reason"), DEBRIS)
def test_debris_line_is_recognised(line, reason):
    assert classify_line(line) == reason


@pytest.mark.parametrize("line", PROSE)
def test_article_sentence_is_kept(line):
    assert classify_line(line) is None


PAGE = """Watch Lakeside News

Harbour crane collapses during storm

A harbour crane collapsed during a storm on Sunday night, injuring two dock workers, the port authority said.

Harbour fire: what we know so far 2:41

The 60-metre crane toppled onto an empty cargo ship at about 11 p.m. as winds reached 110 km/h.

Port director Lena Varga said both workers were taken to hospital with minor injuries.
Crane wreckage on the quay
Workers inspect the fallen crane (L) at the Northern Quay, Lakeside, March 3, 2031.
Jonas Berg/Lakeside Press Agency

“The crane was inspected last month and passed every test,” Varga said.


Council votes to rebuild the old pier after years of delay


Engineers will examine the remaining cranes before the port reopens on Wednesday.

Leave a Reply
Your email address will not be published.
Lakeside News App Open
Chrome Safari Continue
Never miss a story
"""


@pytest.fixture(scope="module")
def cleaned():
    return clean_text(PAGE)


def test_page_title_and_outlet(cleaned):
    assert cleaned.title == "Harbour crane collapses during storm"
    assert cleaned.outlet == "Lakeside News"


def test_page_keeps_every_sentence(cleaned):
    for sentence in [
        "A harbour crane collapsed during a storm on Sunday night, injuring two dock workers, the port authority said.",
        "The 60-metre crane toppled onto an empty cargo ship at about 11 p.m. as winds reached 110 km/h.",
        "Port director Lena Varga said both workers were taken to hospital with minor injuries.",
        "“The crane was inspected last month and passed every test,” Varga said.",
        "Engineers will examine the remaining cranes before the port reopens on Wednesday.",
    ]:
        assert sentence in cleaned.text
    assert len(cleaned.text.split("\n\n")) == 5


def test_page_debris_removed_with_reasons(cleaned):
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Watch Lakeside News"] == "navigation"
    assert reasons["Harbour fire: what we know so far 2:41"] == "video-caption"
    assert reasons["Jonas Berg/Lakeside Press Agency"] == "photo-credit"
    assert reasons["Workers inspect the fallen crane (L) at the Northern Quay, Lakeside, March 3, 2031."] == \
        "photo-caption"
    assert reasons["Council votes to rebuild the old pier after years of delay"] == "related-link"
    assert reasons["Leave a Reply"] == "comment-form"
    assert reasons["Lakeside News App Open"] == "app-prompt"
    assert reasons["Never miss a story"] == "app-prompt"  # a fragment inside the run of prompts
    assert "Chrome Safari Continue" in reasons
    for item in cleaned.removed:
        assert item.text not in cleaned.text


def test_subheads_in_evenly_spaced_text_are_kept():
    text = (
        "The city will build 400 new homes by 2030, the planning office said on Monday.\n\n"
        "Where the new homes will go\n\n"
        "Most of the homes will be built on the site of the old tram depot near the river.\n\n"
        "Critics say the plan does not include enough social housing for young families.\n"
    )
    cleaned = clean_text(text)
    assert "Where the new homes will go" in cleaned.text
    assert cleaned.removed == []


def test_known_title_repeated_in_body_is_dropped():
    cleaned = clean_text("Ferry fares rise\nThe ferry company raised its fares by six percent on Monday.",
                         title="Ferry fares rise")
    assert cleaned.text == "The ferry company raised its fares by six percent on Monday."
    assert cleaned.removed == []


def test_whitespace_and_invisible_characters_normalised():
    cleaned = clean_text("The\u00a0mayor  said\u200b the  road would reopen on Friday after repairs were done.")
    assert cleaned.text == "The mayor said the road would reopen on Friday after repairs were done."


def test_text_without_debris_is_unchanged_apart_from_layout():
    text = "One sentence of the article that is long enough.\nA second sentence, also long enough to read."
    cleaned = clean_text(text)
    assert cleaned.text == text.replace("\n", "\n\n")
    assert cleaned.removed == [] and cleaned.title is None


PROSE = ("The council voted on Monday to close the old bridge for repairs, the mayor said after the meeting. "
         "Work on the bridge is expected to take until June, and buses will run a detour meanwhile.")


def test_plain_text_link_lists_and_page_fragments_go():
    """Issue 15: share buttons, tags and a gallery counter copied with the text."""
    raw = "\n".join([PROSE, "Share this:", "Facebook", "Twitter", "Pinterest", "Reddit", PROSE.upper().lower(),
                     "Image", "1", "of", "23", PROSE.replace("Monday", "Tuesday")])
    cleaned = clean_text(raw)
    gone = {r.text: r.reason for r in cleaned.removed}
    assert {"Facebook", "Twitter", "Pinterest", "Reddit"} <= set(gone) and gone["Reddit"] == "link-list"
    assert gone["1"] == gone["23"] == "page-fragment"
    assert cleaned.text.count("bridge for repairs") == 3


def test_tables_in_cells_and_lists_under_a_label_stay():
    """A table broken into one cell per line (figures next to figures, or column
    heads above figures) and a list introduced by a plain label are article text."""
    table = ["Player", "Plays", "Snaps", "Stats", "Larry Ogunjobi", "63", "85%", "57", "77%", "Joe Schobert", "49"]
    listed = ["The banned items include:", "alcohol of any kind", "fried food", "sweet fizzy drinks", "white bread"]
    cleaned = clean_text("\n".join([PROSE, *table, PROSE.replace("Monday", "Friday"), *listed, PROSE]))
    assert cleaned.removed == []


def test_a_dateline_is_never_the_title():
    """Issue 15: a "Published on <date>" line above the headline became the title."""
    raw = "\n".join(["Published on November 18, 2019 at 10:32 am", "Bridge to close for repairs until June", PROSE])
    cleaned = clean_text(raw)
    assert cleaned.title == "Bridge to close for repairs until June"
    assert [(r.text, r.reason) for r in cleaned.removed] == [("Published on November 18, 2019 at 10:32 am",
                                                              "dateline")]
    alone = clean_text("\n".join(["Updated 2:15 PM ET, Tue March 29, 2022", PROSE, PROSE]))
    assert alone.title is None and not alone.text.startswith("Updated")


@pytest.mark.parametrize(("text", "outlet"), [
    ("LENTZ, March 3 (Alpine Wire) - The ferry", "Alpine Wire"),
    ("(Valdora Courier) — The ferry", "Valdora Courier"),
    ("LENTZ — The ferry", None),
    ("LENTZ, Valdora -- The ferry", None),
])
def test_dateline_shapes(text, outlet):
    from storyline.textfeatures import dateline

    found = dateline(text)
    assert found and text[found.end():] == "The ferry" and found.group("outlet") == outlet


@pytest.mark.parametrize("text", ["The ceasefire (for now) — holds", "The plan — which failed — was dropped",
                                  "Harbour officials - who asked not to be named - said"])
def test_no_dateline_in_running_text(text):
    from storyline.textfeatures import dateline

    assert dateline(text) is None
