"""What a figure counts (its measure, stored as `metric`), from the words around it.

The nearest measure word to the number decides, first among the words said of the counted noun
("20 people dead", "migrants were kidnapped"), then in the number's clause. Words that only mean
a measure in the right context are checked against it: "returned" is an MPP return only in a
text about MPP; "detained" is an encounter only where border or migration authorities are named;
"dead" with no violence in the sentence is a death, not a homicide.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache


PATTERNS = [  # (measure, words); earlier wins a tie of distance
    ("vehicles_burned", re.compile(r"\b(?:vehicles?|cars?|trucks?|buses|vehiculos?|autos?|carros?|camiones?|"
                                   r"camionetas?|unidades|automotores|automoviles|autobuses)\b")),
    ("mpp_pending_cases", re.compile(r"\b(?:pending|backlog|still open|remain(?:ed)? open|active (?:\w+ ){0,2}cases|"
                                     r"casos activos|aguardan audiencia|waiting on their (?:court )?dates|"
                                     r"await\w* (?:a |their )?(?:u\.s\. )?hearings?|esperando respuesta|"
                                     r"awaiting (?:a )?(?:hearings?|"
                                     r"decisions?)|pendientes?|en espera de (?:una )?(?:audiencia|resolucion)|"
                                     r"abiertos|rezago|en espera de (?:\w+ ){0,2}(?:audiencia|resolucion)|sin resolver|"
                                     r"waiting for (?:their |a )?(?:u\.s\. )?(?:hearings?|court dates?)|"
                                     r"a la espera de (?:\w+ ){0,3}(?:audiencias?|resolucion|resoluciones|que se resuelvan)|"
                                     r"aguardan|esperan respuesta|esper\w* (?:su |una |sus )?(?:primera )?audiencias?|"
                                     r"(?:still )?waiting for (?:their )?first hearings?|casos (?:\w+ ){0,3}activos|"
                                     r"active (?:mpp )?cases|reclamos activos|active claims)\b")),
    ("mpp_court_cases", re.compile(r"\b(?:court cases?|mpp cases?|cases? in (?:immigration )?courts?|hearings?|"
                                   r"immigration courts?|judges?|decisions?|decided(?! to)|completed|granted(?! (?:entry|access|admission|parole))|"
                                   r"denied(?! (?:entry|access|admission))|closed|"
                                   r"thrown out|dismissed|terminated|termination|relief|conseguido asilo|obtuvieron asilo|"
                                   r"showed up|show up|attend\w*|appear(?:ed|ing)? in court|asistieron|se presentaron|reached a decision|"
                                   r"ordered deported|removal orders?|in absentia|represented|"
                                   r"casos? (?:en|ante) (?:la )?corte|casos? (?:del )?mpp|audiencias?|cortes?|"
                                   r"jueces|juez|tribunal\w*|tent courts?|courtrooms?|dockets?|"
                                   # a court that hears cases, not one that rules on the policy ("as courts debate its
                                   # legality", "a federal court blocked it") nor a date in court ("await court dates")
                                   r"(?<!federal )(?<!supreme )(?<!appeals )(?<!district )(?<!by the )courts?"
                                   r"(?! dates?| proceedings| debate| rul| block| uph| order| struck| halt| said| found))\b")),
    ("kidnappings", re.compile(r"\b(?:kidnap\w*|abduct\w*|captives|cautivos|held captive|against their will|"
                               r"cautiverio|hostages?|rehenes|secuestr\w*|plagiad\w*|plagios?|levantad[oa]s|levantones?|"
                               r"privad[oa]s? de (?:la|su) libertad|privacion(?:es)? (?:ilegal(?:es)? )?de la libertad)\b")),
    ("homicides", re.compile(r"\b(?:(?:shot|beaten|stabbed|strangled|hacked|tortured|burned) to death|"
                             r"killed|killing|killings|gunned down|gunning down|slaying\w*|murder\w*|homicid\w*|slain|shot dead|executed|"
                             r"executions?|massacre\w*|masacr\w*|asesin(?!os\b)\w*|multihomicidi\w*|"
                             r"took the lives? of|acab\w* con la vida|assassinat\w*|kills?|cobr\w+ la vida|quitaron la vida|privad[oa]s? de la vida|abatid[oa]s|abatieron|abatio|slaughter\w*|ajusticiad\w*|ajusticiamientos?|fatally (?:shot|stabbed|wounded|beaten)|ejecutad\w*|ejecuciones|ejecucion|dead|"
                             r"muertos?|muertas?|ultimad\w*|feminicidios?|femicid\w*|dolos[oa]s?|muertes violentas|violent deaths|"
                             r"victimas mortales|(?:muertes|asesinatos|homicidios) alevos[oa]s)\b")),
    ("violent_attacks", re.compile(r"\b(?:violencia sexual|sexual violence|sexual assaults?|injured|injuries|wounded|heridos?|heridas?|lesionad[oa]s|rape\w*|raping|assault\w*|attack\w*|tortur\w*|extort\w*|robbed|robber\w*|"
                                   r"violent crimes?|abuses|agresi\w*|agredid\w*|(?<!muertes )(?<!muerte )con violencia|con lujo de violencia|with violence|"
                                   r"sexual offen[cs]es|delitos sexuales|at gunpoint|a punta de pistola|violacion\w*|violad\w*|asalt\w*|extorsi\w*|"
                                   r"ataques?|atacad\w*|abusos|lesiones(?: dolosas)?|delitos? violentos?|"
                                   r"delitos? de alto impacto|delitos? contra (?:las personas|migrantes)|"
                                   r"crimes? against (?:migrants|people)|violence against|violencia contra|acts of violence|actos de violencia|"
                                   r"incidents of violence|instances of violence|casos de violencia|hechos de violencia|violencia familiar|"
                                   r"violencia domestica|domestic violence)\b")),
    ("deaths", re.compile(r"\b(?:died|die|dying|deaths?|deceased|fatalities|death toll|body count|victimas fatales|fatal victims|drown\w*|"
                          # the noun, not the verb ("the town remains occupied by 1,200 agents")
                          r"remains(?! (?:occupied|open|pending|closed|unclear|unknown|high|low|stable|calm|tense|unchanged|"
                          r"uncertain|active|in effect|in place|in force|a |an |the |to |one |as |so ))|bodies|corpses?|perished|"
                          r"osamentas|restos humanos|fallecid\w*|muertes?|"
                          r"murieron|murio|ahogad\w*|ahogaron|ahogo|restos|cuerpos?|cadaveres|decesos?|fallecimientos?|"
                          r"falleci\w*|perdieron la vida|perdio la vida|perdido la vida|lost their lives|lost his life|lost her life|claimed the lives? of|"
                          r"sin vida|lives claimed|homicidios? culposos?|culpos[oa]s|(?<=\d )lives|(?<=\d )vidas)\b")),
    ("people_sheltered", re.compile(r"\b(?:shelters?|sheltered|encampments?|camps?|camped|camping|tents?|"
                                    r"carpas?|casas de campana|lonas|tarps?|asentamientos?|occupied by|"
                                    r"alberg(?:a|an|aba|aban|o|aron)|hosped\w*|"
                                    r"housed|housing|staying at|aloj\w*|resguardad\w*|albergues?|albergad\w*|campamentos?|acamp\w*|"
                                    r"(?:living|sleeping|live|lived|sleep) (?:at|in|on|under|outside|there|here)|home to|makeshift home|"
                                    r"(?:hogar|refugio|albergue) (?:temporal|provisional)|"
                                    r"refugio temporal|(?:viven|viviendo|duermen|durmiendo|pernoctan)(?: actualmente| ahora| hoy)? en|casas? del migrante|"
                                    r"casas? de migrantes|refugios?|casas? de asistencia|beds|camas|"
                                    # the border's shelters by name ("Annunciation House was getting 700 a day")
                                    r"annunciation house|casa indi|casa monarca|pan de vida|padre chava|juventud 2000|"
                                    r"senda de vida|leona vicario|san juan bosco|kino border initiative|iniciativa kino|"
                                    r"centros? integrador\w*|centro integral de atencion|el barretal|ozanam|"
                                    r"casa de la misericordia|embajadores de jesus|espacio migrante|casas? de acogida|"
                                    # a census of the camp named before: "en ese espacio había 384 personas"
                                    r"en (?:el|ese|este|dicho|aquel) (?:lugar|espacio|sitio|predio|emplazamiento)"
                                    r"(?: \w+)? (?:habia|hay|viven|vivian|habitan|permanecen|permanecian|se encontraban|"
                                    r"se encuentran|estaban|estan|se alojaban|pernoctan)|"
                                    r"(?:habia|hay|viven|vivian|habitan|permanecen|se encontraban|se encuentran)(?: \w+)? en "
                                    r"(?:el|ese|este|dicho|aquel) (?:lugar|espacio|sitio|predio|emplazamiento)|"
                                    r"emplazamiento informal)\b")),
    ("people_displaced", re.compile(r"\b(?:displaced|displacement|fleeing|fled|flee|desplazad\w*|desplazamiento\w*|"
                                    r"(?:obligad[oa]s|forzad[oa]s|tuvieron que|tienen que) a? ?desplazarse|"
                                    r"huyendo|huyeron|huir de sus|(?:dejar|salir de|abandonar|dejaron|salieron de|abandonaron) (?:sus|su) "
                                    r"(?:hogares|hogar|casas|casa|viviendas|vivienda)|(?:left|fled|forced from|abandoned) their homes|"
                                    r"se mudaron|exodo|cambiaron (?:su|de) (?:residencia|domicilio)|changed residences?|"
                                    r"(?:han abandonado|abandonaron|have left|fled) (?:la |the )?(?:\w+ )?(?:ciudad|city|town|"
                                    r"municipio|pueblo))\b")),
    ("asylum_waitlist", re.compile(r"\b(?:(?:la |las )?listas? de espera|wait(?:ing)?[ -]?lists?|metering|"
                                   r"anotados|apuntad[oa]s|names on|la lista|las listas|the list|esperan su turno|esperar su turno|notebook|"
                                   r"libreta|cuaderno|waiting (?:here |there )?for asylum|the line|names|the book|"
                                   r"wait(?:ing)? (?:[\w,.]+ ){0,5}?(?:to (?:present|ask|apply|request|enter|seek|claim)|"
                                   r"for (?:their|a|the) (?:numbers?|turn|opportunity|chance)|"
                                   r"to be processed)|waiting in line|in line(?! with)|la fila|formad[oa]s|await\w* (?:u\.?s\.? )?entry|"
                                   r"esperan (?:su )?(?:ingreso|entrada))\b")),
    ("encounters", re.compile(r"\b(?:apprehen\w*|encounters?|encountered|arrest\w*|expel\w*|expulsions?|"
                              r"detained|detentions?|detenid[oa]s|detenciones|aprehen\w*|asegurad[oa]s|"
                              r"aseguramientos?|expulsad[oa]s|expulsiones|encuentros|interceptad\w*|detenido|"
                              r"caught|rescatad[oa]s|into custody|in custody|bajo custodia|stopped|detuv\w*|"
                              r"presentad[oa]s ante|detected|detectad[oa]s|detecto|intercept\w*|detains?|custody|"
                              r"detencion|expuls\w*)\b")),
    ("mpp_enrolled", re.compile(r"\b(?:enrolled|enrollments?|enrolments?|placed in(?:to)? (?:the )?[\"'“‘]?(?:mpp|program\w*|"
                                r"remain in mexico|quedate en mexico)|(?:are|were|is) (?:a )?part of (?:the )?(?:mpp|program\w*)|"
                                r"inscrit[oa]s?|ingresad[oa]s al (?:programa|mpp)|under the program|in the program|"
                                r"incluid[oa]s (?:en el|al) (?:programa|mpp)|habian sido incluid[oa]s|"
                                r"sujet[oa]s al (?:mpp|programa)|(?:eran|son|fueron) parte del (?:programa|mpp)|enrolad[oa]s|"
                                r"(?:has|have|had) included|incluyo en el programa|"
                                r"subject to (?:the )?(?:policy|program\w*|mpp|remain in mexico)|"
                                r"added to (?:the )?(?:mpp|program\w*|migrant protection protocols)|"
                                r"sujet[oa]s a (?:la |el )?(?:norma|politica|programa|mpp))\b")),
    ("mpp_returned", re.compile(r"\b(?:sent|sending|send|sends|returned|return|returns|returning|banished|strand|stranding|"
                                r"denied entry|retorno|devolvio|devolvieron|returnees?|forced to wait|made to wait|wait(?:ed|ing)?|"
                                r"pushed back|sent back|turned back|forced back|remain(?:ed|ing)? in mexico|devuelt\w*|devolvi\w*|retorn\w*|"
                                r"envi(?:o|aron|ado|ados|adas|ada|ar|arlos|arlas)|devolver(?:los|las)?|regres\w*|"
                                r"esperar en mexico|esperan en mexico|"
                                r"esperar\w* en|permanecer en mexico|quedarse en mexico|deportad[oa]s|deportaciones|"
                                r"en espera de (?:\w+ ){0,3}en mexico|dropped off|back to mexico|repatriad\w*|"
                                r"traer\w* a mexico|a mexico para esperar|to mexico to wait|recibid[oa]s?|recibio|"
                                r"recibieron|received|turned away|delivered|(?:obligad[oa]s|forzad[oa]s|oblig\w+)(?:,? (?:[\w]+ ){0,5}?[\w]+,)? a (?:esperar|permanecer|vivir)|(?:forced|forcing|made|making|required|requiring|obliged|ordered) (?:[\w,-]+ ){0,6}?to (?:wait|await|remain|stay)|envia|envian|enviara\w*|sends|entregad[oa]s|entregaron|vuelven|volvieron|"
                                r"shipp\w* (?:\w+ ){0,4}back|impacted|afectad[oa]s)\b")),
]
PRIORITY = [m for m, _ in PATTERNS] + ["other"]

VIOLENCE = re.compile(r"\b(?:armas? de fuego|armas? blancas?|firearms?|perpetrad\w*|stabbed|apunalad\w*|drug\w*|trafficking|traffickers|narco\w*|organized crime|crimen organizado|feuding|"
                      r"bloodletting|tortured|violen\w*|cartel\w*|gun\w*|shoot\w*|shot|armed|attack\w*|gang\w*|balacera\w*|"
                      r"enfrentamiento\w*|armad\w*|crimen|criminal\w*|homicid\w*|asesin\w*|ejecut\w*|executed|"
                      r"execution\w*|murder\w*|killer\w*|killed|slain|strangl\w*|bullets?|riddled|mass graves?|"
                      r"fosas?(?! comun)|disparos?|balazos?|baleado\w*|sicarios?|clandestin\w*|hacked|beheaded|decapitad\w*|"
                      r"dismembered|desmembrad\w*|bullet\w*|gunshots?|agresi\w*|ataques?|abduct\w*|secuestr\w*|kidnap\w*|"
                      r"tiroteos?|balace\w*|emboscad\w*|weapons?|set(?:ting)? fire|set on fire|arson\w*|torched|prendieron fuego|incendiaron|opened fire|abrieron fuego|dispar\w*|ambush\w*|delictiv\w*|delincuen\w*|gatiller\w*|abatid\w*|"
                      r"gunfire|gunmen|gunfight\w*|shootout\w*|firefight\w*|clash\w*|enfrentad\w*|rinas?|motin(?:es)?|riots?|"
                      r"brawls?|persecuci\w+|responsables de)\b")
BURN = re.compile(r"\b(?:burn\w*|torch\w*|set on fire|set ablaze|ablaze|on fire|set fire|alight|aflame|"
                  r"(?<!armas de )(?<!arma de )(?<!disparos de )(?<!alto al )fuego|incendi\w*|quem\w*|"
                  r"calcinad\w*|ignit\w*|incinera\w*|flames|en llamas|blaze)\b")
MPP_CONTEXT = re.compile(r"\b(?:mpp|rmx|tent courts?|tent courtrooms?|tent hearing\w*|cortes? de carpas?|"
                         r"(?:audiencias|cortes?|tribunal\w*) (?:en|de) (?:las )?carpas|migrant protection protocols?|migration protection protocols?|remain in mexico|"
                         r"stay in mexico|quedate en mexico|(?:protocolos?|programas?) (?:de |para )?(?:la )?proteccion (?:a|al|de|del|para) (?:los )?migrantes?|"
                         r"protocolos? de proteccion migratoria|permanecer en mexico|quedarse en mexico|"
                         r"(?:forced|made|required|obligad\w*) to wait|(?:obligad|forzad)\w* a (?:esperar|permanecer) en (?:mexico|territorio mexicano)|wait(?:ing|ed)? (?:[\w,]+ ){0,6}in mexico|"
                         r"remain(?:ing|ed|s)? in mexico|"
                         r"esperar (?:\w+ ){0,3}en mexico|en espera de (?:\w+ ){0,3}en mexico|permanencia en mexico|"
                         r"await\w* (?:[\w,.]+ ){0,6}in mexico|"
                         r"a mexico para esperar)\b")
ASYLUM_WORD = re.compile(r"\b(?:asylum|asilo)\b")
IN_MEXICO = re.compile(r"\b(?:in mexico|en mexico|frontera norte(?: de mexico)?|frontera mexicana|lado mexicano|"
                       r"mexican side|mexican border cities|ciudades fronterizas mexicanas|territorio mexicano)\b")
WAITING = re.compile(r"\b(?:esperando|esperan|a la espera|en espera|aguardan|waiting|await\w*|pendientes?|pending|"
                     r"activos|active)\b")
AUTHORITY = re.compile(r"\b(?:border patrol|cbp|customs and border|ice|immigration and customs|inm|"
                       r"instituto nacional de migracion|patrulla fronteriza|guardia nacional|national guard|"
                       r"agents?|agentes|authorities|autoridades migratorias|migra|dhs|homeland security|"
                       r"title 42|titulo 42|u\.s\. officials|mexican government|gobierno de mexico|gobierno mexicano|"
                       r"segob|secretaria de gobernacion|upm|unidad de politica migratoria)\b")
COURT_CONTEXT = re.compile(r"\b(?:courts?|hearings?|judges?|cases?|trac|eoir|asylum|asilo|cortes?|audiencias?|"
                           r"jueces|juez|casos?|tribunal\w*)\b")
FEAR_OF_RETURN = re.compile(r"\b(?:temor|miedo) (?:de|a) (?:regresar|ser devuelt\w*|volver)|fear(?:ed)? (?:of )?"
                            r"(?:being )?(?:return\w*|sent back)\b")
DISASTER = re.compile(r"\b(?:fire|blaze|flames|incendio|siniestro|explosion|crash\w*|accident\w*|accidente\w*|"
                      r"volcadura|volco|flood\w*|inundaci\w+|heat|calor|storm|tormenta|earthquake|sismo|collapse\w*|"
                      r"derrumbe)\b")
VIOLENT_KINDS = ("homicides", "kidnappings", "violent_attacks")
INJURED = re.compile(r"injured|injuries|wounded|heridos?|heridas?|lesionad[oa]s")
ACCIDENT = re.compile(r"\b(?:fall\w*|fell|fire|blaze|flames?|crash\w*|accident\w*|collision|collided|choque|accidente\w*|"
                      r"atropell\w*|ran over|run over|hit by a (?:car|vehicle|truck)|"
                      r"volcadura|volco|caid[ao]s?|cayeron|caer|cayo|incendio|explosion|heat|calor|siniestro)\b")
COURT_EVENT = re.compile(r"hearings?|in absentia|removal orders?|terminat\w*|relief|granted|denied|decided|"
                         r"showed up|show up|attend\w*|appear(?:ed|ing)? in court|asistieron|se presentaron|reached a decision|audiencias?|"
                         r"thrown out|dismissed|closed|completed")
VICTIMS_OF = re.compile(r"\b(?:victims? of|victimas? de|suffered|sufrieron|sufrido|reported being|denunciaron haber sido|"
                        r"were|have been|han sido|fueron)\b[^.;]{0,30}?\b(?:kidnap\w*|secuestr\w*|attack\w*|ataques?|"
                        r"assault\w*|agresi\w*|rape\w*|violacion\w*|abus\w*|tortur\w*|extorsi\w*|extort\w*|"
                        r"violent crimes?|delitos?)")


def _allowed(measure: str, word: str, ctx: dict) -> str | None:
    """The measure a word means here, or None when its context rules it out."""
    if measure == "people_sheltered" and word.startswith(("en ", "habia", "hay ", "viven", "vivian", "habitan", "permanec",
                                                          "se encontraban", "se encuentran")) and ctx["violent"]:
        return None  # "en el lugar había 20 personas" when the gunmen came: not a camp's census
    if measure == "people_displaced" and re.match(r"(?:han abandonado|abandonaron|have left|fled) \w", word) and not (
            ctx["violent"] or ctx.get("violent_before")):
        return None  # "70 hondureños abandonaron Ciudad Juárez con apoyo de la OIM": going home, not fleeing
    if measure == "vehicles_burned" and not ctx["burn"]:
        return None
    if measure == "homicides" and word in ("killed", "killing", "kills", "dead", "muertos", "muertas", "murieron") and \
            ctx.get("disaster") and not ctx.get("violent_besides"):
        return "deaths"  # "a fire killed at least 38 people": a disaster, with nothing violent said
    if measure == "homicides" and word in ("dead", "muertos", "muertas", "muerto", "muerta") and not (
            ctx["violent"] or ctx.get("violent_before")):
        return "deaths"  # dead, with no violence in the sentence: the desert, the river
    if measure == "deaths" and word in ("died", "die", "dying", "murieron", "murio", "perished", "bodies", "remains",
                                        "cuerpos", "cuerpo", "restos", "cadaveres", "corpses", "corpse", "muerte",
                                        "muertes", "death", "deaths", "decesos", "perdieron la vida", "perdio la vida", "perdido la vida",
                                        "lost their lives", "lost his life", "lost her life", "sin vida", "lives claimed", "claimed the lives of",
                                        "claimed the life of", "lives", "vidas", "body count", "victimas fatales", "fatal victims",
                                        "fallecieron", "fallecio", "fallecidos", "fallecidas", "fallecido", "fallecida") and (ctx["violent"] or ctx.get("violent_before")):
        return "homicides"  # "died in armed clashes"
    if measure == "deaths" and word in ("bodies", "corpses", "cuerpos", "cadaveres", "osamentas") and ctx.get(
            "violent_near"):
        return "homicides"  # "Nine bodies were found." after "23 people were killed"
    if measure == "violent_attacks" and INJURED.fullmatch(word) and not (ctx["violent"] or ctx.get("violent_before")) \
            and ctx.get("accident"):
        return "other"  # hurt falling from the wall, in a fire or a crash: not an attack
    if measure == "mpp_returned" and word.startswith(("repatri", "recib", "received")) and not ctx["mpp_sentence"]:
        return None  # Mexicans are "repatriados"; only MPP named in the sentence makes it a return under MPP
    if measure == "mpp_returned" and word.startswith("deport") and not ctx["foreign_asylum"]:
        return None  # the Mexican press calls MPP returns "deportaciones" only of Central Americans, asylum seekers
    if measure == "mpp_returned" and ctx.get("fear_of_return"):
        return None  # "595 migrantes expresaron temor de regresar a México": a fear, not a return
    if measure == "mpp_returned" and (not ctx["mpp"] or ctx.get("going_home")):
        return None  # not about MPP, or people going home ("retorno voluntario", "bused back to their countries")
    if measure == "mpp_returned" and word.startswith("wait") and not ctx["mpp_sentence"]:
        return None  # "cases waiting on the court's docket"
    if measure == "mpp_enrolled" and not (ctx["mpp"] or word.startswith(("placed", "enrolled", "part of", "added to"))):
        return None
    if measure == "mpp_pending_cases" and not ctx["mpp_here"] and not word.startswith("mpp"):
        return None  # a whole court's backlog is not MPP cases
    if measure == "mpp_court_cases" and not ctx["mpp_here"] and not word.startswith("mpp") and not (
            ctx["mpp"] and COURT_EVENT.fullmatch(word)):
        return None
    if measure == "mpp_court_cases" and not ctx["mpp"] and word in ("granted", "denied", "completed", "decided",
                                                                    "represented", "decisions", "decision"):
        return None
    if measure == "mpp_pending_cases" and not ctx["court"]:
        return None
    if measure == "encounters" and re.match(r"expel|expuls", word) and ctx["mpp_sentence"]:
        return "mpp_returned"  # "expelled to Mexico under the Remain in Mexico policy"
    if measure == "encounters" and not ctx["authority"] and not re.match(
            r"(?:expel|expuls|apprehen|aprehen|encounter|encuentros|into custody|in custody|bajo custodia|caught)", word):
        return None
    if measure == "mpp_pending_cases" and not ctx["mpp_here"]:
        return None
    if measure == "asylum_waitlist" and word in ("la lista", "the list", "the line", "names", "the book") and not ctx["asylum"]:
        return None
    return measure


SENT_TO = re.compile(r"\b(?:sent|send|sending|banished|turned back|returned|return|devuelt\w*|devolvi\w*|entregad\w*|envi(?:o|aron|ado|ados|adas|ada|a|an)|retorn\w*|"
                     r"regres\w*|forced)\b[^.;]{0,60}?\b(?:to|a|por|from|de|desde|back)\b|\b(?:returnees|retornados|devueltos)\b")
SENT_BACK = re.compile(r"\b(?:(?:turned|forced|pushed|sent|sending|send|shipping|shipped) (?:[\w,]+ ){0,6}?back|dropped off)\b")  # to Mexico, said or not
RETURNED_PEOPLE = re.compile(r"\b(?:returned|retornad[oa]s|devuelt[oa]s|regresad[oa]s)\b")  # people returned, in a
# sentence that also names a border place or asylum
RETURN_MARKER = re.compile(r"\b(?:border cities|border towns|ciudades fronterizas|ciudades mexicanas|mexican cities|to mexico|a mexico|a suelo mexicano|from the u\.?s\.?|from the united states|"
                           r"(?:autoridad|autoridades|gobierno) estadounidenses?|"
                           r"de estados unidos|desde estados unidos|program\w*|asylum|asilo|await\w*|esperar|wait\w*)\b")
AWAIT = re.compile(r"\b(?:asylum|asilo|await\w*|esperar|a la espera|en espera|wait\w*|hearings?|audiencias?|cortes?|courts?)\b")
DEPORTATION = re.compile(r"\b(?:deport\w*|repatri\w*|expuls\w*|expel\w*|title 42|titulo 42|mexican nationals|"
                         r"(?<!funcionarios )(?<!gobierno )(?<!oficiales )(?<!agentes )mexicanos|connacionales|paisanos|"
                         r"(?:sus|their) (?:paises|naciones|countries) de origen|"
                         r"(?:their|sus) (?:home )?(?:countries|paises))\b")
FOREIGN_ASYLUM = re.compile(r"\b(?:centroamerican\w*|central americans?|solicitantes de asilo|solicitaron asilo|"
                            r"solicitud(?:es)? de asilo|asylum[- ]seekers?|hondurenos?|guatemaltecos?|salvadorenos?|"
                            r"nicaraguenses?|cubanos?|venezolanos?|extranjeros?)\b")
MEXICANS = re.compile(r"\b(?:mexican nationals|(?<!funcionarios )(?<!gobierno )(?<!oficiales )(?<!agentes )mexicanos|connacionales|paisanos|repatriad\w*)\b")
GOING_HOME = re.compile(r"\b(?:voluntary return\w*|return voluntarily|retorno voluntario|retornos voluntarios|retorno asistido|"
                        r"retornad[oa]s voluntari[oa]s|return home|go home|"
                        r"(?:back )?to their (?:home )?(?:countr(?:y|ies)|nations?)(?: of origin)?|a sus (?:paises|naciones)|a su (?:pais|nacion)|rumbo a (?:sus|su) (?:paises|pais)|"
                        
                        r"regresar con sus familias|(?:entered|ingresaron a|allowed (?:to )?(?:enter|cross))\b[^.;]{0,30}"
                        r"(?:u\.?s\.?|united states|estados unidos|eeuu|ee\. ?uu\.?))\b")
# what the Mexican press says of Central Americans and asylum seekers sent back by the United States
RETURNED_FOREIGNERS = re.compile(r"\b(?:deportad[oa]s|deportaciones|retornad[oa]s|retornando|retornaron|retorna(?:n|ron)?|"
                                 r"devuelt[oa]s|devolvi\w*|entregad[oa]s|entregaron)\b")
LAWYERS = re.compile(r"\b(?:lawyers?|attorneys?|legal (?:representation|counsel)|abogad[oa]s?|representacion legal)\b")


@lru_cache(maxsize=8192)
def _found(pattern: re.Pattern, text: str) -> bool:
    """Whether `pattern` occurs in `text`; each sentence is read as the sentence, the one before and the one after."""
    return bool(pattern.search(text))


def context(sentence_text: str, mpp: bool, place_in_sentence: bool = False, near_text: str = "",
            next_text: str = "") -> dict:
    """What the sentence says around its figures. Without the words "MPP" or "Remain in Mexico" in the text,
    people "sent to" or "returned to" a border city (not deported Mexicans) are taken as returned under MPP."""
    mpp_sentence = _found(MPP_CONTEXT, sentence_text) or (
        # asylum seekers waiting in Mexico for the United States to decide: what MPP is, named or not
        _found(ASYLUM_WORD, sentence_text) and _found(IN_MEXICO, sentence_text) and _found(WAITING, sentence_text))
    mpp_here = mpp_sentence or _found(MPP_CONTEXT, near_text)
    foreign_asylum = (_found(FOREIGN_ASYLUM, sentence_text) or _found(FOREIGN_ASYLUM, near_text)) and not \
        MEXICANS.search(sentence_text)
    going_home = bool(GOING_HOME.search(sentence_text))
    if not mpp and foreign_asylum and RETURNED_FOREIGNERS.search(sentence_text) and not going_home:
        mpp = True  # "94 de estos migrantes [centroamericanos que solicitaron asilo] han sido 'deportados' por El Chaparral"
    if not mpp and not DEPORTATION.search(sentence_text) and (
            SENT_TO.search(sentence_text) and (place_in_sentence or AWAIT.search(sentence_text)
                                               or RETURN_MARKER.search(sentence_text))
            or RETURNED_PEOPLE.search(sentence_text) and (place_in_sentence or AWAIT.search(sentence_text))
            or SENT_BACK.search(sentence_text)):
        mpp = True
    violent, violent_before = _found(VIOLENCE, sentence_text), _found(VIOLENCE, near_text)
    return {
        "mpp_here": mpp_here,
        "mpp_sentence": mpp_sentence,
        "going_home": going_home,
        "foreign_asylum": foreign_asylum,
        "violent": violent,
        # bodies found in a story of killings: violence said in the sentence before or after
        "violent_near": violent or violent_before or _found(VIOLENCE, next_text),
        "violent_before": violent_before,
        "burn": bool(BURN.search(sentence_text)),
        "accident": bool(ACCIDENT.search(sentence_text)),
        "disaster": bool(DISASTER.search(sentence_text)),
        "fear_of_return": bool(FEAR_OF_RETURN.search(sentence_text)),
        # violence said in other words than the killing itself ("killed" alone does not tell who killed)
        "violent_besides": any(m.group(0) not in ("killed", "killing", "killings", "dead") for m in
                               VIOLENCE.finditer(sentence_text)),
        "mpp": mpp,
        "court": bool(COURT_CONTEXT.search(sentence_text)),
        "authority": bool(AUTHORITY.search(sentence_text)),
        "asylum": bool(re.search(r"\b(?:asylum|asilo)\b", sentence_text + " " + near_text)),
    }


@lru_cache(maxsize=32)  # keyed by whole texts: a few at a time
def _hits(text: str) -> tuple[tuple[str, int, int, str], ...]:
    """Every measure word in `text` (measure, start, end, word), but those inside a longer one ("muertes violentas"
    is a homicide, not "muertes"). The same clause is read for several numbers, so this is kept."""
    hits = [(measure, m.start(), m.end(), m.group(0)) for measure, pattern in PATTERNS for m in pattern.finditer(text)]
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    kept, reach = [], -1
    for h in hits:  # sorted by start, longest first: a hit inside an earlier, longer one is dropped
        if h[2] <= reach and any(o[1] <= h[1] and h[2] <= o[2] and o[2] - o[1] > h[2] - h[1] for o in kept):
            continue
        kept.append(h)
        reach = max(reach, h[2])
    return tuple(kept)


@lru_cache(maxsize=32)
def _starts(text: str) -> list[int]:
    return [h[1] for h in _hits(text)]


def hits_within(folded: str, a: int, b: int) -> list[tuple[str, int, int, str]]:
    """The measure words of the whole text (`_hits`: found once per text) that lie wholly inside folded[a:b]."""
    hits, out = _hits(folded), []
    for k in range(bisect_left(_starts(folded), a), len(hits)):
        if hits[k][1] >= b:
            break
        if hits[k][2] <= b:
            out.append(hits[k])
    return out


def nearest(folded: str, window: tuple[int, int], center: int, ctx: dict,
            kinds_listed: bool = False) -> tuple[str, str | None, int | None]:
    """(measure, the word that decided it, its distance in characters) of the nearest measure word in `window`.
    `kinds_listed`: the window lists kinds of what is counted ("cases of kidnapping, rape and torture"), so
    several kinds of violent crime in it make the figure `violent_attacks`."""
    z0, z1 = window
    best: tuple[int, int, str, str] | None = None
    found: set[str] = set()
    # read in the whole text, so a word's own context is seen ("court dates", "by the court")
    for measure, start, end, word in hits_within(folded, z0, z1):
        here = _allowed(measure, word, ctx)
        if here is None:
            continue
        found.add(here)
        dist = abs((start + end) // 2 - center)
        key = (dist, PRIORITY.index(here), here, word)
        if best is None or key < best:
            best = key
    if best is None:
        return "other", None, None
    measure = best[2]
    if kinds_listed and measure in VIOLENT_KINDS and len(found & set(VIOLENT_KINDS)) > 1:
        return "violent_attacks", f"{best[3]} (one of several crimes counted together)", best[0]
    return measure, best[3], best[0]


ARREST_BEFORE = re.compile(r"\b(?:arrested|detained|detuvieron a|detuvo a|capturaron a|aprehendieron a|"
                           r"arrestaron a|stopped|(?:la )?detencion de|(?:the )?arrest of|captured)\s+(?:\w+\s+){0,2}$")
PLACED_BEFORE = re.compile(r"\b(?:placed|enrolled|inscribio a|inscribieron a|ingresaron a)\s+(?:\w+\s+){0,2}$")


def said_before(folded: str, start: int, lower: int, ctx: dict) -> tuple[str, str] | None:
    """A measure word right before the number, in its clause ('secuestraron a 31 de ellos', 'arrested another 16')."""
    before = (max(lower, start - 30), start)
    found, word, _ = nearest(folded, before, start, ctx)
    return (found, f"'{word}' right before the number") if found != "other" else None


def governing_verb(folded: str, start: int, ctx: dict) -> tuple[str, str] | None:
    """The measure a verb right before the number gives it ('detuvieron a tres personas', 'placed 1,500
    migrants in the program'), or None."""
    before = folded[max(0, start - 40):start]
    m = ARREST_BEFORE.search(before)
    if m:
        return ("encounters" if ctx["authority"] else "other"), f"'{m.group(0).strip()}' before the number"
    m = PLACED_BEFORE.search(before)
    if m:
        return "mpp_enrolled", f"'{m.group(0).strip()}' before the number"
    return None
