"""Knowledge cards: the seed reads as expected, every section and date form on tiny cards, every error kind with
its exact line, and a property test that render_card and parse_card are inverses."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketgraph.knowledge.cards import (HEADINGS, Attribute, Card, CardError, CardProblem, Section, TimelineEntry, WebResult,
                               parse_card, parse_card_file, parse_date_text, render_card)

# The project's own card in the seed format (our words; the seed's structure): 17 attributes, a dated, a
# day-dated and an undated timeline row, one related-topic section, six web results.
SEED = Path(__file__).resolve().parents[2] / "data" / "cards" / "training-vs-inference.txt"

# A minimal valid card, one entry per line so that line numbers in the tests can be read off directly.
HEAD = [
    "Demo Topic",                 # 1
    "",                           # 2
    "Topic",                      # 3
    "",                           # 4
    "A short description.",       # 5
    "",                           # 6
    "First Mentioned",            # 7
    "",                           # 8
    "10/1/2025, 4:09:39 AM",      # 9
    "",                           # 10
    "Last Updated",               # 11
    "",                           # 12
    "10/2/2025, 11:00:00 PM",     # 13
    "",                           # 14
    "Research Retrieved",         # 15
    "",                           # 16
    "10/3/2025, 12:00:01 AM",     # 17
    "",                           # 18
    "Summary",                    # 19
    "",                           # 20
    "The summary.",               # 21
    "",                           # 22
    "Referenced in 2 Documents",  # 23
    "Research Data",              # 24
]


def card_text(*tail: str, head: list[str] = HEAD) -> str:
    return "\n".join([*head, *tail]) + "\n"


def with_line(number: int, text: str | None) -> list[str]:
    """HEAD with line ``number`` replaced by ``text`` (or removed when None)."""
    lines = list(HEAD)
    if text is None:
        del lines[number - 1]
    else:
        lines[number - 1] = text
    return lines


def problems(text: str, path: str = "card.txt") -> list[tuple[int, str]]:
    with pytest.raises(CardError) as exc:
        parse_card(text, path)
    for line in str(exc.value).splitlines():
        assert line.startswith(f"{path}:"), line
    return [(p.line, p.message) for p in exc.value.problems]


def only_problem(text: str) -> tuple[int, str]:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- the seed

@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_seed(seed_text):
    card = parse_card(seed_text, "seed.txt")
    assert card.title == "Training vs Inference"
    assert card.description.startswith("The two phases of an AI model's life")
    assert card.first_mentioned == dt.datetime(2025, 10, 1, 4, 9, 39)
    assert card.last_updated == card.research_retrieved == dt.datetime(2026, 11, 27, 9, 0, 0)
    assert card.summary.startswith("Training and inference split both the machine-learning lifecycle")
    assert card.document_count == 1
    assert len(card.attributes) == 17
    assert card.attributes[0] == Attribute(
        "Training Goal", "Find patterns in data and tune parameters until prediction error is low enough.", 27)
    assert card.attributes[-1].key == "Early Inference ASIC"
    first, second, third = card.timeline
    assert (first.date_text, first.event_date, first.date_precision) == ("2012", dt.date(2012, 1, 1), "year")
    assert first.source_text == "Center Consulting"
    assert first.description.startswith("AlexNet, trained on two NVIDIA GTX 580") and \
        first.description.endswith("training hardware.")
    assert (second.date_text, second.event_date, second.date_precision) == ("5/18/2016", dt.date(2016, 5, 18),
                                                                            "day")
    assert (third.date_text, third.event_date, third.date_precision) == ("Ongoing", None, None)
    assert [s.heading for s in card.sections] == ["Backpropagation"]
    assert card.sections[0].body.startswith("Backpropagation is the procedure")
    assert [w.publisher for w in card.web_results] == ["Clarifai", "TechTarget", "Center Consulting", "Nebius",
                                                       None, "YouTube"]
    assert card.web_results[0].title == "AI Model Training vs Inference: Key Differences Explained"
    assert card.web_results[1].title == "AI inference vs. training: Key differences and tradeoffs"
    assert card.path == "seed.txt"


def test_non_ascii_text_survives():
    card = parse_card(SEED.read_text(encoding="utf-8").replace("Training Goal", "Training\u2011Goal – “quoted”"))
    assert card.attributes[0].key == "Training\u2011Goal – “quoted”"  # non-breaking hyphen, dash, quotes kept


def test_seed_file_and_line_endings(seed_text):
    card = parse_card_file(SEED)
    assert card.path == str(SEED)
    assert parse_card(seed_text.replace("\n", "\r\n"), str(SEED)) == card
    assert parse_card(seed_text.replace("\n", "\r"), str(SEED)) == card
    assert parse_card("\ufeff" + seed_text, str(SEED)) == card


def test_seed_round_trips(seed_text):
    card = parse_card(seed_text)
    assert parse_card(render_card(card)).content() == card.content()


def test_seed_extra_blank_lines(seed_text):
    spaced = seed_text.replace("\n", "\n\n  \n")  # blank lines everywhere, some holding only spaces
    card = parse_card(seed_text)
    assert parse_card(spaced).content() == card.content()


# ---------------------------------------------------------------- sections on small cards

def test_minimal_card_has_no_optional_sections():
    card = parse_card(card_text(head=HEAD[:22]))
    assert card.content() == {
        "title": "Demo Topic", "description": "A short description.",
        "first_mentioned": dt.datetime(2025, 10, 1, 4, 9, 39),
        "last_updated": dt.datetime(2025, 10, 2, 23, 0, 0),
        "research_retrieved": dt.datetime(2025, 10, 3, 0, 0, 1),
        "summary": "The summary.", "document_count": None,
        "attributes": [], "timeline": [], "sections": [], "web_results": [],
    }


@pytest.mark.parametrize("line, count", [("Referenced in 1 Document", 1), ("Referenced in 2 Documents", 2),
                                         ("Referenced in 3 Document(s)", 3), ("  Referenced in 40 Documents  ", 40)])
def test_document_count(line, count):
    assert parse_card(card_text(head=with_line(23, line))).document_count == count


def test_attributes():
    card = parse_card(card_text(
        "Extracted Attributes",
        "  • Market Share",
        "",
        "    80–90% (est.)",
        "  - Memory",
        "    HBM3e",
        "",
        "    second paragraph",
        "  * Note",
        "",
        "",
        "    -5% is not a bullet",
    ))
    assert card.attributes == [Attribute("Market Share", "80–90% (est.)", 26),
                               Attribute("Memory", "HBM3e\n\nsecond paragraph", 29),
                               Attribute("Note", "-5% is not a bullet", 33)]
    assert card.timeline == card.sections == card.web_results == []


def test_timeline_and_source_split():
    card = parse_card(card_text(
        "Timeline",
        "  • Launched (the first one) (Source: Reuters (UK))",
        "    March 2024",
        "  • No source given",
        "",
        "    Ongoing",
    ))
    assert card.timeline == [
        TimelineEntry("Launched (the first one)", "Reuters (UK)", "March 2024", dt.date(2024, 3, 1), "month", 26),
        TimelineEntry("No source given", None, "Ongoing", None, None, 28),
    ]


@pytest.mark.parametrize("text, expected", [
    ("3/14/2024", (dt.date(2024, 3, 14), "day")),
    ("12/1/1999", (dt.date(1999, 12, 1), "day")),
    ("March 2024", (dt.date(2024, 3, 1), "month")),
    ("september 2023", (dt.date(2023, 9, 1), "month")),
    ("Sep 2023", (dt.date(2023, 9, 1), "month")),
    ("DEC 2019", (dt.date(2019, 12, 1), "month")),
    ("March 5, 2021", (dt.date(2021, 3, 5), "day")),
    ("Jan 31, 2020", (dt.date(2020, 1, 31), "day")),
    ("2012", (dt.date(2012, 1, 1), "year")),
    ("Ongoing", (None, None)),
    ("Early 2010s", (None, None)),
    ("Q3 2024", (None, None)),
    ("Sept 2024", (None, None)),  # only full or three-letter month names
    ("2/30/2024", (None, None)),  # right shape, impossible day
    ("Smarch 2024", (None, None)),
    ("", (None, None)),
])
def test_date_forms(text, expected):
    assert parse_date_text(text) == expected
    if text:  # and the same reading inside a card, with the raw text kept
        entry = parse_card(card_text("Timeline", "  • Event", f"    {text}")).timeline[0]
        assert (entry.date_text, entry.event_date, entry.date_precision) == (text, *expected)


def test_timestamp_without_seconds():
    card = parse_card(card_text(head=with_line(9, "1/2/2024, 12:30 PM")))
    assert card.first_mentioned == dt.datetime(2024, 1, 2, 12, 30)


def test_related_sections_and_web_results():
    card = parse_card(card_text(
        "Timeline",
        "  • Event",
        "    2020",
        "TPU",
        "",
        "The Tensor Processing Unit is an ASIC.",
        "",
        "",
        "Google designs it.",
        "",
        "Nvidia (company)",
        "",
        "Nvidia makes GPUs.",
        "Web Search Results",
        "  • One - Two - Publisher",
        "    Excerpt one.",
        "  • A | B - C | Pub",
        "  • No publisher here",
        "",
        "    Excerpt three.",
    ))
    assert card.sections == [Section("TPU", "The Tensor Processing Unit is an ASIC.\n\nGoogle designs it.", 28),
                             Section("Nvidia (company)", "Nvidia makes GPUs.", 35)]
    assert card.web_results == [WebResult("One - Two", "Publisher", "Excerpt one.", 39),
                                WebResult("A | B - C", "Pub", "", 41),
                                WebResult("No publisher here", None, "Excerpt three.", 42)]


def test_sections_straight_after_research_data():
    card = parse_card(card_text("Some Topic", "", "Its body.", "", "Web Search Results"))
    assert card.sections == [Section("Some Topic", "Its body.", 25)]
    assert card.web_results == []


def test_later_paragraphs_start_a_section_only_when_they_look_like_a_heading():
    card = parse_card(card_text("First", "", "Body.", "", "A short line", "", "A long final line "
                                + "that goes on " * 10, "", "Ends with a colon:", "", "More body."))
    assert [s.heading for s in card.sections] == ["First", "A short line"]
    assert card.sections[1].body.endswith("Ends with a colon:\n\nMore body.")


def test_section_heading_needs_its_own_line():
    assert only_problem(card_text("Some Topic", "Its body.")) == (
        25, "unexpected text 'Some Topic': expected a related-topic heading on a line of its own")


def test_text_is_kept_exactly():
    text = ("“Quoted” — dashes – and • bullets inside; 日本語のテキスト; Ελληνικά; emoji 🚀; "
            "NBSP\u00a0kept; zero-width\u200bjoiner.")
    card = parse_card(card_text(
        "Extracted Attributes", "  • Ключ “key”", f"    {text}",
        "Timeline", f"  • {text} (Source: “Ф”)", "    Ongoing",
        "Раздел — heading", "", text,
        "Web Search Results", "  • 标题 — “title” - 出版社", f"    {text}",
        head=with_line(21, text)))
    assert card.summary == text
    assert card.attributes[0] == Attribute("Ключ “key”", text, 26)
    assert (card.timeline[0].description, card.timeline[0].source_text) == (text, "“Ф”")
    assert card.sections[0].content() == {"heading": "Раздел — heading", "body": text}
    assert card.web_results[0].content() == {"title": "标题 — “title”", "publisher": "出版社", "excerpt": text}


def test_multi_paragraph_summary_collapses_blank_runs():
    head = HEAD[:20] + ["First paragraph", "continues here.", "", "", "  ", "Second paragraph."] + HEAD[21:]
    assert parse_card(card_text(head=head)).summary == "First paragraph\ncontinues here.\n\nSecond paragraph."


def test_parse_card_file_records_path(tmp_path):
    path = tmp_path / "demo.txt"
    path.write_bytes(card_text().replace("\n", "\r\n").encode("utf-8"))
    assert parse_card_file(path).path == str(path)
    assert parse_card_file(str(path)).path == str(path)


# ---------------------------------------------------------------- errors, each with its exact line

def test_empty_file():
    assert only_problem("\n  \n") == (1, "not a card: the file is empty")


def test_not_a_card():
    line, message = only_problem("\n\nJust some notes\nabout chips\n")
    assert (line, message) == (3, "not a card: no 'Topic' heading")


def test_missing_title():
    assert only_problem(card_text(head=HEAD[2:])) == (1, "missing title: the card starts with the heading 'Topic'")


def test_missing_topic_heading():
    head = HEAD[:2] + HEAD[6:]  # title, then straight to First Mentioned (line 3)
    assert only_problem(card_text(head=head)) == (3, "missing 'Topic' heading")


def test_junk_where_topic_is_required():
    assert only_problem(card_text(head=with_line(2, "stray words"))) == (
        2, "unexpected text 'stray words' between the title and 'Topic'")


def test_heading_without_value_followed_by_heading():
    head = with_line(9, None)  # First Mentioned (7), blank, blank, Last Updated
    assert only_problem(card_text(head=head)) == (7, "'First Mentioned' is not followed by a timestamp")


def test_heading_without_value_at_end_of_file():
    found = problems(card_text(head=HEAD[:15]))
    assert (15, "'Research Retrieved' is not followed by a timestamp") in found
    assert (15, "missing 'Summary' heading") in found  # end of file: the last line with text


def test_topic_and_summary_need_text():
    found = problems(card_text(head=with_line(21, "")) .replace("A short description.", ""))
    assert found == [(3, "'Topic' is not followed by a description"), (19, "'Summary' is not followed by its text")]


@pytest.mark.parametrize("value", ["yesterday", "2025-10-01 04:09:39", "2/30/2025, 1:00:00 AM",
                                   "10/1/2025, 13:09:39 PM", "10/1/2025, 4:61:00 AM", "10/1/2025"])
def test_unparseable_timestamp(value):
    line, message = only_problem(card_text(head=with_line(13, value)))
    assert line == 13
    assert message.startswith(f"'Last Updated': {value!r} is not a timestamp")


def test_junk_after_timestamp():
    assert only_problem(card_text(head=with_line(10, "and more"))) == (
        10, "unexpected text 'and more' after the 'First Mentioned' timestamp")


def test_attribute_without_value():
    text = card_text("Extracted Attributes", "  • Has value", "    yes", "  • Lonely", "", "Timeline",
                     "  • Event", "    2020")
    assert only_problem(text) == (28, "attribute 'Lonely' has no indented value line after it")


def test_attribute_without_value_at_end_of_file():
    assert only_problem(card_text("Extracted Attributes", "  • Last")) == (
        26, "attribute 'Last' has no indented value line after it")


def test_timeline_entry_without_date_before_a_section():
    text = card_text("Timeline", "  • Event (Source: X)", "", "Some section", "", "Body.")
    assert only_problem(text) == (26, "timeline entry 'Event (Source: X)' has no indented value line after it")


def test_timeline_date_is_one_line():
    assert only_problem(card_text("Timeline", "  • Event", "    2020", "    and later")) == (
        28, "unexpected text 'and later': a timeline date is a single line")


def test_junk_between_lists():
    text = card_text("Extracted Attributes", "  • Key", "    value", "stray", "Timeline", "  • Event", "    2020")
    assert only_problem(text) == (28, "unexpected text 'stray' where a heading is required")


def test_junk_in_web_results():
    assert only_problem(card_text("Web Search Results", "  • A - B", "    ok", "stray")) == (
        28, "unexpected text 'stray' in 'Web Search Results' (expected a bullet)")


def test_text_before_first_bullet():
    assert only_problem(card_text("Extracted Attributes", "    orphan value", "  • Key", "    v")) == (
        26, "unexpected text 'orphan value' before the first bullet of 'Extracted Attributes'")


def test_empty_bullet():
    assert only_problem(card_text("Web Search Results", "  •", "    excerpt")) == (
        26, "empty bullet in 'Web Search Results'")


def test_duplicate_and_out_of_order_headings():
    text = card_text("Timeline", "  • Event", "    2020", "Extracted Attributes", "  • K", "    v",
                     "Timeline", "  • Again", "    2021")
    assert problems(text) == [(28, "'Extracted Attributes' is out of order: it belongs before 'Timeline'"),
                              (31, "'Timeline' appears again (first at line 25)")]


def test_multiple_problems_reported_together():
    head = with_line(9, "not a time")
    head[12] = "10/2/2025, 99:00:00 PM"  # line 13
    text = card_text("Extracted Attributes", "  • Lonely", "Timeline", "  • Event", "    2020", head=head)
    with pytest.raises(CardError) as exc:
        parse_card(text, "data/cards/bad.txt")
    assert [(p.line, p.message.split(":")[0]) for p in exc.value.problems] == [
        (9, "'First Mentioned'"), (13, "'Last Updated'"),
        (26, "attribute 'Lonely' has no indented value line after it")]
    assert str(exc.value).splitlines() == [str(p) for p in exc.value.problems]
    assert str(exc.value).splitlines()[0] == ("data/cards/bad.txt:9: 'First Mentioned': 'not a time' is not a "
                                              "timestamp (expected M/D/YYYY, H:MM:SS AM or PM)")
    assert exc.value.problems[0] == CardProblem("data/cards/bad.txt", 9, exc.value.problems[0].message)


def test_invalid_utf8_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(card_text().encode("utf-8").replace(b"The summary.", b"The \xff summary."))
    with pytest.raises(CardError) as exc:
        parse_card_file(path)
    assert str(exc.value) == f"{path}:21: file is not valid UTF-8"


def test_render_refuses_missing_timestamp():
    card = parse_card(card_text())
    card.last_updated = None
    with pytest.raises(ValueError, match="Last Updated"):
        render_card(card)


# ---------------------------------------------------------------- properties
#
# The strategies generate only cards the format can represent. Its limits, each a consequence of the layout:
# * single-line fields have no line breaks and no surrounding whitespace (values are trimmed); multi-line text
#   has no blank or whitespace-padded lines inside a paragraph (paragraphs are split at blank lines);
# * no line of text may be a heading (``Topic``, ``Timeline``, ``Referenced in 3 Documents``…);
# * lines inside bullet values, and the first related-topic heading, must not start like a bullet (•, "- ", "* ");
# * related-topic headings look like headings (one short line, here ending in a letter or digit) and body
#   paragraphs do not (single-line body paragraphs here end in "."), since nothing else tells them apart;
# * timeline descriptions and sources contain no "(Source:", so the split point is unambiguous;
# * a publisher is non-empty without " - " or " | " (the split is at the last one); a title without a
#   publisher contains neither;
# * the title does not start with U+FEFF (a leading BOM is dropped); timestamps are whole seconds, years
#   1000-9999 (M/D/YYYY has four-digit years); date_text and its reading are generated together.

# NUL is refused by the parser (issue 13: a NUL in a card is an error, never stored), so cards never hold one.
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\r\n\x00")
_REFERENCED_LINE = re.compile(r"Referenced in \d+ Document(?:s|\(s\))?")


def _is_heading(text: str) -> bool:
    return text in HEADINGS or bool(_REFERENCED_LINE.fullmatch(text))


def _is_bullet(text: str) -> bool:
    return text.startswith("•") or bool(re.match(r"[-*](\s|$)", text))


one_line = st.text(CHARS, min_size=1, max_size=25).map(str.strip).filter(lambda t: t and not _is_heading(t))
list_line = one_line.filter(lambda t: not _is_bullet(t))


def blocks_of(line: st.SearchStrategy[str], max_paragraphs: int = 3) -> st.SearchStrategy[str]:
    paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
    return st.lists(paragraph, min_size=1, max_size=max_paragraphs).map("\n\n".join)


def _body_paragraph(lines: list[str]) -> str:
    return "\n".join(lines) if len(lines) > 1 else lines[0] + "."


section_heading = list_line.filter(lambda t: len(t) <= 60 and t[-1].isalnum())
section_body = st.lists(st.lists(one_line, min_size=1, max_size=3).map(_body_paragraph), max_size=3).map("\n\n".join)
no_source = one_line.filter(lambda t: "(Source:" not in t)
timestamps = st.datetimes(dt.datetime(1000, 1, 1), dt.datetime(9999, 12, 31)).map(lambda d: d.replace(microsecond=0))

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@st.composite
def dated_text(draw) -> tuple[str, dt.date | None, str | None]:
    when = draw(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
    name = draw(st.sampled_from([MONTHS[when.month - 1], MONTHS[when.month - 1][:3]]))
    name = draw(st.sampled_from([name, name.lower(), name.upper()]))
    return draw(st.sampled_from([
        (f"{when.month}/{when.day}/{when.year}", when, "day"),
        (f"{name} {when.day}, {when.year}", when, "day"),
        (f"{name} {when.year}", when.replace(day=1), "month"),
        (f"{when.year}", dt.date(when.year, 1, 1), "year"),
        ("Ongoing", None, None),
        ("Early 2010s", None, None),
        (f"circa {draw(list_line)}", None, None),
    ]))


@st.composite
def timeline_entries(draw) -> TimelineEntry:
    date_text, when, precision = draw(dated_text())
    source = draw(st.none() | st.just("") | no_source)
    return TimelineEntry(draw(no_source), source, date_text, when, precision)


def _splits_cleanly(title: str, publisher: str | None) -> bool:
    separators = (" - ", " | ")
    if publisher is None:
        return not any(s in title for s in separators)
    return not any(s in " " + publisher for s in separators)


web_results = st.builds(WebResult, one_line, st.none() | one_line, st.just("") | blocks_of(list_line)).filter(
    lambda w: _splits_cleanly(w.title, w.publisher))

cards = st.builds(
    Card,
    title=one_line.filter(lambda t: not t.startswith("\ufeff")),
    description=blocks_of(one_line),
    first_mentioned=timestamps, last_updated=timestamps, research_retrieved=timestamps,
    summary=blocks_of(one_line),
    document_count=st.none() | st.integers(0, 10**6),
    attributes=st.lists(st.builds(Attribute, one_line, blocks_of(list_line, 2)), max_size=4),
    timeline=st.lists(timeline_entries(), max_size=3),
    sections=st.lists(st.builds(Section, section_heading, section_body), max_size=3),
    web_results=st.lists(web_results, max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(cards)
def test_render_then_parse_is_identity(card):
    text = render_card(card)
    assert parse_card(text).content() == card.content()
    assert parse_card(text.replace("\n", "\r\n")).content() == card.content()


FUZZ_LINES = st.sampled_from([*HEADINGS, "Referenced in 2 Documents", "  • Key", "    value", "- x", "", "  ",
                              "10/1/2025, 4:09:39 AM", "1/1/2020, 13:00 PM", "Title", "Body text.", "\ufeff"])


@settings(max_examples=200, deadline=None)
@given(st.lists(FUZZ_LINES | st.text(CHARS, max_size=10), max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_bad_text_only_ever_raises_card_error(lines, newline):
    try:
        card = parse_card(newline.join(lines), "fuzz.txt")
    except CardError as e:
        assert e.problems and all(re.match(r"fuzz\.txt:\d+: \S", line) for line in str(e).splitlines())
    else:
        assert parse_card(render_card(card)).content() == card.content()
