"""Numbers as reporters write them, in English and Spanish.

"55,000", "13 000", "55.000", "1.5 million", "1,5 millones", "13K", "55 mil", "a dozen",
"three", "twenty-five", "veinte", "doscientos" -> their values; the Mexican press's
"mil 250" (1,250), "37 mil 118" (37,118), "2 millones 475 mil 669" and "dos millones y medio";
and the vague plurals "hundreds of", "miles de", "decenas de" as an order of magnitude.
Pure functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .spans import Spans

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
DOZEN = {"dozen": 12, "docena": 12, "decena": 10, "veintena": 20, "treintena": 30}  # "una decena de muertos"
HALF = {"medio", "media"}  # "dos millones y medio", "medio millón"

# vague plurals: an order of magnitude, always approximate ("cientos de migrantes": about hundreds)
VAGUE = {
    "tens of thousands": 10_000, "hundreds of thousands": 100_000, "decenas de miles": 10_000,
    "cientos de miles": 100_000, "centenares de miles": 100_000, "thousands": 1_000, "hundreds": 100,
    "dozens": 10, "scores": 20, "miles": 1_000, "cientos": 100, "centenares": 100, "decenas": 10,
    "docenas": 10, "millares": 1_000, "centenas": 100,
}

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


def compound_value(tokens: list[str]) -> float | None:
    """Spanish compounds as the Mexican press writes them, from their tokens (digits, number words,
    multipliers, "y", "medio"): ['37', 'mil', '118'] -> 37118; ['mil', '250'] -> 1250;
    ['2', 'millones', '475', 'mil', '669'] -> 2475669; ['dos', 'millones', 'y', 'medio'] -> 2500000;
    ['medio', 'millon'] -> 500000; ['mil', 'millones'] -> 1e9."""
    total = 0.0
    current = 0.0
    last_mult = 0
    seen = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("y", "and"):
            i += 1
            continue
        if t in HALF:
            if last_mult and not current:  # "... millones y medio"
                total += last_mult / 2
            else:  # "medio millón"
                current = 0.5
            seen = True
        elif t in ("mil", "thousand") and i + 1 < len(tokens) and tokens[i + 1] in ("millones", "millon"):
            current = (current or 1) * 1_000_000_000
            total += current
            current, last_mult = 0.0, 1_000_000_000
            i += 1
            seen = True
        elif t in MULTIPLIERS and MULTIPLIERS[t] >= 1000:
            current = (current or 1) * MULTIPLIERS[t]
            total += current
            current, last_mult = 0.0, MULTIPLIERS[t]
            seen = True
        elif re.fullmatch(r"\d+(?:[.,]\d+)?", t):
            v = digits_value(t)
            if v is None:
                return None
            current += v
            seen = True
        else:
            v = words_value([t])
            if v is None:
                return None
            current += v
            seen = True
        i += 1
    return total + current if seen else None


# --------------------------------------------------------------------------- finding numbers in folded text


@dataclass
class Number:
    start: int
    end: int
    value: float
    form: str  # how it was written: digits, digits with a multiplier, press numeral, words, vague plural,
    # round collective ("un millar")

    @property
    def vague(self) -> bool:
        return self.form in ("vague plural", "round collective")


_WORD_ALT = "|".join(sorted(set(WORD_VALUES) | set(MULTIPLIERS) - {"k"} | set(DOZEN), key=len, reverse=True))
_ES_WORDS = "|".join(sorted(set(UNITS_ES) | set(TENS_ES) | set(HUNDREDS_ES), key=len, reverse=True))
WORD_NUMBER = re.compile(rf"\b(?:(?:a|an|una|un)\s+(?:dozen|docena|decena|veintena|treintena|hundred|thousand|million)\b|"
                         rf"(?:{_WORD_ALT})(?:(?:[\s-]+(?:and\s+|y\s+)?)(?:{_WORD_ALT}))*\b)")
MULT_AFTER = re.compile(r"^\s*(million|millions|millones|millon|mil|thousand|billion)\b")
_PIECE = rf"(?:\d{{1,3}}(?:[.,]\d{{1,2}})?|(?:{_ES_WORDS})(?:\s+y\s+(?:{_ES_WORDS}))?)"
# the Mexican press: "37 mil 118", "mil 250", "2 millones 475 mil 669", "dos millones y medio", "medio millón"
PRESS = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:[.,]\d{{1,2}})?\s*(?=mil)|(?:{_PIECE}|medio|media)\s+)?(?:mil\s+millones|millones|millon|mil)"
    rf"(?:\s+(?:{_PIECE})(?:\s+(?:mil|millones|millon))?)*(?:\s+y\s+medio)?(?![\w]|[.,]\d)"
)
# "dos y tres mil" is a range, where "treinta y cinco mil" is one number: two units joined by "y"
UNITS_PAIR = re.compile(r"(" + "|".join(sorted((w for w in UNITS_ES if w not in ("un", "una", "uno")), key=len, reverse=True))
                        + r")\s+y\s+(?=\w)")
# ("decenas de miles bajo el programa": not "decenas" of something, but tens of thousands, read by VAGUE_BARE)
VAGUE_RE = re.compile(r"\b(" + "|".join(sorted(VAGUE, key=len, reverse=True)) + r")\s+"
                      r"(?:of(?!\s+thousands\b)|de(?!\s+miles\b)|more|mas)\b")
# a vague plural standing alone, as a noun: "condemns thousands to limbo", "there could be thousands", "thousands
# await", "cientos llegan" (every one of the 31 bare "thousands" of the development part is a labelled figure); not
# "miles", which is also the English unit
VAGUE_BARE = re.compile(r"\b(tens of thousands|hundreds of thousands|decenas de miles|cientos de miles|thousands|"
                        r"hundreds|dozens|cientos|centenares|centenas|decenas|docenas|millares)\b(?!\s+(?:of|de)\b)")
# "40-80 migrants", "unos 15-20 son": a range written with a hyphen, its ends no years; the high end is read by DIGITS
# only here (a hyphen before a number is otherwise a code's or a date's)
HYPHEN_RANGE = re.compile(r"(?<![\w.,/-])(\d{1,4})\s*[-\u2013]\s*(\d{1,4})(?=\s+[a-z])")
# "two and a half million", "dos y medio millones" (where the press more often writes "dos millones y medio")
AND_A_HALF = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|uno|un|dos|tres|cuatro|cinco|seis|siete"
                        r"|ocho|nueve|diez|\d{1,3})\s+(?:and\s+a\s+half|y\s+medio|y\s+media)\s+"
                        r"(million|thousand|billion|millones|millon|mil)\b")
HALF_MILLION = re.compile(r"\bhalf\s+a\s+million\b")
_EN_SMALL = "|".join(sorted(set(UNITS_EN) | set(TENS_EN), key=len, reverse=True))
# "11 thousand 922", "one thousand 513", "twenty-nine thousand 182": the Mexican press translated word for word, and
# as it writes "5 mil 47" for 5,047, "5 thousand 47"
THOUSAND_PRESS = re.compile(rf"(?<![\w.,])(\d{{1,3}}|(?:{_EN_SMALL})(?:-(?:{_EN_SMALL}))?)\s+thousand\s+(\d{{1,3}})"
                            r"(?![\w.,]\d|\d)")
# "47, 659", "1, 356 people": thousands with a space after the comma, as some outlets and translations print them;
# not a list ("183, 175 y 182", "up to 60, 100 and now 300") nor a date ("September 17, 131 convicts"); "In June of
# 2018, 9, 577 foreigners" is 9,577
COMMA_SPACE = re.compile(r"(?<![\w.,/-])(\d{1,3}), (\d{3})(?![\w]|[.,]\d)")
LIST_BEFORE = re.compile(r"(?<![\d.,])\d{1,3}(?:\s*,|\s+(?:y|e|o|and|or))\s*$")  # a year before is no list
LIST_AFTER = re.compile(r"\s*(?:,|y|e|o|and|or)\s+(?:[a-z]+\s+){0,3}\d")
MONTHS_ALT = ("january|february|march|april|may|june|july|august|september|october|november|december|"
              "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|"
              "agosto|septiembre|setiembre|octubre|noviembre|diciembre")
MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS_ALT})\.?\s+$")
# "several dozen migrants", "a few hundred", "several thousand people": as vague as "dozens", "hundreds", "thousands"
SEVERAL = re.compile(r"\b(?:several|a few|a couple of)\s+(dozen|hundred thousand|hundred|thousand)\b"
                     r"(?!\s+(?:thousand|million))")
SEVERAL_OF = {"dozen": "dozens", "hundred": "hundreds", "thousand": "thousands",
              "hundred thousand": "hundreds of thousands"}  # "several hundred thousand": about 100,000, not exactly
# "dos docenas de solicitantes" (24), "dos centenares de muertos" (200): a count of dozens, tens or hundreds
COUNTED_UNITS = re.compile(r"\b(dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|\d{1,2})\s+"
                           r"(docenas|decenas|centenares|millares)\b")
UNIT_SIZE = {"docenas": 12, "decenas": 10, "centenares": 100, "millares": 1_000}  # "tres millares": 3,000
# "un millar", "un centenar", "el millar de víctimas": about a thousand, about a hundred
COLLECTIVE = re.compile(r"\b(un|una|a|el|medio)\s+(millar|centenar)\b")  # "medio centenar": about 50
HALF_DOZEN = re.compile(r"\b(?:half a dozen|media docena)\b")
COLLECTIVES = {"millar": 1_000, "centenar": 100}
# "3-thousand", "5-mil": digits joined to their multiplier by a hyphen
HYPHEN_MULT = re.compile(r"(?<![\w.,])(\d{1,3})-(thousand|million|mil)\b")


def _joined(words: list[str]) -> list[str]:
    """The words up to an 'and'/'y' that does not join one number ('one hundred and five', 'treinta y cinco'):
    'six and eight' is two numbers, a range, not 14."""
    for i, w in enumerate(words):
        if w in ("and", "y") and 0 < i < len(words) - 1:
            before, after = words[i - 1], words[i + 1]
            joins = (before in ("hundred", "thousand", "million", "mil") or before in TENS_ES or
                     before in HUNDREDS_ES) and (after in UNITS_EN or after in UNITS_ES or after in TENS_EN
                                                 or after in TENS_ES or after in ("medio", "media"))
            if not joins:
                return words[:i]
    return words


def find_numbers(folded: str) -> list[Number]:
    """Every number written in the (folded) text, in reading order, none overlapping another."""
    found: list[Number] = []
    taken = Spans()

    def free(a: int, b: int) -> bool:
        return taken.free(a, b)

    def add(n: Number) -> None:
        found.append(n)
        taken.take(n.start, n.end)

    for m in AND_A_HALF.finditer(folded):
        whole = int(m.group(1)) if m.group(1).isdigit() else WORD_VALUES[m.group(1)]
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), (whole + 0.5) * MULTIPLIERS[m.group(2)], "words"))
    for m in COMMA_SPACE.finditer(folded):
        before, after = folded[max(0, m.start() - 16):m.start()], folded[m.end():m.end() + 40]
        if LIST_BEFORE.search(before) or MONTH_BEFORE.search(before) or LIST_AFTER.match(after):
            continue
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), float(int(m.group(1)) * 1000 + int(m.group(2))), "digits"))
    for m in PRESS.finditer(folded):
        pair = UNITS_PAIR.match(m.group(0))
        if pair and free(m.start(), m.end()):
            # "dos y tres mil": a range, each end read alone; the low end gets the multiplier in _shared_multipliers
            first = pair.group(1)
            add(Number(m.start(), m.start() + len(first), float(WORD_VALUES[first]), "words"))
            rest = m.group(0)[pair.end():]
            value = compound_value(rest.split())
            if value is not None:
                add(Number(m.start() + pair.end(), m.end(), value, "press numeral"))
            continue
        tokens = re.sub(r"(\d)(mil)", r"\1 \2", m.group(0)).split()  # "18mil 735"
        if tokens in (["mil"], ["millon"], ["millones"]) and re.match(r"\s+de\b", folded[m.end():m.end() + 4]):
            if tokens != ["mil"]:
                continue  # "millones de" with no number: a vague order of magnitude, not a figure
        if len(tokens) == 1 and tokens[0] != "mil":
            continue
        value = compound_value(tokens)
        if value is None:
            continue
        plain = len(tokens) == 2 and re.fullmatch(r"\d+(?:[.,]\d+)?", tokens[0])
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), value, "digits with a multiplier" if plain else "press numeral"))
    for m in THOUSAND_PRESS.finditer(folded):
        thousands = int(m.group(1)) if m.group(1).isdigit() else words_value(m.group(1).split("-"))
        if thousands and free(m.start(), m.end()):
            add(Number(m.start(), m.end(), float(thousands * 1000 + int(m.group(2))), "press numeral"))
    for m in HYPHEN_RANGE.finditer(folded):
        low, high = int(m.group(1)), int(m.group(2))
        if low < high and not (1900 <= low <= 2100 and 1900 <= high <= 2100) and free(m.start(2), m.end(2)):
            add(Number(m.start(2), m.end(2), float(high), "digits"))
    for m in HALF_MILLION.finditer(folded):
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), 500_000, "words"))
    for m in COLLECTIVE.finditer(folded):
        if free(m.start(), m.end()):
            size = COLLECTIVES[m.group(2)] / (2 if m.group(1) == "medio" else 1)
            add(Number(m.start(), m.end(), float(size), "round collective"))
    for m in HALF_DOZEN.finditer(folded):
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), 6.0, "words"))
    for m in HYPHEN_MULT.finditer(folded):
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), float(m.group(1)) * MULTIPLIERS[m.group(2)], "digits with a multiplier"))
    for m in COUNTED_UNITS.finditer(folded):
        count = int(m.group(1)) if m.group(1).isdigit() else WORD_VALUES[m.group(1)]
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), float(count * UNIT_SIZE[m.group(2)]), "words"))
    for m in SEVERAL.finditer(folded):
        if free(m.start(), m.end()):
            add(Number(m.start(), m.end(), float(VAGUE[SEVERAL_OF[m.group(1)]]), "vague plural"))
    for m in VAGUE_RE.finditer(folded):
        if free(m.start(), m.end(1)):
            add(Number(m.start(), m.end(1), float(VAGUE[m.group(1)]), "vague plural"))
    for m in VAGUE_BARE.finditer(folded):
        if free(m.start(), m.end(1)):
            add(Number(m.start(), m.end(1), float(VAGUE[m.group(1)]), "vague plural"))
    for m in DIGITS.finditer(folded):
        value = digits_value(m.group("num"))
        if value is None or not free(m.start(), m.end()):
            continue
        end = m.end()
        form = "digits"
        if m.group("k"):
            value, form = scale(value, "k"), "digits with a multiplier"
        else:
            mult = MULT_AFTER.match(folded[end:end + 14])
            if mult:
                value = scale(value, mult.group(1).replace("millions", "million"))
                end += mult.end()
                form = "digits with a multiplier"
        add(Number(m.start(), end, value, form))
    pos = 0
    while (m := WORD_NUMBER.search(folded, pos)) is not None:
        raw = re.split(r"[\s-]+", m.group(0))
        words = _joined(raw)
        pos = m.end()
        if len(words) < len(raw):  # 'six and eight': read again from 'eight'
            cut = re.match(r"(?:\S+[\s-]+){%d}" % (len(words) + 1), m.group(0))
            pos = m.start() + cut.end() if cut else m.end()
        while words and words[-1] in ("and", "y"):
            words.pop()
        if words in (["a"], ["an"], ["un"], ["una"], ["uno"], ["one"]) or not words:
            continue
        if len(words) == 1 and words[0] in MULTIPLIERS:  # a bare "thousand" / "millones"
            continue
        value = words_value(words)
        end = m.start() + len(" ".join(words)) + (len(m.group(0)) - len(m.group(0).rstrip()))
        if value is None or value < 2 or not free(m.start(), end):
            continue
        if words[0] in ("ciento", "cien") and re.search(r"\bpor\s+$", folded[max(0, m.start() - 5):m.start()]):
            continue  # "por ciento" is per cent
        add(Number(m.start(), end, value, "words"))
    found.sort(key=lambda n: n.start)
    return _shared_multipliers(folded, found)


RANGE_GAP = re.compile(r"\s*(?:a|to|y|and|o|or|-|\u2013)\s*")
LEADING_DIGITS = re.compile(r"\d[\d.,]*")


def _shared_multipliers(folded: str, found: list[Number]) -> list[Number]:
    """'unos 26 a 27 mil', 'between 2 and 3 million': the first end of a range shares the second's multiplier when it
    is written without one and is no larger than the number the multiplier scales (not 'de 500 a 2 mil')."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.form != "digits" or b.form != "digits with a multiplier" or not RANGE_GAP.fullmatch(folded[a.end:b.start]):
            continue
        lead = LEADING_DIGITS.match(folded, b.start)
        coefficient = digits_value(lead.group(0)) if lead else None
        if coefficient and 0 < a.value <= coefficient and b.value > coefficient:
            out[i] = Number(a.start, a.end, a.value * (b.value / coefficient), "digits with a multiplier")
    for i in range(len(out) - 1):  # 'two or three hundred', 'dos o tres mil': the same in words
        a, b = out[i], out[i + 1]
        first, words = folded[a.start:a.end], folded[b.start:b.end].split()
        if a.form == "words" and b.form in ("words", "press numeral") and RANGE_GAP.fullmatch(folded[a.end:b.start]) \
                and first in WORD_VALUES \
                and len(words) == 2 and words[0] in WORD_VALUES and words[1] in MULTIPLIERS \
                and 0 < a.value < WORD_VALUES[words[0]]:
            out[i] = Number(a.start, a.end, a.value * MULTIPLIERS[words[1]], "words")
    return out
