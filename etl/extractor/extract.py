"""Candidate reported figures from an article's text, by rules a careful reader follows.

A figure is a number that counts people or things ("55,000 migrants", "20 people dead",
"25 vehicles"), with the qualifier that bounds it ("more than", "alrededor de"), the place
it is about (the nearest border city mentioned in its clause, a sentence-opening "In
Juárez," frame, or the previous sentence), the period it covers where the text says
("in the space of five days", "in October"), and the metric it measures, from the words
around it. Years, dates, ages, percentages, money, ordinals, times, phone numbers,
durations, measures and numbers inside names ("Title 42") are not figures.

Everything here is a pure function of the text, the gazetteer and the publication date.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date

import pandas as pd

from ..gazetteer import Gazetteer
from .numbers import DIGITS, DOZEN, MULTIPLIERS, WORD_VALUES, digits_value, scale, words_value
from .text import fold, sentences

QUALIFIERS = [  # (folded phrase before the number, qualifier); longest first at match time
    ("more than", "more_than"), ("over", "more_than"), ("upward of", "more_than"), ("upwards of", "more_than"),
    ("in excess of", "more_than"), ("greater than", "more_than"), ("mas de", "more_than"),
    ("poco mas de", "more_than"), ("arriba de", "more_than"), ("por encima de", "more_than"),
    ("some", "approximately"), ("around", "approximately"), ("about", "approximately"),
    ("roughly", "approximately"), ("nearly", "approximately"), ("almost", "approximately"),
    ("approximately", "approximately"), ("approx.", "approximately"), ("an estimated", "approximately"),
    ("estimated", "approximately"), ("close to", "approximately"), ("alrededor de", "approximately"),
    ("cerca de", "approximately"), ("casi", "approximately"), ("unos", "approximately"), ("unas", "approximately"),
    ("aproximadamente", "approximately"), ("aproximadamente unos", "approximately"),
    ("un estimado de", "approximately"), ("mas o menos", "approximately"),
    ("at least", "at_least"), ("no fewer than", "at_least"), ("no less than", "at_least"),
    ("a minimum of", "at_least"), ("al menos", "at_least"), ("por lo menos", "at_least"),
    ("cuando menos", "at_least"),
    ("fewer than", "less_than"), ("less than", "less_than"), ("under", "less_than"), ("below", "less_than"),
    ("menos de", "less_than"),
    ("up to", "up_to"), ("as many as", "up_to"), ("hasta", "up_to"),
]
QUALIFIERS.sort(key=lambda q: -len(q[0]))
POST_QUALIFIERS = [(r"^\s*(?:or more|o mas)\b", "at_least"), (r"^\s*(?:or so)\b", "approximately")]

_NOUNS = (
    r"migrants?|immigrants?|people|persons?|individuals?|asylum[- ]seekers?|asylum[- ]applicants?|applicants?|"
    r"refugees?|families|family units?|family members?|children|kids|minors?|adults?|men|women|returnees?|"
    r"deportees?|citizens?|nationals?|mexicans?|hondurans?|guatemalans?|salvadorans?|cubans?|venezuelans?|"
    r"central americans?|haitians?|nicaraguans?|ecuadorians?|brazilians?|foreigners?|residents?|"
    r"cases?|court cases?|hearings?|claims?|applications?|complaints?|reports?|incidents?|attacks?|assaults?|"
    r"kidnappings?|abductions?|rapes?|murders?|homicides?|killings?|deaths?|bodies|corpses?|victims?|"
    r"vehicles?|cars?|trucks?|buses|tents?|names|students?|journalists?|expulsions?|apprehensions?|"
    r"encounters?|arrests?|detentions?|crossings?|"
    r"dead|killed|murdered|wounded|injured|kidnapped|missing|detained|deported|returned|expelled|"
    r"migrantes?|inmigrantes?|personas?|individuos?|solicitantes de asilo|solicitantes?|refugiados?|familias?|"
    r"ninos?|ninas?|menores?|adultos?|hombres|mujeres|retornados?|deportados?|repatriados?|devueltos?|"
    r"ciudadanos?|connacionales?|mexicanos?|hondurenos?|guatemaltecos?|salvadorenos?|cubanos?|venezolanos?|"
    r"centroamericanos?|haitianos?|extranjeros?|casos?|audiencias?|solicitudes?|denuncias?|ataques?|"
    r"agresiones?|secuestros?|violaciones?|asesinatos?|homicidios?|muertes?|cuerpos?|cadaveres?|victimas?|"
    r"vehiculos?|autos?|carros?|camiones?|camionetas?|muertos?|muertas?|heridos?|asesinados?|secuestrados?|"
    r"desaparecidos?|detenidos?|expulsiones?|detenciones?|cruces?"
)
NOUN = re.compile(rf"(?:{_NOUNS})\b")
PARTICIPLE = re.compile(r"dead|killed|murdered|wounded|injured|kidnapped|missing|detained|deported|returned|expelled|"
                        r"muert[oa]s?|herid[oa]s?|asesinad[oa]s?|secuestrad[oa]s?|desaparecid[oa]s?|detenid[oa]s?")
_FILLER_STOP = {
    "in", "en", "at", "on", "from", "since", "by", "to", "para", "por", "with", "con", "during", "durante", "over",
    "after", "before", "than", "que", "were", "was", "have", "has", "had", "are", "is", "be", "been", "fueron", "han",
    "ha", "son", "estan", "y", "and", "or", "o", "who", "which", "that", "quienes", "cuales", "se",
}
NOUN_AFTER = re.compile(rf"^[\s\-]*((?:[a-z'\-]+\s+){{0,3}}?)({_NOUNS})\b")

TIME_UNITS = (r"(?:days?|weeks?|months?|years?|hours?|minutes?|decades?|dias?|semanas?|mes|meses|anos?|horas?|"
              r"minutos?|decadas?)")
MONTHS_ALT = ("january|february|march|april|may|june|july|august|september|october|november|december|"
              "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|"
              "agosto|septiembre|setiembre|octubre|noviembre|diciembre")
MONTH_NUMBERS = {**{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
                 **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}, "sept": 9,
                 **{m: i for i, m in enumerate(["", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                                 "agosto", "septiembre", "octubre", "noviembre", "diciembre"]) if m},
                 "setiembre": 9}

EXCLUDE_AFTER = [
    re.compile(r"^\s*(?:%|percent\b|per cent\b|por ciento\b|pct\b|percentage)"),
    re.compile(r"^\s*(?:dollars?|dolares|pesos|usd|mxn|euros?)\b"),
    re.compile(r"^\s*(?:-|\s)?(?:years?[- ]old|ano de edad|anos de edad)"),
    re.compile(rf"^[\s\-]*(?:more\s+|mas\s+|other\s+|otros\s+|otras\s+)?{TIME_UNITS}\b"),
    re.compile(r"^\s*(?:miles?|km|kilometers?|kilometres?|kilometros?|meters?|metres?|metros?|feet|foot|pies|"
               r"pounds?|libras?|kilos?|kg|tons?|toneladas?|degrees?|grados?|acres?|hectareas?|square|mph)\b"),
    re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|hrs\b|o'clock)"),
    re.compile(r"^(?::\d|/\d|-\d|\.\d)"),
    re.compile(rf"^\s*(?:de\s+)?(?:{MONTHS_ALT})\b"),
    re.compile(r"^\s*times\b|^\s*veces\b"),
]
EXCLUDE_BEFORE = [
    re.compile(r"(?:\$|us\$|mx\$|€|£)\s*$"),
    re.compile(r"(?:aged|age of|ages|edad de)\s*$"),
    re.compile(rf"\b(?:{MONTHS_ALT})\.?\s*$"),
    re.compile(r"(?:\d[:/\-]|\d\.)$"),
    re.compile(r"\b(?:title|titulo|section|seccion|article|articulo|highway|route|interstate|carretera|chapter|"
               r"capitulo|rule|regla|proposition|prop\.|ley|law|number|no\.|num\.|numero|case|district|distrito|"
               r"gate|puerta|bridge|puente|flight|vuelo|covid|class|grade|level|nivel|phase|fase|zone|zona|"
               r"channel|canal|unit|unidad|block|lote|km|kilometro|exit|salida|room|cuarto|pier|platform|"
               r"avenue|avenida|street|calle|apartment|suite|page|pagina|version|episode|channel|model|"
               r"amendment|enmienda|plan|form|formulario|operation|operacion|task force|precinct|ward)\s*$"),
    re.compile(r"(?:copyright|©|\(c\))\s*$"),
    re.compile(r"(?:the|los|las|el|la)\s+$"),  # "the 13,000" refers back to a figure already given
]
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,3}\)?[\s.-]\d{3,4}[\s.-]\d{4}")

ELLIPSIS_BEFORE = re.compile(r"(?:including|incl\.|among them|of whom|of which|of them|incluidos|incluidas|"
                             r"incluyendo|entre ellos|entre ellas|de los cuales|de las cuales|de ellos|de ellas|"
                             r"while|mientras|and|y)\s+(?:[a-z]+\s+){0,2}$")
NUMBER_OF = re.compile(rf"\b(?:number|numero|total|cifra|count|conteo)\s+(?:of|de)\s+(?:[a-z]+\s+){{0,2}}?({_NOUNS})\b")
CITY_OF = re.compile(r"\b(?:city|town|municipality|ciudad|municipio|poblacion|population)\s+(?:of|de)\s+$")
# a bare number as the subject of a passive verb that says what happened to people: "16,000 were sent"
SUBJECT_OF = re.compile(r"^\s+(?:were|have been|had been|fueron|han sido|habian sido)\s+"
                        r"(?:sent|returned|kidnapped|killed|murdered|displaced|deported|expelled|enrolled|"
                        r"devueltos|enviados|retornados|secuestrados|asesinados|desplazados|deportados)\b")
REACHES = re.compile(r"(?:rose to|climbed to|grew to|reached|totaled|totalled|stood at|stands at|is now|was|is|"
                     r"llego a|ascendio a|sumo|suma|alcanzo|es de|fue de|asciende a)\s+$")

# metric keywords (folded); the nearest keyword to the number within its zone decides
METRIC_PATTERNS = [
    ("vehicles_burned", re.compile(r"\b(?:vehicles?|cars?|trucks?|buses|vehiculos?|autos?|carros?|camiones?|camionetas?)\b")),
    ("homicides", re.compile(r"\b(?:killed|killing|killings|murder\w*|homicid\w*|slain|shot dead|executed|"
                             r"asesinad\w*|asesinato\w*|ejecutad\w*|dead|muertos?|muertas?)\b")),
    ("violent_attacks", re.compile(r"\b(?:kidnap\w*|abduct\w*|rape\w*|raping|assault\w*|attack\w*|tortur\w*|"
                                   r"extort\w*|robbed|secuestr\w*|agresi\w*|violacion\w*|violad\w*|asalt\w*|"
                                   r"extorsi\w*|ataques?|atacad\w*)\b")),
    ("deaths", re.compile(r"\b(?:died|die|dying|deaths?|drown\w*|remains|bodies|perished|fallecid\w*|muertes?|"
                          r"murieron|murio|ahogad\w*|restos|cuerpos?|cadaveres)\b")),
    ("people_displaced", re.compile(r"\b(?:displaced|fleeing|fled|flee|camped|camping|desplazad\w*|huyendo|"
                                    r"huyeron|acampad\w*)\b")),
    ("asylum_waitlist", re.compile(r"\b(?:wait(?:ing)?[ -]?lists?|metering|lista de espera|listas? de espera|"
                                   r"anotados|names on)\b")),
    ("mpp_court_cases", re.compile(r"\b(?:court cases?|mpp cases?|cases? in (?:immigration )?courts?|"
                                   r"casos? (?:en|ante) (?:la )?corte|casos? (?:del )?mpp)\b")),
    ("mpp_enrolled", re.compile(r"\b(?:enrolled|enrollments?|enrolments?|placed in(?:to)? (?:the )?(?:mpp|program)|"
                                r"inscritos?|inscritas?)\b")),
    ("mpp_returned", re.compile(r"\b(?:sent|returned|returnees?|forced to wait|made to wait|wait(?:ed|ing)?|"
                                r"pushed back|sent back|devuelt\w*|retornad\w*|enviad\w*|regresad\w*|"
                                r"esperar en mexico)\b")),
]
METRIC_PRIORITY = [m for m, _ in METRIC_PATTERNS] + ["other"]
VIOLENCE = re.compile(r"\b(?:violen\w*|cartel\w*|gun\w*|shoot\w*|shot|armed|attack\w*|gang\w*|balacera\w*|"
                      r"enfrentamiento\w*|armad\w*|crimen|criminal\w*)\b")
BURN = re.compile(r"\b(?:burn\w*|torch\w*|set on fire|set ablaze|ablaze|on fire|incendi\w*|quemad\w*|"
                  r"calcinad\w*)\b")
MPP_CONTEXT = re.compile(r"\b(?:mpp|migrant protection protocols?|remain in mexico|quedate en mexico|"
                         r"protocolos de proteccion a migrantes|permanecer en mexico)\b")

CLAUSE_BREAK = re.compile(r";|,?\s+(?:including|incluyendo|incluidos|incluidas|while|whereas|mientras)\b")
FRAME = re.compile(r"^(?:in|en|from|desde|at)\s+$")
QUOTE_TAIL = re.compile(r"(?:,|;|\s)+(?:and|y|where|donde|and where|y donde|but|pero|while|mientras)?\s*$")

DURATION = re.compile(
    rf"\b(?:in the space of|in the course of|in|within|over|during|in just|in only|in the past|in the last|"
    rf"over the past|over the last|en cuestion de|en|durante|en solo|en apenas|en los ultimos|en las ultimas)\s+"
    rf"(?:the\s+)?(?:past\s+|last\s+)?(?P<n>\d+|{'|'.join(sorted(WORD_VALUES, key=len, reverse=True))})\s+"
    rf"(?P<unit>days?|weeks?|months?|hours?|dias|semanas|meses|horas)\b"
)
MONTH_PERIOD = re.compile(rf"\b(?P<prep>in|during|en|durante|since|desde)\s+(?:(?:the )?(?:month of|mes de)\s+)?"
                          rf"(?P<month>{MONTHS_ALT})\b(?:\s+(?:of\s+|de\s+)?(?P<year>(?:19|20)\d\d))?")
YEAR_PERIOD = re.compile(r"\b(?P<prep>in|during|en|durante|since|desde|throughout)\s+(?P<year>(?:19|20)\d\d)\b")


@dataclass
class Candidate:
    metric: str
    value: float
    qualifier: str
    place: str | None
    place_id: str | None
    period_start: str | None
    period_end: str | None
    duration_days: int | None
    period_text: str | None
    as_of: str | None
    noun: str | None
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict:
        d = asdict(self)
        if float(self.value).is_integer():
            d["value"] = int(self.value)
        return d


@dataclass
class _Num:
    start: int
    end: int
    value: float


# --------------------------------------------------------------------------- finding numbers


_WORD_ALT = "|".join(sorted(set(WORD_VALUES) | set(MULTIPLIERS) - {"k"} | set(DOZEN), key=len, reverse=True))
WORD_NUMBER = re.compile(rf"\b(?:(?:a|an|una|un)\s+(?:dozen|docena|hundred|thousand|million)\b|"
                         rf"(?:{_WORD_ALT})(?:(?:[\s-]+(?:and\s+|y\s+)?)(?:{_WORD_ALT}))*\b)")
MULT_AFTER = re.compile(r"^\s*(million|millions|millones|millon|mil|thousand|billion)\b")


def find_numbers(folded: str) -> list[_Num]:
    found: list[_Num] = []
    for m in DIGITS.finditer(folded):
        value = digits_value(m.group("num"))
        if value is None:
            continue
        end = m.end()
        if m.group("k"):
            value = scale(value, "k")
        else:
            mult = MULT_AFTER.match(folded[end:end + 14])
            if mult:
                value = scale(value, mult.group(1).replace("millions", "million"))
                end += mult.end()
        found.append(_Num(m.start(), end, value))
    starts = [n.start for n in found]  # digit numbers, in order and not overlapping

    def overlaps(a: int, b: int) -> bool:
        i = bisect.bisect_left(starts, b)
        return i > 0 and found[i - 1].end > a

    for m in WORD_NUMBER.finditer(folded):
        words = re.split(r"[\s-]+", m.group(0))
        while words and words[-1] in ("and", "y"):
            words.pop()
        if words in (["a"], ["an"], ["un"], ["una"], ["uno"]) or not words:
            continue
        if len(words) == 1 and words[0] in MULTIPLIERS:  # a bare "thousand" / "mil" / "millones"
            continue
        value = words_value(words)
        if value is None or overlaps(m.start(), m.end()):
            continue
        found.append(_Num(m.start(), m.start() + len(" ".join(words)) + (len(m.group(0)) - len(m.group(0).rstrip())), value))
    found.sort(key=lambda n: n.start)
    return found


def _excluded(folded: str, n: _Num) -> bool:
    before = folded[max(0, n.start - 40):n.start]
    after = folded[n.end:n.end + 40]
    raw = folded[n.start:n.end]
    if any(p.search(after) for p in EXCLUDE_AFTER):
        return True
    if any(p.search(before) for p in EXCLUDE_BEFORE):
        return True
    if re.fullmatch(r"(?:19|20)\d\d", raw) and not NOUN.match(after.lstrip()):
        return True  # a year
    window = folded[max(0, n.start - 6):n.end + 12]
    if PHONE.search(window):
        return True
    return False


# --------------------------------------------------------------------------- context


def _noun_match(folded: str, n: _Num, limit: int) -> tuple[str, int] | None:
    """The counted noun after a number and where it ends; the head of "Mexican citizens" is "citizens"."""
    m = NOUN_AFTER.match(folded[n.end:limit])
    if not m or any(w in _FILLER_STOP for w in m.group(1).split()):
        return None
    noun, end = m.group(2), n.end + m.end()
    while True:
        nxt = re.match(rf"\s+({_NOUNS})\b", folded[end:limit])
        if not nxt or PARTICIPLE.fullmatch(nxt.group(1)):
            return noun, end
        noun, end = nxt.group(1), end + nxt.end()


def _qualifier(folded: str, n: _Num) -> tuple[str, int]:
    before = folded[max(0, n.start - 30):n.start]
    for phrase, q in QUALIFIERS:
        m = re.search(rf"(?:^|[^\w]){re.escape(phrase)}\s+$", before)
        if m:
            return q, n.start - (len(before) - m.start() - (1 if not before[m.start()].isalnum() and m.start() else 0))
    after = folded[n.end:n.end + 15]
    for pattern, q in POST_QUALIFIERS:
        if re.match(pattern, after):
            return q, n.start
    return "exact", n.start


def _clauses(folded: str, s: int, e: int) -> list[tuple[int, int]]:
    spans, start = [], s
    for m in CLAUSE_BREAK.finditer(folded, s, e):
        spans.append((start, m.start()))
        start = m.start()
    spans.append((start, e))
    return spans


SENT_TO_PLACE = re.compile(r"\b(?:sent|returned|devuelt\w*|enviad\w*|retornad\w*)\b")


def _metric(folded: str, n: _Num, noun_end: int | None, zone: tuple[int, int], sentence: tuple[int, int],
            mpp_context: bool, place_in_clause: bool) -> str:
    """The metric: first from what is said of the counted noun ("20 people dead", "migrants were
    kidnapped"), else from the nearest keyword in the number's zone."""
    mpp_ok = mpp_context or (place_in_clause and bool(SENT_TO_PLACE.search(folded[zone[0]:zone[1]])))
    center = (n.start + n.end) // 2
    if noun_end is not None:
        m = re.match(r"^(?:\s+[\w'-]+){0,4}", folded[noun_end:zone[1]])
        predicate = (n.start, noun_end + (m.end() if m else 0))
        found = _nearest_metric(folded, predicate, center, sentence, mpp_ok, zone)
        if found != "other":
            return found
    return _nearest_metric(folded, zone, center, sentence, mpp_ok, zone)


def _nearest_metric(folded: str, window: tuple[int, int], center: int, sentence: tuple[int, int],
                    mpp_context: bool, zone: tuple[int, int]) -> str:
    z0, z1 = window
    text = folded[z0:z1]
    zone_text = folded[zone[0]:zone[1]]
    best: tuple[int, int, str] | None = None
    for metric, pattern in METRIC_PATTERNS:
        for m in pattern.finditer(text):
            word = m.group(0)
            if metric == "vehicles_burned" and not BURN.search(zone_text):
                continue
            violent = bool(VIOLENCE.search(folded[sentence[0]:sentence[1]]))
            if metric == "homicides" and word in ("dead", "muertos", "muertas", "muerto", "muerta") and not violent:
                metric_here = "deaths"  # dead, with no violence in the sentence: the desert, the river
            elif metric == "deaths" and word in ("died", "die", "dying", "murieron", "murio", "perished") and violent:
                metric_here = "homicides"  # "died in armed clashes"
            else:
                metric_here = metric
            if metric_here == "mpp_returned" and not mpp_context:
                continue
            dist = abs((z0 + (m.start() + m.end()) // 2) - center)
            key = (dist, METRIC_PRIORITY.index(metric_here), metric_here)
            if best is None or key < best:
                best = key
    return best[2] if best else "other"


class PlaceIndex:
    """Mentions of Mexican border municipalities, and of Mexican states, in folded text."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        places = gazetteer.places
        mx = places[(places["country"] == "MX") & places["kind"].isin(["municipality", "state"])]
        kinds = dict(zip(mx["place_id"], mx["kind"]))
        names: dict[str, str] = {}

        def add(name: object, pid: str) -> None:
            if not isinstance(name, str) or not name:
                return
            key = fold(name)
            if kinds[pid] == "state" and ("." in key or key in ("mexico", "estado de mexico")):
                return  # "Son." is a word; "México" is the country far more often than the state
            names.setdefault(key, pid)

        for row in mx.sort_values("kind").itertuples():  # municipalities first
            add(row.name, row.place_id)
            add(row.name_ascii, row.place_id)
        for row in gazetteer.aliases.itertuples():
            if row.place_id in kinds:
                add(row.alias, row.place_id)
        self.names = names
        self.kinds = kinds
        self.display = dict(zip(mx["place_id"], mx["name"]))
        alts = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w])")

    def mentions(self, folded: str) -> list[tuple[int, int, str]]:
        out = []
        for m in self.pattern.finditer(folded):
            if re.search(r"benito\s+$", folded[max(0, m.start() - 8):m.start()]):
                continue  # Benito Juárez is a borough of Mexico City and a municipality in Quintana Roo
            out.append((m.start(), m.end(), self.names[m.group(0)]))
        return out


def _place_for(n: _Num, sentence: tuple[int, int], clause: tuple[int, int], mentions, prev_mentions,
               folded: str, kinds: dict[str, str]) -> str | None:
    """A border city by the rules (its clause, the sentence's opening frame, the previous sentence);
    failing that, a state named in the figure's clause."""
    towns = [m for m in mentions if kinds[m[2]] == "municipality"]
    prev_towns = [m for m in prev_mentions if kinds[m[2]] == "municipality"]
    in_sentence = [m for m in towns if sentence[0] <= m[0] < sentence[1]]
    in_clause = [m for m in in_sentence if clause[0] <= m[0] < clause[1]]
    center = (n.start + n.end) / 2
    if in_clause:
        return min(in_clause, key=lambda m: abs((m[0] + m[1]) / 2 - center))[2]
    frame = [m for m in in_sentence if FRAME.match(folded[sentence[0]:m[0]])]
    if frame:
        return frame[0][2]
    if not in_sentence:
        distinct = {m[2] for m in prev_towns}
        if len(distinct) == 1 and not any(sentence[0] <= m[0] < sentence[1] for m in mentions):
            return distinct.pop()
        states = [m for m in mentions if kinds[m[2]] == "state" and clause[0] <= m[0] < clause[1]]
        if states:
            return min(states, key=lambda m: abs((m[0] + m[1]) / 2 - center))[2]
    return None


def _period(folded: str, zone: tuple[int, int], published: date | None) -> dict:
    text = folded[zone[0]:zone[1]]
    out = {"period_start": None, "period_end": None, "duration_days": None, "period_text": None}
    m = DURATION.search(text)
    if m:
        n = m.group("n")
        count = int(n) if n.isdigit() else int(WORD_VALUES[n])
        unit = m.group("unit")
        days = {"d": 1, "w": 7, "s": 7, "m": 30, "h": 0}[unit[0]]
        if unit.startswith(("mes", "month")):
            days = 30
        out["duration_days"] = max(1, count * days) if days else 1
        out["period_text"] = m.group(0)
        return out
    m = MONTH_PERIOD.search(text)
    if m:
        month = MONTH_NUMBERS.get(m.group("month").rstrip("."))
        year = int(m.group("year")) if m.group("year") else None
        if year is None and published is not None:
            year = published.year if month <= published.month else published.year - 1
        out["period_text"] = m.group(0)
        if year:
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            if m.group("prep") in ("since", "desde"):
                out["period_start"] = first.isoformat()
                out["period_end"] = published.isoformat() if published else None
            else:
                out["period_start"], out["period_end"] = first.isoformat(), last.isoformat()
        return out
    m = YEAR_PERIOD.search(text)
    if m:
        year = int(m.group("year"))
        out["period_text"] = m.group(0)
        if m.group("prep") in ("since", "desde"):
            out["period_start"] = date(year, 1, 1).isoformat()
            out["period_end"] = published.isoformat() if published else None
        else:
            out["period_start"], out["period_end"] = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    return out


# --------------------------------------------------------------------------- the extractor


def extract(text: str, gazetteer: Gazetteer, *, published: date | None = None,
            places: PlaceIndex | None = None) -> list[Candidate]:
    """Candidate figures in `text`, in reading order, each reported once."""
    folded = fold(text)
    places = places or PlaceIndex(gazetteer)
    mentions = places.mentions(folded)
    mpp_context = bool(MPP_CONTEXT.search(folded))
    spans = sentences(text)
    numbers = [n for n in find_numbers(folded) if not _excluded(folded, n)]
    out: list[Candidate] = []
    seen: set[tuple] = set()
    prev_sentence: tuple[int, int] | None = None
    number_starts = [n.start for n in numbers]
    mention_starts = [m[0] for m in mentions]

    def between(items, starts, a, b):
        return items[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]

    for sentence in spans:
        s0, s1 = sentence
        in_sentence = between(numbers, number_starts, s0, s1)
        prev_mentions = between(mentions, mention_starts, *prev_sentence) if prev_sentence else []
        sentence_mentions = between(mentions, mention_starts, max(0, s0 - 1), s1 + 1)
        clauses = _clauses(folded, s0, s1)
        last: Candidate | None = None
        for i, n in enumerate(in_sentence):
            nxt = in_sentence[i + 1].start if i + 1 < len(in_sentence) else s1
            prv = in_sentence[i - 1].end if i else s0
            clause = next(c for c in clauses if c[0] <= n.start < c[1] + 1)
            found = _noun_match(folded, n, min(nxt, s1))
            noun, noun_end = found if found else (None, None)
            metric_zone = (max(prv, clause[0]) if noun else prv, nxt)
            qualifier, q_start = _qualifier(folded, n)
            if noun is None:  # no counted noun after the number: "rose to 55,000", "a city of 1.5 million"...
                q_end = q_start
                head = folded[max(s0, q_end - 60):q_end]
                of = NUMBER_OF.search(folded[clause[0]:n.start])
                if of and REACHES.search(head):
                    noun = of.group(1)
                    metric_zone = (clause[0], nxt)
                elif CITY_OF.search(head):
                    noun = "residents"
                elif SUBJECT_OF.match(folded[n.end:min(nxt, s1)]):
                    noun = "people"
                elif last is not None and (ELLIPSIS_BEFORE.search(head) or
                                           re.match(r"^\s*(?:in|en)\s+", folded[n.end:n.end + 5])):
                    noun = last.noun
                else:
                    continue
            if last is not None and noun == last.noun and found is None:
                metric = last.metric  # ellipsis: "..., including some 13,000 in Juárez"
            else:
                in_clause = any(clause[0] <= m[0] < clause[1] for m in sentence_mentions)
                metric = _metric(folded, n, noun_end, metric_zone, sentence, mpp_context, in_clause)
            place_id = _place_for(n, sentence, clause, sentence_mentions, prev_mentions, folded, places.kinds)
            q_end = min(nxt, s1, _clause_end(folded, n.end, clause))
            quote_text = text[q_start:q_end]
            tail = QUOTE_TAIL.search(fold(quote_text))
            if tail and tail.start() > n.end - q_start:
                quote_text = quote_text[: tail.start()]
            quote_text = quote_text.rstrip(" ,;:.")
            # "20 dead and 25 burned in five days": up to the first comma, so coordinated figures share it
            period = _period(folded, (n.start, _clause_end(folded, n.end, clause)), published)
            if not period["period_text"]:  # a fronted period: "In October, 21 migrants..."
                period = _period(folded, (prv, n.start), published)
            cand = Candidate(
                metric=metric, value=n.value, qualifier=qualifier, place=places.display.get(place_id),
                place_id=place_id, as_of=published.isoformat() if published and not period["period_end"] else None,
                noun=noun, quote=quote_text, start=q_start, end=q_start + len(quote_text), **period,
            )
            last = cand
            key = (cand.metric, cand.value, cand.qualifier, cand.place_id)
            if key in seen:
                continue
            seen.add(key)
            out.append(cand)
        prev_sentence = sentence
    return out


def _clause_end(folded: str, start: int, clause: tuple[int, int]) -> int:
    """Where the quote of a figure ends: the first comma, semicolon or sentence end after its noun."""
    m = re.search(r"[,;:]|\.(?:\s|$)", folded[start:clause[1] + 1])
    return start + m.start() if m else clause[1]


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    return pd.Timestamp(value).date()
