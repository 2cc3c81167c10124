"""Candidate reported figures from an article's text, by rules a careful reader follows.

A figure is a number that counts people or things ("55,000 migrants", "20 people dead",
"25 vehicles"), with the qualifier that bounds it ("more than", "alrededor de"), the place
it counts in (places.py), the period it covers where the text says ("in the space of five
days", "in October"), and what it measures (measures.py). Years, dates, ages, percentages,
money, ordinals, times, phone numbers, durations, measures and numbers inside names
("Title 42") are not figures (notfigures.py). Numbers are read as reporters write them in
English and Spanish (numbers.py), the Mexican press's "37 mil 118" included.

`explain` gives, for every number in the text, whether it was kept and which rule decided
each part; `extract` gives the kept figures. Everything here is a pure function of the text,
the gazetteer and the publication date.
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from ..config import reference_dir
from ..gazetteer import Gazetteer
from . import learned as learned_model
from . import learned_place
from . import measures
from .notfigures import not_a_figure
from .numbers import Number, find_numbers
from .periods import period
from .places import RESPECTIVE_REASON, THIS_CITY_NAMED, TOWN_KINDS, Mention, PlaceIndex, dateline, place_for
from .text import fold, sentences

__all__ = ["Candidate", "Decision", "PlaceIndex", "explain", "extract", "parse_published", "unmarked"]

QUALIFIERS = [  # (folded phrase before the number, qualifier); longest first at match time
    ("more than", "more_than"), ("over", "more_than"), ("upward of", "more_than"), ("upwards of", "more_than"),
    ("in excess of", "more_than"), ("greater than", "more_than"), ("mas de", "more_than"),
    ("poco mas de", "more_than"), ("arriba de", "more_than"), ("por encima de", "more_than"),
    ("superior a", "more_than"), ("superior a los", "more_than"), ("mas de los", "more_than"),
    ("mas de las", "more_than"), ("exceeded", "more_than"), ("topped", "more_than"), ("supero los", "more_than"),
    ("some", "approximately"), ("around", "approximately"), ("about", "approximately"),
    ("roughly", "approximately"), ("nearly", "approximately"), ("almost", "approximately"),
    ("approximately", "approximately"), ("approx.", "approximately"), ("close to", "approximately"),
    ("alrededor de", "approximately"), ("alrededor de los", "approximately"), ("alrededor de las", "approximately"),
    ("cerca de", "approximately"), ("cerca de los", "approximately"), ("cerca de las", "approximately"),
    ("casi", "approximately"), ("unos", "approximately"), ("unas", "approximately"),
    ("aproximadamente", "approximately"), ("aproximadamente unos", "approximately"),
    ("mas o menos", "approximately"), ("rondaba los", "approximately"), ("rondaba las", "approximately"),
    ("ronda los", "approximately"), ("rondan los", "approximately"),
    ("hovered around", "approximately"), ("just under", "less_than"), ("just over", "more_than"),
    ("surpassed", "more_than"), ("a maximum of", "up_to"), ("un maximo de", "up_to"), ("a estimated", "estimate"), ("an estimated", "estimate"),
    ("estimated", "estimate"), ("un estimado de", "estimate"), ("se estima que", "estimate"),
    ("se calcula que", "estimate"), ("estimates", "estimate"), ("estimated at", "estimate"),
    ("at least", "at_least"), ("no fewer than", "at_least"), ("no less than", "at_least"),
    ("a minimum of", "at_least"), ("al menos", "at_least"), ("por lo menos", "at_least"),
    ("cuando menos", "at_least"), ("minimo", "at_least"), ("un minimo de", "at_least"),
    ("fewer than", "less_than"), ("less than", "less_than"), ("under", "less_than"), ("below", "less_than"),
    ("menos de", "less_than"),
    ("up to", "up_to"), ("as many as", "up_to"), ("hasta", "up_to"),
]
QUALIFIERS += [("tops", "more_than"), ("aproximadamente a", "approximately"), ("oscilaba en", "approximately"), ("oscila en", "approximately"), ("hasta a", "up_to"), ("hasta unos", "up_to"), ("hasta unas", "up_to"),
               ("rebaso la cantidad de", "more_than"), ("rebaso la cifra de", "more_than"), ("rebaso los", "more_than"),
               ("no mas de", "up_to"), ("no hay mas de", "up_to"), ("no more than", "up_to"), ("not more than", "up_to"),
               ("at most", "up_to"), ("a lo mucho", "up_to"), ("maximo", "up_to"), ("como maximo", "up_to"),
               ("o maximo", "up_to"), ("en torno a", "approximately"), ("en torno a los", "approximately"),
               ("above the", "more_than"), ("went above the", "more_than"), ("supera los", "more_than"),
               ("superan los", "more_than"), ("superaron los", "more_than"), ("rebasaron los", "more_than"),
               ("revasaron los", "more_than"), ("rebasa los", "more_than"), ("aproximadamente de", "approximately"),
               ("hasta de", "up_to"), ("ca.", "approximately"), ("circa", "approximately")]
QUALIFIERS.sort(key=lambda q: -len(q[0]))
QUALIFIER_OF = dict(QUALIFIERS)
QUALIFIER_BEFORE = re.compile(r"(?:^|(?<=[^\w]))(" + "|".join(re.escape(p) for p, _ in QUALIFIERS) + r")\s+$"
                              r"|\b(al menos|por lo menos|cuando menos|at least),\s+$")  # "de, al menos, 14 personas"
# a range, "between 15 and 20", "entre 150 y 250", "de 30 a 40", "15 to 20", "dos o tres": the first figure is the
# least, the second the most. Not "rose from 15 to 20", a change between two figures.
_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|"
                 r"hundred|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|quince|veinte|treinta|cuarenta|"
                 r"cincuenta|cien|mil")
_NUMBER_START = rf"(?:\d|(?:{_NUMBER_WORDS})\b)"
RANGE_FIRST_AFTER = re.compile(rf"^\s*(?:to|and|y|a|o|or|-|–)\s*{_NUMBER_START}")
_RANGE_LOW = rf"(?:\d[\d.,]*|(?:{_NUMBER_WORDS})\b)"  # the range's first number, in digits or words
RANGE_SECOND_BEFORE = re.compile(rf"(?:\b(?:between|entre|de|from)\s+(?:unos?\s+|unas\s+)?{_RANGE_LOW}\s+(?:and|y|a|to|o|or)\s+|"
                                 r"\d\s*(?:-|–)\s*|\b[\w.,]*\d[\w.,]*\s+(?:to|a)\s+)$")
# verbs of a change between two figures ("rose from 87 to 124", "aumentaron de 87 a 124")
CHANGE_VERBS = (r"rose|risen|rising|increased|grew|fell|dropped|declined|decreased|went|jumped|climbed|"
                r"pas(?:o|aron|ar|ando|ara|aran)|ca(?:yo|yeron|er|yendo|yera|yeran)|sub(?:io|ieron|ir|iendo|iera|ieran)|"
                r"baj(?:o|aron|ar|ando|ara|aran)|"
                r"aument\w*|disminu\w*|crec\w*|increment\w*|elev\w*|reduj\w*|reduc\w*")
CHANGE_BEFORE = re.compile(rf"\b(?:{CHANGE_VERBS}|increase|decrease|up|down)\b[^.;]{{0,40}}$")
POST_QUALIFIERS = [(r"^\s*(?:or more|o mas)\b", "at_least"), (r"^\s*(?:or so)\b", "approximately"),
                   (r"^\s+(?:[a-z]+\s+){0,2}?(?:aproximadamente|approximately|mas o menos|more or less)\b", "approximately")]
ESTIMATE_NEAR = re.compile(r"\b(?:estimates?|estimated|estimacion\w*|estimad[oa]s?|estiman?|se calcula|calcula\w*)\b")


def _demonym_nouns() -> str:
    """The gazetteer's plural demonyms ("juarenses", "tamaulipecas"; data/reference/place_aliases.csv, whose notes
    say "demonym ... (plural)"), folded, as an alternation: people counted by a city's or a state's name for them."""
    try:
        with (reference_dir() / "place_aliases.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:  # a reference directory without aliases: no demonyms
        return ""
    names = {fold(r["alias"]) for r in rows if (r.get("note") or "").startswith("demonym") and "(plural)" in r["note"]}
    return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))


_NOUNS = (  # a longer name first: the first that matches is taken
    r"muertes (?:dolosas|alevosas|violentas)|migrants?|immigrants?|emigrants?|people|persons?|individuals?|asylum[- ]seekers?|asylum[- ]applicants?|applicants?|"
    r"refugees?|families|family units?|family members?|children|kids|minors?|adults?|men|women|returnees?|"
    r"deportees?|citizens?|nationals?|mexicans?|hondurans?|guatemalans?|salvadorans?|cubans?|venezuelans?|"
    r"central americans?|americans?|haitians?|nicaraguans?|ecuadorians?|brazilians?|foreigners?|residents?|detainees?|"
    r"cases?|court cases?|hearings?|claims?|applications?|complaints?|reports?|incidents?|attacks?|assaults?|"
    r"kidnappings?|abductions?|rapes?|murders?|homicides?|killings?|deaths?|bodies|corpses?|victims?|"
    r"shootings?|robberies|crimes?|vehicles?|cars?|trucks?|buses|names|students?|journalists?|"
    r"expulsions?|apprehensions?|encounters?|arrests?|detentions?|crossings?|decisions?|denials?|"
    r"dead|killed|murdered|wounded|injured|kidnapped|missing|detained|deported|returned|expelled|"
    r"migrantes?|inmigrantes?|emigrantes?|personas?|individuos?|solicitantes de asilo|solicitantes?|refugiados?|familias?|"
    r"ninos?|ninas?|menores?|adultos?|hombres|mujeres|retornados?|deportados?|repatriados?|devueltos?|"
    r"ciudadanos?|connacionales?|paisanos?|mexicanos?|hondurenos?|guatemaltecos?|salvadorenos?|cubanos?|"
    r"venezolanos?|centroamericanos?|haitianos?|extranjeros?|casos?|audiencias?|solicitudes?|denuncias?|"
    r"ataques?|agresiones?|secuestros?|robos|asaltos|hurtos|atracos|violaciones?|asesinatos?|homicidios?|feminicidios?|muertes?|cuerpos?|"
    r"cadaveres?|victimas?|carpetas(?: de investigacion)?|eventos?|hechos|delitos?|crimenes|expedientes?|"
    r"vehiculos?|autos?|carros?|camiones?|camionetas?|muertos?|muertas?|heridos?|lesionados?|asesinados?|"
    r"ejecutados?|secuestrados?|privados?|desaparecidos?|detenidos?|fallecidos?|ahogados?|asegurados?|"
    r"expulsados?|inscritos?|desplazados?|expulsiones?|detenciones?|aprehensiones?|encuentros?|cruces?|"
    r"habitantes|pobladores|infants|babies|bebes|others|otros|otras|ejecuciones|executions|"
    r"muertes dolosas|incendios|fires|arsons?|patients|pacientes|slayings|drownings|ahogamientos|suspects|"
    r"sospechosos|teenagers|teens|adolescentes|boys|girls|colombians?|peruvians?|mexicanos|captives|murderers|"
    r"indocumentados|pasajeros|passengers|sujetos|autobuses|automoviles|decesos|integrantes|narcotraficantes|"
    r"taxis|respondents|instances|"
    r"petitioners|peticionarios|peticiones|kidnappers|secuestradores|fatalities|rescues|rescates|survivors|"
    r"sobrevivientes|civilians|civiles|reportes|automotores|obreros|workers|trabajadores|osamentas|estadounidenses|norteamericanos|"
    r"restos humanos|remains|fallecimientos|incidentes|dolosos|culposos|unidades|returns|retornos|devoluciones|deportations|"
    r"deportaciones|desapariciones|disappearances|occupants|ocupantes|criminals|delincuentes|gunmen|"
    r"sicarios|pistoleros|homicide victims|inmates|reos|internos|plagios|levantones|casualties|"
    r"consultations|consultas|atenciones|patients|survivors|lives|vidas|deceased|femicides?|restos|querellas|registros|"
    r"recuperaciones|recoveries"
)
_DEMONYMS = _demonym_nouns()
if _DEMONYMS:
    _NOUNS += "|" + _DEMONYMS
NOUN = re.compile(rf"(?:{_NOUNS})\b")
PARTICIPLE = re.compile(r"dead|killed|murdered|wounded|injured|kidnapped|missing|detained|deported|returned|expelled|"
                        r"muert[oa]s?|herid[oa]s?|asesinad[oa]s?|secuestrad[oa]s?|desaparecid[oa]s?|detenid[oa]s?")
PEOPLE_NOUNS = re.compile(r"(?:people|persons?|personas?|women|men|mujeres|hombres|children|ninos?|ninas?|menores?|"
                          r"adults?|adultos?|migrants?|migrantes?|infants|babies|bebes|teenagers|adolescentes|boys|girls)")
CASE_NOUNS = re.compile(r"(?:cases?|casos?|carpetas(?: de investigacion)?|expedientes?|denuncias?|complaints?|reports?|"
                        r"reportes|incidents?|incidentes|eventos?|hechos|delitos?|crimes?|crimenes)")  # counts of whatever the sentence names
GENERIC_NOUNS = re.compile(r"(?:others|otros|otras|people|persons?|individuals?|personas?|individuos?|cases?|casos?|victims?|victimas?|"
                           r"eventos?|hechos|incidents?|reports?)$")
_FILLER_STOP = {
    "in", "en", "at", "on", "from", "since", "by", "to", "para", "por", "with", "con", "during", "durante", "over",
    "after", "before", "than", "que", "were", "was", "have", "has", "had", "are", "is", "be", "been", "fueron", "han",
    "ha", "son", "estan", "y", "and", "or", "o", "who", "which", "that", "quienes", "cuales", "se",
}
# MPP's names, as written in a folded text
_PROGRAMME_NAMES = r"remain in mexico|quedate en mexico|migrant protection protocols|mpp|protocolos? de proteccion (?:a|al|de) migrantes?"
_PROGRAMME = rf"[\"“«‘']?(?:{_PROGRAMME_NAMES})[\"”»’']?"
NOUN_AFTER = re.compile(rf"^[\s\-]*(?:(?:o mas|or more)\s+)?[\"“«']?((?:(?:{_PROGRAMME}|[a-z'\-]+)\s+){{0,3}}?)({_NOUNS})\b")

ELLIPSIS_BEFORE = re.compile(r"(?:including|incl\.|among them|of whom|of which|of them|incluidos|incluidas|"
                             r"incluyendo|entre ellos|entre ellas|de los cuales|de las cuales|de ellos|de ellas|"
                             r"while|mientras|and|y|compared with|compared to|frente a|contra|cifra que .{0,40}|"
                             r"versus|vs\.?|up from|down from|compared with|compared to|respecto a|"
                             r"en comparacion con|cifra|la cifra|the figure|los|las|con|with|at|sometimes|a veces|often|usually|a|to|"
                             r"[–—(])\s*,?\s+(?:[a-z]+\s+){0,3}$|(?:,|;|\by\b|\band\b)\s*$")
# "346 asesinatos, un año después 265": the figure of another year, of what the figure before it counts
TIME_ELLIPSIS = re.compile(r"(?:(?:un|a|one|the) (?:ano|year) (?:despues|antes|later|earlier|before)|"
                           r"(?:al|el) ano (?:siguiente|anterior|pasado)|the (?:following|next|previous) year|"
                           r"(?:in|en|para|by|for) (?:(?:fiscal|el|fy) )?\d{4}|"
                           r"(?:el |on )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|"
                           r"wednesday|thursday|friday|saturday|sunday))\s*,?\s*(?:(?:with|con)\s+)?$")
OF_THEM_AFTER = re.compile(r"^\s+(?:of them|of those|of whom|of which|de ellos|de ellas|de los cuales|de las cuales|"
                           r"de estos|de estas|more|mas)\b")
SUBJECT_VERB_AFTER = re.compile(
    r"^\s+(?:(?:who|que|quienes)\s+)?(?:(?:no|todavia|aun|ya|se|only|still|also|tambien|solo|have|had|has|han|habian|"
    r"had been|have been)\s+)*"
    r"(?:were|was|are|is|had|have|has|did|fueron|habian|han|ha|estaban|estan|eran|son|seguian|siguen|tenian|"
    r"tienen|obtuvieron|lograron|asistieron|got|received|remained|remain|permanecen|permanecian|quedaron|"
    r"died|murieron|fallecieron|llegaron|arrived|came|salieron|left|went|fled|huyeron|presentado|asistido|"
    r"reported|denunciaron|ocurrieron|occurred|happened|took place|sucedieron|se registraron|fue|was|recibieron|"
    r"received|obtained|fueron|resultaron|se encuentran|se encontraban|\w{3,}(?:aron|ieron)|(?<=who )[a-z]{3,}ed)\b")
NUMBER_OF = re.compile(rf"\b(?:number|numero|total|cifra|count|conteo|tally|suma)\s+(?:of|de)\s+(?:[a-z]+\s+){{0,2}}?"
                       rf"({_NOUNS})\b")
CITY_OF = re.compile(r"\b(?<!tent )(?<!carpas )(?:city|town|municipality|ciudad|municipio|poblacion|population)\s+(?:of|de)\s+$")
LEFT_CAMP = re.compile(r"\b(?:left|leave|leaving|abandon\w*|salieron de|dejaron|desalojad\w*|moved out of)\s+"
                       r"(?:\w+\s+){0,2}(?:camps?|encampments?|shelters?|albergues?|campamentos?|tents?)\b|"
                       r"\b(?:trasladad\w*|busloads|bused)\b")
# "homicides went from 1,960 in 2020 to 2,170", "brought the total of victims to 2,502", "aumentaron de 87 a 124"
CHANGE_TO = re.compile(rf"\b(?:{CHANGE_VERBS}|brought|escal\w*|lleg\w*|ascendi\w*)\b[^.;]{{0,50}}?\b"
                       r"(?:from|to|de|a|hasta)\s+$")
# people taken out of MPP into the United States: "transferred out of MPP", "allowed into the country"
LET_IN = re.compile(r"\b(?:transferred (?:out of (?:the )?(?:mpp|program)|(?:from mpp )?to (?:regular )?(?:u\.s\. )?"
                    r"immigration courts)|(?:allowed|permitted) (?:to )?(?:into|enter|cross into) (?:the )?(?:country|u\.?s\.?|united states)|"
                    r"able to enter (?:the )?(?:u\.?s\.?|united states)|admitted (?:in)?to (?:the )?(?:u\.?s\.?|united states)|"
                    r"ingresaron a (?:ee\.? ?uu\.?|estados unidos|eu)|(?<!para )(?<!esperan )(?<!buscan )(?<!intentan )"
                    r"ingresar a (?:ee\.? ?uu\.?|estados unidos)|"
                    r"cruce de (?:\w+ ){0,3}(?:de mexico )?a (?:estados unidos|ee\.? ?uu\.?)|abrio las puertas a|"
                    r"opened (?:its|the) doors to|permiti\w* (?:\w+ )?(?:cruzar|ingresar|entrar)|"
                    r"released (?:[\w.,-]+ ){0,6}?into (?:the )?(?:u\.?s\b|united states|country)|(?<!no )logr\w+ cruzar|cruzad[oa]s? (?:\w+ ){0,4}hacia (?:texas|estados unidos|ee\.? ?uu)|allowed to cross|allow\w* (?!them |him |her |you )(?:[\w,-]+ ){0,8}?to enter)\b")
BACKLOG = re.compile(r"\b(?:backlog|retraso judicial|retraso judicia|rezago|active docket|whole court|"
                     r"immigration court's|todas las cortes)\b")
PEOPLE_OR_MIGRANTS = ("people", "persons", "migrants", "migrantes", "personas", "individuals", "asylum seekers",
                      "asylum-seekers", "solicitantes")
FREED = re.compile(r"\b(?:rescat\w+|liberaron|libero|liberad[oa]s|rescued|freed|released|set free|"
                   r"puest[oa]s en libertad)\b")
CITIES_OF_SIZE = re.compile(r"\b(?:ciudades|ciudad|municipios?|localidad(?:es)?|poblaciones|cities|city|towns?|"
                            r"communities|comunidades)\b[^.;]{0,40}$")
# "Con 2 millones de habitantes, Tijuana registró ...", "de sus alrededor de 7 mil habitantes", "para 1,328,017
# habitantes": a place's population (not "registra 2,877 habitantes ... desplazados", nor "sus 6,300 habitantes, que
# huyeron", said to do something)
HAS_POPULATION = re.compile(r"\b(?:con|de|para|sus|su)\s+(?:(?:alrededor de|unos|unas|mas de|cerca de|casi|poco mas de|"
                            r"apenas)\s+)?$")
SAID_OF = re.compile(r"\s*(?:originales\s*)?,?\s*(?:que|quienes|los cuales|who)\b")  # "..., que huyeron"
PER_CAPITA = re.compile(r"\s+(?:per capita|per cápita|por habitante|per (?:100|1,000|10,000|100,000)\b|"
                        r"por cada (?:100|1,000|10 mil|100 mil|cien mil|mil)\b)")
POPULATION_NOUNS = re.compile(r"people|residents|inhabitants|habitantes|personas|pobladores")
# a bare number as the subject of a passive verb that says what happened to people: "16,000 were sent"
SUBJECT_OF = re.compile(r"^\s+(?:were|have been|had been|fueron|han sido|habian sido)\s+"
                        r"(?:sent|returned|kidnapped|killed|murdered|displaced|deported|expelled|enrolled|"
                        r"devueltos|enviados|retornados|secuestrados|asesinados|desplazados|deportados)\b")
REACHES = re.compile(r"(?:averaged|promedio|promediaba|rondaba|rose to|climbed to|grew to|reached|to|a|broke|topped|surpassed|totaled|totalled|stood at|stands at|is now|was|is|"
                     r"llego a|ascendio a|sumo|suma|sumaron|suman|alcanzo|es de|fue de|era de|asciende a|"
                     r"asciende|de|of|:)\s+(?:[a-z]+\s+){0,2}$")
COUNT_VERB = re.compile(r"(?::|there (?:were|are|have been|had been)|hubo|habia|hay|se registraron|se registro|"
                        r"totaliz\w*|(?:han |ha |habian )?llegado (?:a|hasta)|"
                        r"toll\b[^.;]{0,40}?\b(?:increased|rose|climbed|grew|jumped) to|ya son|son ya|oscilaba en|"
                        r"oscila en|llego a la cifra de|alcanzo la cifra de|"
                        r"will be|would be|is expected to (?:be|reach|exceed|top)|sera de|seran|an average of|"
                        r"(?:death )?toll (?:at|of|to|rose to|reached)|(?:un )?saldo de|se documentaron|documentaron|"
                        r"van|suman|acumulan|se contabilizan|se situaron en|se ubicaron en|stood at|murieron|"
                        r"mataron a|asesinaron a|secuestraron a|secuestrando a|killed|kidnapped|abducted|"
                        r"quedan|quedaban|han ingresado|ingresaron|llegaron|contabilizo|registro|registraron|"
                        r"registrarse|reporto|reportaron|counted|recorded|documented|documento|"
                        r"rondaba|ronda|rondan|averaged|promedio|promediaba|sumando|total de|un total de|"
                        r"a total of|era de|eran|se denegaron|se concedieron|"
                        r"se contabilizaron|se contaron|sumaron|suman|sumo|suma|totaled|totalled|reached|"
                        r"rose to|climbed to|fell to|dropped to|alcanzo|alcanzaron|llego a|llegaron a|ascendio a|"
                        r"asciende a|asciende|fueron|were|fue de|es de)\s+(?:[a-z]+\s+){0,2}$")
ANAPHORA = re.compile(r"\b(?:them|they|those|these|such|this figure|that figure|the figure|ellos|ellas|estos|estas|esos|"
                      r"esas|dichos|dichas|la cifra|esa cifra|esta cifra|el total|the total|en tanto|meanwhile|"
                      r"mientras tanto|asimismo|likewise|por su parte|another|otros|otras|further|additional|"
                      r"del total|of the total|el resto|the rest)\b")
# "45 people being rescued", "29 others were rescued", "as many as 37 were saved", "24 reos se dieron a la fuga"
RESCUED_OR_ESCAPED = re.compile(r"^\s+(?:[a-z]+\s+){0,2}?(?:were |was |fueron |han sido |being |have been |had been )?"
                                r"(rescued|saved|rescatad[oa]s|salvad[oa]s|escaped|se fugaron|se dieron a la fuga|"
                                r"se evadieron|fugad[oa]s|desaparecid[oa]s|missing|disappeared)\b")
# "se habían logrado rescatar 379 migrantes", "rescued 37 people": counted as rescued
RESCUED_BEFORE = re.compile(r"\b(?:rescat(?:ar|aron|o|an)|rescued|saved|salvaron|liberaron|libero|freed)\s+(?:a\s+)?"
                            r"(?:(?:al menos|at least|unos|unas|some|about|mas de|more than|otros|otras|another)\s+)?$")
# the people counted did something of their own: "One thousand people marched." after a sentence of killings counts
# marchers, not killings (the labelling guide: protesters are `other`)
OWN_ACTION = re.compile(r"\b(?:march(?:ed|ing)?|protest(?:ed|ing)?|rallied|demonstrated|gathered|attended|signed|"
                        r"marcharon|marchaban|protestaron|se manifestaron|se reunieron|asistieron|participaron|"
                        r"firmaron)\b")
# a sentence that only presents a count of what the sentence before was about: "Son cerca de mil 600 migrantes."
PRESENTING = re.compile(r"^\W*(?:son|eran|fueron|there (?:are|were)|hay|habia)\s+(?:(?:cerca de|unos|unas|alrededor de|"
                        r"mas de|about|some|more than|around|nearly|casi|aproximadamente)\s+)?$")
CLAUSE_BREAK = re.compile(r";|,?\s+(?:including|incluyendo|incluidos|incluidas|while|whereas|mientras)\b")
QUOTE_TAIL = re.compile(r"(?:,|;|\s)+(?:and|y|where|donde|and where|y donde|but|pero|while|mientras)?\s*$")
NOTHING_COUNTED_AFTER = re.compile(r"^\s*(?:[,.;:()\u2014\u2013-]|$|(?:in|en|during|durante|this|last|este|esta|el|"
                                   r"la|los|por|desde|since|from|y|and|as|como|at|al|a|to|through|hasta|until|"
                                   r"times|veces|de|del|of|more|mas|others|otros|otras|on|the|for|per|by|under|"
                                   r"among|out|previously|before|earlier|after|ago|each|apiece|only|daily|diarios|"
                                   r"diarias|anteriormente|antes|despues|cada uno|this|that|last|next|so far|so|vs|versus|"
                                   r"across|throughout|nationwide|statewide|in all|in total|en total|"
                                   r"\w+(?:ados|idos|adas|idas|ed))\b)")
PENDING = re.compile(r"\b(?:pending|pendientes?|sin resolver|en espera|still open|remain(?:ed)? open|awaiting|activos|active|"
                     r"abiertos)\b")
SUBJECT_COUNT = re.compile(r"\b(?:the|las|los|el|la)\s+([a-z]+s)\s+(?:fueron|were|sumaron|totaled|totalled|reached|"
                           r"llegaron a|alcanzaron|numbered|ascendieron a|total|suman|stand at|stood at)\s+$")
# "murders total 13": a counted noun with no article before a verb of counting in the present
BARE_SUBJECT_COUNT = re.compile(rf"(?:^|[,;:]\s*|\b(?:and|y)\s+)((?:{_NOUNS}))\s+(?:total|totaled|totalled|"
                                r"numbered|stand at|stood at|suman|sumaron|ascienden a|ascendieron a)\s+$")
PREDICATE_STOP = re.compile(r"^(?:and|y|or|o|but|pero|while|mientras|,|;)$")


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
    # the learned models' share for the measure and the place given (None with the rules alone, or where a rule the
    # models do not read decided: a guide's answer, a 'respectively' list), and the parts a reviewer should check
    # first: those whose share is below learned.CHECK_MEASURE_BELOW / learned_place.CHECK_BELOW
    measure_p: float | None = None
    place_p: float | None = None
    check: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        if float(self.value).is_integer():
            d["value"] = int(self.value)
        return d


@dataclass
class Decision:
    """One number in the text: kept as a candidate or dropped, and the rule behind each part."""
    number: str  # as written
    start: int
    end: int
    value: float
    kept: bool
    rules: dict[str, str] = field(default_factory=dict)  # part -> rule (number, noun, measure, qualifier, place, ...)
    candidate: Candidate | None = None

    def to_dict(self) -> dict:
        value = int(self.value) if float(self.value).is_integer() else self.value
        out = {"number": self.number, "value": value, "kept": self.kept, "rules": self.rules}
        if self.candidate is not None:
            out["candidate"] = self.candidate.to_dict()
        return out


# --------------------------------------------------------------------------- context


NOT_PEOPLE_AFTER = re.compile(r"^\s+(?:cities|ciudades|authorities|autoridades|government|gobiernos?|states|estados|"
                              r"border|frontera|officials|funcionarios|soldiers|agents|police|guard\w*|guardia|"
                              r"municipalities|municipios|towns|companies|empresas)\b")


def _noun_match(folded: str, n: Number, limit: int) -> tuple[str, int] | None:
    """The counted noun after a number and where it ends; the head of "Mexican citizens" is "citizens"."""
    m = NOUN_AFTER.match(folded[n.end:limit])
    if not m or any(w in _FILLER_STOP or w in ("al", "del") or re.search(r"(?:adas|idas|ados|idos)$", w)
                    for w in re.sub(_PROGRAMME, " ", m.group(1)).split()):
        return None
    if NOT_PEOPLE_AFTER.match(folded[n.end + m.end():limit]):
        return None  # "two Mexican cities", "Hundreds of National Guardsmen"
    noun, end = m.group(2), n.end + m.end()
    while True:
        nxt = re.match(rf"\s+({_NOUNS})\b", folded[end:limit])
        if not nxt or PARTICIPLE.fullmatch(nxt.group(1)):
            return noun, end
        noun, end = nxt.group(1), end + nxt.end()


def _qualifier(folded: str, n: Number) -> tuple[str, int, str]:
    """(qualifier, where the quote starts, the rule)."""
    base = max(0, n.start - 30)
    if folded[max(0, n.start - 1):n.start] == "~" or folded[max(0, n.start - 2):n.start] == "~ ":
        return "approximately", n.start - 1, "'~' before the number"
    m = QUALIFIER_BEFORE.search(folded, base, n.start)
    if m:  # the leftmost match that ends at the number is the longest phrase
        phrase = m.group(1) or m.group(2)
        return QUALIFIER_OF[phrase], m.start(1 if m.group(1) else 2), f"'{phrase}' before the number"
    after = folded[n.end:n.end + 40]
    for pattern, q in POST_QUALIFIERS:
        m = re.match(pattern, after)
        if m:
            return q, n.start, f"'{m.group(0).strip()}' after the number"
    if n.vague:
        kind = "a vague plural" if n.form == "vague plural" else "a round collective"
        return "approximately", n.start, f"{kind} ('{folded[n.start:n.end]}'): an order of magnitude"
    head = folded[max(0, n.start - 60):n.start]
    if not CHANGE_BEFORE.search(head):
        if RANGE_FIRST_AFTER.match(folded[n.end:n.end + 20]) and not _share_after(folded, n.end) and (
                re.search(r"\b(?:between|entre|de|from|with|con)\s+$", head) or
                re.match(r"^\s*(?:to|a|-|–|o|or)\s|^[-–]\d", folded[n.end:n.end + 6])):
            return "at_least", n.start, "the low end of a range"
        second = RANGE_SECOND_BEFORE.search(head)
        if second and (re.search(rf"\b(?:between|entre|de|from)\s+(?:unos?\s+|unas\s+)?{_RANGE_LOW}\s+"
                                 r"(?:and|y|a|to|o|or)\s+$", head)
                       or not re.search(r"\b(?:and|y)\s+$", head)):
            return "up_to", n.start, "the high end of a range"
    return "exact", n.start, "no qualifying word"


def _clauses(folded: str, s: int, e: int) -> list[tuple[int, int]]:
    spans, start = [], s
    for m in CLAUSE_BREAK.finditer(folded, s, e):
        spans.append((start, m.start()))
        start = m.start()
    spans.append((start, e))
    return spans


def _predicate(folded: str, noun_end: int, limit: int) -> tuple[int, bool]:
    """Where the words said of the counted noun end, and whether they list kinds of it ('cases of
    kidnapping, rape and torture'): up to four words, stopping at a conjunction or a comma, or the whole
    list after 'of'/'de'."""
    aside = re.match(r"^\s*,\s*[^,;.\d]{1,50},(?=\s)", folded[noun_end:limit])
    if aside and SUBJECT_VERB_AFTER.match(folded[noun_end + aside.end():limit]):
        noun_end += aside.end()  # 'Más de 18 mil migrantes, principalmente centroamericanos, fueron regresados'
    rest = folded[noun_end:limit]
    m = re.match(r"^\s+(?:of|de)\s+[\w\s,]{0,80}?(?=[.;:]|$|\s+(?:in|en|against|contra|from|desde|since|desde|"
                 r"during|durante|by|por|at|who|que)\b)", rest)
    if m and "," in m.group(0) or m and re.search(r"\s(?:and|y|or|o|e)\s", m.group(0)):
        return noun_end + m.end(), True
    end = noun_end
    for w in re.finditer(r"\s*([\w'-]+|[,;])", rest):
        if PREDICATE_STOP.match(w.group(1)) or w.start() > 0 and end - noun_end > 40:
            break
        end = noun_end + w.end()
        if len(folded[noun_end:end].split()) >= 4:
            break
    return end, False


def _measure(folded: str, n: Number, noun_end: int | None, zone: tuple[int, int], ctx: dict,
             clause: tuple[int, int], alone: bool = True) -> tuple[str, str]:
    """(measure, rule): first from what is said of the counted noun, else the nearest measure word in the zone."""
    center = (n.start + n.end) // 2
    if noun_end is not None:
        end, listed = _predicate(folded, noun_end, zone[1])
        lawyers = measures.LAWYERS.search(folded[noun_end:end])
        share_of = re.search(r"(?:%|percent|por ciento|\d)\s+(?:of|de)\s+(?:the\s+|los\s+|las\s+)?$",
                             folded[max(0, n.start - 30):n.start])  # '7% of 67,790 in MPP had attorneys': the whole
        if lawyers and not share_of:
            return "other", f"a count of people with '{lawyers.group(0)}' (not of cases)"
        programme = re.search(_PROGRAMME, folded[n.end:noun_end])
        if programme:  # '16,000 "Remain in Mexico" cases': the programme's name says which cases, not what happened
            lo, hi = max(0, n.start - 60), min(len(folded), noun_end + 60)  # a short piece: not a copy of the text
            blank = folded[lo:n.end] + re.sub(_PROGRAMME, lambda m: " " * len(m.group(0)), folded[n.end:noun_end]) + \
                folded[noun_end:hi]
            own, own_word, _ = measures.nearest(blank, (n.start - lo, noun_end - lo), center - lo, ctx,
                                                kinds_listed=listed)
            if own == "other" and re.search(r"\b(?:cases?|casos?)\s*$", folded[n.start:noun_end]):
                if PENDING.search(folded[noun_end:min(noun_end + 30, clause[1])]):
                    return "mpp_pending_cases", f"'{folded[n.end:noun_end].strip()}': cases of the programme, pending"
                return "mpp_court_cases", f"'{folded[n.end:noun_end].strip()}': cases of the programme"
        else:
            own, own_word, _ = measures.nearest(folded, (n.start, noun_end), center, ctx, kinds_listed=listed)
        if own == "mpp_court_cases" and PENDING.search(folded[noun_end:end + 20]):
            return "mpp_pending_cases", f"'{own_word}', the counted noun, said to be pending"
        if own not in ("other", "mpp_returned"):
            return own, f"'{own_word}', the counted noun"
        found, word, _ = measures.nearest(folded, (noun_end, end), noun_end, ctx, kinds_listed=listed)
        if found != "other":
            return found, f"'{word}' said of the counted noun"
        if word is not None:  # a measure word that does not count here ('heridos' in a crash): said of it, so other
            return "other", f"'{word}' said of the counted noun, which is no measure here (hurt in a fall, fire or crash)"
        if own == "other" and own_word is not None:
            return "other", f"'{own_word}', the counted noun, which is no measure here (hurt in a fall, fire or crash)"
        if own != "other":
            return own, f"'{own_word}', the counted noun"
    verb = measures.governing_verb(folded, n.start, ctx)
    if verb:
        return verb
    noun_text = folded[n.end:noun_end] if noun_end else ""
    if re.search(r"\b(?:cases?|casos?|expedientes?)\b", noun_text) and ctx["mpp_here"] and not \
            measures.VIOLENCE.search(folded[clause[0]:clause[1]]):
        pending = PENDING.search(folded[n.start:min(noun_end + 40, clause[1])])
        return ("mpp_pending_cases", "MPP cases said to be pending") if pending else (
            "mpp_court_cases", "cases in a sentence about MPP")
    found, word, dist = measures.nearest(folded, zone, center, ctx)
    if found in ("mpp_returned", "mpp_enrolled", "other"):
        victims = measures.VICTIMS_OF.search(folded[clause[0]:clause[1]])
        if victims and victims.start() > n.start:
            hit = measures.nearest(folded, (victims.start(), victims.end()), victims.end(), ctx)
            if hit[0] in measures.VIOLENT_KINDS:
                return hit[0], f"the people counted are said to be victims: '{victims.group(0)}'"
    in_mpp = IN_MPP.match(folded, noun_end) if noun_end is not None else None
    if found != "other" and not (in_mpp and dist > FAR_MEASURE_WORD):
        return found, f"nearest measure word in the clause: '{word}' ({dist} characters away)"
    if word is not None and found == "other":
        return "other", f"nearest measure word in the clause: '{word}', which is no measure here (hurt in a fall, " \
                        f"fire or crash)"
    if alone:
        found, word, dist = measures.nearest(folded, clause, center, ctx)
        if found != "other" and not (in_mpp and dist > FAR_MEASURE_WORD):
            return found, f"the measure word of its clause: '{word}' ({dist} characters away)"
    if in_mpp:
        return "mpp_enrolled", f"people '{in_mpp.group(0).strip()}', and nothing else said of them nearby"
    return "other", "no measure word near it"


FAR_MEASURE_WORD = 100  # characters: a measure word farther than this in the clause does not outweigh "people in MPP"


def _sentence_measure(folded: str, sentence: tuple[int, int], ctx: dict) -> tuple[str, str | None]:
    """The sentence's measure when it names exactly one."""
    kinds = set()
    word = None
    for measure, pattern in measures.PATTERNS:
        for m in pattern.finditer(folded, sentence[0], sentence[1]):
            here = measures._allowed(measure, m.group(0), ctx)
            if here:
                kinds.add(here)
                word = m.group(0)
    return (kinds.pop(), word) if len(kinds) == 1 else ("other", None)


# --------------------------------------------------------------------------- the extractor


def extract(text: str, gazetteer: Gazetteer, *, published: date | None = None,
            places: PlaceIndex | None = None, title: str | None = None,
            learned: bool | tuple[str, ...] = True) -> list[Candidate]:
    """Candidate figures in `text`, in reading order, each reported once."""
    return [d.candidate for d in explain(text, gazetteer, published=published, places=places, title=title,
                                         learned=learned) if d.kept]


def explain(text: str, gazetteer: Gazetteer, *, published: date | None = None,
            places: PlaceIndex | None = None, title: str | None = None,
            learned: bool | tuple[str, ...] = True) -> list[Decision]:
    """Every number in `text`, in reading order: kept or dropped, and which rule decided each part.
    `title`: the article's headline, when it is not in `text`: it tells whether the article is about MPP.
    `learned`: which learned second opinions (extractor.learned) to take: True for all three, False for the rules
    alone, or some of learned.PARTS: "figure" keeps numbers the rules drop for want of a counted noun where that
    model is sure they are figures; "measure" has the last word on each kept figure's measure; "place" on its
    place (learned_place.py)."""
    parts = set(learned_model.PARTS) if learned is True else set(learned or ())
    folded_title = fold(title) if title else None
    folded = fold(text)
    places = places or PlaceIndex(gazetteer)
    mentions = places.mentions(folded, text)
    dateline_place = dateline(text, folded, mentions)
    mpp_context = bool(measures.MPP_CONTEXT.search(folded) or (title and measures.MPP_CONTEXT.search(fold(title))))
    spans = sentences(text)
    every = find_numbers(folded)
    decisions: list[Decision] = []
    numbers: list[Number] = []
    excluded_rules: dict[int, str] = {}
    for n in every:
        rule = not_a_figure(folded, n, lambda after: bool(NOUN.match(after)))
        if rule:
            excluded_rules[n.start] = rule
            decisions.append(Decision(text[n.start:n.end], n.start, n.end, n.value, False,
                                      {"number": n.form, "dropped": f"not a figure: {rule}"}))
        else:
            numbers.append(n)
    number_spans = [(n.start, n.end) for n in numbers]
    figure_model = learned_model.load(learned_model.FIGURE_PATH) if "figure" in parts else None

    def rescue(n: Number, sentence, previous) -> str | None:
        """Why the figure model keeps a number with no counted noun, or None where it does not."""
        if figure_model is None:
            return None
        feats = learned_model.figure_features(folded, sentence, previous, n.start, n.end, n.form, n.value,
                                              folded_title)
        judged = figure_model.judge(feats, "drop", learned_model.MIN_FIGURE_PROBABILITY)
        if judged.label != "keep":
            return None
        why = figure_model.because(judged)
        return (f"no counted noun, but the learned figure model takes it for a figure (p {judged.probability:.2f})"
                + (f"; because {why}" if why else ""))

    seen: set[tuple] = set()
    prev_sentence: tuple[int, int] | None = None
    prev_last: Candidate | None = None
    number_starts = [n.start for n in numbers]
    mention_starts = [m.start for m in mentions]
    every_starts = [n.start for n in every]

    def between(items, starts, a, b):
        return items[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]

    prev_kept: list[Decision] = []
    for k, sentence in enumerate(spans):
        s0, s1 = sentence
        next_text = folded[spans[k + 1][0]:spans[k + 1][1]] if k + 1 < len(spans) else ""
        in_sentence = between(numbers, number_starts, s0, s1)
        prev_mentions = between(mentions, mention_starts, *prev_sentence) if prev_sentence else []
        sentence_mentions = between(mentions, mention_starts, max(0, s0 - 1), s1 + 1)
        clauses = _clauses(folded, s0, s1)
        ctx = measures.context(folded[s0:s1], mpp_context,
                               any(m.kind in ("municipality", "state") for m in sentence_mentions),
                               folded[prev_sentence[0]:prev_sentence[1]] if prev_sentence else "", next_text)
        last: Candidate | None = None
        for i, n in enumerate(in_sentence):
            d = _decide(text, folded, n, i, in_sentence, sentence, clauses, ctx, last, prev_last, prev_sentence,
                        sentence_mentions, prev_mentions, number_spans, places, published, mpp_context,
                        dateline_place, between(mentions, mention_starts, 0, s0),
                        between(every, every_starts, s0, s1), excluded_rules,
                        [(x.start, x.end) for x in in_sentence], rescue)
            decisions.append(d)
            if not d.kept:
                continue
            last = d.candidate
            _drop_if_repeated(d, seen)
        here = [d for d in decisions[-len(in_sentence):] if d.kept] if in_sentence else []
        if k + 1 < len(spans):
            _city_named_next(folded, here, clauses, between(mentions, mention_starts, *spans[k + 1]), places.display)
        _coordinated(folded, here)
        _totals(folded, prev_kept, here, places.display)
        prev_kept = here
        prev_sentence = sentence
        prev_last = last or prev_last
    decisions.sort(key=lambda d: d.start)
    place_text = None
    if "place" in parts:
        title_mentions = places.mentions(folded_title, title) if title else []
        place_text = learned_place.PlaceText.of(folded, spans, mentions, title_mentions, dateline_place,
                                                [d.start for d in decisions if d.kept])
    if "measure" in parts or place_text is not None:
        _second_opinion(decisions, folded, spans, folded_title, "measure" in parts, place_text, places.display)
    return decisions


def unmarked(found: list[Candidate]) -> list[Candidate]:
    """The candidates no part of which is marked for review (`check` empty): what `extract --unmarked-only` prints
    and `tools/score_extractor.py --unmarked-only` scores."""
    return [c for c in found if not c.check]


def _drop_if_repeated(d: Decision, seen: set[tuple]) -> None:
    """Drop a kept figure whose measure, value, qualifier and place were already reported in this text."""
    c = d.candidate
    key = (c.metric, c.value, c.qualifier, c.place_id)
    if key in seen:
        d.kept = False
        d.rules["dropped"] = "the same figure was already reported in this text"
    else:
        seen.add(key)


GUIDE_CORRECTION = "; but "  # how a measure rule that applies one of the guide's answers says so (see _decide)


def _second_opinion(decisions: list[Decision], folded: str, spans, folded_title: str | None, measure: bool = True,
                    place_text: learned_place.PlaceText | None = None, display: dict | None = None) -> None:
    """The learned models' measure (where `measure`) and then place (where `place_text` is given) for each kept
    figure, where they differ from the rules' and a model is stored; a figure that then repeats one already
    reported is dropped, as the rules drop repeats. A measure the rules corrected by one of the guide's answers
    ("but they are said to be fleeing violence: displaced") stands: the model does not read the reason, and
    overruling these answers gained nothing (docs/extractor-evaluation.md); nor does a place a "respectively" list
    gives (the model does not read list positions)."""
    model = learned_model.load() if measure else None
    place_model = learned_model.load(learned_place.PLACE_PATH) if place_text is not None else None
    if model is None and place_model is None:
        return
    seen: set[tuple] = set()
    starts = [s for s, _ in spans]
    for d in decisions:
        if not d.kept:
            continue
        if model is not None and GUIDE_CORRECTION not in d.rules.get("measure", ""):
            _judge_measure(model, d, folded, *learned_model.around(spans, starts, d.start), folded_title)
        if place_model is not None and not d.rules.get("place", "").startswith(RESPECTIVE_REASON):
            _judge_place(place_model, d, place_text, display or {})
        _mark_for_review(d)
        _drop_if_repeated(d, seen)


def _mark_for_review(d: Decision) -> None:
    """Name the parts of a kept figure whose learned share is low (they are right far less often: the shares'
    calibration is in docs/extractor-evaluation.md), so a reviewer checks those first."""
    c = d.candidate
    low = [(name, p, below) for name, p, below in (("measure", c.measure_p, learned_model.CHECK_MEASURE_BELOW),
                                                   ("place", c.place_p, learned_place.CHECK_BELOW))
           if p is not None and p < below]
    c.check = ", ".join(name for name, _, _ in low) or None
    if low:
        d.rules["check"] = "; ".join(f"{name} (p {p:.2f}, below {below:.2f})" for name, p, below in low)


def _judge_place(model, d: Decision, place_text: learned_place.PlaceText, display: dict) -> None:
    """Take the place model's place for a kept figure where it differs, saying what the rules said and why."""
    c = d.candidate
    rule = d.rules.get("place", "")
    choice = learned_place.choose(model, learned_place.candidates(place_text, d.start, d.end, c.metric, c.place_id,
                                                                  rule, c.value), c.place_id)
    c.place_p = round(choice.probability, 2)
    if choice.place_id == c.place_id:
        return
    name = display.get(choice.place_id, choice.place_id) if choice.place_id else "no place"
    ruled = c.place or "no place"
    why = "; ".join(f"{name if whose == 'chosen' else ruled}: {learned_place.describe(f)} ({w:+.1f})"
                    for whose, f, w in choice.reasons)
    d.rules["place"] = (f"learned place model: {name} (p {choice.probability:.2f}) over the rules' {ruled} [{rule}]"
                        + (f"; because {why}" if why else ""))
    c.place_id, c.place = choice.place_id, display.get(choice.place_id) if choice.place_id else None


def _judge_measure(model, d: Decision, folded: str, sentence, previous, folded_title: str | None) -> None:
    """Take the measure model's measure for a kept figure where it differs, saying what the rules said and why."""
    c = d.candidate
    judgement = model.judge(learned_model.features(folded, sentence, previous, d.start, d.end, c.metric,
                                                   folded_title, value=c.value), c.metric)
    c.measure_p = round(judgement.probability, 2)
    if judgement.label != c.metric:
        why = model.because(judgement)
        d.rules["measure"] = (f"learned model: {judgement.label} (p {judgement.probability:.2f}) over the "
                              f"rules' {c.metric} [{d.rules.get('measure', '')}]" + (f"; because {why}" if why else ""))
        c.metric = judgement.label


TOTAL_WORDS = re.compile(r"\b(?:total|totales|in all|altogether|combined|en conjunto|suman?|sumaron|sums?)\b")
# the place rules a total's parts may overrule: those that take the place from around the figure, not from its words
PLACE_AROUND = re.compile(r"^(?:the previous sentence's only place|the only place the text has named so far|"
                          r"the sentence's only place|nearest place in the figure's clause|"
                          r"the sentence opens with its place|the dateline's city|no place named for it)")
RANGE_END = re.compile(r"(?:low|high) end of a range")


def _totals(folded: str, before: list[Decision], here: list[Decision], display: dict) -> None:
    """'18 homicidios en Ciudad Juárez, 16 en Chihuahua capital y cuatro en San Juanito. En total, 38 muertos': a
    total said to be one ('total', 'in all', 'suman') that two or more of the figures just before it (in its sentence
    or the one before, at most eight) add up to exactly counts where they count: their place when they share one,
    no place when they do not. Only where the rules took its place from around it (PLACE_AROUND), not from its own
    words ('suman nueve homicidios en el estado'); a range's ends are neither totals nor parts."""
    for i, d in enumerate(here):
        c = d.candidate
        if not PLACE_AROUND.match(d.rules.get("place", "")) or RANGE_END.search(d.rules.get("qualifier", "")) or \
                not TOTAL_WORDS.search(folded[max(0, d.start - 40):d.end + 40]):
            continue
        parts = [p for p in (before + here[:i])[-8:] if p.candidate.value < c.value
                 and not RANGE_END.search(p.rules.get("qualifier", ""))]
        found = _summing(parts, c.value)
        if not found:
            continue
        ids = {p.candidate.place_id for p in found}
        place_id = ids.pop() if len(ids) == 1 else None
        if place_id == c.place_id:
            continue
        values = " + ".join(f"{p.candidate.value:g}" for p in found)
        c.place_id, c.place = place_id, display.get(place_id) if place_id else None
        d.rules["place"] = (f"a total of the figures before it ({values}), "
                            + (f"all in {c.place}" if place_id else "in several places: no single place"))


def _summing(parts: list[Decision], total: float) -> list[Decision] | None:
    """The two or more of `parts`, latest first, whose values add up to `total`, if any."""
    from itertools import combinations

    for k in range(2, len(parts) + 1):
        for combo in combinations(reversed(parts), k):
            if sum(p.candidate.value for p in combo) == total:
                return list(combo)
    return None


COORDINATED = re.compile(r"\s*,?\s*(?:and|y|e|or|o|as well as|plus|mas)\s*")


def _before_first(folded: str, a: Decision, ca: Candidate) -> bool:
    """Whether the measure word of the first of two coordinated figures stands before it (so it governs both)."""
    word = re.search(r"'([^']+)'", a.rules.get("measure", ""))
    return bool(word) and word.group(1) in folded[max(0, ca.start - 60):ca.start]


def _coordinated(folded: str, kept: list[Decision]) -> None:
    """'31 adults and 26 children whom US authorities had returned': what is said after the last of two
    coordinated figures is said of both, so a figure with no measure takes its partner's."""
    for a, b in zip(kept, kept[1:]):
        ca, cb = a.candidate, b.candidate
        if "low end of a range" in a.rules.get("qualifier", "") and "high end of a range" in b.rules.get(
                "qualifier", "") and (ca.metric == "other") != (cb.metric == "other"):
            known, blank, rule = (ca, cb, b.rules) if cb.metric == "other" else (cb, ca, a.rules)
            blank.metric = known.metric  # '1,500 to 3,000 residents' with 'shelter' said before the range: one figure
            rule["measure"] = f"the other end of its range ('{known.value:g}'): {known.metric}"
            continue
        if ca.metric == "other" and cb.metric != "other" and COORDINATED.fullmatch(folded[ca.end:cb.start]) and \
                a.rules.get("measure", "").startswith("no measure word") and \
                "', the counted noun" not in b.rules.get("measure", "") and not CASE_NOUNS.fullmatch(ca.noun or "") and \
                not CASE_NOUNS.fullmatch(cb.noun or ""):
            ca.metric = cb.metric
            a.rules["measure"] = f"what is said of the figure coordinated with it ('{cb.value:g} {cb.noun}'): {cb.metric}"
        elif cb.metric == "other" and ca.metric != "other" and COORDINATED.fullmatch(folded[ca.end:cb.start]) and \
                re.search(r"before the number|characters away", a.rules.get("measure", "")) and \
                _before_first(folded, a, ca) and not CASE_NOUNS.fullmatch(cb.noun or ""):
            cb.metric = ca.metric  # 'claimed the lives of 10 prison guards and seven inmates'
            b.rules["measure"] = f"what is said before the figure coordinated with it ('{ca.value:g} {ca.noun}'): {ca.metric}"


def _city_named_next(folded: str, here: list[Decision], clauses, following: list[Mention], display: dict) -> None:
    """A figure placed nowhere whose clause calls its place 'the border city', 'esta ciudad fronteriza' before any
    city is named, where the next sentence names one city: that city ("the arrival of 100 Cuban migrants in the
    border city last October. ... after setting foot in Juarez")."""
    towns = {m.place_id for m in following if m.kind in TOWN_KINDS}
    if len(towns) != 1:
        return
    pid = towns.pop()
    for d in here:
        if d.rules.get("place") != "no place named for it":
            continue
        a, b = next(((c0, c1) for c0, c1 in clauses if c0 <= d.start < c1), (d.start, d.end))
        said = THIS_CITY_NAMED.search(folded, a, b)
        if said:
            m = next(m for m in following if m.place_id == pid)
            d.candidate.place_id, d.candidate.place = pid, display.get(pid)
            d.rules["place"] = (f"'{said.group(0)}', before any city is named: the one city the next sentence names "
                                f"({folded[m.start:m.end]})")


def _decide(text, folded, n: Number, i: int, in_sentence: list[Number], sentence, clauses, ctx, last, prev_last,
            prev_sentence, sentence_mentions: list[Mention], prev_mentions: list[Mention], number_spans, places,
            published, mpp_context, dateline_place=None, earlier_mentions=None, every_in_sentence=(),
            excluded_rules=None, sentence_spans=None, rescue=None) -> Decision:
    number_spans = sentence_spans if sentence_spans is not None else number_spans
    excluded_rules = excluded_rules or {}
    s0, s1 = sentence
    rules = {"number": n.form}
    d = Decision(text[n.start:n.end], n.start, n.end, n.value, False, rules)
    # the next number that may be a figure bounds this one's words ("31 migrants from five countries who were
    # abducted": 'five countries' is not a figure, so 'abducted' is still said of the 31)
    later = [x for x in in_sentence[i + 1:] if _noun_match(folded, x, s1) or NOTHING_COUNTED_AFTER.match(folded[x.end:x.end + 12])]
    nxt = later[0].start if later else s1
    prv = in_sentence[i - 1].end if i else s0
    clause = next(c for c in clauses if c[0] <= n.start < c[1] + 1)
    found = _noun_match(folded, n, min(nxt, s1))
    noun, noun_end = found if found else (None, None)
    zone_end = nxt
    if i + 1 < len(in_sentence):
        cut = list(re.finditer(r",|;|\s(?:and|y|while|mientras)\s", folded[n.end:nxt]))
        if cut:
            zone_end = n.end + cut[-1].start()  # the words before the next number are said of it
    metric_zone = (max(prv, clause[0]) if noun else prv, zone_end)
    of_the_rest = None
    qualifier, q_start, q_rule = _qualifier(folded, n)
    before_n = [x for x in every_in_sentence if x.end <= n.start]
    SHARED_UNITS = ("a duration", "a measure of length, weight or area", "money", "a percentage", "an age",
                    "a number of times")
    unit_before = bool(before_n) and excluded_rules.get(before_n[-1].start) in SHARED_UNITS and (
        last is None or before_n[-1].start > last.start)
    if unit_before and last is not None and (excluded_rules.get(before_n[-1].start) == "a percentage" or (
            excluded_rules.get(before_n[-1].start) == "a duration" and
            not re.match(r"^\s*(?:anos|years?)\b", folded[before_n[-1].end:before_n[-1].end + 8]))):
        unit_before = False  # '163 in the first four months, compared with 92': the 92 counts what the 163 counts
        # (not after years, which are ages as often: 'un hombre de 35 años y su hijo de 15'); a share the same way
        # ('60,000 individuals, an increase of 1,670%, up from about 3,000'), a share's own figures carrying its sign
    inherit = None  # where a noun-less figure takes its measure from
    role = False  # agents, guards, bystanders...: people counted only when killed, hurt or kidnapped
    head_text = folded[max(s0, q_start - 60):q_start]
    if CITY_OF.search(re.sub(r"\s+(?:some|about|around|nearly|almost|more than|over|unos|unas|casi|mas de|cerca de)\s+$",
                             " ", head_text)) and (noun is None or POPULATION_NOUNS.fullmatch(noun)):
        rules["dropped"] = "a population ('a city of N people'): not a figure of the dashboard"
        return d
    said_of = noun_end is not None and SAID_OF.match(folded, noun_end)
    if noun is not None and not said_of and (
            noun == "habitantes" and HAS_POPULATION.search(head_text)
            or re.fullmatch(r"residents|inhabitants|habitantes|pobladores", noun)
            and CITIES_OF_SIZE.search(folded[max(s0, q_start - 60):q_start])):
        rules["dropped"] = "a population ('ciudades de más de 100 mil habitantes'): not a figure of the dashboard"
        return d
    if noun is not None and noun_end is not None and PER_CAPITA.match(folded, noun_end):
        rules["dropped"] = f"a rate ('{noun}{PER_CAPITA.match(folded, noun_end).group(0)}'): not a count"
        return d
    if noun is not None and measures.PATTERNS[0][1].fullmatch(noun) and not ctx["burn"]:
        rules["dropped"] = f"'{noun}' that the sentence does not say were burned: not a figure of the dashboard"
        return d
    if noun is not None:
        rules["noun"] = f"'{noun}' after the number"
    else:  # no counted noun after the number: "rose to 55,000", "a city of 1.5 million", "Reynosa: 4,210"...
        t = n.end + _share_after(folded, n.end)  # '15,411 or 63 percent have ...': read on after the share
        head = folded[max(s0, q_start - 60):q_start]
        of = measures_number_of(folded, clause, n)
        list_place = place_for(folded, n.start, n.end, "other", sentence, clause, sentence_mentions, [],
                               number_spans)[1].startswith("list item")
        forward = None
        j, at = i, t  # '2 mil 758, 2 mil 439 y 2 mil 664 desapariciones': the noun after the list's last number
        while j + 1 < len(in_sentence) and j - i < 6:
            gap = folded[at:in_sentence[j + 1].start]
            comma = re.fullmatch(r"\s*,\s*", gap)
            if not (comma or re.fullmatch(r"\s*(?:a|to|y|and|o|or|-|–)\s+|\s*[-–]\s*", gap)):
                break
            j, at = j + 1, in_sentence[j + 1].end
            forward = _noun_match(folded, in_sentence[j], min(in_sentence[j + 1].start if j + 1 < len(in_sentence)
                                                              else s1, s1))
            if forward or not comma:
                break
        number_after = re.match(rf"^\s+(?:el|la)\s+(?:numero|cifra|total)\s+de\s+(?:[a-z]+\s+){{0,2}}?({_NOUNS})\b",
                                folded[t:s1])
        of_the = (i + 1 < len(in_sentence) and re.fullmatch(r"\s+(?:of the|de los|de las|out of(?: the)?|de|of)\s+",
                                                            folded[t:in_sentence[i + 1].start]))
        noun_before = re.search(rf"\b({_NOUNS})\s*(?:[—–(:]|,)\s*$", head)
        if number_after:
            noun = number_after.group(1)
            rules["noun"] = f"'el número de {noun}' after the number"
        elif of_the and i + 1 < len(in_sentence) and _noun_match(folded, in_sentence[i + 1], s1):
            noun, noun_end = _noun_match(folded, in_sentence[i + 1], s1)
            rules["noun"] = f"'{noun}' after 'N of the M' (as in '26 of the 47 people')"
            after_next = in_sentence[i + 2:]  # what the sentence says of the M after its own words is said of the N
            of_the_rest = (_predicate(folded, noun_end, s1)[0], after_next[0].start if after_next else s1)
        elif re.match(r"^\s*(?:times|veces)\b", folded[t:t + 8]):
            noun = "(times stopped)"
            rules["noun"] = "'stopped ... N times', 'assaulted ... N times': events, counted as times"
        elif forward:
            noun, noun_end = forward
            rules["noun"] = f"'{noun}' after the next number (as in '87 a 124 asesinatos')"
            after_next = [x for x in in_sentence[i + 2:]]
            metric_zone = (metric_zone[0], after_next[0].start if after_next else s1)
        elif noun_before and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            noun = noun_before.group(1)
            rules["noun"] = f"'{noun}', named right before it (as in 'the deaths — more than 100 —')"
        elif of and REACHES.search(head):
            noun = of
            metric_zone = (clause[0], nxt)
            rules["noun"] = f"'the number of {of}' before the number"
        elif SUBJECT_OF.match(folded[t:min(nxt, s1)]):
            noun = "people"
            rules["noun"] = "the subject of a passive verb said of people (as in 'were sent', 'fueron devueltos')"
        elif ROLE_AFTER.match(folded[t:min(nxt, s1)]):
            noun = ROLE_AFTER.match(folded[t:min(nxt, s1)]).group(1)
            noun_end = t + ROLE_AFTER.match(folded[t:min(nxt, s1)]).end()
            role = True
            rules["noun"] = f"'{noun}' after the number: a figure only if something violent is said of them"
        elif unit_before and (ELLIPSIS_BEFORE.search(head) or OF_THEM_AFTER.match(folded[t:t + 20])):
            rules["dropped"] = (f"no counted noun; the number before it ('{text[before_n[-1].start:before_n[-1].end]}') "
                                "is not a figure, and this one counts what it counts")
            return d
        elif (last or prev_last) is not None and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]) and (
                re.search(r"\b(?:another|otros|otras|further|additional)\s+$", head) or
                (last is not None and TIME_ELLIPSIS.search(head)) or
                (last is not None and AGAIN_TO.search(folded, max(s0, n.start - 40), n.start)) or
                ELLIPSIS_BEFORE.search(head) or OF_THEM_AFTER.match(folded[t:t + 20])
                or (last is not None and (re.match(r"^\s*(?:in|en|from|at|with)\s+", folded[t:t + 7]) or list_place))):
            inherit = last or prev_last
            noun = inherit.noun
            rules["noun"] = f"the counted noun of the figure before it ('{noun}')"
        elif (last or prev_last) is not None and SUBJECT_VERB_AFTER.match(folded[t:min(nxt, s1)]):
            inherit = last or prev_last
            noun = inherit.noun
            rules["noun"] = f"the subject of a verb, counting what the figure before it counts ('{noun}')"
        elif CHANGE_TO.search(head) and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]) and \
                list(NOUN.finditer(folded, max(s0, n.start - 120), n.start)):
            noun = list(NOUN.finditer(folded, max(s0, n.start - 120), n.start))[-1].group(0)
            rules["noun"] = f"a change of a count named before it ('{noun}' went from ... to ...)"
        elif SUBJECT_VERB_AFTER.match(folded[t:min(nxt, s1)]) and list(NOUN.finditer(folded, max(s0, n.start - 120), n.start)):
            noun = list(NOUN.finditer(folded, max(s0, n.start - 120), n.start))[-1].group(0)
            rules["noun"] = f"the subject of a verb; what it counts is named before it ('{noun}')"
        elif of and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            noun = of
            rules["noun"] = f"'the number of {of}' said before it"
        elif list_place and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            noun = "(listed)"
            rules["noun"] = "a list item after a place (as in 'Reynosa: 4,210')"
        elif SUBJECT_REACHED.search(folded, max(s0, n.start - 80), n.start) and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            reached = SUBJECT_REACHED.search(folded, max(s0, n.start - 80), n.start)
            noun = reached.group(1)
            rules["noun"] = f"'{noun}', the subject of '{reached.group(2)}'"
        elif (subject := SUBJECT_COUNT.search(head) or BARE_SUBJECT_COUNT.search(head)) and \
                NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            noun = subject.group(1)
            rules["noun"] = f"'{noun}', the subject of '{subject.group(0).split()[-1]}'"
        elif COUNT_VERB.search(head) and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]) and (
                measures.nearest(folded, (s0, s1), n.start, ctx)[0] != "other" or prev_last is not None
                or (prev_sentence is not None and measures.nearest(folded, prev_sentence, prev_sentence[1],
                                                                   ctx)[0] != "other")):
            noun = "(counted)"
            rules["noun"] = f"a count stated with a verb ('{COUNT_VERB.search(head).group(0).strip()}')"
        elif TOLL.search(head) and NOTHING_COUNTED_AFTER.match(folded[t:t + 12]):
            noun = "deaths"
            rules["noun"] = f"a death toll ('{TOLL.search(head).group(0).strip()}')"
        elif rescue is not None and (why := rescue(n, sentence, prev_sentence)):
            noun = "(counted)"
            rules["noun"] = why
        else:
            rules["dropped"] = "no counted noun after it, and no rule that supplies one"
            return d
    if inherit is not None or (last is not None and noun == last.noun and found is None):
        source = inherit or last
        metric, m_rule = source.metric, "the same measure as the figure before it"
        own, word, _ = measures.nearest(folded, (n.end, min(nxt, _clause_end(folded, n.end, clause))), n.end, ctx)
        verb = measures.governing_verb(folded, n.start, ctx) or measures.said_before(folded, n.start, max(prv, clause[0]), ctx)
        if own != "other" and own != metric:
            metric, m_rule = own, f"'{word}' said of it (the noun is the figure before it's)"
        elif verb and verb[0] != metric:
            metric, m_rule = verb[0], verb[1] + " (the noun is the figure before it's)"
    else:
        alone = sum(1 for x in in_sentence if clause[0] <= x.start < clause[1]) == 1
        metric, m_rule = _measure(folded, n, noun_end, metric_zone, ctx, clause, alone)
        if metric == "other" and of_the_rest is not None:  # 'two of the six respondents, ..., showed up'
            said, word, _ = measures.nearest(folded, of_the_rest, of_the_rest[0], ctx)
            if said != "other":
                metric, m_rule = said, f"'{word}', said of the M of 'N of the M'"
        if metric == "other" and noun not in ("(listed)", "(counted)") and "with '" not in m_rule and (
                alone or PEOPLE_NOUNS.fullmatch(noun or "") or CASE_NOUNS.fullmatch(noun or "")):
            only, word = _sentence_measure(folded, sentence, ctx)
            if only != "other":
                metric, m_rule = only, f"the only measure its sentence names: '{word}'"
        if metric == "other":
            whole, word, _ = measures.nearest(folded, (s0, s1), n.start, ctx)
            if whole != "other" and noun in ("(listed)", "(counted)"):
                metric, m_rule = whole, f"the measure word of its sentence: '{word}'"
            elif last is not None and last.metric != "other" and GENERIC_NOUNS.search(noun or ""):
                metric, m_rule = last.metric, "a generic noun after a figure of its sentence: its measure"
            elif prev_last is not None and prev_last.metric != "other" and \
                    _sentence_measure(folded, sentence, ctx)[0] == "other" and \
                    measures.nearest(folded, sentence, n.start, ctx)[0] == "other" and \
                    not OWN_ACTION.search(folded, n.end, clause[1]):
                metric, m_rule = prev_last.metric, "its sentence names no measure: the previous sentence's figure's"
            elif prev_sentence is not None and (noun in ("(listed)", "(counted)") or (
                    GENERIC_NOUNS.search(noun or "") and ANAPHORA.search(folded[s0:s1])) or (
                    PRESENTING.search(folded[s0:n.start]) and (PEOPLE_NOUNS.fullmatch(noun or "") or
                                                               noun in PEOPLE_OR_MIGRANTS))):
                if prev_last is not None and prev_last.metric != "other":
                    metric, m_rule = prev_last.metric, "the measure of the previous sentence's figure"
                else:
                    prev_ctx = measures.context(folded[prev_sentence[0]:prev_sentence[1]], mpp_context)
                    prev, word, _ = measures.nearest(folded, prev_sentence, prev_sentence[1], prev_ctx)
                    if prev != "other":
                        metric, m_rule = prev, f"the measure named in the previous sentence: '{word}'"
    if metric == "other" and last is not None and last.metric != "other" and (PARTS_OF_LAST.search(
            folded, max(s0, last.end), n.start) or (
            # a later item of the list of parts: '23 dead, including 17 cartel members, four police officers'
            last.start >= s0 and PARTS_OF_LAST.search(folded, max(s0, last.start - 60), last.start)
            and LIST_GAP.fullmatch(folded, last.start, n.start))):
        metric, m_rule = last.metric, f"a part of the figure before it ('{last.value:g} {last.noun}'): its measure"
    if DEPORTED_BY_MEXICO.search(folded[clause[0]:clause[1]]) and metric in ("other", "mpp_returned"):
        metric, m_rule = "encounters", "deported by Mexico's migration authorities: an encounter (the guide)"
    if metric == "other" and re.fullmatch(r"denuncias?|complaints?", noun or "") and not measures.MPP_CONTEXT.search(
            folded[s0:s1]):
        metric, m_rule = "violent_attacks", "complaints of crimes, with no other crime named: violent attacks (the guide)"
    rescued = RESCUED_OR_ESCAPED.match(folded[n.end:n.end + 50])
    rescued_before = RESCUED_BEFORE.search(folded[max(s0, n.start - 40):n.start])
    if noun in ("rescues", "rescates", "desaparecidos", "desaparecidas", "missing") or rescued and (
            noun in PEOPLE_OR_MIGRANTS or noun in ("others", "otros", "otras", "inmates", "reos", "internos", "presos",
                                                   "prisoners") or noun is None) or rescued_before and (
            noun in PEOPLE_OR_MIGRANTS or PEOPLE_NOUNS.fullmatch(noun or "")):
        what = rescued.group(1) if rescued else rescued_before.group(0).strip() if rescued_before else noun
        metric, m_rule = "other", f"people rescued or escaped ('{what}'): counted as that, not as what happened near them"
    if (metric in ("mpp_court_cases", "mpp_pending_cases") or re.search(r"\b(?:cases|casos)\b",
                                                                        folded[clause[0]:clause[1]])) and \
            BACKLOG.search(folded[clause[0]:clause[1]]) and not \
            measures.MPP_CONTEXT.search(folded[clause[0]:clause[1]]):
        metric, m_rule = "other", m_rule + "; but it is a whole court's backlog, not MPP cases"
    if metric in ("mpp_returned", "mpp_court_cases", "mpp_enrolled", "mpp_pending_cases", "people_sheltered",
                  "asylum_waitlist") and LET_IN.search(folded[clause[0]:clause[1]]):
        metric, m_rule = "other", m_rule + "; but they are said to be let into the United States (people who crossed)"
    if metric == "mpp_returned" and re.fullmatch(r"cases?|casos?|expedientes?", noun or "") and noun_end is not None \
            and not re.match(r"\s+(?:of|de)\s+(?:people|personas|migrantes|migrants|asylum|solicitantes|murder|"
                             r"kidnap|rape|asesinat|secuestr)", folded[noun_end:noun_end + 30]):
        metric, m_rule = "mpp_court_cases", m_rule + "; but what it counts is cases, not people: MPP cases"
    outcome = COURT_OUTCOME.search(folded, n.end, _clause_end(folded, n.end, clause)) if metric == "mpp_returned" else None
    if outcome:
        metric, m_rule = "mpp_court_cases", m_rule + f"; but a court outcome is said of it ('{outcome.group(0)}'): MPP cases"
    if re.fullmatch(r"suspects|sospechosos|presuntos", noun or "") and metric not in ("homicides", "deaths") and \
            re.search(r"\b(?:detenid\w*|arrest\w*|captur\w*|aprehendid\w*|acusad\w*|charged|detained)\b",
                      folded[n.end:_clause_end(folded, n.end, clause)]):
        metric, m_rule = "other", m_rule + "; but they are suspects arrested: neither victims nor migrants"
    if metric == "mpp_returned" and re.fullmatch(r"mexicans?|mexicanos|mexican nationals|connacionales|paisanos", noun or ""):
        metric, m_rule = "other", m_rule + "; but they are Mexicans, whom MPP never returned: deportations, not MPP returns"
    if metric == "mpp_returned" and ctx["going_home"]:
        metric, m_rule = "other", m_rule + "; but they are said to be going home: not returned under MPP"
    if metric == "people_sheltered" and LEFT_CAMP.search(folded[clause[0]:clause[1]]):
        metric, m_rule = "other", m_rule + "; but they are said to leave or be moved from it: not people staying there"
    if metric == "kidnappings" and FREED.search(folded[clause[0]:clause[1]]):
        metric, m_rule = "other", m_rule + "; but they are said to be freed or rescued: counted as rescued, not kidnapped"
    if metric == "people_sheltered" and ctx["violent"] and re.search(
            r"\b(?:fleeing|fled|displaced|desplazad\w*|huyendo|huyeron)\b", folded[clause[0]:clause[1]]):
        metric, m_rule = "people_displaced", m_rule + "; but they are said to be fleeing violence: displaced"
    rules["measure"] = m_rule
    near = re.search(r"\((\d+) characters away\)", m_rule)
    if role and (metric not in measures.VIOLENT_KINDS + ("deaths",) or not (re.search(
            r"said of it|counted noun|before the number|coordinated|a part of the figure before it", m_rule)
            or (near and int(near.group(1)) <= 30))):
        rules["dropped"] = f"'{noun}' that the text does not say were killed, hurt or kidnapped: not a figure"
        return d
    attackers = ATTACKERS_AFTER.match(folded, n.end, min(s1, n.end + 40))
    if attackers and metric not in ("homicides", "deaths") and not ARRESTED.search(folded[clause[0]:clause[1]]) and \
            not any(p.search(folded, s0, s1) for m, p in measures.PATTERNS if m in ("homicides", "deaths")):
        rules["dropped"] = (f"'{attackers.group(1)}' that the text does not say were killed or arrested: the attackers "
                            "are not a figure")
        return d
    if qualifier != "estimate" and ESTIMATE_NEAR.search(folded[max(s0, n.start - 80):n.start]) and not re.search(
            r"\b(?:estimate|estimacion)\w*\s+(?:of|de)\s+(?:the|la|el)?\s*$", folded[s0:n.start]):
        qualifier, q_rule = "estimate", "the text calls it an estimate, before the number"
    if qualifier == "exact" and ESTIMATE_NEAR.search(folded[max(s0, n.start - 80):min(s1, n.end + 60)]) \
            and not re.search(r"\b(?:estimate|estimacion)\w*\s+(?:of|de)\s+(?:the|la|el)?\s*$", folded[s0:n.start]):
        qualifier, q_rule = "estimate", "the text calls it an estimate"
    rules["qualifier"] = q_rule
    earlier = earlier_mentions or []
    place_id, p_rule = place_for(folded, n.start, n.end, metric, sentence, clause, sentence_mentions,
                                 prev_mentions, number_spans, dateline_place, earlier, text)
    if place_id is None and inherit is not None and inherit.place_id and (
            OF_THEM_AFTER.match(folded[n.end:n.end + 20]) or re.search(r"\b(?:of them|of those|de ellos|de ellas|"
                                                                     r"de los cuales|de las cuales)\W*$", head_text)):
        place_id, p_rule = inherit.place_id, f"a part of the figure before it, in the same place ({inherit.place})"
    rules["place"] = p_rule
    q_end = min(nxt, s1, _clause_end(folded, n.end, clause))
    quote_text = text[q_start:q_end]
    tail = QUOTE_TAIL.search(fold(quote_text))
    if tail and tail.start() > n.end - q_start:
        quote_text = quote_text[: tail.start()]
    quote_text = quote_text.rstrip(" ,;:.")
    # "20 dead and 25 burned in five days": up to the first comma, so coordinated figures share it
    when = period(folded, (n.start, _clause_end(folded, n.end, clause)), published)
    if not when["period_text"]:  # a fronted period: "In October, 21 migrants..."
        when = period(folded, (prv, n.start), published)
    if when["period_text"]:
        rules["period"] = f"'{when['period_text']}'"
    d.candidate = Candidate(
        metric=metric, value=n.value, qualifier=qualifier, place=places.display.get(place_id), place_id=place_id,
        as_of=published.isoformat() if published and not when["period_end"] else None,
        noun=noun, quote=quote_text, start=q_start, end=q_start + len(quote_text), **when,
    )
    d.kept = True
    return d


# what a court decided of a case ("28,000 were closed", "only 720 were granted relief", "1,155 cases have been adjudicated")
COURT_OUTCOME = re.compile(r"\b(?:granted|closed|adjudicated|terminated|in absentia|(?:removal|deportation) orders?|relief|"
                           r"received asylum|won asylum|legitimate asylum claims|recibieron asilo|obtuvieron asilo|"
                           r"se les concedio|se les otorgo|concedid[oa]s|otorgad[oa]s|cerrad[oa]s|resuelt[oa]s|"
                           r"ordenes de (?:deportacion|remocion))\b")
IN_MPP = re.compile(rf"\s+(?:in|under|en|bajo)\s+(?:the\s+|el\s+)?(?:{_PROGRAMME_NAMES})\b")
# people counted by their role: figures only when the text says they were killed, hurt or kidnapped
ROLE_AFTER = re.compile(r"^\s+(?:[a-z.]+\s+){0,3}?(agents?|officers?|policemen|policewomen|police|policias?|agentes|guards?|"
                        r"custodios?|soldiers?|soldados?|marines?|militares|bystanders?|hostages?|rehenes|prisoners?|"
                        r"presos|elementos|escoltas|guardias|officials|funcionarios|smugglers|human-smugglers|traffickers|"
                        r"traficantes|polleros)\b")
# the attackers: a figure only when they are killed (homicides) or arrested, not when they attack ("four armed men
# stopped a bus", "three gunmen opened fire")
ATTACKERS_AFTER = re.compile(r"\s+(?:(?:armed|suspected|presumed|alleged|cartel|criminal|masked|unidentified|"
                             r"unknown|la|linea|zetas|gulf|sinaloa|presuntos|supuestos|encapuchados)\s+){0,3}"
                             r"(gunmen|hitmen|armed men|attackers|assailants|sicarios|hombres armados|pistoleros|"
                             r"agresores|atacantes)\b")
ARRESTED = re.compile(r"\b(?:arrest\w*|detain\w*|captured|apprehended|detenid[oa]s|detuvieron|arrestad[oa]s|"
                      r"capturad[oa]s|capturaron|aprehendid[oa]s|aprehendieron)\b")
TOLL = re.compile(r"\b(?:death toll|toll|body count|saldo(?: de muertos)?|cifra de (?:muertos|victimas|fallecidos))\s+"
                  r"(?:[a-z]+\s+){0,3}?(?:was|is|stood at|rose to|reached|climbed to|hit|fue de|es de|asciende a|"
                  r"ascendio a|llego a|alcanzo)\s+$")
# "Apprehensions again exceeded 40,000", "los homicidios superaron los 1,000"
_REACHED = (r"exceeded|topped|surpassed|reached|rose to|climbed to|soared to|jumped to|fell to|dropped to|hit|"
            r"superaron|alcanzaron|llegaron a|subieron a|bajaron a")
SUBJECT_REACHED = re.compile(rf"\b({_NOUNS})\s+(?:[a-z]+\s+){{0,2}}?({_REACHED}|totaled|totalled|sumaron|ascendieron a|"
                             r"rebasaron)\s+(?:the\s+|los\s+|las\s+)?$")
# "..., topped 50,000 five months later, and soared to nearly 67,000": the same count again
AGAIN_TO = re.compile(rf"\b(?:{_REACHED})\s+(?:[a-z]+\s+)?$")
DEPORTED_BY_MEXICO = re.compile(r"\b(?:mexico|inm|inami|instituto nacional de migracion)\s+(?:\w+\s+){0,2}?deport\w*|"
                                r"deportad[oa]s\s+(?:\w+\s+){0,3}?por\s+(?:el\s+)?(?:inm|inami|instituto nacional de migracion|"
                                r"gobierno mexicano|mexico)\b")
# "381 personas, de las cuales 59 eran familias, 27 eran madres solteras, 33 hombres": parts of the figure before
LIST_GAP = re.compile(r"[^.;:()]{0,50}?(?:,|\s(?:and|y|e)\s)\s*")  # from a list item's number to the next number
PARTS_OF_LAST = re.compile(r"\b(?:de las cuales|de los cuales|of whom|of which|among them|entre ellos|entre ellas|"
                           r"including|incluidos|incluidas|incluyendo)\b")
SHARE_AFTER = re.compile(r"\s*(?:,\s*)?(?:or|o|\()\s*(?:about |around |some |unos |unas |cerca del? |casi )?(?:el |the )?"
                         r"[\d.,]+\s*(?:%|percent\b|per cent\b|por ciento\b)(?:\s*\))?(?:\s*(?:of them|of those|de ellos|de ellas))?(?:,(?=\s+[a-z]))?")


def _share_after(folded: str, at: int) -> int:
    """The length of a share said right after a number ('15,411 or 63 percent', '120 (40%)'), or 0."""
    m = SHARE_AFTER.match(folded, at)
    return m.end() - at if m else 0


def measures_number_of(folded: str, clause: tuple[int, int], n: Number) -> str | None:
    of = NUMBER_OF.search(folded[clause[0]:n.start])
    return of.group(1) if of else None


def _clause_end(folded: str, start: int, clause: tuple[int, int]) -> int:
    """Where the quote of a figure ends: the first comma, semicolon or sentence end after its noun."""
    m = re.search(r"[,;:]|\.(?:\s|$)", folded[start:clause[1] + 1])
    return start + m.start() if m else clause[1]


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    return pd.Timestamp(value).date()
