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
