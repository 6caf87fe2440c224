"""Real UN papers against their hand-checked manifest: numbering, annexes, sample paragraphs, headings.

Every document of `../shared/corpus/real/manifest.json` is checked: the count of numbered paragraphs
of the main text and of each annex that restarts the numbering, each sample paragraph's number, start
page and first words, and heading paths free of contents-page leaders and page numbers. The Word
original of the budget fascicle must give the same paragraphs as its PDF.
"""

from __future__ import annotations

import re
import unicodedata

import pypdf
import pytest

from tests.conftest import REAL, real_manifest_entries

ENTRIES = real_manifest_entries()
BY_PATH = {e["path"]: e for e in ENTRIES}
# Where the manifest and the printed document disagree (see the report on issue 8); the test still runs
# and must fail, so a corrected manifest shows up at once.
MANIFEST_DISAGREES = {
    "board/dp-ops-2025-3.en.pdf": "manifest counts 43 paragraphs; the paper prints 1-46 (44 lacks its stop)",
}


def _entry_id(entry: dict) -> str:
    return str(entry["path"])


def _count_marks(path: str) -> list:  # type: ignore[type-arg]
    reason = MANIFEST_DISAGREES.get(path)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


COUNTED = [pytest.param(e, id=e["path"], marks=_count_marks(e["path"])) for e in ENTRIES
           if e.get("paragraphs") is not None]
SAMPLES = [(e["path"], s) for e in ENTRIES for s in e["samples"]]


@pytest.mark.parametrize("entry", COUNTED)
def test_main_text_paragraph_count(entry: dict, real_documents: dict) -> None:
    doc = real_documents[entry["path"]]
    numbers = [p.paragraph for p in doc.paragraphs()]
    assert len(numbers) == entry["paragraphs"], numbers[-5:]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.get("annex_paragraphs")], ids=_entry_id)
def test_annex_numbering_restarts(entry: dict, real_documents: dict) -> None:
    doc = real_documents[entry["path"]]
    for part, count in entry["annex_paragraphs"].items():
        paras = doc.paragraphs(part)
        assert len(paras) == count, (part, [p.locator for p in paras][-3:])
        assert paras[0].locator == f"{part}/1"
        assert [p.locator for p in paras] == [f"{part}/{n}" for n in range(1, count + 1)]


@pytest.mark.parametrize(("path", "sample"), SAMPLES, ids=[f"{p}#{s['paragraph']}" for p, s in SAMPLES])
def test_sample_paragraph(path: str, sample: dict, real_documents: dict) -> None:
    p = real_documents[path].passage(sample["paragraph"])
    assert p is not None and p.kind == "paragraph"
    assert p.pages[0] == sample["page"]
    assert p.text.startswith(sample["starts"]), p.text[:80]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.get("paragraphs")], ids=_entry_id)
def test_numbering_is_one_sequence(entry: dict, real_documents: dict) -> None:
    """Main-text paragraphs run 1, 2, 3 … (or 15.1, 15.2 …) with nothing skipped or repeated."""
    nums = [p.locator for p in real_documents[entry["path"]].paragraphs()]
    prefix = nums[0].rsplit(".", 1)[0] + "." if "." in nums[0] else ""
    assert nums == [f"{prefix}{n}" for n in range(1, len(nums) + 1)]


_LEADERS = re.compile(r"(?:\.\s*){4,}|…{2,}")
# A page number and the next entry of the contents: "… impact 21 I. Introduction".
_PAGE_RUN = re.compile(r"\d{1,3}\s+(?:[IVXL]+|[A-Z]|\d{1,2})\.\s+[A-Z]")


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["path"].startswith(("board/", "parallel/"))],
                         ids=_entry_id)
def test_headings_hold_no_contents_page(entry: dict, real_documents: dict) -> None:
    for p in real_documents[entry["path"]].passages:
        for part in p.heading.split(" › ") if p.heading else []:
            assert not _LEADERS.search(part), (p.locator, part)
            assert not _PAGE_RUN.search(part), (p.locator, part)


def test_later_chapters_are_recognised(real_documents: dict) -> None:
    """Chapters II, III … open headings of their own, with their sections nested inside."""
    doc = real_documents["board/dp-2025-12.en.pdf"]
    assert doc.passage("1").heading == "I. Introduction"
    assert doc.passage("7").heading.startswith("II. Observations")
    assert doc.passage("84").heading.startswith("VI. Learning and adapting")
    twenty = doc.passage("20").heading.split(" › ")
    assert twenty[:2] == ["III. Development results: changing systems through integrated solutions",
                          "A. Accelerating human development: building pathways out of poverty"]


def test_action_headings_are_headings_not_paragraphs(real_documents: dict) -> None:
    doc = real_documents["board/a-res-79-1.en.pdf"]
    p20 = doc.passage("20")
    assert p20.heading.startswith("I. Sustainable development and financing for development › Action 1.")
    assert "Action 2." not in doc.passage("20").text
    assert not any(p.text.startswith("Action ") for p in doc.paragraphs())


def test_numbered_subheadings_are_headings(real_documents: dict) -> None:
    doc = real_documents["parallel/a-hrc-wg6-7-ita-1.en.pdf"]
    p19 = doc.passage("19")
    assert p19.heading.endswith("› 1. Parliamentary human rights Committees")
    assert "Parliamentary human rights Committees" not in doc.passage("18").text


def test_footnotes_are_not_paragraphs(real_documents: dict) -> None:
    doc = real_documents["board/dp-fpa-2025-6.en.pdf"]
    assert not any(p.text.startswith("The four vacancies") for p in doc.passages if p.kind == "paragraph")


def test_paragraph_printed_without_its_stop(real_documents: dict) -> None:
    doc = real_documents["board/dp-ops-2025-3.en.pdf"]
    p44 = doc.passage("44")
    assert p44 is not None and p44.text.startswith("With that adjustment in timing")
    assert "With that adjustment" not in doc.passage("43").text


def test_nested_subitems_are_addressable(real_documents: dict) -> None:
    doc = real_documents["board/dp-fpa-2025-6.en.pdf"]
    inner = doc.passage("5(d)(ii)")
    assert inner is not None and inner.parent == "5(d)" and inner.kind == "subitem"
    assert inner.text in doc.passage("5(d)").text and inner.text in doc.passage("5").text


def test_spotlight_box_is_its_own_passage(real_documents: dict) -> None:
    doc = real_documents["board/dp-2025-12.en.pdf"]
    boxes = [p for p in doc.passages if p.kind == "box"]
    assert any(b.text.startswith("SPOTLIGHT: Access to essential services") for b in boxes)
    p22 = doc.passage("22")
    assert "SPOTLIGHT" not in p22.text
    assert p22.text.rstrip().endswith("65 per cent of health facilities.")


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if "agenda" in e.get("note", "")])
def test_agenda_items_are_passages(path: str, real_documents: dict) -> None:
    doc = real_documents[path]
    items = [p for p in doc.passages if p.kind == "item"]
    assert [p.locator for p in items] == [f"item {n}" for n in range(1, len(items) + 1)]
    assert len(items) >= 10
    assert doc.paragraph_count == 0
    assert doc.passage("item 4").text


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if "agenda" in e.get("note", "")])
def test_agenda_items_keep_their_lists_of_documents(path: str, real_documents: dict) -> None:
    """The documents listed under an item ("Documentation:", one title a line) are the item's text, each
    symbol the agenda prints is in some passage, and no title becomes the heading of the items after."""
    doc = real_documents[path]
    printed = " ".join(page.extract_text() for page in pypdf.PdfReader(REAL / path).pages)
    symbols = set(re.findall(r"\(((?:DP|UNW)/[A-Z0-9./]+)\)", printed))
    text = " ".join(p.text for p in doc.passages)
    assert symbols and not [s for s in symbols if s not in text]
    for p in doc.passages:
        assert not any(part.startswith("Documentation") for part in p.heading.split(" › ")), p.locator
        assert not re.search(r"\([A-Z]+/[^)]*\)\*?$", p.heading), (p.locator, p.heading)


def test_agenda_segments_head_their_items(real_documents: dict) -> None:
    """DP/2025/L.2 prints its segments in bold between the items' lists of documents."""
    doc = real_documents["board/dp-2025-l2.en.pdf"]
    heads = {p.locator: p.heading for p in doc.passages if p.kind == "item"}
    assert [heads[f"item {n}"] for n in (2, 8, 9, 14, 15, 17, 18, 20)] == [
        "Joint segment", "Joint segment", "UNDP segment", "UNDP segment", "UNFPA segment", "UNFPA segment",
        "UNOPS segment", "UNOPS segment"]
    item3 = doc.passage("item 3").text
    assert item3.endswith("UNOPS: Annual report of the Internal Audit and Investigations Group on internal "
                          "audit and investigations activities in 2024 (DP/OPS/2025/4)")


@pytest.mark.parametrize(("path", "locator", "heading"), [
    ("board/a-res-79-214.en.pdf", "11",
     "Implementation of the New Urban Agenda to achieve the Sustainable Development Goals"),
    ("board/dp-2025-14.en.pdf", "78", "IX. The United Nations Capital Development Fund and the United "
     "Nations Volunteers programme › A. United Nations Capital Development Fund"),
    ("board/dp-fpa-2025-1.en.pdf", "11", "II. Decisions and recommendations of the UNAIDS Programme "
     "Coordinating Board › High-level panel (HLP) on a resilient and fit-for-purpose UNAIDS Joint Programme"),
])
def test_a_bold_heading_wrapped_inside_a_name_is_one_heading(path: str, locator: str, heading: str,
                                                             real_documents: dict) -> None:
    """"… to achieve the Sustainable" / "Development Goals" is one heading, not a heading over another."""
    assert real_documents[path].passage(locator).heading == heading


def test_a_heading_under_a_heading_stays_apart(real_documents: dict) -> None:
    """"Declaration on Future Generations" / "Guiding principles": both bold, but no name spans the break."""
    heads = {p.heading for p in real_documents["board/a-res-79-1.en.pdf"].passages}
    assert "Annex II Declaration on Future Generations › Guiding principles" in heads


def test_corrigendum_gives_passages(real_documents: dict) -> None:
    entry = next(e for e in ENTRIES if e.get("corrects"))
    doc = real_documents[entry["path"]]
    text = " ".join(p.text for p in doc.passages if p.kind != "front")
    assert "Paragraph 28" in text and "in several countries and territories" in text


def _letters(text: str) -> str:
    """The text without spacing or table-cell bars: pypdf spaces some words apart ("UN -Habitat")."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub("[\\s|\u200b-\u200d\u2060\ufeff]", "", text)


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def test_docx_twin_gives_the_pdf_paragraphs(real_documents: dict) -> None:
    """Same numbers, same text: the Word paragraph's letters all in order in the PDF one, which starts
    and ends the same way (a PDF page break may still carry a running header inside a paragraph)."""
    pdf = real_documents["board/a-81-6-sect15.en.pdf"]
    docx = real_documents["board/a-81-6-sect15.en.docx"]
    a = {p.locator: p.text for p in pdf.passages if p.kind == "paragraph"}
    b = {p.locator: p.text for p in docx.passages if p.kind == "paragraph"}
    assert list(a) == list(b)
    for loc, text in b.items():
        d, p = _letters(text), _letters(a[loc])
        assert d[:40] == p[:40], loc
        assert _subsequence(d, p), loc


def test_numbered_headings_over_unnumbered_ones_between_paragraphs(real_documents: dict) -> None:
    """A numbered sub-heading ("2. Civil and political rights") over an unnumbered one ("Right to life, …")
    between numbered paragraphs is a heading, not the end of the paragraph before; a one-word heading
    citing a note ("Women") is one too."""
    doc = real_documents["parallel/a-hrc-wg6-34-ita-3.en.pdf"]
    assert doc.passage("15").text.endswith("is a violation of human rights.")
    assert doc.passage("16").heading.endswith("2. Civil and political rights › Right to life, liberty and "
                                              "security of person")
    assert doc.passage("61").text.endswith("transphobia was constantly neglected.")
    assert doc.passage("62").heading.endswith("4. Rights of specific persons or groups › Women")


# a numbered or lettered heading run into the end of the paragraph before it: "… seekers. 2. Trafficking in
# human beings", "… annex 3. b. Corporate and process audits"
_HEADING_TAIL = re.compile(r"[.;]\s+(?:\d{1,2}\.|[a-z][.)])\s+[A-ZÀ-Þ][^.;:!?]{3,90}$")


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if e["path"].endswith(".pdf")])
def test_no_paragraph_ends_with_a_numbered_or_lettered_heading(path: str, real_documents: dict) -> None:
    glued = [(p.locator, p.text[-60:]) for p in real_documents[path].passages
             if p.kind == "paragraph" and _HEADING_TAIL.search(p.text.strip())]
    assert not glued, glued


@pytest.mark.parametrize(("path", "locator", "heading_end"), [
    ("parallel/a-hrc-wg6-7-ita-1.en.pdf", "53",
     "1. Policy on asylum and immigration; trafficking; integration policy › "
     "a) Evolution of the Italian society"),
    ("parallel/a-hrc-wg6-7-ita-1.en.pdf", "68", "B. Civil and political rights in a democratic system › "
                                                "2. Trafficking in human beings"),
    ("parallel/a-hrc-wg6-7-ita-1.fr.pdf", "53",
     "politique d’intégration › a) Évolution de la société italienne"),
    ("board/dp-fpa-2025-6.en.pdf", "31", "B. Report ratings, audit issues, and recommendations › "
                                         "a. Business unit audits"),
    ("board/dp-fpa-2025-6.en.pdf", "49", "› b. Corporate and process audits"),
])
def test_lettered_headings_under_numbered_ones(path: str, locator: str, heading_end: str,
                                               real_documents: dict) -> None:
    """Sub-headings lettered "a)" / "a." (under a numbered one, which may wrap onto a second line, or
    right under a table) are headings of the paragraphs below them."""
    assert real_documents[path].passage(locator).heading.endswith(heading_end)


# what closes a resolution or decision, run into its last paragraph: "… (UN-Habitat)”. 54th plenary meeting
# 19 December 2024", "… on the Entity’s website. 11 February 2025"
_ADOPTION_TAIL = re.compile(r"(?:plenary meeting|séance plénière|пленарное заседание)"
                            r"(?:\s+\d{1,2} \w+ \d{4})?$"
                            r"|[.;]\s+\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
                            r"October|November|December) \d{4}$")


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if e["path"].endswith(".pdf")])
def test_no_paragraph_ends_with_its_adoption_line(path: str, real_documents: dict) -> None:
    glued = [(p.locator, p.text[-60:]) for p in real_documents[path].passages
             if p.kind in ("paragraph", "subitem") and _ADOPTION_TAIL.search(p.text.strip())]
    assert not glued, glued


@pytest.mark.parametrize(("path", "locator", "text"), [
    ("board/a-res-79-214.en.pdf", "adoption", "54th plenary meeting\n19 December 2024"),
    ("board/a-res-79-1.en.pdf", "adoption", "3rd plenary meeting\n22 September 2024"),
    ("board/unw-2025-1.en.pdf", "decision 2025/3/adoption", "11 February 2025"),
])
def test_adoption_line_is_a_passage_of_its_own(path: str, locator: str, text: str,
                                               real_documents: dict) -> None:
    """The meeting and date that adopted a resolution (or the date of a Board decision) is text the paper
    prints: a passage of its own, cited in the decision's numbering, not the end of the last paragraph."""
    p = real_documents[path].passage(locator)
    assert p is not None and p.text == text
    assert p.paragraph is not None and p.paragraph.startswith("adoption")


@pytest.mark.parametrize(("path", "before", "locator", "heading"), [
    ("board/dp-2025-1.en.pdf", "4", "5", "Statement by the Vice-President of the Executive Board"),
    ("board/dp-2025-12.en.pdf", "65", "66",
     "Supporting over 70 United Nations entities: UNDP as the operational backbone"),
])
def test_bold_heading_after_text_without_a_stop(path: str, before: str, locator: str, heading: str,
                                                real_documents: dict) -> None:
    """A heading set in bold right above the next paragraph is a heading even when the text before it
    does not end with a stop ("Second regular session: 25 to 29 August 2025", a figure's last line)."""
    doc = real_documents[path]
    assert not doc.passage(before).text.endswith(heading)
    assert doc.passage(locator).heading.endswith(heading)


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if e["path"].endswith(".pdf")])
def test_a_table_ends_at_the_next_caption(path: str, real_documents: dict) -> None:
    """A table's rows run until the next "Table n" or "Figure n" caption: the caption is a passage of its
    own (DP/2025/4 tables 1 and 2, DP/FPA/2025/6 table 7 and figures 7 and 8 were one passage)."""
    for p in real_documents[path].passages:
        if p.kind == "table":
            rows = p.text.split("\n")[1:]
            captions = [r for r in rows if re.match(r"(?:Table|Figure)\s+\d+\.\s+[A-Z]", r)]
            assert not captions, (p.locator, captions)


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES if e["path"].endswith(".pdf")])
def test_the_title_note_is_a_note_of_the_front_matter(path: str, real_documents: dict) -> None:
    """The "*" note on a first page ("* The present document was not edited …") is a footnote of the
    front matter, also where the PDF draws the masthead last on a page without numbered paragraphs (the
    French A/HRC/WG.6/7/ITA/1)."""
    front = real_documents[path].passages[0]
    assert not [ln for ln in front.text.split("\n") if re.match(r"\*\s+\S", ln)], path


def test_a_bare_caption_takes_its_title_and_heads_nothing(real_documents: dict) -> None:
    """"Figure 15.II" and "Table 15.1" print their title on the line below: the title is the caption's,
    never the heading of the paragraphs after the chart (the PDF and its Word original alike)."""
    for path in ("board/a-81-6-sect15.en.pdf", "board/a-81-6-sect15.en.docx"):
        doc = real_documents[path]
        assert doc.passage("figure-2").text.startswith("Figure 15.II Performance measure: number of partner")
        assert "Performance measure" not in doc.passage("15.40").heading
        assert doc.passage("15.40").heading.split(" › ")[-2:] == [
            "Result 2: increased security of tenure rights to land",  # "land" is no unfinished "and"
            "Programme performance in 2025 and target for 2027"]
        assert "Performance measure" not in doc.passage("A.8").heading
        assert doc.passage("table15.1").text.startswith("Table 15.1 Cross-cutting deliverables for the")
        assert "Cross-cutting deliverables" not in doc.passage("15.29").heading


def test_a_tables_category_rows_head_no_section(real_documents: dict) -> None:
    """A deliverables table's category rows ("B. Generation and transfer of knowledge", "D. Communication
    deliverables") follow the fascicle's section A in letter order, but no numbered paragraph comes
    under them before the next one: they are no sections."""
    for path in ("board/a-81-6-sect15.en.pdf", "board/a-81-6-sect15.en.docx"):
        doc = real_documents[path]
        assert doc.passage("15.33").heading.split(" › ") == [
            "A. Proposed programme plan for 2027 and programme performance in 2025", "Subprogramme 1",
            "Strategy"]
        found = [p.locator for p in doc.passages if p.kind == "paragraph"
                 and ("Communication deliverables" in p.heading or "Generation and transfer" in p.heading)]
        assert not found, found


@pytest.mark.parametrize("path", [e["path"] for e in ENTRIES])
def test_no_heading_is_a_charts_source_line(path: str, real_documents: dict) -> None:
    """"Source: UNDP Evaluation Resource Centre" under a chart is the figure's, never a heading."""
    parts = {part for p in real_documents[path].passages for part in p.heading.split(" › ")}
    assert not [part for part in parts if re.match(r"(?:Sources?|Notes?)\s*:", part)]


def test_a_charts_legend_in_regular_type_heads_nothing(real_documents: dict) -> None:
    """In a paper that sets its headings in bold, a chart's legend or labels ("Planned Actual",
    "Helped strategy") printed under the caption in regular type stay the figure's."""
    budget = real_documents["board/a-81-6-sect15.en.pdf"]
    assert "Planned Actual" not in budget.passage("A.6").heading
    assert budget.passage("A.6").heading.split(" › ")[-1].startswith("Result 2: urban climate action plans")
    evaluation = real_documents["board/dp-2025-14.en.pdf"]
    assert "Helped" not in evaluation.passage("49").heading
    assert evaluation.passage("figure-1").text.endswith("Source: UNDP Evaluation Resource Centre")


def test_one_cell_table_rows_stay_in_their_table(real_documents: dict) -> None:
    """DP/2025/14 table 1 lists countries by region, a name per row in regular type: its last rows
    ("Mexico", "Panama", "Uruguay") are the table's, not headings of paragraph 17. A/81/6's tables end
    at the next subprogramme's heading all the same."""
    evaluation = real_documents["board/dp-2025-14.en.pdf"]
    assert evaluation.passage("table1").text.split("\n")[-1] == "Uruguay"
    assert evaluation.passage("17").heading.split(" › ")[-1] == "A. Independent evaluations"
    assert "Venezuela" not in evaluation.passage("74").heading
    budget = real_documents["board/a-81-6-sect15.en.pdf"]
    assert budget.passage("15.46").heading.split(" › ")[1] == "Subprogramme 2"
    assert budget.passage("15.79").heading.split(" › ")[-2:] == ["Subprogramme 4", "Deliverables"]
