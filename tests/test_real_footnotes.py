"""Footnotes of real UN papers: marks found by their type, notes out of the text, every note attached.

A footnote mark is printed in small raised type; pypdf gives it as plain digits, so it used to stay in
the text ("for all. 6 The subprogramme", "vacant. 5. The four vacancies", a heading "Equality and
non-discrimination16") and its note, cited nowhere, was lost or glued into a paragraph. The checks
run over every real paper of the manifest: no heading ends in a glued number, every numbered note
the paper prints is attached to a passage (so none is left in the text), no paragraph holds a note's
text, and the PDF of the budget fascicle cites the same notes in each paragraph as its Word original.
"""

from __future__ import annotations

import re

import pytest

from ingest.marks import Segment, mark_footnotes
from tests.conftest import real_manifest_entries

ENTRIES = real_manifest_entries()
PDFS = [e["path"] for e in ENTRIES if e["path"].endswith(".pdf") and not e["path"].startswith("reports/")]
# Notes known not to be attached, each with the reason; the test must fail once one is attached.
UNATTACHED: dict[str, str] = {}
GLUED_NUMBER = re.compile(r"[a-z]\d{1,3}$")  # "non-discrimination16"; "SDG 16", "2030" are not


def _note_marks(doc) -> set[int]:  # type: ignore[no-untyped-def]
    return {int(f.mark) for p in doc.passages for f in p.footnotes if f.mark.isdigit()}


def _attached_marks(path: str) -> list:  # type: ignore[type-arg]
    reason = UNATTACHED.get(path)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES])
def test_no_heading_ends_with_a_footnote_number(path: str, real_documents: dict) -> None:
    found = {part for p in real_documents[path].passages for part in (p.heading or "").split(" › ")
             if GLUED_NUMBER.search(part)}
    assert not found, sorted(found)


@pytest.mark.parametrize("path", [pytest.param(p, id=p, marks=_attached_marks(p)) for p in PDFS])
def test_every_numbered_footnote_is_attached(path: str, real_documents: dict) -> None:
    """Notes 1 … N of a paper each go with a passage citing them: none is left in the text."""
    marks = _note_marks(real_documents[path])
    missing = sorted(set(range(1, max(marks, default=0) + 1)) - marks)
    assert not missing, missing


@pytest.mark.parametrize("path", PDFS)
def test_no_paragraph_holds_a_footnote_text(path: str, real_documents: dict) -> None:
    doc = real_documents[path]
    notes = {f.text for p in doc.passages for f in p.footnotes if f.mark.isdigit() and len(f.text) >= 30}
    found = [(p.locator, note[:40]) for p in doc.passages if p.kind in ("paragraph", "subitem", "body", "box")
             for note in notes if note in p.text]
    assert not found, found[:5]


def test_pdf_paragraphs_cite_the_notes_of_the_word_original(real_documents: dict) -> None:
    pdf = real_documents["board/a-81-6-sect15.en.pdf"]
    docx = real_documents["board/a-81-6-sect15.en.docx"]
    cited = {p.locator: [f.mark for f in p.footnotes] for p in pdf.passages if p.kind == "paragraph"}
    word = {p.locator: [f.mark for f in p.footnotes] for p in docx.passages if p.kind == "paragraph"}
    assert cited == word


@pytest.mark.parametrize(("path", "locator", "text", "mark"), [
    ("board/a-81-6-sect15.en.pdf", "15.42", "basic services for all. The subprogramme provides", "6"),
    ("board/dp-fpa-2025-6.en.pdf", "14", "four were vacant. The four vacancies comprised", "5"),
    ("board/dp-fpa-2025-6.en.pdf", "82(b)", "full investigation. These 129 cases", "19"),
    ("board/dp-2025-14.en.pdf", "34", "an expenditure of $10.18 on evaluation", "2"),
])
def test_mark_leaves_the_text_and_its_note_is_attached(path: str, locator: str, text: str, mark: str,
                                                       real_documents: dict) -> None:
    p = real_documents[path].passage(locator)
    assert p is not None and text in p.text, p.text if p else None
    assert mark in [f.mark for f in p.footnotes]


def test_note_printed_in_its_own_type_leaves_the_paragraph(real_documents: dict) -> None:
    """DP/FPA/2025/6 prints note 19 as '19. For cases closed …' in the note's type; it ended 82(d)."""
    p = real_documents["board/dp-fpa-2025-6.en.pdf"].passage("82(d)")
    assert p is not None and p.text.endswith("(see figure 10 below).")
    assert "For cases closed by case closure note" not in p.text


def test_heading_loses_its_mark_and_keeps_its_digits(real_documents: dict) -> None:
    doc = real_documents["parallel/a-hrc-wg6-34-ita-3.en.pdf"]
    heads = {part for p in doc.passages for part in p.heading.split(" › ")}
    assert "Equality and non-discrimination" in heads
    assert "B. National human rights framework" in heads


class _Line:
    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self.text = "".join(t for t, _, _ in segments)


def _marked(*segments: Segment) -> str:
    return mark_footnotes([_Line(list(segments))])[0].text


def test_raised_small_digits_are_a_mark() -> None:
    assert _marked(("for all.", 286.9, 10.0), (" 6", 290.3, 6.5), (" The", 286.9, 10.0)) == "for all. ⁶ The"
    assert _marked(("5", 494.5, 6.5), (". ", 494.5, 6.5), ("The four", 490.9, 10.1)) == "⁵ The four"


def test_digits_on_the_baseline_or_in_a_masthead_are_text() -> None:
    assert _marked(("SDG ", 300.0, 10.0), ("16", 300.0, 10.0)) == "SDG 16"
    assert _marked(("Agenda ", 300.0, 10.0), ("2030", 303.0, 6.5)) == "Agenda 2030"  # no mark has 4 digits
    assert _marked(("DP", 722.9, 20.0), ("/", 722.9, 11.0), ("20", 722.9, 10.0), ("25", 722.9, 10.0),
                   ("/12", 722.9, 10.0)) == "DP/2025/12"
    assert _marked(("19", 300.0, 10.0), ("th", 303.0, 6.5)) == "19th"
    assert _marked(("of 120 m", 300.0, 10.0), ("2", 303.0, 6.5), (" of", 300.0, 10.0)) == "of 120 m2 of"
    assert _marked(("30 km", 300.0, 10.0), ("2", 303.0, 6.5)) == "30 km2"
    assert _marked(("the term", 300.0, 10.0), ("2", 303.0, 6.5)) == "the term²"


def test_note_drawn_mid_page_goes_to_the_foot() -> None:
    lines = [_Line([("Table 4. Evaluations", 393.4, 10.0)]),
             _Line([("the Strategic Plan,", 500.0, 10.0), ("5", 503.0, 5.0), (" the Office", 500.0, 10.0)]),
             _Line([("5", 85.2, 5.0), (" DP/2021/29, paragraph 38(d)", 82.2, 8.0)]),
             _Line([("Region Country", 362.6, 10.0)]),
             _Line([("17", 40.0, 10.0)])]
    assert [ln.text for ln in mark_footnotes(lines)] == [
        "Table 4. Evaluations", "the Strategic Plan,⁵ the Office", "Region Country",
        "⁵ DP/2021/29, paragraph 38(d)", "17"]


def test_endnotes_after_the_last_paragraph_are_notes(real_documents: dict) -> None:
    """The Human Rights Council's summaries print their notes after the last paragraph, under "Notes":
    they go with the paragraphs citing them, and the last paragraph ends with its own sentence."""
    for path in ("parallel/a-hrc-wg6-34-ita-3.en.pdf", "parallel/a-hrc-wg6-34-ita-3.ru.pdf"):
        doc = real_documents[path]
        last = doc.passage("94")
        assert last.text.rstrip().endswith(".") and len(last.text) < 600, last.text[-200:]
        assert [f.mark for f in last.footnotes] == ["169"]
        assert _note_marks(doc) >= set(range(1, 170))


def test_endnote_zone_needs_a_note_under_its_heading() -> None:
    from ingest.outline import endnote_zone

    texts = ["12. Last paragraph.", "Notes", "\ue0001\ue001 First note.", "\ue0002\ue001 Second note."]
    assert endnote_zone(texts) == {1, 2, 3}
    assert endnote_zone(["Notes", "The secretariat notes that the plan …"]) == set()
    with_annex = texts + ["Annex", "1. Annexed paragraph."]
    assert endnote_zone(with_annex) == {1, 2, 3}
    table_notes = ["Table 2", "Notes", "1 Data as of June.", "13. The Board then took up the budget."]
    assert endnote_zone(table_notes) == set()  # the text goes on: the notes of a table


LONG_NOTE = ["1. The plan is shown in table 1.¹ It covers four years.", "Table 1. Plan¹"] + [
    "¹a/ Includes government contributions towards local office costs and the income",
    "that the programme derives from providing volunteers to the organizations.",
    "b/ Opening balance reflects the actual amount recorded in the financial",
    "statements of the organization for the period.",
    "c/ Includes interest, miscellaneous income and adjustments related to foreign",
    "exchange gain or loss and opening reserve increases.",
    "d/ Includes regular resources for the office of $16.6 million."]


def test_a_long_note_set_in_the_note_type_is_one_note() -> None:
    """A table's notes a/ to d/ printed as note 1, seven lines: found when their type says so."""
    from ingest.pdf import _split_footnotes

    small = {ln.strip() for ln in LONG_NOTE[2:]}
    body, notes = _split_footnotes(LONG_NOTE, 1, small)
    assert body == LONG_NOTE[:2]
    assert [m for m, _ in notes] == ["1"] and notes[0][1].startswith("a/ Includes government")
    assert notes[0][1].endswith("$16.6 million.")
    # in the body's type, seven lines are more than a note runs to: left as text
    assert _split_footnotes(LONG_NOTE, 1, set()) == (LONG_NOTE, [])
    assert _split_footnotes(LONG_NOTE, 1, small - {LONG_NOTE[4].strip()}) == (LONG_NOTE, [])


def test_embedded_table_notes_are_note_one(real_documents: dict) -> None:
    doc = real_documents["board/dp-2025-23.en.pdf"]
    table1 = doc.passage("table1")
    note = next(f for f in table1.footnotes if f.mark == "1")
    assert note.text.startswith("a/") and "Covid-19 Rapid Response Facility" in note.text
