"""Numbers that are not figures: years, dates, ages, percentages, money, durations, measures,
times, phone numbers and numbers inside names. Each rule has a name, so `extract --explain`
can say which one dropped a number."""
from __future__ import annotations

import re

from .numbers import MONTHS_ALT, Number, find_numbers

TIME_UNITS = (r"(?:days?|weeks?|months?|years?|hours?|minutes?|decades?|dias?|semanas?|mes|meses|anos?|horas?|"
              r"minutos?|decadas?)")
QUALIFYING = (r"(?:more than|over|about|around|some|nearly|almost|roughly|at least|up to|fewer than|less than|"
              r"mas de|menos de|alrededor de|cerca de|casi|al menos|por lo menos|hasta|arriba de|poco mas de|"
              r"superior a|aproximadamente|unos|unas)")

AFTER = [  # (rule, pattern on the text right after the number)
    ("a percentage", re.compile(r"^\s*(?:%|percent\b|per cent\b|por ciento\b|pct\b|percentage|puntos porcentuales)")),
    ("money", re.compile(r"^\s*(?:de\s+)?(?:dollars?|dolares|pesos|usd|mxn|euros?)\b")),
    ("an age", re.compile(r"^\s*(?:-|\s)?(?:years?[- ]old|ano de edad|anos de edad)")),
    ("a duration", re.compile(rf"^[\s\-]*(?:more\s+|mas\s+|other\s+|otros\s+|otras\s+)?{TIME_UNITS}\b")),
    ("a measure of length, weight or area", re.compile(
        r"^[\s\-]*(?:miles?\b(?!\s+de)|km\b|kilometers?|kilometres?|kilometros?|meters?|metres?|metros?|feet|foot|"
        r"pies\b|pounds?|libras?|kilos?|kg\b|tons?\b|toneladas?|degrees?|grados?|acres?|hectareas?|square|mph)")),
    ("a time of day", re.compile(r"^\s*(?:a\.?m\b\.?|p\.?m\b\.?|hrs\b|o'clock)")),
    ("a dimension", re.compile(r"^\s*(?:por|x|by)\s*[\d.,]+\s*(?:metros|meters|metres|m\b|feet|foot|ft\b|pies|km\b)")),
    ("part of a date, time or code", re.compile(r"^(?::\d|/\d|-\d|\.\d)")),
    ("a date", re.compile(rf"^\s*(?:de\s+)?(?:{MONTHS_ALT})\b")),  # a day of the month: only up to 31 (below)
    ("a number of times", re.compile(r"^\s*times\b|^\s*veces\b")),
    ("a time of day", re.compile(r"^\s*(?:in the (?:afternoon|morning|evening)|de la (?:tarde|manana|noche))\b")),
    ("money", re.compile(r"^\s*(?:y|a|and|to|-|o|or)\s+[\d.,]+(?:\s+(?:mil|millones|million|thousand))?\s+(?:de\s+)?"
                         r"(?:dollars?|dolares|pesos|usd|mxn|euros?)\b")),
    ("an age", re.compile(r"^\s*(?:,\s*\d+\s*)*,?\s*(?:y|and)\s+\d+\s+(?:anos|years)\b")),
    ("a number of groups", re.compile(r"^\s+(?:armed\s+|rival\s+|criminal\s+)?(?:groups|grupos|bands|bandas|gangs|cells|"
                                      r"celulas|factions|facciones)\b")),
    # "20 migrant shelters", "three ports of entry", "11 Mexican border cities", "tres albergues": places counted, not
    # people (the evaluation set labels none of the 97 such numbers of its development part)
    ("a number of places (shelters, ports, cities)", re.compile(
        r"^\s+(?:(?:migrant|border|mexican|u\.s\.|government|other|more|small|smaller|large|larger|largest|new|"
        r"temporary|federal|state|church|religious|self[- ]settled|pedestrian|official|major|private|public|"
        r"para migrantes|de migrantes|fronterizas|fronterizos|mexicanas|mexicanos|federales|estatales|temporales|"
        r"privados|religiosos|mas|otros|otras)\s+)*"
        r"(?:shelters|albergues|ports of entry|puertos de entrada|garitas|bridges|puentes|cities|ciudades|"
        r"municipalities|municipios|states|estados|hospitals|hospitales|camps|campamentos|casas de migrantes)\b")),
    ("a count per item", re.compile(r"^\s*\w+\s+(?:en cada|por cada|in each|each)\b")),
    ("a proportion", re.compile(r"^\s*(?:de cada|out of|of every|in every|en cada)\s+(?:\d|diez|ten|cien|hundred)")),
    ("a rate", re.compile(r"^\s*(?:per|por cada|por)\s+(?:100|cien|mil|1,000|100,000|100 mil|cada)\b")),
    # "between 40 and 50 percent", "de 18 a 35 anos", "10 a 12 kilometros": the low end shares the high end's unit
    ("the low end of a range of a unit", re.compile(
        r"^\s*(?:to|and|y|a|-|–|o|or)\s*[\d.,]+\s*(?:%|percent\b|per cent\b|por ciento\b|years?\b|anos\b|"
        r"kilometers?\b|kilometros?\b|km\b|miles\b|millas\b|meters\b|metros\b|days\b|dias\b|hours\b|horas\b|"
        r"weeks\b|semanas\b|months\b|meses\b)")),
]
BEFORE = [  # (rule, pattern on the text right before the number)
    ("money", re.compile(r"(?:\$|us\$|mx\$|€|£)\s*$")),
    ("an age", re.compile(r"\b(?:aged|age of|ages|edad de|edades de)(?:\s+(?:between|from|entre|de))?\s*$")),
    # "children under 18", "people over 60", "niños menores de 12": an age bound said of people
    ("an age", re.compile(r"\b(?:children|kids|minors|people|persons|adults|youths?|teens|teenagers|boys|girls|"
                          r"ninos|ninas|menores|personas|jovenes|adultos|adolescentes)\s+(?:under|over|younger than|"
                          r"older than|below|above|menores de|mayores de)\s+$")),
    ("a date", re.compile(rf"\b(?:{MONTHS_ALT})\.?\s*$")),
    ("part of a date, time or code", re.compile(r"(?:\d[:/\-]|\d\.)$")),
    ("a number inside a name", re.compile(
        r"\b(?:title|titulo|section|seccion|article|articulo|highway|route|interstate|carretera|chapter|"
        r"capitulo|rule|regla|proposition|prop\.|ley|law|number|no\.|num\.|numero|case|district|distrito|"
        r"gate|puerta|bridge|puente|flight|vuelo|covid|class|grade|level|nivel|phase|fase|zone|zona|"
        r"channel|canal|unit|unidad|block|lote|km|kilometro|exit|salida|room|cuarto|pier|platform|"
        r"avenue|avenida|street|calle|apartment|suite|page|pagina|version|episode|model|"
        r"amendment|enmienda|plan|form|formulario|operation|operacion|task force|precinct|ward|barrio|side|"
        r"ms-?|mara|covid-|sars-cov-)\s*$")),
    ("a copyright line", re.compile(r"(?:copyright|©|\(c\))\s*$")),
    ("a road marker", re.compile(r"\b(?:kilometer|kilometro|km\.?|mile marker|milla)\s*#?\s*$")),
    ("a date", re.compile(r"\b(?:el|del|al) dia\s+$")),  # "el día 30": a day of the month (only up to 31, below)
    ("an ordinal or a rank", re.compile(r"\b(?:no\.|nº|n°|#)\s*$")),
    ("a rate", re.compile(r"\b(?:per|por cada|rate of|tasa de|indice de)\s+$")),
    ("a proportion", re.compile(r"\b(?:de cada|out of every|of every)\s+$")),
    # "one in four migrants", "one out of five": the four and the five are the proportion's whole
    ("a proportion", re.compile(r"\b(?:one|two|three|1|2|3)\s+(?:in|out of)\s+$")),
    # "a proportion of 55 to 1"
    ("a proportion", re.compile(r"\b(?:proportion|ratio|proporcion|relacion) of\s+\d[\d,.]*\s+to\s+$")),
    ("an age", re.compile(r"\b(?:aged|ages?|edades de)\s+(?:(?:between|from|entre|de)\s+)?\d+\s*(?:,\s*\d+\s*)*,?\s*"
                          r"(?:and|y|to|a|or|o)\s+$")),
    ("a capacity", re.compile(r"\b(?:capacity (?:of|for)|capacidad(?: \w+){0,3}? (?:para|de)(?: \w+){0,2}|"
                              r"(?:meant|designed|built|intended) for(?: no more than| up to| a maximum of)?|"
                              r"could (?:accommodate|hold|house)|"
                              r"can (?:accommodate|hold|house|serve)|has room for|puede albergar|cupo (?:para|de)|"
                              r"espacios?(?: libres?)? para(?: \w+){0,3}?)"
                              rf"(?:\s+(?:up to|hasta|about|unos|unas|{QUALIFYING}))?\s+$")),
    ("the members of one family", re.compile(r"\b(?:a family of|una familia (?:con|de))\s+$")),
    # "una tasa de homicidios de 229", "the murder rate was 104"
    ("a rate", re.compile(r"\b(?:tasas?|indices?)\s+de\s+(?:\w+\s+){1,2}?"
                          r"(?:de|fue de|es de|era de|llego a|alcanzo)\s+$|"
                          r"\b(?:homicide|murder|killing|death|crime)s?\s+rates?\s+(?:was|is|of|at|stood at)\s+$")),
    # "two boys, 16 and 17": their ages
    ("a capacity", re.compile(r"\b(?:capacity (?:of|for)|capacidad (?:para|de))\s+(?:\w+\s+)?\d[\d,.]*\s+(?:to|a|y|and|-)\s+$")),
]
# "su tasa de muertes por cada 100 mil habitantes fue de 65": read on RATE_WINDOW characters, the 40 of BEFORE being
# too few for the words between
RATE_PER = re.compile(r"\b(?:tasa|rate|indice)\b[^.;]{0,40}\b(?:por cada|per|por)\b[^.;]{0,40}\b"
                      r"(?:fue de|es de|era de|de|was|is|of|at|stood at|a|to)\s+$")
RATE_WINDOW = 90
THE_BEFORE = re.compile(r"(?:the|los|las|el|la)\s+$")  # "the 13,000" refers back to a figure already given
QUALIFIED_THE = re.compile(rf"\b{QUALIFYING}\s+(?:the|los|las|el|la)\s+$")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,3}\)?[\s.-]\d{3,4}[\s.-]\d{4}")
ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th|o|a|er|era|°|º|ª)\b")


ENGLISH_AFTER_ONCE = re.compile(r"^\s*(?:[,.;:]|(?:the|a|an|again|more|it|they|he|she|we|you|i|upon|in|every|per|or|and|"
                                r"that|this|their|his|her|its|our|there|a week|a month|a year|a day)\b)")
ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|was|were|is|are|has|have|had|with|from|that|which|who|their|its)\b")
SPANISH_WORDS = re.compile(r"\b(?:el|la|los|las|del|que|y|en|con|por|para|fue|fueron|se|un|una|sus|al|es|son)\b")
LANGUAGE_REACH = 120


def english_around(folded: str, start: int, end: int) -> bool:
    """Whether the words around a number are English rather than Spanish (more of the commonest short words of one
    than of the other within LANGUAGE_REACH characters): "once" is eleven only in Spanish ("the camp once held")."""
    window = folded[max(0, start - LANGUAGE_REACH):start] + " " + folded[end:end + LANGUAGE_REACH]
    return len(ENGLISH_WORDS.findall(window)) > len(SPANISH_WORDS.findall(window))


AGES_AFTER_PEOPLE = re.compile(r"\b(?:boys|girls|men|women|children|teens|teenagers|sons|daughters|brothers|sisters|"
                               r"ninos|ninas|jovenes|hombres|mujeres|adolescentes|menores|hijos|hijas|hermanos|hermanas),\s+$")
FAMILY_BEFORE = re.compile(r"\b(?:her|his|their|my|our|your|sus|su|mis|nuestros|nuestras)\s+(?:own\s+|propios\s+|"
                           r"(?:husband|wife|partner|mother|father|esposo|esposa|pareja|madre|padre)\s+(?:and|y|e)\s+)?$")
FAMILY_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:kids|children|sons|daughters|brothers|sisters|grandchildren|babies|"
                          r"hijos|hijas|hermanos|hermanas|nietos|ninos|bebes|family members|familiares)\b")
BACK_WINDOW = 6000  # "the 13,000" refers to a figure of the same story: a few pages of text, not a whole file
# events counted as times: stops of migrants (encounters), assaults on agents, expulsions ("agents were assaulted 83
# times", "took migrants into custody 178,840 times", "ha expulsado migrantes más de 400 mil veces")
EVENT_TIMES = re.compile(r"\b(?:stopped|encountered|apprehended|caught|arrested|detuvieron|detuvo|assaulted|attacked|"
                         r"shot at|ambushed|fired (?:up)?on|into custody|expelled|expulsado|expulsó|expulso|deported|"
                         r"deportado|agredidos|atacados|emboscados)\b[^.;]{0,40}$")


def _high_end(after: str) -> float | None:
    m = re.match(r"^\s*(?:to|and|y|a|-|–|o|or)\s*([\d.,]+)", after)
    try:
        return float(m.group(1).replace(",", "")) if m else None
    except ValueError:
        return None


# a range written with a hyphen ("40-80 migrants") is followed by a word, not a month ("15-20 de enero": days)
_WORD_NOT_MONTH = rf"\s+(?!(?:de\s+|of\s+)?(?:{MONTHS_ALT})\b)[a-z]"
HYPHEN_HIGH_END = re.compile(rf"^\s*[-\u2013]\s*(\d{{1,4}}){_WORD_NOT_MONTH}")
HYPHEN_LOW_END = re.compile(r"(?<![\w.,/-])(\d{1,4})\s*[-\u2013]\s*$")


def _hyphen_range_low(after: str, value: float) -> bool:
    """Whether the number is the low end of a range written with a hyphen, not a date's day or a code's part."""
    m = HYPHEN_HIGH_END.match(after)
    return bool(m) and value < int(m.group(1)) and not (1900 <= value <= 2100)


def _hyphen_range_high(before: str, after: str, value: float) -> bool:
    """Whether the number is the high end of a range written with a hyphen ('40-80 migrants')."""
    m = HYPHEN_LOW_END.search(before)
    return bool(m) and int(m.group(1)) < value and not (1900 <= value <= 2100) and bool(
        re.match("^" + _WORD_NOT_MONTH, after))


def _given_before(folded: str, n: Number, raw: str) -> bool:
    """Whether the text before the number wrote the same number: "los mil 500" after "mil 500 personas", not after
    "dos mil 500" (2,500), whose words hold the same letters."""
    window = folded[max(0, n.start - BACK_WINDOW):max(0, n.start - 4)]
    for m in re.finditer(rf"(?<![\d.,]){re.escape(raw)}(?![\d])", window):
        a = max(0, m.start() - 30)  # the number written there, read with the words just around it
        if any(x.value == n.value and x.start <= m.start() - a < x.end for x in find_numbers(window[a:m.end() + 12])):
            return True
    return False


def not_a_figure(folded: str, n: Number, noun_follows) -> str | None:
    """The name of the rule that says the number is not a figure, or None.
    `noun_follows(text)` tells whether a counted noun starts `text` (a year can count people: "2019 migrants")."""
    before = folded[max(0, n.start - 40):n.start]
    after = folded[n.end:n.end + 40]
    raw = folded[n.start:n.end]
    if n.form == "digits" and ORDINAL_AFTER.match(after):
        return "an ordinal or a rank"
    if re.fullmatch(r"\d{1,2}", raw) and (AGES_AFTER_PEOPLE.search(before) and re.match(r"^\s*(?:and|y|,)\s*\d{1,2}\b", after)
                                          or re.search(AGES_AFTER_PEOPLE.pattern[:-1] + r"\d{1,2}\s+(?:and|y)\s+$", before)):
        return "an age ('two boys, 16 and 17')"
    if n.value <= 12 and FAMILY_BEFORE.search(before) and FAMILY_AFTER.match(after):
        return "the members of one family ('her husband and two kids')"
    if raw == "once" and (ENGLISH_AFTER_ONCE.match(after) or re.search(r"\b(?:at|than|only|just|more)\s+$", before)
                          or english_around(folded, n.start, n.end)):
        return "the English word 'once', not the Spanish eleven"
    for rule, p in AFTER:
        if p.search(after):
            if rule == "a date" and n.value > 31:
                continue  # "los 124 de septiembre": a count in September, not a day
            if rule == "a number of times" and EVENT_TIMES.search(folded[max(0, n.start - 60):n.start]):
                continue  # "agents stopped migrants 50,000 times": encounters; "assaulted 83 times": attacks
            if rule == "part of a date, time or code" and _hyphen_range_low(after, n.value):
                continue  # "40-80 migrants": the low end of a range
            if rule == "the low end of a range of a unit" and _high_end(after) is not None and _high_end(after) <= n.value:
                continue  # "15,411 or 63 percent": the same figure said again as a share, not a range
            return rule
    for rule, p in BEFORE:
        if p.search(before):
            if rule == "part of a date, time or code" and _hyphen_range_high(before, after, n.value):
                continue  # "40-80 migrants": the high end of a range
            if rule == "a date" and (n.value > 31 or not re.fullmatch(r"\d{1,2}", raw)):
                continue  # "in November 109 were registered": a count, not a day
            return rule
    if RATE_PER.search(folded[max(0, n.start - RATE_WINDOW):n.start]):
        return "a rate"
    if THE_BEFORE.search(before) and not QUALIFIED_THE.search(before) and not n.vague \
            and _given_before(folded, n, raw):
        return "a number after 'the' that was given before (it refers back to it)"
    if re.fullmatch(r"(?:19|20)\d\d", raw) and not noun_follows(after.lstrip()):
        return "a year"
    if re.fullmatch(r"(?:19|20)\d\d", raw) and re.search(rf"\b(?:{MONTHS_ALT})\.?,?\s+(?:(?:of|de|del)\s+)?$", before):
        return "a year, after its month ('May 2019 report', 'March 2011 gunmen')"
    if re.fullmatch(r"(?:19|20)\d\d", raw) and re.search(r"\b(?:a|an|the|its|their|el|la|un|una)\s+$", before) and re.match(
            r"^\s*(?:reports?|study|studies|survey|census|analysis|informe|estudio|encuesta|censo|analisis|election|"
            r"law|ley|budget|presupuesto|season|temporada)\b", after):
        return "a year, naming a report or a study ('a 2022 report')"
    if re.search(r"\b(?:el|la)\s+$", before) and re.search(r"\bpor ciento\b|%", folded[max(0, n.start - 120):n.start]):
        return "a percentage (the sign given with an earlier number: 'el 57 por ciento ... y el 43')"
    if before.endswith("[") and after.startswith("]"):
        return "a footnote mark ('[1]')"
    low_end = re.search(r"\bentre (?:los|las)\s+$", before) and re.match(r"^\s+y\s+\d{1,2}\b", after)
    if re.fullmatch(r"\d{1,2}", raw) and (low_end or re.search(r"\bentre (?:los|las)\s+\d{1,2}\s+y\s+$", before)) and \
            re.search(r"\banos\b|\bedad", folded[max(0, n.start - 150):n.end + 150]):
        return "an age bound ('10 entre los 18 y 24 años')"
    if re.search(r"(?<![\w])el\s+$", before) and n.value > 31 and not noun_follows(after.lstrip()) and \
            not re.match(r"^\s*(?:%|por ciento|de (?:los|las|ellos|ellas)\b)", after):
        return "a number named with 'el', not a count ('tengo el mil 775')"
    window = folded[max(0, n.start - 6):n.end + 12]
    if PHONE.search(window):
        return "a phone number"
    return None
