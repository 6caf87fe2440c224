"""Dates as UN documents print them in the six official languages, read into ISO strings.

"7 April 2025", "April 7, 2025", "16 novembre 2009", "1er juin 2024", "23 de diciembre de 2024",
"14 августа 2019 года", "٢٣ كانون الأول/ديسمبر ٢٠٢٤" (Arabic prints both month names; Arabic-Indic
digits are read too) and "2025年4月7日". The first date on a line wins; a range ("2 to 5 June 2025")
gives its first day.
"""

from __future__ import annotations

import re
from datetime import date

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "janvier", "enero", "января", "январь", "يناير", "كانون الثاني"),
    2: ("february", "février", "fevrier", "febrero", "февраля", "февраль", "فبراير", "شباط"),
    3: ("march", "mars", "marzo", "марта", "март", "مارس", "آذار"),
    4: ("april", "avril", "abril", "апреля", "апрель", "أبريل", "نيسان"),
    5: ("may", "mai", "mayo", "мая", "май", "مايو", "أيار"),
    6: ("june", "juin", "junio", "июня", "июнь", "يونيه", "يونيو", "حزيران"),
    7: ("july", "juillet", "julio", "июля", "июль", "يوليه", "يوليو", "تموز"),
    8: ("august", "août", "aout", "agosto", "августа", "август", "أغسطس", "آب"),
    9: ("september", "septembre", "septiembre", "setiembre", "сентября", "сентябрь", "سبتمبر", "أيلول"),
    10: ("october", "octobre", "octubre", "октября", "октябрь", "أكتوبر", "تشرين الأول"),
    11: ("november", "novembre", "noviembre", "ноября", "ноябрь", "نوفمبر", "تشرين الثاني"),
    12: ("december", "décembre", "decembre", "diciembre", "декабря", "декабрь", "ديسمبر", "كانون الأول"),
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# "7 April 2025", "2 to 5 June 2025", "1er juin", "23 de diciembre de 2024", "23 كانون الأول/ديسمبر 2024"
_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|º)?(?:\s*(?:and|to|et|au|y|al|и|по|[–\-])\s*\d{{1,2}})?\s+(?:de\s+)?"
    rf"({_MONTH_ALT})(?:\s*/\s*\S+)?\s+(?:de\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MDY = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


_DATE_TAIL = re.compile(r"\s*(?:года|г\.)?\s*$")


def is_date_line(text: str) -> bool:
    """Whether a line is one date and nothing else ("11 February 2025", "2024年12月19日")."""
    line = text.strip().translate(_ARABIC_DIGITS)
    for pattern in (_DMY, _MDY, _ZH):
        m = pattern.match(line)
        if m and _DATE_TAIL.fullmatch(line[m.end():]):
            return True
    return False


def find_date(lines: list[str]) -> str | None:
    """The first date stated in these lines, as an ISO string."""
    for raw in lines:
        line = raw.translate(_ARABIC_DIGITS)
        candidates: list[tuple[int, date]] = []
        for m in _DMY.finditer(line):
            d = _safe_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            if d:
                candidates.append((m.start(), d))
        for m in _MDY.finditer(line):
            d = _safe_date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
            if d:
                candidates.append((m.start(), d))
        for m in _ZH.finditer(line):
            d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                candidates.append((m.start(), d))
        if candidates:
            return min(candidates)[1].isoformat()
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
