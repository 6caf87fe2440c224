"""The facts real UN papers print on their first page, checked against the hand-read manifest.

`../shared/corpus/real/manifest.json` is the truth: symbol, title, date of issue, language and, for a
corrigendum, the paper it corrects. A field the manifest leaves null is not checked. Titles are compared
the way a reader would: case, dash and quote styles and spacing aside (the old layout prints titles in
capitals). Page furniture (job numbers, barcodes) must never reach a passage, and the French and Russian
versions must be linked to their English version by symbol and paragraph number.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.furniture import is_furniture

FACTS = ("symbol", "date", "language")
_FURNITURE_TOKEN = re.compile(
    r"(?<!\d)\d{2}-\d{5}[A-Z]?\*?\s*\([A-Z]\)|\*\d{7}\*|GE\.\d{2}-\d{5}|Please recycle|[\ue000-\uf8ff]"
)


def _normal(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    text = re.sub(r"[‘’`´]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _entries(manifest: dict) -> list[dict]:
    return list(manifest["documents"])


def test_every_document_states_its_printed_facts(real_manifest: dict, real_documents: dict) -> None:
    wrong: list[str] = []
    for entry in _entries(real_manifest):
        doc = real_documents[entry["path"]]
        for key in FACTS:
            if entry.get(key) is not None and getattr(doc, key) != entry[key]:
                wrong.append(f"{entry['path']}: {key} {getattr(doc, key)!r}, manifest {entry[key]!r}")
        if entry.get("title") and _normal(doc.title) != _normal(entry["title"]):
            wrong.append(f"{entry['path']}: title {doc.title!r}, manifest {entry['title']!r}")
    assert not wrong, "\n".join(wrong)


def test_a_decision_number_is_never_taken_for_the_symbol(real_documents: dict) -> None:
    for path, doc in real_documents.items():
        if doc.symbol:
            assert re.match(r"^[A-Z]", doc.symbol), path
            assert not doc.symbol.endswith("*"), path


def test_the_corrigendum_names_the_paper_it_corrects(real_manifest: dict, real_documents: dict) -> None:
    entries = [e for e in _entries(real_manifest) if "corrects" in e]
    assert entries
    for entry in entries:
        assert real_documents[entry["path"]].amends == entry["corrects"]
    others = [e for e in _entries(real_manifest) if "corrects" not in e]
    assert all(real_documents[e["path"]].amends is None for e in others)


def test_the_corrected_paper_shows_its_corrigendum(real_manifest: dict, real_documents: dict) -> None:
    from boardqa.commands.sources import source_infos
    from bot.describe import facts, source_facts
    from index.answering.qa import make_citation
    from ingest.meta import amendments

    entry = next(e for e in _entries(real_manifest) if "corrects" in e)
    corrigendum = real_documents[entry["path"]]
    target = next(d for d in real_documents.values() if d.symbol == entry["corrects"])
    infos = {i.symbol: i for i in source_infos([target, corrigendum])}
    assert infos[target.symbol].amended_by == [corrigendum.symbol]
    assert f"amended by {corrigendum.symbol}" in " · ".join(source_facts(infos[target.symbol]))
    assert f"amends {target.symbol}" in " · ".join(source_facts(infos[corrigendum.symbol]))
    paragraph = next(p for p in target.passages if p.kind == "paragraph")
    amended = amendments([target, corrigendum])[target.symbol or ""]
    citation = make_citation(target, paragraph, amended_by=amended)
    assert f"amended by {corrigendum.symbol}" in facts(citation)


def test_no_job_number_or_barcode_in_any_passage(real_documents: dict) -> None:
    found: list[str] = []
    for path, doc in real_documents.items():
        for passage in doc.passages:
            for line in passage.text.split("\n"):
                if is_furniture(line) or _FURNITURE_TOKEN.search(line):
                    found.append(f"{path} {passage.locator}: {line[:80]!r}")
    assert not found, "\n".join(found[:20])


def test_language_versions_are_linked_by_symbol_and_paragraph(real_manifest: dict,
                                                               real_documents: dict) -> None:
    versions = [e for e in _entries(real_manifest) if e["language"] != "en"]
    assert {e["language"] for e in versions} >= {"fr", "ru"}
    for entry in versions:
        doc = real_documents[entry["path"]]
        english = [real_documents[e["path"]] for e in _entries(real_manifest)
                   if e["language"] == "en" and e["symbol"] == entry["symbol"]]
        assert english, entry["path"]
        assert doc.family == english[0].family == entry["symbol"]
        numbers = {p.locator for p in doc.passages if p.kind == "paragraph"}
        english_numbers = {p.locator for p in english[0].passages if p.kind == "paragraph"}
        assert numbers == english_numbers, entry["path"]


@pytest.mark.parametrize("line", ["25-05608X (E)    140425", "*2505608*", "GE.09-17088 7", "Please recycle"])
def test_furniture_lines_are_recognised(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["2024-2025 budget", "In 2024, 25 countries", "A/RES/79/214"])
def test_text_is_not_furniture(line: str) -> None:
    assert not is_furniture(line)
