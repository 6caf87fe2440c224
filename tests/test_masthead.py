"""The front-page rules on layouts the real corpus does not hold: the pure readers, line by line."""

from __future__ import annotations

import pytest

from ingest.dates import find_date, is_date_line
from ingest.language import detect_language
from ingest.masthead import FrontLine, amended_symbol, find_symbol_in, read_masthead


def _lines(*spec: tuple[str, float, bool]) -> list[FrontLine]:
    return [FrontLine(text, size, bold) for text, size, bold in spec]


def test_general_assembly_note_with_reissue_mark_and_two_line_agenda_topic() -> None:
    m = read_masthead(_lines(
        ("United Nations A/79/100 *", 14, False), ("General Assembly", 20, True),
        ("Distr.: General", 10, False), ("3 May 2024", 10, False), ("Original: French", 10, False),
        ("Seventy-ninth session", 10, True),
        ("Item 72 (b) of the preliminary list*", 10, False), ("Promotion and protection", 10, True),
        ("of human rights", 10, True), ("Situation of human rights in Myanmar", 17, True),
        ("Note by the Secretary-General", 12, True), ("Summary", 10, False)))
    assert (m.symbol, m.date, m.title, m.amends) == ("A/79/100", "2024-05-03",
                                                     "Situation of human rights in Myanmar", None)


def test_french_unicef_paper_with_the_organisation_above_the_board() -> None:
    m = read_masthead(_lines(
        ("Nations Unies E/ICEF/2025/6/Add.1", 14, False), ("Conseil économique et social", 20, True),
        ("Distr. générale", 10, False), ("1er avril 2025", 10, False), ("Français", 10, False),
        ("Original : anglais", 10, False), ("Conseil d’administration", 10, True),
        ("Session annuelle de 2025", 10, True), ("10-13 juin 2025", 10, False),
        ("Point 3 de l’ordre du jour provisoire*", 10, False), ("Rapport annuel", 10, True),
        ("Rapport annuel de la Directrice générale", 17, True), ("Additif", 10, True), ("Résumé", 10, False)))
    assert m.symbol == "E/ICEF/2025/6/Add.1" and m.amends == "E/ICEF/2025/6"
    assert m.date == "2025-04-01"
    assert m.title == "Rapport annuel de la Directrice générale: Additif"


@pytest.mark.parametrize(("text", "symbol"), [
    ("see decision 2024/27 of the Executive Board", None),
    ("the report (DP/2025/12/Add.1) and", "DP/2025/12/Add.1"),
    ("DP-FPA/2025/1", "DP-FPA/2025/1"),
    ("A/81/6 (Sect. 15)/Part A*", "A/81/6 (Sect. 15)/Part A"),
    ("A/C.2/79/L.5", "A/C.2/79/L.5"),
    ("S/2025/123", "S/2025/123"),
])
def test_symbol_forms(text: str, symbol: str | None) -> None:
    assert find_symbol_in(text) == symbol


def test_only_corrigenda_and_addenda_amend() -> None:
    assert amended_symbol("DP/2025/14/Corr.1") == "DP/2025/14"
    assert amended_symbol("A/79/5/Add.2") == "A/79/5"
    assert amended_symbol("DP/2025/14/Rev.1") is None and amended_symbol("DP/2025/14") is None


@pytest.mark.parametrize(("line", "iso"), [
    ("7 April 2025", "2025-04-07"), ("16 novembre 2009", "2009-11-16"), ("1er juin 2024", "2024-06-01"),
    ("23 de diciembre de 2024", "2024-12-23"), ("14 августа 2019 года", "2019-08-14"),
    ("٢٣ كانون الأول/ديسمبر ٢٠٢٤", "2024-12-23"), ("2025年4月7日", "2025-04-07"),
    ("2 to 5 June 2025, New York", "2025-06-02"),
])
def test_dates_in_the_official_languages(line: str, iso: str) -> None:
    assert find_date([line]) == iso


@pytest.mark.parametrize(("text", "language"), [
    ("The Executive Board took note of the report and of the decisions that it adopted.", "en"),
    ("Le Conseil d’administration a pris note du rapport et des décisions qui ont été adoptées.", "fr"),
    ("La Junta Ejecutiva tomó nota del informe y de las decisiones que se adoptaron en la sesión.", "es"),
    ("Исполнительный совет принял к сведению доклад и решения, принятые на сессии.", "ru"),
    ("أحاط المجلس التنفيذي علما بالتقرير وبالمقررات التي اتخذها في الدورة.", "ar"),
    ("执行局注意到该报告以及会议通过的各项决定。", "zh"),
])
def test_language_from_the_text_not_the_file_name(text: str, language: str) -> None:
    assert detect_language(text, hint="en") == language


@pytest.mark.parametrize(("line", "alone"), [
    ("11 February 2025", True), ("April 7, 2025", True), ("2024年12月19日", True),
    ("14 августа 2019 года", True), ("On 11 February 2025 the Board decided", False),
    ("11 February 2025, the Board", False), ("54th plenary meeting", False),
])
def test_a_line_that_is_one_date_and_nothing_else(line: str, alone: bool) -> None:
    """What closes a Board decision: its date on a line of its own (ingest.structure)."""
    assert is_date_line(line) is alone
