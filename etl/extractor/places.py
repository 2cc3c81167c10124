"""Where a figure counts: Mexican border municipalities, Mexican states, and U.S. ports of entry and
Border Patrol sectors, as the text names them, and the rules that choose one for a figure.

A U.S. border city is its port of entry ("El Paso" is the El Paso port, "San Diego" the San Ysidro
port), and a sector only when called one ("the El Paso sector"); a figure at a U.S. place is never
moved to the paired Mexican city unless the text names that city for it. A Mexican state is the
place only when the figure is said to be in it, not when it is named as context.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import Gazetteer
from .spans import Spans
from .text import fold

# U.S. places whose bare name is also a Mexican place: only with their state ("Nogales, Arizona")
US_STATE_AFTER = r",?\s+(?:arizona|ariz\.|az|california|calif\.|ca|texas|tex\.|tx|new mexico|nuevo mexico|n\.m\.)\b"
US_PORT_AFTER = r"(?=\s+(?:port of entry|port|poe|crossing)\b)"  # the name only: "a Nogales port of entry"
US_CITY_PORT = {"san diego": "San Ysidro"}  # the city whose port has another name
TOWN_KINDS = ("municipality", "us_port", "us_sector")
BORDER_WIDE = re.compile(
    r"\b(?:along the (?:[\w.\-]+ ){0,3}border|border-?wide|(?:the )?(?:entire|whole|southwest(?:ern)?|southern) border|"
    r"across the border|a lo largo de (?:toda )?la frontera|(?:toda|en toda) la frontera|la frontera (?:norte|sur)|"
    r"en la frontera(?! de)|frontera con (?:estados unidos|ee\.? ?uu\.?|eu)|nationwide|across the country|"
    r"across mexico|in mexico|en (?:todo )?el pais|a nivel nacional|en mexico|en territorio mexicano|"
    r"en estados unidos|in the united states|in the u\.s\.|(?:back )?to mexico|a mexico|hacia mexico|"
    r"(?:other )?parts of the (?:[\w.\-]+ )?border|en el norte de mexico|in northern mexico)(?! city)")
# "the most of any court nationwide", "la cifra más alta a nivel nacional", "one of the most violent cities in Mexico":
# a ranking against the rest of the country, not a national figure
# ("más de 300", "un menor", "el primer grupo" are no rankings)
RANKED_BEFORE = re.compile(r"\b(?:most|highest|largest|biggest|worst|deadliest|lowest|fewest|"
                           r"mas (?:alt|baj|violent|peligros|grande|numeros|letal|mortal|afectad)\w*|"
                           r"(?:de|el|la|los|las) (?:mayor|menor)(?:es)?|peor(?:es)?|"
                           r"(?:primer|segundo|tercer|cuarto|quinto|sexto) lugar)\b[^,;:]{0,40}$")


def wide_search(pattern: re.Pattern, folded: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """The first match of a border-wide or national phrase in folded[start:end] that is not a ranking against the
    rest of the country (RANKED_BEFORE)."""
    for m in pattern.finditer(folded, start, len(folded) if end is None else end):
        if not RANKED_BEFORE.search(folded, max(start, m.start() - 45), m.start()):
            return m
    return None
US_STATES = re.compile(r"(?<![\w])(?:(?:southern|northern|western|eastern|south|west|sur de|norte de)\s+)?"
                       r"(?:new mexico|nuevo mexico|arizona|texas|california)(?![\w])")
LANDMARK_BEFORE = re.compile(r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)? of|"
                             r"upriver from|downriver from|across (?:the [\w.-]+(?: [\w.-]+){0,2} )?from|"
                             r"(?:miles|kilometers|kilometres)(?: (?:north|south|east|west)(?:east|west)?)? from|"
                             r"(?:steps|feet|yards|meters) from|"
                             r"al (?:norte|sur|este|oeste|oriente|poniente) de|a \w+ (?:km|kilometros) de|frente a|"
                             r"(?:km|kilometros|millas) (?:al \w+ )?de la (?:ciudad|cabecera municipal) de|"
                             r"linking|connects?|que conecta|entre|border with|frontera con|donde se encuentra|"
                             r"donde se ubica|which includes|que incluye)\s+(?:the\s+)?$")
THIS_CITY_NAMED = re.compile(r"\b(?:this (?:mexican )?(?:border )?(?:city|town)|the (?:mexican )?border (?:city|town)|"
                             r"esta ciudad(?: fronteriza| mexicana)?|esta capital|esta localidad|"
                             r"este municipio|la ciudad fronteriza|(?:en|in) (?:la|the) ciudad|in the city)\b")
# (THIS_CITY_NAMED is said of a city named before; THIS_CITY, of the dateline's city)
THIS_CITY = re.compile(r"\b(?:this (?:[a-z]+ )?(?:border )?(?:city|town)|esta (?:ciudad|frontera|localidad|capital)|aqui|here|"
                       r"la ciudad|the city|la localidad|este municipio|juarenses?|tijuanenses?)\b")
DATELINE_AFTER = re.compile(r"^(?:,?\s*[\w.]+(?:\s+[\w.]+)?){0,2}(?:[,;]?\s*\d{1,2}\s+de\s+[a-záéíóú]+(?:\s+de\s+\d{4})?)?"
                            r"\s*(?:\([^)]{0,40}\))?\s*(?:\.?\s*[-–—]+|\.-)")
# "Matamoros, Tamps., Unas 2 mil personas...", "Tijuana, BC. Un grupo...": the state (or its abbreviation), then
# the story
DATELINE_STATE = re.compile(r"^,\s*(?:Tamps|Tam|Chih|Son|Coah|B\.\s?C|BC|N\.\s?L|Tamaulipas|Chihuahua|Sonora|Coahuila|"
                            r"Baja California)(?:\.?,|\.)\s+[A-ZÁÉÍÓÚ]")
CONTEXT_BEFORE = re.compile(r"\b(?:including|includes|include|such as|among them|like|incluid[oa]s?|incluyendo|"
                            r"como|entre ellos|entre ellas|ademas de|besides|as well as|as in|al igual que|"
                            r"from|desde|procedentes? de|originari[oa]s? de|native of)\s+(?:in\s+|en\s+)?(?:the\s+)?$")
LOCATIVE_BEFORE = re.compile(r"\b(?:in|en|at|across|throughout|within|del estado de|en el estado de|"
                             r"in the state of|en todo|en toda|de|del|a|to|hacia|of)\s+(?:the\s+|el\s+)?"
                             r"(?:(?:[\w-]+\s+){0,3}?(?:state|estado)\s+(?:of|de)\s+)?$")
LIST_ITEM_AFTER = re.compile(r"^(?:\s*\(\s*|\s*:\s*|,?\s+(?:con|with|had|tuvo|sumo|suma|registro|"
                             r"donde (?:fueron|hubo|se registraron|se contaron|sumaron))\s+|\s*[-–—]\s*|\s+)$")
# a state's list item: "Chihuahua, con 2.004", "Coahuila (15.582)", "en Veracruz fueron 835"; or a bare number after
# it ("Guerrero 1.738"), checked apart: a state before a vague plural is where they went, not a list item
STATE_LIST_ITEM_AFTER = re.compile(r",?\s+(?:con|with)\s+|\s*\(\s*|\s+(?:fueron|hubo|had|there were)\s+|"
                                   # a ranking: "Chihuahua lidera la lista con 6", "Chiapas registró 3", "en Veracruz
                                   # se cometieron 14", "The Distrito Federal was second with 141"
                                   r"\s+(?:registro|registraba|sumo|tuvo|reporto|se cometieron|se registraron|"
                                   r"(?:lidera|encabeza|ocupa|ocupo)(?: \w+){1,3}? con|"
                                   r"(?:was|is|ranked|came) (?:\w+ ){0,2}with|(?:le )?sigue con)\s+")
# and "Fresnillo, Zacatecas, 190; Guadalajara, Jalisco, 186": a state, a comma and a bare number that ends its item
BARE_LIST_ITEM = re.compile(r",\s*")
BARE_LIST_END = re.compile(r"\s*(?:[;.)]|,\s|$|(?:and|y)\s)")
PREP_BEFORE = re.compile(r"\b(?:in|en|to|a|at|into|hacia|para|near|cerca de|outside|inside|around|on|por)\s+"
                         r"(?:the\s+|la\s+|el\s+|(?:the )?city of\s+|(?:la )?ciudad de\s+|(?:el )?municipio de\s+|"
                         r"(?:the )?(?:port|bridge) (?:of entry )?(?:at|in|of)\s+|downtown\s+|"
                         r"tod[oa]\s+(?:el\s+estado\s+de\s+)?|(?:all of|the entire|the whole)\s+)?$")
FRAME = re.compile(r"^(?:in|en|from|desde|at)\s+$")
CHAIN_GAP = re.compile(r"^(?:,\s*|\s+and\s+|\s+y\s+|\s+e\s+|,\s*and\s+|,\s*y\s+|\s*/\s*|\s+or\s+|\s+o\s+|\s*[-–]\s*)$")


# a border state's capital that the gazetteer holds, by name, for "the Baja California capital" (the other border
# states' capitals are not border municipalities)
CAPITALS = {"baja california": "mexicali"}
CAPITAL_OF = re.compile(r"\bcapital (?:de |del estado de |of (?:the state of )?)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    place_id: str
    kind: str  # municipality, state, us_port, us_sector


class PlaceIndex:
    """Mentions of places in folded text."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        places = gazetteer.places
        mx = places[(places["country"] == "MX") & places["kind"].isin(["municipality", "state"])]
        us = places[(places["country"] == "US") & places["kind"].isin(["port", "sector"])]
        kinds = dict(zip(mx["place_id"], mx["kind"]))
        kinds.update({pid: "us_" + k for pid, k in zip(us["place_id"], us["kind"])})
        names: dict[str, str] = {}

        def add(name: object, pid: str) -> None:
            if not isinstance(name, str) or not name:
                return
            key = fold(name)
            if kinds[pid] == "state" and ("." in key or key == "mexico"):
                return  # "Son." is a word; "México" is the country far more often than the state
            names.setdefault(key, pid)

        for row in mx.sort_values("kind").itertuples():  # municipalities first
            add(row.name, row.place_id)
            add(row.name_ascii, row.place_id)
        for row in gazetteer.aliases.itertuples():
            if row.place_id in kinds and kinds[row.place_id] in ("municipality", "state"):
                add(row.alias, row.place_id)
        mexican = set(names)
        us_names: dict[str, str] = {}  # folded pattern source -> place id
        for row in us[us["kind"] == "sector"].itertuples():
            n = re.escape(fold(row.name))
            # "the El Paso sector", "the Del Rio, Texas sector", "el sector de Tucson"
            us_names[rf"(?:the\s+)?{n}(?:,?\s+(?:texas|arizona|california|new mexico),?)?\s+"
                     rf"(?:border patrol\s+)?sector|sector\s+(?:de\s+|del\s+)?{n}"] = row.place_id
        rgv = us[(us["kind"] == "sector") & (us["name"] == "Rio Grande Valley")]
        for pid in rgv["place_id"]:
            us_names[r"rio grande valley"] = pid
        for row in us[us["kind"] == "port"].itertuples():
            key = fold(row.name)
            if key in mexican or any(key == k.split(",")[0] for k in mexican):
                us_names[re.escape(key) + US_STATE_AFTER] = row.place_id
                us_names[re.escape(key) + US_PORT_AFTER] = row.place_id  # "the Nogales Port of Entry": the U.S. port
            elif key == "hidalgo":
                us_names[re.escape(key) + US_STATE_AFTER] = row.place_id  # Hidalgo is also a Mexican state
            else:
                us_names[re.escape(key)] = row.place_id
        for city, port in US_CITY_PORT.items():
            pid = us[(us["kind"] == "port") & (us["name"] == port)]["place_id"]
            if len(pid):
                us_names[re.escape(city)] = pid.iloc[0]
        self.names = names
        self.kinds = kinds
        self.capitals = {names[state]: names[city] for state, city in CAPITALS.items()
                         if state in names and city in names}
        self.display = {**dict(zip(mx["place_id"], mx["name"])), **dict(zip(us["place_id"], us["name"]))}
        ordered = sorted(us_names.items(), key=lambda kv: -len(kv[0]))
        # U.S. names qualified by their state or called a sector first ("Nogales, Arizona", "the El Paso
        # sector"), then Mexican names, then plain U.S. names: each kind one alternation, scanned once per text
        specific = [(p, pid) for p, pid in ordered if "sector" in p or "arizona" in p or p.endswith(US_PORT_AFTER)]
        self._us_specific = self._alternation(specific)
        self._us_plain = self._alternation([item for item in ordered if item not in specific])
        alts = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w])")

    @staticmethod
    def _alternation(items: list[tuple[str, str]]) -> tuple[re.Pattern | None, list[str]]:
        if not items:
            return None, []
        body = "|".join(f"({p})" for p, _ in items)
        return re.compile(rf"(?<![\w])(?:{body})(?![\w])"), [pid for _, pid in items]

    def mentions(self, folded: str, text: str | None = None) -> list[Mention]:
        out: list[Mention] = []
        taken = Spans()
        # U.S. names qualified by their state or called a sector first ("Nogales, Arizona", "the El Paso
        # sector"), then Mexican names ("San Luis Río Colorado", "Nuevo Laredo"), then plain U.S. names
        self._add_us(folded, text, self._us_specific, out, taken)
        for m in self.pattern.finditer(folded):
            if not taken.free(m.start(), m.end()):
                continue
            if re.search(r"benito\s+$", folded[max(0, m.start() - 8):m.start()]):
                continue  # Benito Juárez is a borough of Mexico City and a municipality in Quintana Roo
            if re.search(r"\bnuevo\s+$", folded[max(0, m.start() - 6):m.start()]):
                continue
            pid = self.names[m.group(0)]
            street = STREET_BEFORE.search(folded[max(0, m.start() - 20):m.start()]) or \
                STREET_AFTER.match(folded, m.end())
            if street or self.kinds[pid] == "state" and NEIGHBOURHOOD_AFTER.match(folded, m.end()):
                taken.take(m.start(), m.end())
                continue  # "colonia Morelos", "Juarez Street": a street or a neighbourhood named after a place
            if any(r.start() <= m.start() < r.end() for r in REGION.finditer(folded, max(0, m.start() - 14),
                                                                              m.end() + 7)):
                taken.take(m.start(), m.end())
                continue  # "el Valle de Juárez", "the Juarez Valley": a region of several municipalities
            if COUNTY_BEFORE.search(folded[max(0, m.start() - 12):m.start()]) or COUNTY_AFTER.match(folded, m.end()):
                taken.take(m.start(), m.end())
                continue  # "Hidalgo County", "el condado de Santa Cruz": a U.S. county with a Mexican place's name
            capital = self.capitals.get(pid)
            if capital in self.kinds and (re.match(r"(?:'s|\u2019s)?\s+capital\b", folded[m.end():m.end() + 11]) or
                                          CAPITAL_OF.search(folded[max(0, m.start() - 30):m.start()])):
                out.append(Mention(m.start(), m.end(), capital, self.kinds[capital]))
                taken.take(m.start(), m.end())
                continue  # "the Baja California capital", "la capital de Baja California": Mexicali
            if self.kinds[pid] == "state" and (re.match(r"\s+(?:capital|city)\b", folded[m.end():m.end() + 9]) or
                                               re.search(r"\b(?:ciudad|city) (?:de|of)\s+$", folded[max(0, m.start() - 12):m.start()])):
                taken.take(m.start(), m.end())
                continue  # "Chihuahua capital", "la ciudad de Durango": a state's capital city, not in the gazetteer
            if self.kinds[pid] == "state" and text is not None and re.match(r" del? [A-ZÁÉÍÓÚ]", text[m.end():m.end() + 6]):
                taken.take(m.start(), m.end())
                continue  # "Hidalgo del Parral": a town whose name begins with a state's
            out.append(Mention(m.start(), m.end(), pid, self.kinds[pid]))
            taken.take(m.start(), m.end())
        self._add_us(folded, text, self._us_plain, out, taken)
        for m in US_STATES.finditer(folded):
            if taken.free(m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), "", "us_state"))
        out = [m for m in out if not _newspaper(folded, m) and not _university(folded, m)
               and not (m.kind == "state" and _cartel_name(folded, m))]
        out.sort(key=lambda x: x.start)
        return out

    def _add_us(self, folded, text, group, out, taken) -> None:
        pattern, pids = group  # one alternation, longest first: "the el paso sector" before "el paso"
        if pattern is None:
            return
        for m in pattern.finditer(folded):
            if not taken.free(m.start(), m.end()):
                continue
            name_at = m.start() + (4 if folded.startswith("the ", m.start()) else 0)
            if text is not None and not folded.startswith("sector", m.start()) and not text[name_at].isupper():
                continue  # "el río Bravo" is not Del Rio; a U.S. place is written with a capital
            if re.search(r"\b(?:nuevo|nvo\.|n\.)\s*$", folded[max(0, m.start() - 7):m.start()]):
                continue  # "Nuevo Laredo" is not Laredo
            taken.take(m.start(), m.end())
            pid = pids[m.lastindex - 1]
            out.append(Mention(m.start(), m.end(), pid, self.kinds[pid]))


def dateline(text: str, folded: str, mentions: list[Mention]) -> Mention | None:
    """The place of an article's dateline ("JUÁREZ, Mexico —", "Ciudad Juárez, Chihuahua.-"), if it opens the text."""
    first = next((m for m in mentions if m.kind in TOWN_KINDS + ("state",)), None)  # a state too: "MEXICO CITY —"
    if first is None or folded[:first.start].strip(" \n\"'“") != "":
        return None
    after = text[first.end:first.end + 60]
    if DATELINE_AFTER.match(after) or DATELINE_STATE.match(after):
        return first
    if text[first.start:first.end].isupper() and re.match(r"^(?:,?\s*[\w.]+(?:\s+[\w.]+)?)?\s*:\s+[A-ZÁÉÍÓÚ]", after):
        return first  # "MATAMOROS, Mexico: Two of four Americans..."
    return None


US_MEASURES = ("mpp_court_cases", "mpp_pending_cases", "encounters")


INSTITUTION = re.compile(r"Rights|Watch|First|Fiscal|Secretar|Instituto|Institute|Department|Polic|Universi|Comisi|"
                         r"Commission|Centro|Center|Consulado|Consulate|Gobierno|Government|Congres|Senad|Court|Corte|"
                         r"Migraci|Guardia|Patrol|Patrulla|Army|Ej[eé]rcito|Marina|Navy|Cartel|C[aá]rtel|Zetas|Golfo|Gulf|"
                         r"Mayor|Governor|President|Gobernador|Alcalde|Presidente|Senator|Senador|Mr|Sr|Dr")
UNKNOWN_PLACE = re.compile(r"\b(?:en|in|at|near|municipio de|condado de|county of|ciudad de|city of)\s+(?:la\s+|el\s+|los\s+|las\s+)?"
                           r"([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)*)")
NOT_PLACES = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre", "january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
              "mexico", "méxico", "estados", "the", "la", "el", "los", "las", "estados unidos", "human", "u.s", "km",
              "kilometer", "kilómetro", "kilometro"}
WIDE_AFTER = re.compile(r"\b(?:along the (?:[\w.\-]+ ){0,3}border|border-?wide|(?:the )?entire border|"
                        r"a lo largo de (?:toda )?la frontera|(?:toda|en toda) la frontera|en la frontera(?! de)|"
                        r"nationwide|a nivel nacional|en (?:todo )?el pais|in the country|across the country|"
                        r"(?<!remain )(?<!wait )(?<!waiting )(?<!quedate )(?<!permanecer )(?:in|en|across) mexico\b"
                        r"(?! city))")


MOST_OF = re.compile(r"(?:\b(?:la mayoria|la mayor parte|most|the majority|mostly|principalmente|sobre todo|"
                     r"en su mayoria|the bulk|la mitad|half)\b(?:\s+(?:de|of)\s+(?:ellos|ellas|estos|estas|them|those|los|las|the))?"
                     r"(?:\s*[\u2013\u2014-]+\s*[\d.,]+\s*[\u2013\u2014-]+)?"
                     r"|[\d.,]+\s+(?:de ellos|de ellas|of them|of those|of whom|de los cuales|de las cuales)"
                     r"|\b(?:including|incluyendo|incluid[oa]s|among them|entre ell[oa]s)\s+[\w.,]+)"
                     r"(?:\s+(?:\w+\s+){0,2}(?:en|in|a|to|de|from|at)\s+)?(?:la |el |the )?$")
STATE_AGAIN = re.compile(r"\b(?:esta entidad|este estado|dich[oa] (?:entidad|estado)|la entidad|"
                         r"a nivel (?:estado|estatal)|"
                         r"en el estado(?! (?:de|mexicano|fronterizo|norteno|sureno|vecino)\b)|"
                         r"in the state(?! of)|statewide|en todo el estado|"
                         r"(?:across|throughout) the state(?! of)|a lo (?:largo|ancho) del estado)\b")
SECTOR_AGAIN = re.compile(r"\b(?:in|en) (?:the|that|this|el|ese|este) sector\b")
STREET_BEFORE = re.compile(r"\b(?:colonia|col\.|fraccionamiento|fracc\.|calle|avenida|av\.|boulevard|blvd\.|bulevar|"
                           r"ejido|barrio|unidad|plaza|mercado|hospital|escuela|parque|street|avenue)\s+$")
# "Juarez Street"; "the Quintana Roo neighborhood" (a state's name: a city's would say where the neighbourhood is)
STREET_AFTER = re.compile(r"\s+(?:street|avenue|boulevard)\b")
NEIGHBOURHOOD_AFTER = re.compile(r"\s+(?:neighbou?rhood|district)\b")
# "por Mexicali, 3 mil 637, y por Ciudad Juárez, 8 mil 649": a place after ", y" opens the list's next item
NEXT_ITEM = re.compile(r"\s*(?:[a-z]+\s*){0,2}?,\s*(?:y|and|e)\s")
# a ranking's next item: "Del Rio was highest at 255, followed by the Rio Grande Valley at 210"
FOLLOWED_BY = re.compile(r",\s*(?:followed by|seguid[oa]s? (?:de|por)|le sigue|le siguen)\b")
COUNTY_BEFORE = re.compile(r"\bcondado de\s+$")
# a region of several municipalities named for one of them: the Juárez Valley runs east of Ciudad Juárez through
# Guadalupe and Práxedis G. Guerrero, so a figure there is in no one municipality the gazetteer holds
REGION = re.compile(r"\b(?:valle de juarez|valley of juarez|juarez valley)\b")
COUNTY_AFTER = re.compile(r"\s+county\b")
# "Caborca con 74; Empalme con 44": a list item whose place is a name the gazetteer does not hold; also with a rank
# or a second name before the number ("Ensenada is second with 328", "Cajeme (Ciudad Obregon) with 475")
UNKNOWN_LIST_ITEM = re.compile(r"(?:^|[;,:\u2014]\s*|\b(?:y|and|es|le sigue|sigue|seguid[oa]s? (?:por|de)|"
                               r"followed by|luego|only|solo|sólo|tras|detrás de|behind|then)\s+)(?:(?:en|in)\s+)?"
                               r"([A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*)\s*(?:\([^()]{1,40}\)\s*)?,?\s+"
                               r"(?:(?:is|was|ranks|ranked|came|es|fue|ocupa|ocupó|quedó|se ubica|se ubicó)\s+"
                               r"(?:(?:in|en|el|the|al)\s+)?(?:\w+\s+){0,2})?(?:con|with)\s+$"
                               r"|\b(?:en|in)\s+([A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*)\s*,?\s+"
                               r"(?:fueron|hubo|van|suman|sumaron|se registraron|there were|were)\s+$")
# "Ciudad Juárez, mil 251, Irapuato, 473.": a list of plain "Name, N" items, the name one the gazetteer does not hold
COMMA_LIST_ITEM = re.compile(r"[;,]\s*([A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+(?:(?:de|del)\s+(?:la\s+|los\s+|las\s+)?)?"
                             r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*),\s+$")
# "two each in Mexicali, Ensenada, and Tecate"
EACH_IN = re.compile(r"^\s+(?:[a-z]+\s+)?(?:each|apiece|cada uno|cada una)\s+(?:in|en|at)\b")
# "three in Rosarito": the figure's own place, written right after it (original case, to see a name)
OWN_PLACE_AFTER = re.compile(r"^\s+(?:in|en)\s+(?:(?:the\s+)?(?:town|village|community|municipality)\s+of\s+|"
                             r"(?:el\s+)?(?:poblado|pueblo|ejido|municipio)\s+(?:de\s+)?|"
                             r"(?:la\s+)?(?:comunidad|localidad|rancher[ií]a)\s+(?:de\s+)?|la\s+|el\s+)?"
                             r"([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\b")  # "cuatro en el poblado de San Juanito"
# "63 casos que se presentaron en el municipio de Sonoyta", "mil 55 han sido traídas a Monterrey": the figure's own
# clause goes on to a place the gazetteer does not hold (original case, to see a name)
UNHELD_AFTER = re.compile(r"\b(?:(?:municipio|poblado|comunidad|localidad|ejido) de|"
                          r"(?:town|village|municipality|community) of|"
                          r"(?:enviad|trasladad|llevad|traíd|traid|canalizad|remitid)[oa]s?\s+(?:hacia|a))\s+"
                          r"(?:la\s+|el\s+)?([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)*)")
# ", where officials reported 55 deaths": the clause is about the place just before it
WHERE_CLAUSE = re.compile(r",\s*(where|donde|en donde|en el que|en la que|en el cual|en la cual)\b[^,;:]*$")


def _part_before(folded: str, m: Mention, end: int) -> bool:
    """Whether the place `m` is named for a part said after the figure ending at `end` ('..., most of them in
    Tijuana', '642 de ellos en Ciudad Juárez')."""
    w0 = max(0, m.start - 45)
    hit = MOST_OF.search(folded[w0:m.start])
    return bool(hit) and w0 + hit.start() >= end


def _not_a_place(name: str) -> bool:
    """Whether a capitalised name is not a place the gazetteer lacks: a month, a weekday, a country or an article
    (NOT_PLACES), or an institution."""
    return name.casefold() in NOT_PLACES or bool(INSTITUTION.search(name))


def _unheld(mentions: list[Mention], a: int, b: int) -> bool:
    """Whether the name at [a, b) overlaps no place the gazetteer found (it is one the gazetteer does not hold)."""
    return not any(m.start < b and a < m.end for m in mentions)


def unknown_place(text: str | None, clause: tuple[int, int], known: list[Mention]) -> str | None:
    """A capitalised place name after 'en'/'in' that the gazetteer does not hold ('en Cajeme', 'in Monterrey')."""
    if text is None:
        return None
    for m in UNKNOWN_PLACE.finditer(text, clause[0], clause[1]):
        name = m.group(1)
        if _not_a_place(name) or any(k.start <= m.start(1) < k.end for k in known):
            continue
        return name
    return None


def place_for(folded: str, start: int, end: int, measure: str, sentence: tuple[int, int],
              clause: tuple[int, int], mentions: list[Mention], prev_mentions: list[Mention],
              number_spans: list[tuple[int, int]], dateline_place: Mention | None = None,
              earlier: list[Mention] | None = None, text: str | None = None) -> tuple[str | None, str]:
    """(place id or None, the rule that decided) for the figure written at folded[start:end]."""
    def in_dateline(m: Mention) -> bool:  # the dateline's city, and its state written right after it ("NUEVO LAREDO, Tamaulipas")
        return m == dateline_place or m.kind == "state" and dateline_place is not None and \
            0 <= m.start - dateline_place.end <= 3

    named = mentions  # every place the gazetteer found, before those below are set aside
    if dateline_place is not None:
        mentions = [m for m in mentions if not in_dateline(m)]
        prev_mentions = [m for m in prev_mentions if not in_dateline(m)]
    # a city named as a landmark in an earlier sentence ("across the border from Brownsville") is not where later
    # figures are
    prev_mentions = [m for m in prev_mentions if not (m.kind in TOWN_KINDS and _landmark(folded, m))]
    parts = [m for m in mentions if m.start > end and _part_before(folded, m, end)]
    if parts:  # the places listed after the first part are parts too ('de los cuales 4 en Mexicali y 11 en Tijuana')
        parts = [m for m in mentions if m.start >= min(p.start for p in parts) and m.start < sentence[1]]
    if parts:  # "26 mil migrantes ..., la mayoría de ellos en Tijuana": Tijuana holds a part of the figure
        mentions = [m for m in mentions if m not in parts]
    respective = _respective(folded, start, sentence, mentions, number_spans, text)
    if respective is not None:
        m, i, k = respective
        if isinstance(m, str):
            return None, f"{RESPECTIVE_REASON}: a place the gazetteer does not hold ('{m}'), figure {i} of {k}"
        return m.place_id, f"{RESPECTIVE_REASON}: the place in the same position of the list " \
                           f"({folded[m.start:m.end]}), figure {i} of {k}"
    rest = _rest_of(folded, start, end, clause, number_spans)
    if rest:
        named = [m for m in mentions if m.kind == "state" and m.start == rest.end()]
        if named:
            return named[0].place_id, f"the rest of a state ({folded[named[0].start:named[0].end]})"
        city = _last_named((earlier or []) + mentions, "municipality", start)
        if (rest.group(1) or rest.group(2)) and city is not None and len(city.place_id) == 5:
            return city.place_id[:2], f"'{rest.group(0).strip()}': the state of the city named before it " \
                                      f"({folded[city.start:city.end]})"
    towns = [m for m in mentions if m.kind in TOWN_KINDS]
    landmarks = [m for m in towns if _landmark(folded, m)]
    if landmarks and len(landmarks) < len([m for m in towns if clause[0] <= m.start < clause[1]]):
        towns = [m for m in towns if m not in landmarks]
    elif landmarks and all(clause[0] <= m.start < clause[1] for m in landmarks):
        if not any(m.kind == "state" and clause[0] <= m.start < clause[1] and not any(
                0 <= m.start - x.end <= 3 for x in landmarks) for m in mentions):  # 'south of Reynosa, Tamaulipas'
            names = ", ".join(folded[m.start:m.end] for m in landmarks)
            return None, f"a place named only as a landmark ({names}): not where the figure counts"
        towns = [m for m in towns if m not in landmarks]  # 'en el estado de Chihuahua, donde se encuentra Juárez'
        mentions = [m for m in mentions if m not in landmarks]
    in_sentence = [m for m in towns if sentence[0] <= m.start < sentence[1]]
    in_clause = [m for m in in_sentence if clause[0] <= m.start < clause[1]]
    us_states = [m for m in mentions if m.kind == "us_state" and clause[0] <= m.start < clause[1]]
    states_here = [m for m in mentions if m.kind == "state" and clause[0] <= m.start < clause[1]]
    center = (start + end) / 2
    # a list item: "Reynosa: 4,210", "Matamoros (2,000)", "Nogales, Sonora, con 11 mil 349"
    before = [m for m in in_clause if m.end <= start and LIST_ITEM_AFTER.match(_between(folded, m, start, mentions))] \
        or [m for m in states_here if m.end <= start and (STATE_LIST_ITEM_AFTER.fullmatch(folded[m.end:start]) or (
            folded[m.end:start].isspace() and folded[start:start + 1].isdigit()) or (
            BARE_LIST_ITEM.fullmatch(folded[m.end:start]) and BARE_LIST_END.match(folded[end:end + 6])))]
    if before:
        m = max(before, key=lambda m: m.end)
        return m.place_id, f"list item: the place named right before the number ({folded[m.start:m.end]})"
    at = max(clause[0], start - 50)
    unknown_item = UNKNOWN_LIST_ITEM.search(text[at:start]) if text is not None else None
    g = (1 if unknown_item.group(1) else 2) if unknown_item else 0
    if unknown_item and unknown_item.group(g).casefold() not in NOT_PLACES and \
            _unheld(mentions, at + unknown_item.start(g), at + unknown_item.end(g)):
        return None, f"list item: a place the gazetteer does not hold ('{unknown_item.group(g)}')"
    comma_item = COMMA_LIST_ITEM.search(text[at:start]) if text is not None else None
    if comma_item and BARE_LIST_END.match(folded[end:end + 6]) and not _not_a_place(comma_item.group(1)) and \
            _unheld(mentions, at + comma_item.start(1), at + comma_item.end(1)):
        return None, f"list item: a place the gazetteer does not hold ('{comma_item.group(1)}')"
    each = EACH_IN.match(folded[end:min(clause[1], end + 60)])
    if each:
        return None, f"one figure for each of several places ('{each.group(0).strip()}'): no single place"
    own = OWN_PLACE_AFTER.match(text[end:min(clause[1], end + 60)]) if text is not None else None
    if own and not any(m.start <= end + own.start(1) < m.end for m in mentions) and \
            own.group(1).casefold() not in NOT_PLACES:
        return None, f"said to be in a place the gazetteer does not hold ('{own.group(1)}')"
    again = SECTOR_AGAIN.search(folded[end:min(clause[1], end + 40)])
    if again and not any(end <= m.start < end + again.start() for m in mentions):
        m = _last_named((earlier or []) + mentions, "us_sector", start)
        if m is not None:
            return m.place_id, f"'the sector': the sector named last before it ({folded[m.start:m.end]})"
    again = STATE_AGAIN.search(folded[clause[0]:clause[1]])
    right_after = STATE_AGAIN.search(folded[end:min(clause[1], end + 40)])  # "and 30 more across the state"
    if right_after and not any(end <= m.start < end + right_after.start() for m in mentions) and not any(
            end <= a < end + right_after.start() for a, _ in number_spans):
        again = right_after
    elif again and any(m.kind in TOWN_KINDS + ("state",) and clause[0] <= m.start < clause[1] for m in mentions):
        again = None
    if again:
        named = (earlier or []) + mentions
        state, city = _last_named(named, "state", start), _last_named(named, "municipality", start)
        if city is not None and (state is None or city.start > state.start) and len(city.place_id) == 5:
            return city.place_id[:2], f"'{again.group(0)}': the state of the city named last before it " \
                                      f"({folded[city.start:city.end]})"
        if state is not None:
            return state.place_id, f"'{again.group(0)}': the state named last before it ({folded[state.start:state.end]})"
    where = WHERE_CLAUSE.search(folded[sentence[0]:start])
    if where:
        at = sentence[0] + where.start()
        before = [m for m in mentions if m.kind in TOWN_KINDS + ("state",) and m.end <= at
                  and re.fullmatch(r"\s*", folded[m.end:at])]
        if before:
            m = before[-1]
            return m.place_id, f"in a clause about the place named right before it ('{where.group(1)}': {folded[m.start:m.end]})"
    wide_after = wide_search(WIDE_AFTER, folded[end:min(clause[1], end + 70)])
    if wide_after and not any(end <= m.start < end + wide_after.start() for m in in_clause) and not any(
            end <= a < end + wide_after.start() for a, _ in number_spans):
        return None, f"border-wide or national, said right after it ('{wide_after.group(0)}')"
    frames = [m for m in mentions if m.kind in TOWN_KINDS + ("state",) and sentence[0] <= m.start < sentence[1]
              and FRAME.match(folded[sentence[0]:m.start])]
    after = [m for m in in_clause + [x for x in states_here if x.start >= end]
             if m.start >= end and m.start - end <= 90
             and not any(end <= a < m.start for a, _ in number_spans) and ";" not in folded[end:m.start]
             and PREP_BEFORE.search(folded[end:m.start]) and not NEXT_ITEM.match(folded, end, m.start)
             and not FOLLOWED_BY.search(folded, end, m.start)]
    after.sort(key=lambda m: m.start)
    if after and after[0].kind == "state" and any(x.start < after[0].start for x in after if x.kind != "state"):
        after = [x for x in after if x.kind != "state"] + [x for x in after if x.kind == "state"]
    if after and not (measure in US_MEASURES and after[0].kind == "municipality"
                      and any(m.kind != "municipality" for m in in_clause)):
        m = after[0]
        chain = _chain(folded, m, in_clause + us_states + (states_here if m.kind == "state" else []))
        if len({c.place_id for c in chain}) > 1:
            names = ", ".join(folded[c.start:c.end] for c in chain)
            twin = _twin(chain, measure)
            if twin is not None:
                return twin.place_id, f"a pair of border cities ({names}): the {'U.S.' if twin.kind != 'municipality' else 'Mexican'} one for this measure"
            if frames:
                return frames[0].place_id, f"the sentence opens with its place ({folded[frames[0].start:frames[0].end]}); " \
                                           f"the places after it ({names}) are its parts"
            return None, f"several places together ({names}): no single place"
        other = _with_unknown(text, m, mentions)
        if other:
            return None, f"several places together ({folded[m.start:m.end]} and {other}, which the gazetteer does not hold)"
        return m.place_id, f"the place the figure is said to be in or sent to ({folded[m.start:m.end]})"
    region = REGION.search(folded, clause[0], clause[1])
    if region and (not in_clause or any(re.fullmatch(r"\s*(?:,|y|and|e)\s+(?:(?:el|the)\s+)?(?:entire\s+|todo el\s+)?",
                                                      folded[m.end:region.start()]) for m in in_clause)):
        return None, f"in a region of several municipalities ('{region.group(0)}')" + (
            ", with another place: no single place" if in_clause else "")
    unheld = _unheld_after(text, end, clause, named, number_spans)
    if unheld and not any(end <= m.start < end + 90 for m in in_clause):
        # "19 personas en el municipio de Camargo" in a sentence (or, where it names none, after one) naming Tamaulipas
        states = [m for m in mentions if m.kind == "state" and sentence[0] <= m.start < sentence[1]]
        whose = "its" if states else "the previous"
        states = states or [m for m in prev_mentions if m.kind == "state"]
        if len({m.place_id for m in states}) == 1:
            m = states[0]
            return m.place_id, (f"in a place the gazetteer does not hold ('{unheld}'), in the state {whose} sentence "
                                f"names ({folded[m.start:m.end]})")
        return None, f"said to be in or sent to a place the gazetteer does not hold ('{unheld}')"
    if not in_clause:
        outside = [m for m in in_sentence if not _in_aside(folded, m, sentence)]
        distinct = {m.place_id for m in outside}
        if len(distinct) == 1 and not wide_search(BORDER_WIDE, folded[clause[0]:clause[1]]):
            m = outside[0]
            return m.place_id, f"the sentence's only place ({folded[m.start:m.end]}), in another clause"
    if in_clause:
        mine = [m for m in in_clause if not _taken(folded, m, start, end, number_spans, in_clause)]
        if not mine:
            return None, "every place in its clause is nearer another number (a list of places and figures)"
        in_clause = mine
        nxt = [m for m in in_clause if m.start >= end and FOLLOWED_BY.search(folded, end, m.start)]
        if nxt and len(nxt) < len(in_clause):  # "Del Rio ... highest at 255, followed by the Rio Grande Valley"
            in_clause = [m for m in in_clause if m not in nxt]
        pool = in_clause
        mx = [m for m in in_clause if m.kind == "municipality"]
        us = [m for m in in_clause if m.kind != "municipality"]
        if mx and us:
            pool = us if measure in US_MEASURES else mx
        best = min(pool, key=lambda m: abs((m.start + m.end) / 2 - center))
        chain = _chain(folded, best, in_clause + us_states)
        if len({m.place_id for m in chain}) > 1 and not any(chain[0].start < a < chain[-1].end
                                                            for a, _ in number_spans):
            names = ", ".join(folded[m.start:m.end] for m in chain)
            twin = _twin(chain, measure)
            if twin is not None:
                return twin.place_id, f"a pair of border cities ({names}): the {'U.S.' if twin.kind != 'municipality' else 'Mexican'} one for this measure"
            return None, f"several places together ({names}): no single place"
        if best.kind == "us_state":
            return None, f"a U.S. state ({folded[best.start:best.end]}): not a place of the gazetteer"
        how = "nearest place in the figure's clause"
        if mx and us:
            how += (" (a U.S. place for court cases and encounters)" if measure in US_MEASURES
                    else " (the Mexican city, not the U.S. port, for this measure)")
        other = _with_unknown(text, best, mentions)
        if other:
            return None, f"several places together ({folded[best.start:best.end]} and {other}, which the gazetteer does not hold)"
        return best.place_id, f"{how} ({folded[best.start:best.end]})"
    frame = [m for m in in_sentence if FRAME.match(folded[sentence[0]:m.start])]
    if frame:
        return frame[0].place_id, f"the sentence opens with its place ({folded[frame[0].start:frame[0].end]})"
    clause_text = folded[clause[0]:clause[1]]
    if dateline_place is not None and THIS_CITY.search(clause_text):
        return dateline_place.place_id, (f"the dateline's city ({folded[dateline_place.start:dateline_place.end]}), "
                                         f"which the sentence calls '{THIS_CITY.search(clause_text).group(0)}'")
    this_city = THIS_CITY_NAMED.search(clause_text)
    if this_city and not in_sentence:
        m = _last_named(earlier or [], "municipality", start)
        if m is not None:
            return m.place_id, f"'{this_city.group(0)}': the city named last before it ({folded[m.start:m.end]})"
    wide = wide_search(BORDER_WIDE, clause_text)
    if wide and not re.fullmatch(r"in mexico|en mexico|en territorio mexicano|en estados unidos|in the united states|"
                                 r"in the u\.s\.", wide.group(0)):
        return None, f"border-wide or national ('{wide.group(0)}')"
    if not in_sentence:
        sentence_mentions = [m for m in mentions if sentence[0] <= m.start < sentence[1]]
        unknown = unknown_place(text, clause, mentions)
        if unknown and not sentence_mentions:
            return None, f"a place the gazetteer does not hold ('{unknown}')"
        prev_towns = _without_their_states({m.place_id for m in prev_mentions if m.kind in TOWN_KINDS + ("state",)})
        if len(prev_towns) == 1 and not sentence_mentions:
            pid = prev_towns.pop()
            return pid, f"the previous sentence's only place ({_name(folded, prev_mentions, pid)})"
        so_far: set[str] = set()
        for m in earlier or []:  # stops at the second place: only "exactly one" matters (and a long text has many)
            if m.kind in TOWN_KINDS and _landmark(folded, m):
                continue
            if m.kind in TOWN_KINDS or m.kind == "state":  # (a state in a cartel's name is no mention at all)
                so_far = _without_their_states(so_far | {m.place_id})
                if len(so_far) > 1:
                    break
        if not prev_towns and len(so_far) == 1 and not sentence_mentions:
            pid = so_far.pop()
            return pid, f"the only place the text has named so far ({_name(folded, earlier, pid)})"
        states = [m for m in mentions if m.kind == "state" and clause[0] <= m.start < clause[1]]
        if states:
            if len({m.place_id for m in states}) > 1:
                return None, "several states named: no single place"
            m = states[0]
            head = folded[max(clause[0], m.start - 40):m.start]
            if CONTEXT_BEFORE.search(head):
                return None, f"a state named as context, not as the place ({folded[m.start:m.end]})"
            if LOCATIVE_BEFORE.search(head):
                return m.place_id, f"the state the figure is said to be in ({folded[m.start:m.end]})"
            return m.place_id, f"the only state named in the figure's clause ({folded[m.start:m.end]})"
        sentence_states = [m for m in mentions if m.kind == "state" and sentence[0] <= m.start < sentence[1]]
        if len({m.place_id for m in sentence_states}) == 1 and \
                not wide_search(BORDER_WIDE, folded[sentence[0]:sentence[1]]) and \
                LOCATIVE_BEFORE.search(folded[max(sentence[0], sentence_states[0].start - 40):sentence_states[0].start]):
            m = sentence_states[0]  # 'migrants kidnapped ... while traveling by bus in Tamaulipas'
            return m.place_id, f"the sentence's only state, said as where it happened, in another clause " \
                               f"({folded[m.start:m.end]})"
    return None, "no place named for it"


RESPECTIVELY = re.compile(r"\b(?:respectively|respectivamente)\b")
RESPECTIVE_REASON = "'respectively'"  # how the reasons of the rule pairing a list's figures and places open


def _respective(folded: str, start: int, sentence: tuple[int, int], mentions: list[Mention],
                number_spans: list[tuple[int, int]], text: str | None = None) -> tuple[Mention | str, int, int] | None:
    """'Reynosa, Matamoros y Nuevo Laredo ... con 2 mil 758, 2 mil 439 y 2 mil 664, respectivamente': the
    i-th figure of the list is at the i-th place. (mention, i, count), or None when the counts differ. Where the
    places the gazetteer holds are fewer than the figures, the list is read again with the names it does not hold
    ('Hermosillo, Nogales, San Luis Río Colorado y Cajeme ... con cinco, cuatro, cuatro y tres, respectivamente'),
    and a figure at such a name gets the name instead of a mention."""
    resp = RESPECTIVELY.search(folded, start, sentence[1])
    if resp is None:
        return None
    places = [m for m in mentions if m.kind in TOWN_KINDS + ("state",) and sentence[0] <= m.start < resp.start()]
    before = [m for m in places if m.end <= start]
    if not before or any(m.start > start for m in places):
        return None
    chain: list[Mention | str] = list(_chain(folded, before[-1], places))
    run = [a for a, _ in number_spans if before[-1].end <= a < resp.start()]
    if len(chain) != len(run) and text is not None:
        items = _chain_with_unknown(folded, text, before[-1], places, sentence[0], start)
        chain = [x for x, _, _ in items]
        run = [a for a, _ in number_spans if items[-1][2] <= a < resp.start()]
    known = [m.place_id for m in chain if isinstance(m, Mention)]
    if start not in run or len(chain) != len(run) or len(set(known)) != len(known):
        return None
    i = run.index(start)
    return chain[i], i + 1, len(run)


# between two places of a 'respectively' list: "Chihuahua y de Guanajuato", "Tijuana, en Mexicali"
RESPECTIVE_GAP = r"(?:,\s*(?:(?:and|y|e)\s+)?|\s+(?:and|y|e)\s+)(?:(?:de|en|in)\s+)?"
RESPECTIVE_GAP_BEFORE = re.compile(RESPECTIVE_GAP + r"$")
RESPECTIVE_GAP_AFTER = re.compile(RESPECTIVE_GAP)


def _chain_with_unknown(folded: str, text: str, m: Mention, places: list[Mention], lo: int,
                        hi: int) -> list[tuple[Mention | str, int, int]]:
    """The places coordinated with `m` between offsets lo and hi, with the capitalised names the gazetteer does not
    hold among them ('Hermosillo, Nogales, San Luis Río Colorado, y Cajeme'): (mention or name, start, end) in
    order."""
    def name_at(a: int, b: int, backwards: bool) -> tuple[str, int, int] | None:
        hit = re.search(rf"(?<![\w.])({_NAME})$", text[a:b]) if backwards else re.match(rf"({_NAME})(?![\w])",
                                                                                      text[a:b])
        if not hit:
            return None
        name = hit.group(1)
        if _not_a_place(name):
            return None
        return name, a + hit.start(1), a + hit.end(1)

    items: list[tuple[Mention | str, int, int]] = [(m, m.start, m.end)]
    while True:  # leftwards
        gap = RESPECTIVE_GAP_BEFORE.search(folded, lo, items[0][1])
        if not gap or gap.start() == items[0][1]:
            break
        known = next((k for k in places if k.end == gap.start()), None)
        found = (known, known.start, known.end) if known else name_at(lo, gap.start(), True)
        if found is None:
            break
        items.insert(0, found)
    while True:  # rightwards
        gap = RESPECTIVE_GAP_AFTER.match(folded, items[-1][2], hi)
        if not gap or gap.end() == items[-1][2]:
            break
        known = next((k for k in places if k.start == gap.end()), None)
        found = (known, known.start, known.end) if known else name_at(gap.end(), hi, False)
        if found is None:
            break
        items.append(found)
    return items


_NAME = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*"
COORD_BEFORE = re.compile(rf"(?<![\w.])({_NAME})\s*,?\s+(?:y|and|e)\s+$")
COORD_AFTER = re.compile(rf"^\s+(?:y|and|e)\s+({_NAME})")


AND_OTHERS = re.compile(r",?\s+(?:and|y|e)\s+(?:in\s+|en\s+)?(?:\w+\s+)?(?:other|otras|otros|demás|several other|various other)\b"
                        r"(?:\s+[\w-]+)?", re.IGNORECASE)


def _unheld_after(text: str | None, end: int, clause: tuple[int, int], mentions: list[Mention],
                  number_spans: list[tuple[int, int]]) -> str | None:
    """A place the gazetteer does not hold that the figure ending at `end` is said to be in or sent to, later in its
    clause (within 90 characters, no other number between): 'otros 63 casos que se presentaron en el municipio de
    Sonoyta', 'de los cuales mil 55 han sido traídas a Monterrey'; or None."""
    if text is None:
        return None
    stop = min(clause[1], end + 90)
    for hit in UNHELD_AFTER.finditer(text, end, stop):
        if any(end <= a < hit.start() for a, _ in number_spans):
            return None
        name = hit.group(1)
        if _not_a_place(name) or not _unheld(mentions, hit.start(1), hit.end(1)):
            continue
        if any(hit.end(1) <= m.start <= hit.end(1) + 30 for m in mentions):  # "La Rumorosa, del municipio de
            return None  #                                                       Tecate": a part of a place it holds
        return name
    return None


def _with_unknown(text: str | None, m: Mention, mentions: list[Mention]) -> str | None:
    """A place the gazetteer does not hold, coordinated with `m` ('Naco and Agua Prieta', 'Mier y Reynosa'), or None."""
    if text is None:
        return None
    others = AND_OTHERS.match(text[m.end:m.end + 40])
    if others:
        return f"'{others.group(0).strip()}'"
    at = max(0, m.start - 40)
    for hit, base in ((COORD_BEFORE.search(text[at:m.start]), at), (COORD_AFTER.match(text[m.end:m.end + 40]), m.end)):
        if not hit:
            continue
        name, where = hit.group(1), base + hit.start(1)
        if _not_a_place(name) or any(k.start <= where < k.end for k in mentions):
            continue
        return name
    return None


def _last_named(mentions: list[Mention], kind: str, before: int) -> Mention | None:
    """The mention of that kind named last before `before` ("the sector", "esta entidad", "esta ciudad")."""
    return max((m for m in mentions if m.kind == kind and m.end <= before), key=lambda m: m.start, default=None)


def _twin(chain: list[Mention], measure: str) -> Mention | None:
    """In 'El Paso-Ciudad Juárez' (a U.S. place and a Mexican city named as one crossing), the one the measure is
    counted at: the U.S. place for court cases and encounters, else the Mexican city."""
    mx = [m for m in chain if m.kind == "municipality"]
    us = [m for m in chain if m.kind in ("us_port", "us_sector")]
    if len(chain) != 2 or len(mx) != 1 or len(us) != 1:
        return None
    return us[0] if measure in US_MEASURES else mx[0]


def _in_aside(folded: str, m: Mention, sentence: tuple[int, int]) -> bool:
    """Whether the place is in an 'including ...' aside of its sentence."""
    head = folded[sentence[0]:m.start]
    cut = max(head.rfind(", "), head.rfind(";"))
    return bool(re.search(r"\b(?:including|incluidos|incluidas|incluyendo|among them|entre ellos|entre ellas)\b",
                          head[cut + 1:] if cut >= 0 else head))


def _attached(folded: str, m: Mention, a: int, b: int) -> bool:
    """Whether the place is said of the number at folded[a:b] ('4 fueron en Mexicali', 'Reynosa: 4,210')."""
    if b <= m.start and re.fullmatch(r"[^.;,\d]{0,25}?\b(?:in|en|at|to|a)\s+(?:the\s+|la\s+|el\s+)?", folded[b:m.start]):
        return True
    return m.end <= a and bool(LIST_ITEM_AFTER.match(folded[m.end:a]))


def _taken(folded: str, m: Mention, start: int, end: int, number_spans: list[tuple[int, int]],
           mentions: list[Mention]) -> bool:
    """Whether another number, standing between the place and this figure, is the one the place is said of,
    in a list of figures each with its place ('19 detenidas, de los cuales 4 fueron en Mexicali y 11 en
    Tijuana': Mexicali is the 4's). A single place after two figures is both's ('73 migrantes y tres cuerpos
    en Piedras Negras')."""
    pairs = sum(1 for a, b in number_spans if (a, b) != (start, end)
                for x in mentions if _attached(folded, x, a, b))
    if pairs < 2:
        return False
    for a, b in number_spans:
        if (a, b) == (start, end):
            continue
        between = (m.start < a and b <= start) or (end <= a and b <= m.start)
        if not between:
            continue
        if _attached(folded, m, a, b):
            return True
    return False


def _between(folded: str, m: Mention, start: int, mentions: list[Mention]) -> str:
    """The text between a place and a number, skipping a state that qualifies the place ('Nogales, Sonora,')."""
    gap_start = m.end
    for s in mentions:
        if s.kind == "state" and m.end <= s.start < start and re.fullmatch(r",?\s*", folded[gap_start:s.start]):
            gap_start = s.end
    return folded[gap_start:start]


def _chain(folded: str, m: Mention, in_clause: list[Mention]) -> list[Mention]:
    """The places coordinated with `m` ("Tijuana, Mexicali and Ciudad Juárez"), in order."""
    ordered = sorted(in_clause, key=lambda x: x.start)
    i = ordered.index(m)
    lo = hi = i

    def joined(a: Mention, b: Mention) -> bool:
        gap = folded[a.end:b.start]
        if "us_state" in (a.kind, b.kind) and not re.fullmatch(r"\s+(?:and|y|or|o)\s+", gap):
            return False  # "El Paso, Texas": a state after a comma names where the city is
        return bool(CHAIN_GAP.match(gap))

    while lo > 0 and joined(ordered[lo - 1], ordered[lo]):
        lo -= 1
    while hi + 1 < len(ordered) and joined(ordered[hi], ordered[hi + 1]):
        hi += 1
    return ordered[lo:hi + 1]


# "21 en el resto del Estado", "en el resto de Chihuahua": the state, not the city named in the sentence
REST_OF = re.compile(r"\b(?:(?:el )?resto (?:de la |del |de )?(estado|entidad)?|(?:the )?rest of (?:the )?(state)?)\s*")


def _rest_of(folded: str, start: int, end: int, clause: tuple[int, int], number_spans) -> re.Match | None:
    """'el resto de(l) ...' said of this number: right after it ('21 en el resto del Estado') or before it with no
    other number between ('en el resto de Chihuahua se reportaron tres asesinatos')."""
    lo, hi = max(clause[0], start - 60), min(clause[1], end + 30)
    for m in REST_OF.finditer(folded, lo, hi):
        a, b = (end, m.start()) if m.start() >= end else (m.end(), start)
        if a <= b and not any(a <= s < b for s, _ in number_spans) and b - a <= (20 if m.start() >= end else 60):
            return m
    return None


NEWSPAPER_AFTER = re.compile(r"\s+(?:times|herald|union-tribune|tribune|morning news|daily star|inquirer|"
                             r"express-news|star-telegram|chronicle)\b")


def _newspaper(folded: str, m: Mention) -> bool:
    """A place in a U.S. newspaper's name ("the El Paso Times", "the San Diego Union-Tribune"): where it is published,
    not where a figure counts. (A Mexican city's paper, "El Diario de Juárez", reports that city's own figures, and
    readers take it as the place: kept.)"""
    return bool(NEWSPAPER_AFTER.match(folded, m.end))


UNIVERSITY_BEFORE = re.compile(r"\b(?:uc|university of california,?(?: at)?|universidad de california,?(?: en)?)\s+$")
UNIVERSITY_AFTER = re.compile(r"\s+state university\b")
HOSPITAL_AFTER = re.compile(r"\s+(?:health|medical|hospital)\b")


def _university(folded: str, m: Mention) -> bool:
    """A place in a university's name ("UC San Diego", "la Universidad de California en San Diego", "San Diego State
    University"): its researchers' figures count where their study does, not in the university's city. Its hospitals
    ("UC San Diego Health") treat people in that city: kept."""
    return bool((UNIVERSITY_BEFORE.search(folded[max(0, m.start - 40):m.start])
                 or UNIVERSITY_AFTER.match(folded, m.end)) and not HOSPITAL_AFTER.match(folded, m.end))


_ROAD = r"\b(?:carretera|autopista|highway|freeway)(?: (?:libre|federal|de cuota))?"
# a place that names a road, at its start or its end: "la carretera Reynosa-San Fernando", "the highway from Caborca
# to Sonoyta", "a highway between Praxedis and Guadalupe", "la carretera a Ciudad Juárez"
ROAD_BEFORE = re.compile(rf"{_ROAD}(?: (?:to|a|from|de|between|entre))?\s+"
                         r"(?:[\w.]+(?: [\w.]+){0,2}\s*(?:[-\u2013]|\bto\b|\band\b|\by\b|\ba\b)\s*)?$")
# "the Chihuahua City-Juarez highway"
ROAD_AFTER = re.compile(r"(?:\s*[-\u2013]\s*[\w.]+(?: [\w.]+){0,2})?\s+(?:highway|freeway)\b")


def _landmark(folded: str, m: Mention) -> bool:
    """A place named to say where something else is ("across the river from Brownsville", "al sur de Nogales"), or
    a road's ("en la carretera Reynosa-Matamoros")."""
    before = folded[max(0, m.start - 40):m.start]
    return bool(LANDMARK_BEFORE.search(before) or ROAD_BEFORE.search(before)
                or (ROAD_AFTER.match(folded, m.end) and (re.search(r"[-\u2013]\s*$", before)
                                                         or re.match(r"\s*[-\u2013]", folded[m.end:]))))


def _cartel_name(folded: str, m: Mention) -> bool:
    """A state named in a cartel's name ("the Sinaloa Cartel", "cartel de Sinaloa"), not as a place."""
    return bool(re.search(r"\bcartel(?: de| del)? $", folded[max(0, m.start - 11):m.start])
                or re.match(r" cartels?\b", folded[m.end:m.end + 9]))


def _without_their_states(ids: set[str]) -> set[str]:
    """The places, less a state named beside one of its own municipalities ("Matamoros, Tamaulipas" is one place)."""
    return {p for p in ids if not (len(p) == 2 and any(len(o) == 5 and o.startswith(p) for o in ids))}


def _name(folded: str, mentions: list[Mention], pid: str) -> str:
    m = next(m for m in mentions if m.place_id == pid)
    return folded[m.start:m.end]
