"""Layout-aware ingest of the designed annual report, checked against corpus.json and the `.txt` twin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdf
import pytest
from conftest import CORPUS, EVAL
from rapidfuzz import fuzz

from boardqa.config import IngestConfig
from ingest.errors import NoTextLayerError
from ingest.layout import merge_lines, read_page
from ingest.models import HEADING_SEP, Document, Passage
from ingest.report import find_tables, parse_report, report_date

PDF = CORPUS / "reports" / "annual-report-2020.en.pdf"
TXT = CORPUS / "reports" / "annual-report-2020.en.txt"


def norm(text: str) -> str:
    """Comparable form: no whitespace, hyphens, bullets or list dashes."""
    text = re.sub(r"(?m)^(?:\[BOX\]|\[PHOTO\]|- |• )\s*", "", text)
    return re.sub(r"[\s\-‐\u00ad•]+", "", text)


def txt_units(path: Path) -> list[str]:
    """The `.txt`'s paragraphs, boxes (title and lines), tables (caption and rows), lists and captions."""
    units: list[str] = []
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if not ln.startswith("%")]
    blocks = "\n".join(lines).strip().split("\n\n")
    started = False
    for block in blocks:
        block = block.strip("\n")
        if not block:
            continue
        if block.startswith("#"):
            started = True
            heading, _, rest = block.partition("\n")
            if rest.strip():
                blocks.append(rest)  # never happens in the corpus; kept for safety
            continue
        if not started:
            continue  # the cover
        if block.startswith(("[BOX]", "Table ")) or all(ln.startswith("- ") for ln in block.split("\n")):
            units.append(block)
        else:
            units.extend(ln for ln in block.split("\n") if ln.strip())
    return units


@pytest.fixture(scope="session")
def report() -> Document:
    if not PDF.is_file():
        pytest.skip("../shared/corpus is not beside the repo")
    return parse_report(PDF, pypdf.PdfReader(PDF), IngestConfig())


@pytest.fixture(scope="session")
def entry(corpus_manifest: dict) -> dict:
    return next(f for f in corpus_manifest["files"] if f["path"] == "reports/annual-report-2020.en.pdf")


@pytest.fixture(scope="session")
def units() -> list[str]:
    return txt_units(TXT)


def content(doc: Document) -> list[Passage]:
    return [p for p in doc.passages if p.kind != "front"]


def test_document_facts(report: Document, entry: dict) -> None:
    assert report.kind == "report"
    assert report.symbol is None
    assert report.family == "annual-report-2020"
    assert report.format == "pdf"
    assert report.language == "en"
    assert report.pages == entry["pages"] == 16
    assert report.sha256 == entry["sha256"]
    assert report.source == PDF.name
    assert report.title == entry["title"]
    assert report.paragraph_count == 0  # no made-up numbered paragraphs


def test_locators_are_unique_stable_page_positions(report: Document) -> None:
    locators = [p.locator for p in report.passages]
    assert len(locators) == len(set(locators))
    for p in report.passages:
        m = re.fullmatch(r"p(\d+)\.(\d+)", p.locator)
        assert m, p.locator
        assert int(m.group(1)) == p.pages[0]
        assert p.paragraph == (None if p.kind == "front" else p.locator)
        assert p.kind in {"body", "box", "table", "list", "caption", "front"}
        assert p.text.strip()
    again = parse_report(PDF, pypdf.PdfReader(PDF), IngestConfig())
    assert [(p.locator, p.text) for p in again.passages] == [(p.locator, p.text) for p in report.passages]


def test_front_matter_is_cover_contents_and_back_cover(report: Document, entry: dict) -> None:
    unnumbered = set(entry["unnumbered_pages"])
    front = [p for p in report.passages if p.kind == "front"]
    assert {p.pages[0] for p in front} == unnumbered
    for p in front:
        assert p.printed_pages == [] and p.heading == ""
    assert not any(set(p.pages) & unnumbered for p in content(report))
    contents = next(p for p in front if p.pages == [2])
    assert "Contents" in contents.text and "Outlook for 2021" in contents.text


def test_printed_pages_follow_the_folios_not_the_pdf_index(report: Document, entry: dict) -> None:
    labels = entry["printed_page_labels"]
    for p in content(report):
        assert p.printed_pages == [labels[n - 1] for n in p.pages if labels[n - 1]]
        for n, printed in zip(p.pages, p.printed_pages, strict=True):
            if 3 <= n <= 15:
                assert printed == str(n - entry["printed_page_offset"])


def test_every_heading_is_in_a_heading_path_at_its_page_and_level(report: Document, entry: dict) -> None:
    for section in entry["sections"]:
        hits = [
            p for p in content(report)
            if section["page"] in p.pages and section["text"] in p.heading.split(HEADING_SEP)
        ]
        assert hits, section
        assert all(p.heading.split(HEADING_SEP).index(section["text"]) == section["level"] - 1 for p in hits)
    assert "Part 4: Financial performance in 2020 › Revenue by source of funding" in {
        p.heading for p in report.passages
    }


def test_every_box_is_exactly_one_box_passage_at_its_page(
    report: Document, entry: dict, units: list[str]
) -> None:
    boxes = [p for p in report.passages if p.kind == "box"]
    assert len(boxes) == len(entry["boxes"])
    box_units = {u.split("\n", 1)[0].removeprefix("[BOX] "): u for u in units if u.startswith("[BOX]")}
    for box in entry["boxes"]:
        found = [p for p in boxes if p.text.split("\n", 1)[0] == box["title"]]
        assert len(found) == 1, box["title"]
        assert found[0].pages == [box["page"]]
        # the whole box and nothing else: no body text before, after or inside it
        assert fuzz.ratio(norm(found[0].text), norm(box_units[box["title"]])) >= 98, box["title"]
        assert found[0].text.count("\n") == box_units[box["title"]].count("\n")


def test_tables_keep_one_row_a_line_with_cells_between_bars(
    report: Document, entry: dict, units: list[str]
) -> None:
    tables = [p for p in report.passages if p.kind == "table"]
    assert len(tables) == len(entry["tables"])
    for table in entry["tables"]:
        found = next(p for p in tables if p.text.split("\n", 1)[0] == table["caption"])
        assert found.pages == [table["page"]]
        reference = next(u for u in units if u.startswith(table["caption"]))
        assert found.text == reference


def test_lists_and_photo_captions(report: Document, entry: dict) -> None:
    lists = [p for p in report.passages if p.kind == "list"]
    assert len(lists) == 1
    assert lists[0].text.count("\n") == 4 and lists[0].heading.endswith("Flagship programmes")
    captions = [p for p in report.passages if p.kind == "caption"]
    assert sorted((c.text, c.pages[0]) for c in captions) == sorted(
        (ph["caption"], ph["page"]) for ph in entry["photos"]
    )


def test_each_passage_is_a_piece_of_one_txt_unit(report: Document, units: list[str]) -> None:
    """No passage mixes two columns, a box with body text, or two paragraphs."""
    normed = [norm(u) for u in units]
    for p in content(report):
        text = norm(p.text)
        best = max(
            (fuzz.partial_ratio(text, u) for u in normed if len(text) <= len(u) * 1.02 + 3), default=0
        )
        assert best >= 95, (p.locator, p.text[:80])


def test_every_txt_unit_is_one_whole_passage(report: Document, units: list[str]) -> None:
    passages = [norm(p.text) for p in content(report)]
    for unit in units:
        u = norm(unit)
        best = max(fuzz.ratio(u, p) for p in passages)
        assert best >= 97, unit[:80]


def test_paragraphs_cut_by_columns_pages_and_floats_are_joined(report: Document, entry: dict) -> None:
    for crossing in entry["paragraphs_crossing_pages"]:
        found = [p for p in content(report) if p.text.startswith(crossing["paragraph"])]
        assert len(found) == 1, crossing
        assert found[0].pages == crossing["pages"] and found[0].kind == "body"
    interrupted = {i["paragraph"] for i in entry["paragraphs_interrupted_by_floats"]}
    assert interrupted <= {c["paragraph"] for c in entry["paragraphs_crossing_pages"]}
    # a column break inside one page: left column foot to right column head
    joined = next(p for p in content(report) if p.text.startswith("Local and regional governments"))
    assert joined.text.endswith("rather than flexible resources.") and joined.pages == [11]


def test_no_running_header_or_page_number_inside_passages(report: Document, entry: dict) -> None:
    parts = [s["text"] for s in entry["sections"] if s["level"] == 1]
    for p in content(report):
        assert entry["header_label"] not in p.text, p.locator
        assert not any(part in p.text for part in parts), p.locator
        assert not any(re.fullmatch(r"\d{1,3}", line.strip()) for line in p.text.split("\n")), p.locator


def test_line_end_hyphens_removed_and_real_hyphens_kept(report: Document) -> None:
    text = " ".join(p.text for p in content(report))
    reference = TXT.read_text(encoding="utf-8")
    compound = re.compile(r"\b\w+(?:-\w+)+\b")
    extra = set(compound.findall(text)) - set(compound.findall(reference))
    assert not extra, extra
    for word in ("UN-Habitat", "non-earmarked", "results-based", "non-State", "influence", "projects"):
        assert word in text
    assert "UNHabitat" not in text and "influ-" not in text and "pro- jects" not in text


def test_word_break_between_two_dictionary_words_is_joined(report: Document) -> None:
    assert "City Resilience Profiling Tool" in " ".join(p.text for p in content(report))


@pytest.mark.parametrize("qid", [f"rd0{i}" for i in range(1, 9)])
def test_dev_question_snippets_are_found_on_a_gold_page(report: Document, qid: str) -> None:
    lines = (EVAL / "report_dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = {q["id"]: q for q in map(json.loads, lines)}
    q = questions[qid]
    snippet = norm(q["snippet"])
    hits = [
        p for p in content(report)
        if set(p.pages) & set(q["pages"]) and fuzz.partial_ratio(snippet, norm(f"{p.heading} {p.text}")) >= 95
    ]
    assert hits, q


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "blank-report.en.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(NoTextLayerError, match="blank-report.en.pdf"):
        parse_report(path, pypdf.PdfReader(path), IngestConfig())


def section_units(path: Path, heading: str) -> list[str]:
    """The `.txt` paragraphs under one `# ` heading, up to the next `# ` heading."""
    units: list[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# "):
            inside = line[2:].strip() == heading
        elif inside and line.strip() and not line.startswith("#"):
            units.append(line)
    return units


def test_two_columns_of_prose_are_body_text_not_a_table(report: Document) -> None:
    """Justified columns side by side line up like a two-cell table; only captioned grids are tables."""
    tables = [p for p in report.passages if p.kind == "table"]
    assert sorted(t.text.split("\n", 1)[0].split(":")[0] for t in tables) == ["Table 1", "Table 2", "Table 3"]
    assert all(" | " not in p.text for p in report.passages if p.kind != "table")
    body = [norm(p.text) for p in content(report) if p.kind == "body"]
    lessons = section_units(TXT, "Lessons learned and recommendations")
    assert len(lessons) >= 10
    for unit in lessons:
        hits = [b for b in body if norm(unit) in b]
        assert len(hits) == 1, unit[:80]
        assert fuzz.ratio(norm(unit), hits[0]) >= 97, unit[:80]


def test_table_detection_alone_does_not_take_prose_columns_for_a_table() -> None:
    """Without the column split (a page where it is not found), prose rows still are not a grid."""
    reader = pypdf.PdfReader(PDF)
    found: list[tuple[int, str]] = []
    for number in range(5, len(reader.pages)):  # the two-column pages, past the key-figure grid
        lines = merge_lines(read_page(reader.pages[number - 1], number).spans)
        found += [(number, t.text.split("\n", 1)[0]) for t in find_tables(number, lines, 9.4, None)]
    assert [(n, caption.split(":")[0]) for n, caption in found] == [
        (8, "Table 1"), (13, "Table 3"), (14, "Table 2")
    ], found


def test_floats_take_the_heading_of_their_place_in_the_text_not_of_their_page(
    report: Document, entry: dict
) -> None:
    """A table moved to the foot or top of a later page belongs to the section that discusses it;
    a float whose section cannot be told keeps only the heading levels it surely shares."""
    by_caption = {p.text.split("\n", 1)[0]: p for p in report.passages if p.kind in ("table", "box")}
    t1 = by_caption["Table 1: Performance against the indicator targets for 2020"]
    assert t1.pages == [8]
    assert t1.heading == "Part 2: Results in the four domains of change › Overview of performance in 2020"
    t2 = by_caption["Table 2: Revenue by source of funding, 2020 (millions of United States dollars)"]
    assert t2.pages == [14]
    assert t2.heading == "Part 4: Financial performance in 2020 › Revenue by source of funding"
    reference = txt_headings(TXT)
    for item in entry["boxes"] + entry["tables"]:
        if not item["placement"].startswith("float"):
            continue
        title = item.get("title") or item["caption"]
        path = by_caption[title].heading.split(HEADING_SEP)
        assert path == reference[title][: len(path)], (title, path)  # a prefix of the true path
    for item in entry["boxes"] + entry["tables"]:  # items in the column flow keep their section
        if item["placement"] == "column":
            title = item.get("title") or item["caption"]
            assert by_caption[title].heading.split(HEADING_SEP) == reference[title], title


def txt_headings(path: Path) -> dict[str, list[str]]:
    """Heading path of each box title and table caption in the `.txt`."""
    paths: dict[str, list[str]] = {}
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = re.match(r"(#+) (.*)", line)
        if m:
            level = len(m.group(1))
            current = current[: level - 1] + [m.group(2).strip()]
        elif line.startswith("[BOX] "):
            paths[line[6:].strip()] = list(current)
        elif re.match(r"Table \d+:", line):
            paths[line.strip()] = list(current)
    return paths


def test_the_date_is_the_year_the_report_states_not_the_pdf_creation_date(report: Document) -> None:
    """The cover says "Annual Report 2020"; /CreationDate is reportlab's fixed 2000-01-01 stamp."""
    info = pypdf.PdfReader(PDF).trailer["/Info"].get_object()
    assert str(info["/CreationDate"]).startswith("D:2000")  # present, and not the report's date
    assert report.date == "2020"
    assert report_date("Annual Report 2019–2020", [], []) == "2020"
    assert report_date("Annual Report", ["Contents", "Published on 11 May 2021"], []) == "2021-05-11"
    assert report_date("Annual Report", ["A year of recovery"], ["D:20000101000000+00'00'"]) is None
    assert report_date("Annual Report", ["Report for 2021"], ["D:20210511093000Z"]) == "2021-05-11"
