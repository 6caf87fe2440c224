"""Plain-text, Markdown and Word board documents give the paragraphs of their reference text."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from boardqa.config import IngestConfig
from ingest.errors import EmptyFileError, UnsupportedFormatError
from ingest.models import Document
from ingest.parse import parse_file
from tests.conftest import CORPUS
from tests.txt_reference import normalise, reference_paragraphs

CFG = IngestConfig()


def _board_entries(manifest: dict, fmt: str) -> list[dict]:
    return [f for f in manifest["files"] if f["kind"] == "board-document" and f["format"] == fmt]


def _check_against_twin(doc: Document, twin: Path, entry: dict) -> None:
    paras, subs = reference_paragraphs(twin)
    got = [p for p in doc.passages if p.kind == "paragraph"]
    assert [p.paragraph for p in got] == [str(i) for i in range(1, entry["paragraph_count"] + 1)]
    for p in got:
        ratio = fuzz.ratio(normalise(p.text), normalise(paras[p.locator]))
        assert ratio >= 98, (doc.source, p.locator, ratio, p.text[:200])
    for loc in entry["subitems"]:
        sub = doc.passage(loc)
        assert sub is not None and sub.kind == "subitem", (doc.source, loc)
        assert sub.parent == loc.split("(")[0]
        assert fuzz.ratio(normalise(sub.text), normalise(subs[loc])) >= 98
    front = doc.passage("front")
    assert front is not None and front.kind == "front" and front.paragraph is None
    assert doc.symbol == entry["symbol"]
    assert doc.family == (entry["symbol"] or entry["family"])
    wanted = {(f["mark"].translate(str.maketrans("¹²³", "123")), f["text"]) for f in entry["footnotes"]}
    found = {(f.mark, f.text) for p in doc.passages for f in p.footnotes}
    assert found == wanted


def test_txt_twins_match_manifest(corpus_manifest: dict) -> None:
    entries = _board_entries(corpus_manifest, "txt")
    assert len(entries) >= 8
    for entry in entries:
        path = CORPUS / entry["path"]
        doc = parse_file(path, CFG)
        assert doc.format == "txt" and doc.kind == "board-document" and doc.pages == 0
        assert doc.language == entry["language"]
        assert doc.date == entry["date"]
        assert doc.title == entry["title"]
        _check_against_twin(doc, path, entry)


def test_txt_footnote_marks_leave_the_text(corpus_manifest: dict) -> None:
    doc = parse_file(CORPUS / "en/funding-and-resource-mobilization.en.txt", CFG)
    p4 = doc.passage("4")
    assert p4 is not None
    assert "USD 203.8 million. Of that amount" in p4.text
    assert [f.mark for f in p4.footnotes] == ["1"]
    front = doc.passage("front")
    assert front is not None and "agenda*" not in front.text and front.footnotes[0].mark == "*"


def test_txt_headings_and_table() -> None:
    doc = parse_file(CORPUS / "en/draft-work-programme-budget-2022.en.txt", CFG)
    p14 = doc.passage("14")
    assert p14 is not None and p14.heading == "IV. Resource requirements"
    table = next(p for p in doc.passages if p.kind == "table")
    assert "Regular budget | 12 700.0 | 12 800.0 | 100.0" in table.text
    sub = parse_file(CORPUS / "en/executive-board-2021-first-session-report.en.txt", CFG)
    assert any(" › " in p.heading for p in sub.passages)
    zh = parse_file(CORPUS / "zh/covid19-response-update.zh.txt", CFG)
    p1 = zh.passage("1")
    assert p1 is not None and p1.heading.startswith("一. ")


@pytest.mark.parametrize("name", ["annual-report-2020-summary.en.md", "annual-report-2020-summary.en.docx"])
def test_format_samples_match_english_seed(corpus_manifest: dict, name: str) -> None:
    if name.endswith(".docx"):
        pytest.importorskip("ingest.docx")
    entry = next(f for f in corpus_manifest["files"] if f["path"] == "en/annual-report-2020-summary.en.txt")
    doc = parse_file(CORPUS / "formats" / name, CFG)
    assert doc.format == name.rsplit(".", 1)[1]
    assert doc.title == entry["title"]
    assert doc.family == "annual-report-2020-summary"
    _check_against_twin(doc, CORPUS / entry["path"], entry)


def test_unsupported_and_empty_text(tmp_path: Path) -> None:
    odd = tmp_path / "notes.rtf"
    odd.write_text("{\\rtf1}", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="unsupported file type '.rtf'"):
        parse_file(odd, CFG)
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(EmptyFileError):
        parse_file(blank, CFG)


def test_hard_wrapped_text_is_rejoined(tmp_path: Path) -> None:
    src = tmp_path / "wrapped.en.txt"
    src.write_text(
        "A/TEST/2021/1\n\nA wrapped document\n\n1. The first paragraph is wrapped\nat a fixed width and "
        "continues\nhere.\n\n2. The second one\nrefers to 2021.\n\n3. Third.\n",
        encoding="utf-8",
    )
    doc = parse_file(src, CFG)
    assert doc.symbol == "A/TEST/2021/1"
    assert doc.paragraph_count == 3
    p1 = doc.passage("1")
    assert p1 is not None and p1.text == "The first paragraph is wrapped at a fixed width and continues here."


@pytest.mark.parametrize(
    "stem",
    [
        "en/draft-work-programme-budget-2022.en",
        "en/executive-board-2021-first-session-report.en",
        "zh/covid19-response-update.zh",
    ],
)
def test_docx_built_like_the_corpus(corpus_manifest: dict, tmp_path: Path, stem: str) -> None:
    """Word files made by the corpus's own builder: numbered footnotes, a real table, Chinese."""
    import sys

    sys.path.insert(0, str(CORPUS / "_build"))
    try:
        import build_docx  # type: ignore[import-not-found]
        from docs_meta import DOCS  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    name = stem.split("/")[1]
    meta = next(m for m in DOCS if f"{m['stem']}.{m['lang']}" == name)
    builder = build_docx.Builder(meta)
    builder.build((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"))
    out = tmp_path / f"{name}.docx"
    builder.save(str(out))
    entry = next(f for f in corpus_manifest["files"] if f["path"] == f"{stem}.txt")
    doc = parse_file(out, CFG)
    assert doc.title == entry["title"]
    assert doc.date == entry["date"]
    _check_against_twin(doc, CORPUS / entry["path"], entry)
    if "budget" in stem:
        table = next(p for p in doc.passages if p.kind == "table")
        assert "Foundation non-earmarked | 18 400.0 | 12 000.0 | (6 400.0)" in table.text


def test_a_bare_caption_takes_its_title(tmp_path: Path) -> None:
    """"Table 2." on a line of its own is followed by its title: the title is the caption's, and the
    paragraphs after the table are not filed under it."""
    path = tmp_path / "paper.txt"
    path.write_text("1. The Board reviewed the staffing plan shown in table 2 below for the period.\n\n"
                    "Table 2.\n\nStaff by grade and location\n\n"
                    "2. The plan keeps the number of posts at headquarters as it was last period.\n\n"
                    "Figure 1\n\nPosts over time\n\n"
                    "3. The Board takes note of the plan and requests an update at its next session.\n",
                    encoding="utf-8")
    doc = parse_file(path, CFG)
    assert doc.passage("table2").text == "Table 2. Staff by grade and location"
    assert doc.passage("figure-1").text == "Figure 1 Posts over time"
    assert "Staff by grade" not in doc.passage("2").heading
    assert "Posts over time" not in doc.passage("3").heading
