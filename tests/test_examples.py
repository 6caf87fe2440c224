"""The shipped sample papers in examples/: present, up to date with their sources, and readable by pypdf
the way the quick start needs (numbered paragraphs, sub-items, footnotes, real Chinese characters)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pypdf
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MANIFEST = json.loads((EXAMPLES / "examples.json").read_text(encoding="utf-8"))["files"]
IDS = [f["path"] for f in MANIFEST]
CJK = re.compile(r"[\u4e00-\u9fff]")


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def page_texts(entry: dict) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(EXAMPLES / entry["path"]).pages]


def test_manifest_covers_a_parallel_english_chinese_pair() -> None:
    by_lang = {f["language"]: f for f in MANIFEST}
    assert {"en", "zh"} <= set(by_lang)
    en, zh = by_lang["en"], by_lang["zh"]
    assert en["family"] == zh["family"] and en["symbol"] == zh["symbol"]
    assert en["paragraph_count"] == zh["paragraph_count"]
    assert 8 <= en["paragraph_count"] <= 12
    assert en["subitems"] == zh["subitems"] and en["subitems"]
    for entry in MANIFEST:
        assert (EXAMPLES / entry["path"]).is_file()
        assert (EXAMPLES / entry["source"]).is_file()
        assert entry["paragraphs_crossing_pages"], "a paragraph must cross a page break"
        assert [f["mark"] for f in entry["footnotes"]] == ["*", "1"]


def test_pdfs_match_their_sources(tmp_path: Path) -> None:
    """Rebuilding from examples/src gives byte-identical PDFs, so the committed files are not stale."""
    entries = load_generator().build_all(tmp_path)
    assert entries == MANIFEST
    for entry in entries:
        assert (tmp_path / entry["path"]).read_bytes() == (EXAMPLES / entry["path"]).read_bytes()


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_pdf_text_has_paragraphs_subitems_header_and_footer(entry: dict) -> None:
    pages = page_texts(entry)
    assert len(pages) == entry["pages"] and 2 <= len(pages) <= 3
    lines = [line for text in pages for line in text.splitlines()]
    numbers = [m.group(1) for line in lines if (m := re.match(r"^(\d+)\. \S", line))]
    assert numbers == [str(n) for n in range(1, entry["paragraph_count"] + 1)]
    letters = [m.group(1) for line in lines if (m := re.match(r"^\(([a-z])\) \S", line))]
    assert letters == [s[-2] for s in entry["subitems"]]
    for number, text in enumerate(pages, start=1):
        page_lines = text.splitlines()
        assert page_lines[0].endswith(entry["symbol"]), "running header first"
        assert page_lines[-1] == str(number), "page number last"


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_footnotes_sit_at_the_foot_of_the_page_that_cites_them(entry: dict) -> None:
    pages = page_texts(entry)
    star = next(f for f in entry["footnotes"] if f["mark"] == "*")
    first = pages[0].splitlines()
    assert first[-2] == f"* {star['text']}"
    assert any(line.endswith("*") or "*项目" in line for line in first[:-2]), "agenda item carries the *"
    numbered = next(f for f in entry["footnotes"] if f["mark"] == "1")
    holding = [i for i, text in enumerate(pages) if f"1 {numbered['text']}" in text.splitlines()]
    assert len(holding) == 1
    assert entry["paragraph_pages"]["7"] == [holding[0] + 1], "footnote 1 is cited in paragraph 7"


def test_chinese_extracts_as_cjk_characters() -> None:
    zh = next(f for f in MANIFEST if f["language"] == "zh")
    text = "".join(page_texts(zh))
    assert len(CJK.findall(text)) > 1000
    assert "试点项目覆盖六个二级城市的 24 个社区" in text
    assert "一. 导言" in text
    assert not re.search(r"[\ue000-\uf8ff\u2f00-\u2fdf]", text), "no private-use or Kangxi radicals"


def test_english_extracts_cleanly() -> None:
    en = next(f for f in MANIFEST if f["language"] == "en")
    text = "".join(page_texts(en))
    assert "The total cost of the pilot was USD 4.2 million" in text
    assert set(text) - set("\n –") <= {chr(c) for c in range(32, 127)}, "ASCII plus the en dash only"
    assert "  " not in text


@pytest.fixture(scope="module")
def parse_file() -> Callable[..., Any]:
    parse = pytest.importorskip("ingest.parse", reason="the board parser is not committed yet")
    return parse.parse_file


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_board_parser_reads_the_examples(entry: dict, parse_file: Callable[..., Any]) -> None:
    from boardqa.config import IngestConfig

    doc = parse_file(EXAMPLES / entry["path"], IngestConfig())
    assert doc.kind == "board-document"
    assert doc.language == entry["language"]
    assert doc.symbol == entry["symbol"]
    assert doc.paragraph_count == entry["paragraph_count"]
    subitems = [p.locator for p in doc.passages if p.kind == "subitem"]
    assert subitems == entry["subitems"]
    marks = {f.mark for p in doc.passages for f in p.footnotes}
    assert {"*", "1"} <= marks
    for number, pages in entry["paragraph_pages"].items():
        passage = doc.passage(number)
        assert passage is not None, f"paragraph {number}"
        assert passage.pages == pages, f"pages of paragraph {number}"
    cited = doc.passage("7")
    assert cited is not None
    notes = [f.text for f in cited.footnotes if f.mark == "1"]
    assert len(notes) == 1 and "600" in notes[0], "footnote 1 belongs to paragraph 7"
