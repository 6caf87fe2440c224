"""Build the sample board papers in examples/ from their plain-text sources in examples/src/.

The quick start ingests these PDFs on a machine without the shared test corpus, so they must look like
real board papers to the parser (masthead, running header, numbered paragraphs, lettered sub-items,
footnotes at the foot of the page, a paragraph that crosses a page) and must extract cleanly with pypdf.
The build is reproducible (reportlab's invariant mode), checks every paragraph against the extracted
text and writes `examples/examples.json`, which records what a parser should find in each PDF.

Run: python examples/make_examples.py [OUT_DIR]   (default: examples/ itself)
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pypdf
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
MANIFEST = HERE / "examples.json"

CJK_FONT = "STSong-Light"  # built-in CID font: no font file, and pypdf maps it back to Unicode
PAGE_W, PAGE_H = A4
MARGIN_X = 2.5 * cm
FRAME_TOP = PAGE_H - 2.6 * cm
# Per language: font size, leading and the bottom of the text frame (room for footnotes and the page
# number). Chosen so that both papers run to 2-3 pages with paragraph 5 breaking mid-text across a page.
LAYOUT = {"en": (12.0, 16.8, 4.5 * cm), "zh": (13.0, 20.0, 4.4 * cm)}
FOOTNOTE_TOP = 3.6 * cm
PAGE_NUMBER_Y = 1.4 * cm

SECTION = re.compile(r"^(?:[IVXLC]+|[一二三四五六七八九十]+)\. ")
PARAGRAPH = re.compile(r"^(\d+)\. (.*)$")
SUBITEM = re.compile(r"^ {4}\(([a-z])\) (.*)$")
FOOTNOTE = re.compile(r"^(\*|[¹²³]) (.*)$")
SUPERSCRIPT = {"¹": "1", "²": "2", "³": "3"}


@dataclass
class Block:
    kind: str  # "section" | "paragraph" | "subitem"
    text: str
    number: str = ""  # "3" for a paragraph, "a" for a sub-item


@dataclass
class Source:
    path: Path
    language: str
    heading_groups: list[list[str]]
    blocks: list[Block]
    footnotes: list[tuple[str, str]]  # (mark as printed in the text, text)

    @property
    def symbol(self) -> str:
        return self.heading_groups[0][0]

    @property
    def date(self) -> str:
        return self.heading_groups[0][2]

    @property
    def title(self) -> str:
        return " ".join(self.heading_groups[2])


@dataclass
class Page:
    footnotes: list[tuple[str, str]] = field(default_factory=list)


def read_source(path: Path) -> Source:
    """Read the plain-text format of the shared corpus: heading groups, body blocks, footnotes."""
    text = path.read_text(encoding="utf-8")
    body, _, notes = text.partition("\n__________________\n")
    footnotes = []
    for line in notes.splitlines():
        m = FOOTNOTE.match(line)
        if m:
            footnotes.append((m.group(1), m.group(2)))
    groups = [g.split("\n") for g in body.strip("\n").split("\n\n")]
    heading_groups: list[list[str]] = []
    blocks: list[Block] = []
    for group in groups:
        first = group[0]
        if not blocks and not SECTION.match(first) and not PARAGRAPH.match(first):
            heading_groups.append(group)
            continue
        for line in group:
            if (m := SUBITEM.match(line)) is not None:
                blocks.append(Block("subitem", m.group(2), m.group(1)))
            elif (m := PARAGRAPH.match(line)) is not None:
                blocks.append(Block("paragraph", m.group(2), m.group(1)))
            elif SECTION.match(line):
                blocks.append(Block("section", line))
            else:
                raise ValueError(f"{path.name}: cannot place line {line!r}")
    language = path.name.split(".")[-2]
    return Source(path, language, heading_groups, blocks, footnotes)


def markup(text: str) -> str:
    """Escape for reportlab's paragraph markup and raise footnote marks."""
    out = escape(text)
    for sup, digit in SUPERSCRIPT.items():
        out = out.replace(sup, f"<super>{digit}</super>")
    return out.replace("*", "<super>*</super>")


class FootnoteAnchor(Flowable):
    """Zero-size marker placed after the text that cites a footnote: records the page it lands on."""

    def __init__(self, pages: dict[int, Page], note: tuple[str, str]) -> None:
        super().__init__()
        self.pages = pages
        self.note = note
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        self.pages.setdefault(page, Page()).footnotes.append(self.note)


def styles(language: str) -> dict[str, ParagraphStyle]:
    zh = language == "zh"
    body_font = CJK_FONT if zh else "Times-Roman"
    bold_font = CJK_FONT if zh else "Times-Bold"
    wrap = "CJK" if zh else None
    size, leading, _ = LAYOUT[language]
    base = ParagraphStyle("body", fontName=body_font, fontSize=size, leading=leading, alignment=TA_JUSTIFY,
                          wordWrap=wrap, spaceAfter=6, allowOrphans=1)
    return {
        "symbol": ParagraphStyle("symbol", fontName="Times-Bold", fontSize=17, leading=21),
        "masthead": ParagraphStyle("masthead", fontName="Times-Roman", fontSize=10, leading=12),
        "session": ParagraphStyle("session", parent=base, alignment=0, spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=bold_font, fontSize=15, leading=20,
                                alignment=0, spaceBefore=14, spaceAfter=8, leftIndent=1 * cm),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=0, spaceAfter=10, leftIndent=1 * cm),
        "section": ParagraphStyle("section", parent=base, fontName=bold_font, alignment=0, spaceBefore=6,
                                  keepWithNext=1),
        "paragraph": ParagraphStyle("paragraph", parent=base, leftIndent=1 * cm, bulletIndent=0,
                                    bulletFontName="Times-Roman"),
        "subitem": ParagraphStyle("subitem", parent=base, leftIndent=2 * cm, bulletIndent=1 * cm,
                                  bulletFontName="Times-Roman"),
        "footnote": ParagraphStyle("footnote", fontName=body_font, fontSize=9, leading=11, wordWrap=wrap,
                                   leftIndent=0.5 * cm, bulletIndent=0, bulletFontName="Times-Roman"),
        "header": ParagraphStyle("header", fontName=body_font, fontSize=9, leading=11),
        "page": ParagraphStyle("page", fontName="Times-Roman", fontSize=9, alignment=TA_CENTER),
    }


def header_date(src: Source) -> str:
    """The date as the running header prints it, in the document's language."""
    if src.language != "zh":
        return src.date
    day, month, year = src.date.split()
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return f"{year} 年 {months.index(month) + 1} 月 {int(day)} 日"


def build_pdf(src: Source, out: Path) -> None:
    st = styles(src.language)
    pages: dict[int, Page] = {}
    width = PAGE_W - 2 * MARGIN_X
    notes = dict(src.footnotes)

    def on_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        # Drawn before the page's text, so extraction puts the header first, as in the corpus.
        canv.saveState()
        y = PAGE_H - 1.7 * cm
        # One text object for date and symbol, so that pypdf reads them as one line.
        line = canv.beginText(MARGIN_X, y)
        line.setFont(st["header"].fontName, 9)
        line.textOut(header_date(src))
        right = PAGE_W - MARGIN_X - canv.stringWidth(src.symbol, "Times-Bold", 9)
        line.moveCursor(right - MARGIN_X, 0)
        line.setFont("Times-Bold", 9)
        line.textOut(src.symbol)
        canv.drawText(line)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 5, PAGE_W - MARGIN_X, y - 5)
        canv.restoreState()

    def on_page_end(canv: Canvas, doc: BaseDocTemplate) -> None:
        # Drawn after the text: footnotes, then the page number (the last line of every page).
        canv.saveState()
        page_notes = pages.get(canv.getPageNumber(), Page()).footnotes
        if page_notes:
            canv.setLineWidth(0.5)
            canv.line(MARGIN_X, FOOTNOTE_TOP, MARGIN_X + 4 * cm, FOOTNOTE_TOP)
            y = FOOTNOTE_TOP - 4
            for mark, text in page_notes:
                shown = SUPERSCRIPT.get(mark, mark)
                para = Paragraph(markup(text), st["footnote"], bulletText=shown)
                _, h = para.wrap(width, FOOTNOTE_TOP)
                para.drawOn(canv, MARGIN_X, y - h)
                y -= h + 2
        canv.setFont("Times-Roman", 9)
        canv.drawCentredString(PAGE_W / 2, PAGE_NUMBER_Y, str(canv.getPageNumber()))
        canv.restoreState()

    story: list[Flowable] = []
    masthead, session, title, *rest = src.heading_groups
    story.append(Paragraph(markup(masthead[0]), st["symbol"]))
    story.extend(Paragraph(markup(line), st["masthead"]) for line in masthead[1:])
    story.append(Spacer(0, 14))
    for line in session:
        story.append(Paragraph(markup(line), st["session"]))
        if "*" in line and "*" in notes:
            story.append(FootnoteAnchor(pages, ("*", notes["*"])))
    story.append(Paragraph(markup(" ".join(title)), st["title"]))
    for group in rest:
        story.append(Paragraph(markup(" ".join(group)), st["subtitle"]))
    for block in src.blocks:
        if block.kind == "section":
            story.append(Paragraph(markup(block.text), st["section"]))
            continue
        bullet = f"{block.number}." if block.kind == "paragraph" else f"({block.number})"
        story.append(Paragraph(markup(block.text), st[block.kind], bulletText=bullet))
        for sup in SUPERSCRIPT:
            if sup in block.text and sup in notes:
                story.append(FootnoteAnchor(pages, (sup, notes[sup])))

    doc = BaseDocTemplate(
        str(out), pagesize=A4, invariant=True, title=src.title, author="BoardQA examples",
        subject="Fictional sample board paper written for BoardQA; not an official document",
        leftMargin=MARGIN_X, rightMargin=MARGIN_X,
    )
    bottom = LAYOUT[src.language][2]
    frame = Frame(MARGIN_X, bottom, width, FRAME_TOP - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page, onPageEnd=on_page_end)])
    doc.build(story)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def paragraph_texts(src: Source) -> dict[str, str]:
    """Each numbered paragraph with its sub-items, as the PDF prints it (number first, marks as digits)."""
    out: dict[str, str] = {}
    current = ""
    for block in src.blocks:
        if block.kind == "paragraph":
            current = block.number
            out[current] = f"{block.number}. {block.text}"
        elif block.kind == "subitem":
            out[current] += f" ({block.number}) {block.text}"
    for sup, digit in SUPERSCRIPT.items():
        out = {k: v.replace(sup, digit) for k, v in out.items()}
    return out


def check_pdf(src: Source, pdf: Path) -> dict[str, object]:
    """Find every paragraph in pypdf's text and record its pages; fail loudly if one is missing."""
    reader = pypdf.PdfReader(pdf)
    stream = ""
    owner: list[int] = []
    notes = [squash(SUPERSCRIPT.get(m, m) + t) for m, t in src.footnotes]
    for page_no, page in enumerate(reader.pages, start=1):
        lines = page.extract_text().splitlines()
        if lines[-1].strip() != str(page_no):
            raise SystemExit(f"{pdf.name}: page {page_no} does not end with its page number")
        if src.symbol not in lines[0]:
            raise SystemExit(f"{pdf.name}: page {page_no} does not start with the running header")
        body = squash("".join(lines[1:-1]))
        for note in notes:
            body = body.replace(note, "")
        stream += body
        owner.extend([page_no] * len(body))
    if src.language == "zh" and not re.search(r"[\u4e00-\u9fff]{10}", stream):
        raise SystemExit(f"{pdf.name}: no Chinese characters in the extracted text")
    paragraph_pages: dict[str, list[int]] = {}
    for number, text in paragraph_texts(src).items():
        needle = squash(text)
        at = stream.find(needle)
        if at < 0:
            raise SystemExit(f"{pdf.name}: paragraph {number} not found in the extracted text")
        paragraph_pages[number] = sorted(set(owner[at : at + len(needle)]))
    crossing = [n for n, p in paragraph_pages.items() if len(p) > 1]
    if not crossing:
        raise SystemExit(f"{pdf.name}: no paragraph crosses a page; adjust the layout")
    if not 2 <= len(reader.pages) <= 3:
        raise SystemExit(f"{pdf.name}: {len(reader.pages)} pages, expected 2-3")
    subitems = []
    current = ""
    for block in src.blocks:
        if block.kind == "paragraph":
            current = block.number
        elif block.kind == "subitem":
            subitems.append(f"{current}({block.number})")
    return {
        "path": pdf.name,
        "source": f"src/{src.path.name}",
        "language": src.language,
        "family": src.path.name.split(".")[0],
        "symbol": src.symbol,
        "title": src.title,
        "date": src.date,
        "pages": len(reader.pages),
        "paragraph_count": len(paragraph_pages),
        "subitems": subitems,
        "footnotes": [{"mark": SUPERSCRIPT.get(m, m), "text": t} for m, t in src.footnotes],
        "paragraph_pages": paragraph_pages,
        "paragraphs_crossing_pages": crossing,
    }


def build_all(out_dir: Path = HERE) -> list[dict[str, object]]:
    """Build every PDF and the manifest into `out_dir` (the tests build into a temporary folder)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for txt in sorted(SRC.glob("*.txt")):
        src = read_source(txt)
        pdf = out_dir / (txt.name.removesuffix(".txt") + ".pdf")
        build_pdf(src, pdf)
        entries.append(check_pdf(src, pdf))
    manifest = {"note": "written by make_examples.py; fictional documents", "files": entries}
    (out_dir / MANIFEST.name).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    return entries


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else HERE
    for entry in build_all(out_dir):
        print(f"{entry['path']}: {entry['pages']} pages, {entry['paragraph_count']} paragraphs, "
              f"crossing {entry['paragraphs_crossing_pages']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
