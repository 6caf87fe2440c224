"""Spanish and Arabic board papers: detected as `es` and `ar`, and linked to their English version.

The samples are written here in the UN's front-page layout (organisation and symbol, "Distr.", the date
of issue, "Original:") as a Word file and a text file, each beside an English version of the same paper:
one family, one symbol, the same paragraph numbers, so a citation can show the paragraph in the other
language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from boardqa.config import IngestConfig
from ingest.parse import parse_file

SYMBOL = "DP/2026/99"
ENGLISH = [
    "United Nations DP/2026/99",
    "Executive Board of the United Nations Development Programme",
    "Distr.: General",
    "14 January 2026",
    "Original: English",
    "First regular session 2026",
    "Item 4 of the provisional agenda",
    "Report on the use of water in country offices",
    "1. The present report describes how the country offices of the organization use water, and what "
    "they have done in the year to save it.",
    "2. The Executive Board is invited to take note of the report and of the measures that it describes.",
    "3. The offices that took part in the review are listed in the annex to the present report.",
]
SPANISH = [
    "Naciones Unidas DP/2026/99",
    "Junta Ejecutiva del Programa de las Naciones Unidas para el Desarrollo",
    "Distr. general",
    "14 de enero de 2026",
    "Español",
    "Original: inglés",
    "Primer período ordinario de sesiones de 2026",
    "Tema 4 del programa provisional",
    "Informe sobre el uso del agua en las oficinas en los países",
    "1. En el presente informe se describe cómo las oficinas en los países de la organización usan el "
    "agua y lo que han hecho durante el año para ahorrarla.",
    "2. Se invita a la Junta Ejecutiva a que tome nota del informe y de las medidas que en él se describen.",
    "3. Las oficinas que participaron en el examen se enumeran en el anexo del presente informe.",
]
ARABIC = [
    "الأمم المتحدة DP/2026/99",
    "المجلس التنفيذي لبرنامج الأمم المتحدة الإنمائي",
    "Distr.: General",
    "14 كانون الثاني/يناير 2026",
    "Arabic",
    "Original: English",
    "الدورة العادية الأولى لعام 2026",
    "البند 4 من جدول الأعمال المؤقت",
    "تقرير عن استخدام المياه في المكاتب القطرية",
    "1. يصف هذا التقرير كيف تستخدم المكاتب القطرية التابعة للمنظمة المياه، وما قامت به خلال السنة "
    "لتوفيرها.",
    "2. المجلس التنفيذي مدعو إلى الإحاطة علما بالتقرير وبالتدابير التي يصفها.",
    "3. ترد في مرفق هذا التقرير قائمة المكاتب التي شاركت في الاستعراض.",
]


def _txt(path: Path, lines: list[str]) -> Path:
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def _docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize(("language", "lines", "write"), [("es", SPANISH, _docx), ("ar", ARABIC, _txt)])
def test_version_is_detected_and_linked_to_english(tmp_path: Path, language: str, lines: list[str],
                                                   write: object) -> None:
    cfg = IngestConfig()
    english = parse_file(_txt(tmp_path / "water.en.txt", ENGLISH), cfg)
    suffix = ".docx" if write is _docx else ".txt"
    # no language suffix in the name: the text itself says which language it is
    other = parse_file(write(tmp_path / f"water-version{suffix}", lines), cfg)  # type: ignore[operator]
    assert english.language == "en"
    assert other.language == language
    assert english.symbol == other.symbol == SYMBOL
    assert other.family == english.family == SYMBOL
    assert other.date == english.date == "2026-01-14"
    paragraphs = [p.locator for p in other.passages if p.kind == "paragraph"]
    assert paragraphs == [p.locator for p in english.passages if p.kind == "paragraph"] == ["1", "2", "3"]
