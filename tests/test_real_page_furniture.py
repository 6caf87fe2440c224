"""Real UN papers: page furniture, headings and footnotes never end up inside a paragraph's text.

Structural checks over every real paper of `../shared/corpus/real/manifest.json`: no passage holds a
job number ("25-10740", as later pages' headers print it beside the page number) or the paper's own
symbol with a page number beside it (the running head); then the papers where such leftovers were
found, checked paragraph by paragraph.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import real_manifest_entries

ENTRIES = real_manifest_entries()
PDFS = [e["path"] for e in ENTRIES if str(e["path"]).endswith(".pdf")]
_JOB = re.compile(r"(?<![\d/.-])\d{2}-\d{5}[A-Z]?(?![\d/-])")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _running_head(symbol: str) -> re.Pattern[str]:
    """The symbol with a page number beside it ("A/RES/79/214 9", "4 DP/2025/23"); not a date line."""
    sym = re.escape(symbol)
    before = rf"\d{{1,3}}\s+{sym}(?![\w/])"
    after = rf"{sym}\s+\d{{1,3}}(?!\d)(?!\s+(?:{_MONTHS}))"
    return re.compile(rf"(?<![\w/])(?:{before}|{after})")


@pytest.mark.parametrize("path", PDFS)
def test_no_job_number_in_passages(path: str, real_documents: dict) -> None:
    doc = real_documents[path]
    found = [(p.locator, m.group(0)) for p in doc.passages for m in _JOB.finditer(p.text)]
    assert not found, found


@pytest.mark.parametrize("path", PDFS)
def test_no_running_head_in_passages(path: str, real_documents: dict) -> None:
    doc = real_documents[path]
    if not doc.symbol:
        pytest.skip("a report without a symbol")
    head = _running_head(doc.symbol.split("/Part")[0])
    body = [p for p in doc.passages if p.kind != "front"]  # the masthead prints the symbol over the date
    found = [(p.locator, m.group(0)) for p in body for m in head.finditer(p.text)]
    assert not found, found


@pytest.mark.parametrize(
    ("path", "paragraph", "ending"),
    [
        ("board/dp-2025-23.en.pdf", "15", "Figure 1 illustrates the integrated resources plan."),
        ("board/a-res-79-214.en.pdf", "15", "to reach the furthest behind first;"),
        ("board/a-res-79-214.en.pdf", "22", "technical support to governments, cities and communities;"),
    ],
)
def test_paragraph_ends_with_its_own_sentence(
    path: str, paragraph: str, ending: str, real_documents: dict
) -> None:
    p = real_documents[path].passage(paragraph)
    assert p.text.endswith(ending), p.text[-200:]


def test_running_head_over_several_lines_is_not_in_the_text(real_documents: dict) -> None:
    """A/RES/79/214 repeats its four-line short title at the top of each page; none of it is text."""
    doc = real_documents["board/a-res-79-214.en.pdf"]
    p29 = doc.passage("29")
    assert "to include this topic in their deliberations" in p29.text
    for p in doc.paragraphs():
        assert "Settlements Programme (UN-Habitat) A/RES" not in p.text, p.locator


# (paper, paragraph, heading printed under it, the paragraph after, which must sit under that heading)
GLUED_HEADINGS = [
    ("board/dp-2025-4.en.pdf", "7", "IV. Conclusion", "8"),
    ("board/a-res-79-214.en.pdf", "10",
     "Implementation of the New Urban Agenda to achieve the Sustainable Development Goals", "11"),
    ("board/a-81-6-sect15.en.pdf", "15.35(d)", "Programme performance in 2025", "15.36"),
    ("board/a-81-6-sect15.en.pdf", "15.42", "Lessons learned and planned change", "15.43"),
    ("board/a-81-6-sect15.en.pdf", "15.58", "Strategy", "15.59"),
    ("board/a-res-79-1.en.pdf", "annex I/13(h)", "Digital public goods and digital public infrastructure",
     "annex I/14"),
    ("board/a-res-79-1.en.pdf", "annex II/10", "Commitments", "annex II/11"),
    ("board/a-res-79-1.en.pdf", "annex II/23", "Actions", "annex II/24"),
    # a heading right under a bulleted item, which needs no full stop
    ("board/dp-2025-12.en.pdf", "74", "People-centred excellence", "75"),
    ("board/dp-2025-12.en.pdf", "76",
     "A critical inflection point: An opportunity to invest in proven success", "77"),
]


@pytest.mark.parametrize(("path", "paragraph", "heading", "after"), GLUED_HEADINGS)
def test_heading_starts_the_next_paragraphs(
    path: str, paragraph: str, heading: str, after: str, real_documents: dict
) -> None:
    doc = real_documents[path]
    p = doc.passage(paragraph)
    assert not p.text.rstrip().endswith(heading), p.text[-200:]
    assert heading not in (doc.passage(paragraph.split("(")[0]) or p).text
    path_text = doc.passage(after).heading
    # a heading wrapped over two capitalised lines may still come out as two path entries
    assert heading in path_text.split(" › ") or heading in path_text.replace(" › ", " "), path_text


@pytest.mark.parametrize("path", PDFS)
def test_chapter_headings_never_end_a_paragraph(path: str, real_documents: dict) -> None:
    """No paragraph ends with a roman-numbered chapter heading ("… 2023. IV. Conclusion")."""
    doc = real_documents[path]
    glued = [p.locator for p in doc.paragraphs()
             if re.search(r"[.;:]\s+[IVX]{1,4}\.\s+[A-Z][^.;:]{2,80}$", p.text)]
    assert not glued, glued


def test_footnote_set_off_by_a_space_is_a_footnote(real_documents: dict) -> None:
    """DP/2025/14 prints footnote 1's mark after "(see table 1)." with a space before it: the note at the
    page foot belongs to paragraph 16's footnotes, not its text."""
    p = real_documents["board/dp-2025-14.en.pdf"].passage("16")
    assert p.text.endswith("(see table 1).")
    assert [f.mark for f in p.footnotes] == ["1"]
    assert p.footnotes[0].text.startswith("Independent country programme evaluations for Azerbaijan")


@pytest.mark.parametrize("path", PDFS)
def test_masthead_is_front_matter_wherever_the_pdf_draws_it(path: str, real_documents: dict) -> None:
    """The front-page block ("Distr.: General", "Original: English") is front matter, also where the PDF
    draws it after page 1's text and notes (the Russian A/HRC/WG.6/34/ITA/3)."""
    found = [p.locator for p in real_documents[path].passages if p.kind != "front"
             and re.search(r"Distr\.\s*:?\s*(?:General|Limited|Restricted)|Original\s*:\s*[A-Z]", p.text)]
    assert not found, found


@pytest.mark.parametrize("path", PDFS)
def test_no_closing_rule_in_passages(path: str, real_documents: dict) -> None:
    """The rule of dashes closing a paper ("-----", A/HRC/WG.6/7/ITA/1) is no text of its last paragraph."""
    found = [p.locator for p in real_documents[path].passages if re.search(r"(?:[-–—]\s*){5,}$", p.text)]
    assert not found, found
