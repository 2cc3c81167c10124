"""Numbers as reporters write them, in English and Spanish.

"55,000", "13 000", "55.000", "1.5 million", "1,5 millones", "13K", "55 mil", "a dozen",
"three", "twenty-five", "veinte", "doscientos" -> their values. Pure functions.
"""
from __future__ import annotations

import re

UNITS_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UNITS_ES = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintiun": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
}
TENS_ES = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90}
HUNDREDS_ES = {
    "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
    "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
    "seiscientas": 600, "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900,
}
MULTIPLIERS = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "millions": 1_000_000, "billion": 1_000_000_000,
    "mil": 1_000, "millon": 1_000_000, "millones": 1_000_000, "k": 1_000,
}
DOZEN = {"dozen": 12, "docena": 12}

WORD_VALUES: dict[str, int] = {**UNITS_EN, **TENS_EN, **UNITS_ES, **TENS_ES, **HUNDREDS_ES}

# digits as written: 55,000 / 13 000 / 55.000 (Spanish thousands) / 1.5 / 1,5 / 13K
DIGITS = re.compile(
    r"(?<![\w.,/-])"
    r"(?P<num>\d{1,3}(?:(?:,|\u00a0|\u202f| )\d{3})+(?:\.\d+)?"  # 55,000  13 000
    r"|\d{1,3}(?:\.\d{3})+(?![\d])"  # 55.000 (Spanish)
    r"|\d+(?:[.,]\d+)?)"  # 55000  1.5  1,5
    r"(?P<k>[kK])?(?![\w])"
)


def digits_value(text: str) -> float | None:
    """'55,000' -> 55000; '13 000' -> 13000; '55.000' -> 55000; '1.5' -> 1.5; '1,5' -> 1.5."""
    t = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?", t):
        return float(t.replace(",", "").replace(" ", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        return float(t.replace(".", ""))
    if re.fullmatch(r"\d+,\d{1,2}", t):  # Spanish decimal comma: 1,5
        return float(t.replace(",", "."))
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    return None


def words_value(words: list[str]) -> float | None:
    """['twenty', 'five'] -> 25; ['two', 'hundred'] -> 200; ['a', 'dozen'] -> 12; ['cincuenta', 'y', 'cinco'] -> 55."""
    total = 0
    current = 0
    seen = False
    for w in words:
        if w in ("and", "y", "a", "an"):
            if w in ("a", "an"):
                current = max(current, 1)
                seen = True
            continue
        if w in DOZEN:
            current = (current or 1) * DOZEN[w]
            seen = True
        elif w in WORD_VALUES:
            current += WORD_VALUES[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in MULTIPLIERS:
            current = (current or 1) * MULTIPLIERS[w]
            if MULTIPLIERS[w] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def scale(value: float, multiplier: str | None) -> float:
    if not multiplier:
        return value
    return value * MULTIPLIERS[multiplier.casefold()]
