"""The extractor's rules for text it had not seen (issue 16): Mexican press numerals, U.S. places, a state as
context, lists in text, the measure in the previous sentence, named measures, and `--explain`.

Sentences here are written for these tests (each rule on its own); how well the rules do on real articles is
measured on the evaluation set (test_extract_eval.py)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from etl.extractor.extract import PlaceIndex, explain, extract
from etl.extractor.notfigures import not_a_figure
from etl.extractor.numbers import find_numbers
from etl.extractor.text import fold


@pytest.fixture(scope="module")
def places(gazetteer):
    return PlaceIndex(gazetteer)


def figures(text, gazetteer, places):
    """The rules' figures: these tests are of the rules, so the learned model's second opinion on the measure
    (tests/test_extract_learned.py) is left out."""
    return [(c.metric, c.value, c.qualifier, c.place_id)
            for c in extract(text, gazetteer, places=places, learned=False)]


def values_and_places(text, gazetteer, places):
    """The rules' figures as (value, place): for the tests of where a figure counts."""
    return [(value, place) for _, value, _, place in figures(text, gazetteer, places)]


@pytest.mark.parametrize("written,value,form", [
    ("mil 250", 1250, "press numeral"), ("37 mil 118", 37118, "press numeral"), ("mil 907", 1907, "press numeral"),
    ("10 mil 644", 10644, "press numeral"), ("siete mil 285", 7285, "press numeral"),
    ("Catorce mil 235", 14235, "press numeral"), ("2 millones 475 mil 669", 2475669, "press numeral"),
    ("dos millones y medio", 2500000, "press numeral"), ("medio millón", 500000, "press numeral"),
    ("2.5 millones", 2500000, "digits with a multiplier"), ("1,5 millones", 1500000, "digits with a multiplier"),
    ("55 mil", 55000, "digits with a multiplier"), ("1.499", 1499, "digits"), ("1 499", 1499, "digits"),
    ("veinte", 20, "words"), ("una docena", 12, "words"), ("half a million", 500000, "words"),
    ("11 thousand 922", 11922, "press numeral"), ("one thousand 513", 1513, "press numeral"),
    ("twenty-nine thousand 182", 29182, "press numeral"), ("5 thousand 47", 5047, "press numeral"),
    ("14 thousand 970", 14970, "press numeral"),
    ("cientos de", 100, "vague plural"), ("miles de", 1000, "vague plural"),
    ("decenas de miles de", 10000, "vague plural"), ("hundreds of thousands of", 100000, "vague plural"),
    # "tens of thousands" with nothing counted after it; thousands counted in millares; "el millar"
    ("entre las decenas de miles bajo el programa:", 10000, "vague plural"), ("tres millares de", 3000, "words"),
    ("el millar de", 1000, "round collective"),
])
def test_numbers_as_the_press_writes_them(written, value, form):
    [n] = find_numbers(fold(written + " migrantes"))
    assert (n.value, n.form) == (value, form)


def test_por_ciento_is_not_a_hundred():
    assert [n.value for n in find_numbers(fold("el 73 por ciento de los migrantes"))] == [73]


@pytest.mark.parametrize("text,expected", [
    ("La Fiscalía registró mil 250 homicidios en Ciudad Juárez.", [("homicides", 1250, "exact", "08037")]),
    ("En el año hubo 37 mil 118 personas desplazadas por la violencia en Tamaulipas.",
     [("people_displaced", 37118, "exact", "28")]),
    ("Cientos de migrantes esperan en los albergues de Tijuana.", [("people_sheltered", 100, "approximately", "02004")]),
    ("Se estima que 18 mil migrantes fueron devueltos a Ciudad Juárez bajo el MPP.",
     [("mpp_returned", 18000, "estimate", "08037")]),
    ("Una docena de migrantes fueron secuestrados en Reynosa.", [("kidnappings", 12, "exact", "28032")]),
])
def test_mexican_press_figures(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # U.S. places are the U.S. port, or the sector when called one; never moved to the Mexican city unasked
    ("Judges in El Paso heard 1,200 MPP cases in July.", [("mpp_court_cases", 1200, "exact", "US-POE-2402")]),
    ("The San Diego court had more than 5,700 MPP cases pending.",
     [("mpp_pending_cases", 5700, "more_than", "US-POE-2504")]),
    ("Agents in the El Paso sector apprehended 3,200 migrants in May.",
     [("encounters", 3200, "exact", "US-SEC-EPT")]),
    ("Hearings in Brownsville and Laredo drew 400 people under MPP.", [("mpp_court_cases", 400, "exact", None)]),
    ("Border Patrol agents apprehended 85 migrants near Eagle Pass, Texas.",
     [("encounters", 85, "exact", "US-POE-2303")]),
    ("About 900 migrants were returned from El Paso to Ciudad Juárez under MPP.",
     [("mpp_returned", 900, "approximately", "08037")]),
    # Nuevo Laredo is not Laredo, Nogales is Sonora's unless Arizona is said, the Rio Bravo is not Del Rio
    ("Gunmen killed 7 people in Nuevo Laredo.", [("homicides", 7, "exact", "28027")]),
    ("Officials counted 40 migrants in the shelter in Nogales.", [("people_sheltered", 40, "exact", "26043")]),
    ("Officials counted 40 migrants in the shelter in Nogales, Arizona.",
     [("people_sheltered", 40, "exact", "US-POE-2604")]),
    # or its port of entry is said: the U.S. port of that name
    ("Yesterday, nine Venezuelans arrived at a Nogales port of entry.", [("other", 9, "exact", "US-POE-2604")]),
    ("Officers process about 100 migrants a day at the Nogales Port of Entry.",
     [("other", 100, "approximately", "US-POE-2604")]),
    ("Los cuerpos de dos hombres fueron localizados en el río Bravo.", [("deaths", 2, "exact", None)]),
])
def test_us_places(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("More than 1,000 migrants died along the border, including in Sonora.", [("deaths", 1000, "more_than", None)]),
    ("Más de 2 mil personas fueron asesinadas en la frontera norte, incluido Chihuahua.",
     [("homicides", 2000, "more_than", None)]),
    ("En Sonora se registraron 50 homicidios en marzo.", [("homicides", 50, "exact", "26")]),
    ("Reportaron 30 secuestros en Sonora y Chihuahua.", [("kidnappings", 30, "exact", None)]),
    ("More than 15,000 people were returned to Ciudad Juárez, Tijuana and Mexicali under MPP.",
     [("mpp_returned", 15000, "more_than", None)]),
])
def test_a_state_or_several_places_named_as_context(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("People returned under MPP by city: Reynosa: 4,210; Nogales: 1,930.",
     [("mpp_returned", 4210, "exact", "28032"), ("mpp_returned", 1930, "exact", "26043")]),
    ("Un saldo de 19 personas secuestradas, de los cuales 4 fueron en Mexicali y 11 en Tijuana.",
     [("kidnappings", 19, "exact", None), ("kidnappings", 4, "exact", "02002"), ("kidnappings", 11, "exact", "02004")]),
    ("Las repatriaciones fueron 14 mil 422 en Matamoros, Tamaulipas; en Nogales, Sonora, con 11 mil 349.",
     [("other", 14422, "exact", "28022"), ("other", 11349, "exact", "26043")]),
    ("Kidnappings of migrants rose sharply last year. In Nuevo Laredo there were 45.",
     [("kidnappings", 45, "exact", "28027")]),
    ("La cifra de homicidios en Tijuana fue de mil 404, mientras que este año la cifra llegó a mil 421.",
     [("homicides", 1404, "exact", "02004"), ("homicides", 1421, "exact", "02004")]),
    ("El índice se elevó al pasar de 87 a 124 asesinatos en Ciudad Juárez.",
     [("homicides", 87, "exact", "08037"), ("homicides", 124, "exact", "08037")]),
])
def test_lists_and_the_measure_said_before(gazetteer, places, text, expected):
    assert sorted(figures(text, gazetteer, places), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("text,measure", [
    ("TRAC counted 26,001 MPP court cases.", "mpp_court_cases"),
    ("Some 7,337 MPP cases were still pending in October.", "mpp_pending_cases"),
    ("Human Rights First tracked 1,544 violent attacks against people returned under MPP.", "violent_attacks"),
    ("At least 636 cases of kidnapping, rape and torture were reported against returnees.", "violent_attacks"),
    ("Gunmen kidnapped 21 migrants in the city.", "kidnappings"),
    ("Police found 9 people shot dead in the city.", "homicides"),
    ("Nine migrants drowned in the Rio Grande.", "deaths"),
    ("About 2,000 people live in the camp by the river.", "people_sheltered"),
    ("About 3,000 people camped out in public places, fleeing cartel violence.", "people_displaced"),
    ("Casi 500 personas esperan en la lista de espera.", "asylum_waitlist"),
    ("More than 71,000 people have been placed in the program.", "mpp_enrolled"),
    ("The Border Patrol apprehended 3,200 migrants.", "encounters"),
    ("Less than 50 migrants had lawyers at their MPP hearings.", "other"),
])
def test_measures_are_named(gazetteer, places, text, measure):
    [(got, *_)] = figures(text, gazetteer, places)
    assert got == measure


def test_people_in_mpp_are_enrolled_unless_a_measure_word_is_said_near_them(gazetteer, places):
    far = ("About a third of the nearly 50,000 migrants in the MPP program as of Oct. 3 were children under 18, "
           "according to the latest data available from the Executive Office for Immigration Review (EOIR), which "
           "oversees U.S. immigration courts.")
    assert figures(far, gazetteer, places) == [("mpp_enrolled", 50000, "approximately", None)]
    near = "Some 3,000 migrants in MPP had hearings in the immigration courts last week."
    assert [m for m, *_ in figures(near, gazetteer, places)] == ["mpp_court_cases"]
    hurt = "Some 40 migrants in MPP were injured in a fall from the border wall."
    assert [m for m, *_ in figures(hurt, gazetteer, places)] == ["other"]


def test_a_dateline_is_not_the_place_unless_the_text_says_so(gazetteer, places):
    text = ("EL PASO, Texas (Border Report) – The government has placed more than 1,500 migrants in the program. "
            "JUÁREZ, Mexico — ")
    assert figures(text, gazetteer, places) == [("mpp_enrolled", 1500, "more_than", None)]
    text = "CIUDAD JUÁREZ.— En lo que va del año, esta ciudad registró mil 143 asesinatos."
    assert figures(text, gazetteer, places) == [("homicides", 1143, "exact", "08037")]


def test_explain_gives_a_rule_for_every_number(gazetteer, places):
    text = ("Más de 55 mil migrantes han sido devueltos a México bajo el MPP desde 2019, "
            "incluidos unos 13 mil en Ciudad Juárez; el 40 por ciento son mujeres.")
    decisions = explain(text, gazetteer, places=places)
    assert [(d.number, d.kept) for d in decisions] == [("55 mil", True), ("2019", False), ("13 mil", True),
                                                       ("40", False)]
    kept, year, juarez, percent = decisions
    assert {"number", "noun", "measure", "qualifier", "place"} <= set(kept.rules)
    assert kept.rules["qualifier"] == "'mas de' before the number"
    assert year.rules["dropped"] == "not a figure: a year"
    assert percent.rules["dropped"] == "not a figure: a percentage"
    assert "ciudad juarez" in juarez.rules["place"]
    assert [d.candidate for d in decisions if d.kept] == extract(text, gazetteer, places=places)


def cli(*args):
    proc = subprocess.run([sys.executable, "-m", "borderstats.cli", *args], capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_extract_explain_command(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("En 2019, cientos de migrantes fueron secuestrados en Nuevo Laredo.", encoding="utf-8")
    code, out, err = cli("extract", str(f), "--explain")
    assert code == 0, err
    assert "KEPT     cientos  ->  kidnappings · approximately · Nuevo Laredo" in out
    assert "DROPPED  2019" in out and "not a figure: a year" in out
    assert "a vague plural ('cientos')" in out
    assert "2 number(s): 1 kept, 1 dropped" in err
    code, out, err = cli("extract", str(f), "--explain", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["number"], r["kept"]) for r in rows] == [("2019", False), ("cientos", True)]
    assert rows[1]["candidate"]["place_id"] == "28027" and rows[1]["rules"]["measure"]


def test_figures_add_needs_a_definition_in_the_reviewers_words(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Más de 55 mil migrantes han sido devueltos a México bajo el programa MPP.", encoding="utf-8")
    code, out, err = cli("extract", str(src), "--publisher", "Test", "--url", "https://example.org/a")
    assert code == 0, err
    candidates = json.loads(out)
    table = tmp_path / "figures.csv"
    table.write_text("figure_id,metric,value,qualifier,place_id,place_ids,period_start,period_end,as_of,definition,"
                     "counted_by,report_kind,publisher,title,url,published,quote,notes\n", encoding="utf-8")
    cands = tmp_path / "c.json"
    for c in candidates:
        c.update(counted_by="unknown", report_kind="secondary")
    cands.write_text(json.dumps(candidates), encoding="utf-8")
    code, out, err = cli("figures", "add", str(cands), "--file", str(table))
    assert code != 0 and "definition" in err  # the extractor never writes one
    for c in candidates:
        c["definition"] = c["quote"]
    cands.write_text(json.dumps(candidates), encoding="utf-8")
    code, out, err = cli("figures", "add", str(cands), "--file", str(table))
    assert code != 0 and "own words" in err
    for c in candidates:
        c["definition"] = "People returned to Mexico under MPP since January 2019, border-wide, as reported"
    cands.write_text(json.dumps(candidates), encoding="utf-8")
    code, out, err = cli("figures", "add", str(cands), "--file", str(table))
    assert code == 0, err
    assert "People returned to Mexico under MPP" in table.read_text(encoding="utf-8")


# ---------------------------------------------------------------- ranges, estimates, lists and places said once
# (rules of 2026-11-29, evening: written for these tests, each rule on its own)

@pytest.mark.parametrize("text,expected", [
    ("Entre 150 y 250 migrantes llegan cada día a los albergues de Nogales, Sonora.",
     [("people_sheltered", 150, "at_least", "26043"), ("people_sheltered", 250, "up_to", "26043")]),
    ("In Juárez, 15 to 20 migrants were returned under MPP each day.",
     [("mpp_returned", 15, "at_least", "08037"), ("mpp_returned", 20, "up_to", "08037")]),
    ("Se registraron de dos o tres asesinatos al día en Tijuana.",
     [("homicides", 2, "at_least", "02004"), ("homicides", 3, "up_to", "02004")]),
])
def test_a_range_is_its_least_and_its_most(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_change_from_one_figure_to_another_is_not_a_range(gazetteer, places):
    got = figures("Los homicidios en Ciudad Juárez aumentaron al pasar de 87 a 124 asesinatos.", gazetteer, places)
    assert [(v, q) for _, v, q, _ in got] == [(87, "exact"), (124, "exact")]


def test_explain_marks_a_rules_example_as_an_example_not_a_quote(gazetteer, places):
    """A reviewer reads the rule's reason beside the text: its example must not look like a quote of the text."""
    text = "Entre dos mil 500 a dos mil 800 personas esperan en Reynosa."
    [first] = [d for d in explain(text, gazetteer, places=places, learned=False) if d.number == "dos mil 500"]
    assert first.rules["noun"] == "'personas' after the next number (as in '87 a 124 asesinatos')"


def test_an_estimate_said_before_the_number_wins_over_more_than(gazetteer, places):
    got = figures("Researchers estimate that more than 26,500 asylum seekers were returned to Tijuana under MPP.",
                  gazetteer, places)
    assert got == [("mpp_returned", 26500, "estimate", "02004")]


def test_estima_que_makes_both_ends_of_a_range_estimates(gazetteer, places):
    """"el ITM estima que existen entre dos mil 500 a dos mil 800 personas": an estimate, not a least and a most."""
    got = figures("En Reynosa el instituto estima que existen entre dos mil 500 a dos mil 800 migrantes en la plaza.",
                  gazetteer, places)
    assert [(v, q) for _, v, q, _ in got] == [(2500, "estimate"), (2800, "estimate")]


@pytest.mark.parametrize("text,expected", [
    # "set fire to" says the vehicles were burned
    ("Gunmen set fire to 15 vehicles in Ciudad Juárez.", [("vehicles_burned", 15, "exact", "08037")]),
    # and so do "la quema de", "quemándose", "ignited"
    ("En Reynosa también hicieron la quema de tres vehículos.", [("vehicles_burned", 3, "exact", "28032")]),
    ("Las autoridades encontraron dos vehículos quemándose en Tijuana.", [("vehicles_burned", 2, "exact", "02004")]),
    ("The attacks in Ciudad Juárez left four factory vehicles ignited.", [("vehicles_burned", 4, "exact", "08037")]),
    # "armas de fuego" are firearms, "abrieron fuego" still fire: seized vehicles are no burned ones
    ("En Tijuana decomisaron ocho armas de fuego y siete vehículos, uno de ellos blindado.", []),
    ("En Tijuana abrieron fuego y quemaron cinco vehículos.", [("vehicles_burned", 5, "exact", "02004")]),
    # the figure of another year counts what the year before's counted
    ("En 2006 en Tamaulipas se registraron 346 asesinatos, un año después 265.",
     [("homicides", 346, "exact", "28"), ("homicides", 265, "exact", "28")]),
    ("La cifra anual de plagios en Tamaulipas fue de 127.", [("kidnappings", 127, "exact", "28")]),
    ("Baja California registró 2,884 muertes alevosas.", [("homicides", 2884, "exact", "02")]),
    # "turned back" says where to without saying it
    ("As of Monday, 5,300 migrants have been turned back in Calexico.",
     [("mpp_returned", 5300, "exact", "US-POE-2503")]),
    ("As of August 2019, DHS has expelled more than 35,000 individuals to Mexico under the Remain in Mexico policy.",
     [("mpp_returned", 35000, "more_than", None)]),
])
def test_measures_said_in_other_words(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "two each in A, B and C": several places
    ("Officials said 24 vehicles were burned in Baja California: 15 in Tijuana and two each in Mexicali and Tecate.",
     [("vehicles_burned", 24, "exact", "02"), ("vehicles_burned", 15, "exact", "02004"),
      ("vehicles_burned", 2, "exact", None)]),
    # its own place is one the gazetteer does not hold: not its neighbour's
    ("Gunmen burned 10 vehicles in Tijuana and three in Rosarito.",
     [("vehicles_burned", 10, "exact", "02004"), ("vehicles_burned", 3, "exact", None)]),
    # ", where ...": the place named right before
    ("Matamoros has many cases among the people of the state of Tamaulipas, where officials have reported 55 deaths.",
     [("deaths", 55, "exact", "28")]),
    # "in the sector": the sector named before, not the next one
    ("The Del Rio sector is the busiest. Agents stopped migrants nearly 50,000 times in the sector in July, "
     "with the Rio Grande Valley sector second.", [("encounters", 50000, "approximately", "US-SEC-DRT")]),
])
def test_places_said_once_for_several_figures(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_population_is_not_a_figure(gazetteer, places):
    text = "Matamoros, a city of half a million people, had 30 homicides. Nuevo Laredo, a city of 400,000, had 20 killings."
    assert figures(text, gazetteer, places) == [("homicides", 30, "exact", "28022"), ("homicides", 20, "exact", "28027")]
    dropped = [d.rules["dropped"] for d in explain(text, gazetteer, places=places) if not d.kept]
    assert dropped == ["a population ('a city of N people'): not a figure of the dashboard"] * 2


@pytest.mark.parametrize("text,expected", [
    ("Con 2 millones de habitantes, Tijuana registró el año pasado 1.985 asesinatos.",
     [("homicides", 1985, "exact", "02004")]),
    ("De sus alrededor de 7 mil habitantes originales quedan pocos en Ciudad Mier.", []),
    # inhabitants said to do something are counted: displaced, fled
    ("El censo registra 2,877 habitantes del estado de Chihuahua desplazados por la violencia.",
     [("people_displaced", 2877, "exact", "08")]),
    ("Ciudad Mier sufrió el éxodo de sus 6,300 habitantes, que huyeron por la violencia del narcotráfico.",
     [("people_displaced", 6300, "exact", None)]),  # Mier: not in the gazetteer
])
def test_a_places_inhabitants_are_its_population_unless_something_is_said_of_them(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # people freed from their kidnappers are counted as rescued, not as kidnappings (the labelling guide)
    ("Fuerzas federales rescataron a 61 migrantes que se encontraban secuestrados en Reynosa.",
     [("other", 61, "exact", "28032")]),
    ("Gunmen kidnapped 31 migrants in Reynosa.", [("kidnappings", 31, "exact", "28032")]),
    # bodies in a story of killings told in the sentence before
    ("At least 23 people were killed in Nuevo Laredo on Friday. Nine bodies were found hanging from a bridge.",
     [("homicides", 23, "at_least", "28027"), ("homicides", 9, "exact", "28027")]),
    # going home is not a return under MPP, though the text is about MPP
    ("Under MPP, 8,000 migrants were returned to Ciudad Juárez. Last week 69 migrants left Ciudad Juárez in a "
     "retorno voluntario to their countries.",
     [("mpp_returned", 8000, "exact", "08037"), ("other", 69, "exact", "08037")]),
])
def test_what_happened_to_the_people_counted(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the Mexican press calls MPP returns of Central Americans "deportaciones"; Mexicans deported are not MPP
    ("En tres semanas, 94 centroamericanos que solicitaron asilo han sido deportados por El Chaparral en Tijuana.",
     [("mpp_returned", 94, "exact", "02004")]),
    ("En el año fueron deportados 94 mil mexicanos por Tijuana.", [("other", 94000, "exact", "02004")]),
    ("There are more than 680 families waiting in Nogales, Sonora for their numbers to be called.",
     [("asylum_waitlist", 680, "more_than", "26043")]),
    ("In 2021, the Mexican government intercepted 228,115 migrants.", [("encounters", 228115, "exact", None)]),
    ("Cientos de migrantes abandonaron el campamento de Matamoros.", [("other", 100, "approximately", "28022")]),
    ("Cientos de migrantes viven en el campamento de Matamoros.",
     [("people_sheltered", 100, "approximately", "28022")]),
    # the infinitive sends too: "enviar a México", "devolver" (they read as `other`)
    ("Los Protocolos de Protección al Migrante (MPP) han permitido a EEUU enviar a México a 56,000 inmigrantes.",
     [("mpp_returned", 56000, "exact", None)]),
    ("Con el MPP, EEUU busca devolver a 300 solicitantes de asilo cada día.",
     [("mpp_returned", 300, "exact", None)]),
])
def test_measures_of_returns_waits_and_camps(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("written,value,form", [
    ("un millar de", 1000, "round collective"), ("un centenar de", 100, "round collective"),
    ("3-thousand", 3000, "digits with a multiplier"), ("millares de", 1000, "vague plural"),
])
def test_more_numbers_as_the_press_writes_them(written, value, form):
    [n] = find_numbers(fold(written + " migrantes"))
    assert (n.value, n.form) == (value, form)


@pytest.mark.parametrize("text,expected", [
    ("Cerca de un millar de personas permanecen acampadas en Reynosa.",
     [("people_sheltered", 1000, "approximately", "28032")]),
    ("The death toll from Saturday's shooting in Reynosa increased to 19.", [("homicides", 19, "exact", "28032")]),
    ("En lo que va del año en Ciudad Juárez ya son mil 453 homicidios.", [("homicides", 1453, "exact", "08037")]),
    # "perdieron la vida": deaths, or homicides where the sentence tells of violence
    ("Doce personas perdieron la vida en el río Bravo en Piedras Negras.", [("deaths", 12, "exact", "05025")]),
    ("Diez personas perdieron la vida en hechos violentos en Ciudad Juárez.", [("homicides", 10, "exact", "08037")]),
    ("Un grupo de hombres asesinó a 15 personas en Reynosa.", [("homicides", 15, "exact", "28032")]),
    ("The 104 migrants were held captive for four days in Nuevo Laredo.", [("kidnappings", 104, "exact", "28027")]),
    ("There were 5,030 people in Tijuana waiting for asylum, their names in a notebook.",
     [("asylum_waitlist", 5030, "exact", "02004")]),
    # a street or a neighbourhood named after a state is not the state
    ("Se reportaron al menos tres ejecuciones en la colonia Morelos.", [("homicides", 3, "at_least", None)]),
    ("La Patrulla Fronteriza en el sector El Paso localizó 28 cuerpos.", [("deaths", 28, "exact", "US-SEC-EPT")]),
])
def test_round_five_kinds(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # people rescued are counted as rescued, whatever happened near them
    ("The El Paso Sector recorded 149 migrant fatalities and 597 rescues.",
     [("deaths", 149, "exact", "US-SEC-EPT"), ("other", 597, "exact", "US-SEC-EPT")]),
    # a whole court's backlog is not MPP cases
    ("Under MPP the court had 26,001 cases; cases waiting on the court's active docket reached 975,298.",
     [("mpp_court_cases", 26001, "exact", None), ("other", 975298, "exact", None)]),
    # a common grave (fosa común) is no sign of violence: drowned migrants buried there died, they were not killed
    ("En Piedras Negras son 32 decesos de migrantes ahogados, sepultados en la fosa común.",
     [("deaths", 32, "exact", "05025")]),
])
def test_rescues_backlogs_and_graves(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a change of a count: both figures count what the sentence names
    ("In Ciudad Juárez homicides went from 1,960 in 2020 to 2,170 this year.",
     [("homicides", 1960, "exact", "08037"), ("homicides", 2170, "exact", "08037")]),
    # list items with places the gazetteer lacks are not the one known place's
    ("Los homicidios en Sonora: Caborca con 74; Empalme con 44; Agua Prieta con 5.",
     [("homicides", 74, "exact", None), ("homicides", 44, "exact", None), ("homicides", 5, "exact", "26002")]),
    # ... also with a rank or a second name between the place and its number
    ("Tijuana leads with 900 murders; Ensenada is second with 300 and Mexicali third with 250.",
     [("homicides", 900, "exact", "02004"), ("homicides", 300, "exact", None), ("homicides", 250, "exact", "02002")]),
    ("Nogales had 150 homicides, trailing only Cajeme (Ciudad Obregón) with 410 homicides.",
     [("homicides", 150, "exact", "26043"), ("homicides", 410, "exact", None)]),
    ("Hermosillo ocupa el primer lugar con 500 homicidios, seguido de Nogales con 300.",
     [("homicides", 500, "exact", None), ("homicides", 300, "exact", "26043")]),
    ("Tijuana sumó 50 asesinatos. La peor masacre, en Ensenada, con 12 asesinados, fue la mayor del año en la "
     "entidad.", [("homicides", 50, "exact", "02004"), ("homicides", 12, "exact", None)]),
    # a ranking against the rest of the country is no national figure; Mexico City is no "to Mexico"
    ("Chihuahua registró 40 feminicidios, la cifra más alta a nivel nacional.", [("homicides", 40, "exact", "08")]),
    ("Tamaulipas recorded 300 kidnappings, the highest in the country.", [("kidnappings", 300, "exact", "28")]),
    ("Last year the government flew 9,000 migrants, or about 130 a day, to Mexico City.",
     [("other", 9000, "exact", "09")]),
    # a street or a neighbourhood named after a place is not that place; a city's neighbourhood is in the city
    ("Four men were killed in the Sonora neighborhood in eastern Tijuana.", [("homicides", 4, "exact", "02004")]),
    ("Two more bodies were found on Juarez Street in Ojinaga.", [("deaths", 2, "exact", "08052")]),
    ("Three bodies were found in the eastern Tijuana neighborhood of Jardin Dorado.",
     [("deaths", 3, "exact", "02004")]),
    # "Baja California's capital" is Mexicali; a city "located 550 kilometers from" another is where it is
    ("In October, 41 homicides were recorded in Baja California's capital city.",
     [("homicides", 41, "exact", "02002")]),
    ("Ciudad Juárez, located 550 kilometers northwest from Nuevo Laredo, recorded 2,700 murders this year.",
     [("homicides", 2700, "exact", "08037")]),
    # a list of states, "X con N"
    ("El estado con más homicidios es Guanajuato con tres mil 211, le sigue Baja California con dos mil 667.",
     [("homicides", 3211, "exact", "11"), ("homicides", 2667, "exact", "02")]),
    # "esta ciudad" said of the city named before it
    ("Los homicidios crecieron en Matamoros. En esta ciudad fronteriza se registraron 142 homicidios.",
     [("homicides", 142, "exact", "28022")]),
    # "recibido" is a return only where MPP is named in the sentence
    ("México ha recibido a más de 20.000 centroamericanos bajo el programa Permanecer en México.",
     [("mpp_returned", 20000, "more_than", None)]),
    ("La oficina de Tijuana ha recibido a 80 personas esta semana.", [("other", 80, "exact", "02004")]),
])
def test_round_six_kinds(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("En Piedras Negras atendieron 95 casos de violencia sexual.", [("violent_attacks", 95, "exact", "05025")]),
    ("Solo atienden a 10 migrantes aproximadamente en Tijuana.", [("other", 10, "approximately", "02004")]),
    # "de edad y 80" is no range: the word before "y" is no number
    ("En el albergue de Mexicali hay 65 menores de edad y 80 mujeres.",
     [("people_sheltered", 65, "exact", "02002"), ("people_sheltered", 80, "exact", "02002")]),
    ("TRAC counted 59,241 migrants under the program (MPP) in Tijuana.", [("mpp_enrolled", 59241, "exact", "02004")]),
    ("Two civilians were found dead in Reynosa after being abducted.", [("homicides", 2, "exact", "28032")]),
    ("Tijuana recorded 2,502 murders; the previous record was set in 2017 with 1,780.",
     [("homicides", 2502, "exact", "02004"), ("homicides", 1780, "exact", "02004")]),
])
def test_round_six_measures_and_qualifiers(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # crimes of every kind are not violent attacks; intentional injuries are
    ("Mexicali registró 2 mil 828 delitos en junio.", [("other", 2828, "exact", "02002")]),
    ("En Nogales las lesiones dolosas fueron 20 en octubre.", [("violent_attacks", 20, "exact", "26043")]),
    # people taken out of MPP into the United States crossed: they are not MPP cases or returns
    ("TRAC found that the cases of 3,911 asylum-seekers under MPP were transferred to regular U.S. immigration "
     "courts.", [("other", 3911, "exact", None)]),
    # "48 dolosos y 11 culposos": intentional homicides, and accidental deaths
    ("Nogales tuvo 59 casos de homicidio: 48 dolosos y 11 culposos.",
     [("homicides", 59, "exact", "26043"), ("homicides", 48, "exact", "26043"), ("deaths", 11, "exact", "26043")]),
    # the figure of another day counts what the day before's counted
    ("En Tijuana el lunes se registraron 260 personas en la lista de espera, el martes 252.",
     [("asylum_waitlist", 260, "exact", "02004"), ("asylum_waitlist", 252, "exact", "02004")]),
])
def test_round_seven_kinds(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,rule", [
    ("Between 40 and 50 percent of asylum claims are denied.", "the low end of a range of a unit"),
    ("Los migrantes tienen de 18 a 35 años.", "the low end of a range of a unit"),
    ("Found north of Chihuahua, at kilometer 37 of the highway.", "a road marker"),
])
def test_numbers_that_are_no_figures_in_ranges_and_roads(gazetteer, places, text, rule):
    dropped = [d.rules.get("dropped", "") for d in explain(text, gazetteer, places=places) if not d.kept]
    assert any(rule in x for x in dropped), dropped


@pytest.mark.parametrize("text,expected", [
    ("Según la ONU, 26 mil personas tienen casos activos del Protocolo de Protección a Migrantes.",
     [("mpp_pending_cases", 26000, "exact", None)]),
    ("Ebrard said the number of people awaiting a U.S. hearing in Mexico reached 50,000.",
     [("mpp_pending_cases", 50000, "exact", None)]),
    ("El cruce de unos 34 migrantes de México a Estados Unidos marcó el cierre del campamento de Matamoros.",
     [("other", 34, "approximately", "28022")]),
])
def test_round_eight_kinds(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a share said after a number is the same figure again, not the high end of a range
    ("Of the 24,231 completed MPP cases, 15,411 or 63 percent have resulted in a denial.",
     [("mpp_court_cases", 24231, "exact", None), ("mpp_court_cases", 15411, "exact", None)]),
    ("En Reynosa, tres personas fueron privadas de la vida el domingo.", [("homicides", 3, "exact", "28032")]),
    ("Seven people were fatally shot in Nogales, Sonora.", [("homicides", 7, "exact", "26043")]),
    # counts of cases and investigation files take the one measure their sentence names
    ("En 2016 se reportaron 594 casos y en 2017 la cifra aumentó a 801 carpetas; los homicidios no bajaron.",
     [("homicides", 594, "exact", None), ("homicides", 801, "exact", None)]),
    # dead in a sentence after one of a shooting: killed, not a death in the desert
    ("Gunmen opened fire in several Reynosa neighborhoods. The spree left 15 civilians dead.",
     [("homicides", 15, "exact", "28032")]),
    ("Migrants crossed the desert near Sasabe in the heat. Three migrants were found dead.",
     [("deaths", 3, "exact", None)]),
    # people living, sleeping or camping somewhere are people sheltered there
    ("Más de 3 mil 500 extranjeros viven en la plaza de la República de Reynosa.",
     [("people_sheltered", 3500, "more_than", "28032")]),
    ("Alrededor de cien migrantes acampan junto al puente de Matamoros.",
     [("people_sheltered", 100, "approximately", "28022")]),
])
def test_measures_from_a_share_a_case_count_and_the_sentence_before(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # what is said after the second of two coordinated figures is said of both
    ("Amnesty met 31 adults and 26 children whom US authorities had returned to Mexico under the Remain in Mexico policy.",
     [("mpp_returned", 31, "exact", None), ("mpp_returned", 26, "exact", None)]),
    # tent courts were built for MPP hearings only
    ("La jueza debía procesar 52 casos en la corte de carpa de Laredo.", [("mpp_court_cases", 52, "exact", "US-POE-2304")]),
    ("Under the MPP, fewer than 300 asylum seekers were turned away on New Year's Day.",
     [("mpp_returned", 300, "less_than", None)]),
    ("TRAC counted 47,313 immigrants who were part of the MPP by September.", [("mpp_enrolled", 47313, "exact", None)]),
    # the whole a share is of (the 7 % are the people with attorneys): as the reader of en-mpp-7-15 labels it
    ("Only 7% of 67,790 immigrants in MPP had attorneys, TRAC found.", [("mpp_enrolled", 67790, "exact", None)]),
    ("Some 18,087 immigrants in MPP were counted by the court.", [("mpp_enrolled", 18087, "approximately", None)]),
    ("Some 1,127 people in the MPP program have been permitted to enter the United States.",
     [("other", 1127, "approximately", None)]),
    ("Más de 5,000 solicitantes de asilo del MPP permanecen en Matamoros a la espera de audiencia.",
     [("mpp_pending_cases", 5000, "more_than", "28022")]),
    ("Hundreds of families are waiting in line to present their asylum claims in Nogales, Arizona.",
     [("asylum_waitlist", 100, "approximately", "US-POE-2604")]),
])
def test_mpp_measures_coordinated_tent_courts_and_lines(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a place named for a part of the figure, after it, is not the figure's place
    ("El año pasado registraron mil 578 homicidios dolosos, 642 de ellos ocurrieron en Ciudad Juárez.",
     [("homicides", 1578, "exact", None), ("homicides", 642, "exact", "08037")]),
    ("Casi 20 mil retornados han llegado, la mitad de ellos a Ciudad Juárez.",
     [("mpp_returned", 20000, "approximately", None)]),
    ("The state has recorded 77 homicides in January, with most – 51 – taking place in Juarez.",
     [("homicides", 77, "exact", None), ("homicides", 51, "exact", "08037")]),
    # and the places listed after that part are parts too
    ("Un saldo de 19 personas detenidas, de los cuales 4 fueron en Mexicali y 11 en Tijuana.",
     [("other", 19, "exact", None), ("other", 4, "exact", "02002"), ("other", 11, "exact", "02004")]),
])
def test_a_place_named_for_a_part_is_not_the_whole_figures(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Reynosa, Matamoros y Nuevo Laredo encabezan la lista con 2 mil 758, 2 mil 439 y 2 mil 664 desapariciones, "
     "respectivamente.",
     [("other", 2758, "exact", "28032"), ("other", 2439, "exact", "28022"), ("other", 2664, "exact", "28027")]),
    ("Tijuana and Mexicali recorded 1,200 and 300 homicides, respectively.",
     [("homicides", 1200, "exact", "02004"), ("homicides", 300, "exact", "02002")]),
    # two places and three figures: no pairing
    ("Tijuana and Mexicali recorded 1,200, 300 and 20 homicides, respectively.",
     [("homicides", 1200, "exact", None), ("homicides", 300, "exact", None), ("homicides", 20, "exact", None)]),
    # a list with towns the gazetteer does not hold: each keeps its position, the unknown ones get no place
    ("Los asesinatos se concentraron en Guaymas, Nogales, Agua Prieta y Navojoa, con 40, 31, 12 y 9 homicidios, "
     "respectivamente.",
     [("homicides", 40, "exact", None), ("homicides", 31, "exact", "26043"), ("homicides", 12, "exact", "26002"),
      ("homicides", 9, "exact", None)]),
    # "X y de Y": the second place with its own preposition
    ("Destacan los estados de Sonora y de Coahuila, que sumaron 88 y 61 homicidios, respectivamente.",
     [("homicides", 88, "exact", "26"), ("homicides", 61, "exact", "05")]),
    # names the gazetteer holds that pair with the figures are not put out by a capitalised word before them
    ("Además, Tijuana y Mexicali registraron 1,200 y 300 homicidios, respectivamente.",
     [("homicides", 1200, "exact", "02004"), ("homicides", 300, "exact", "02002")]),
])
def test_respectively_pairs_figures_and_places_in_order(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a ranking of plain "Name, N" items: a name the gazetteer does not hold is the item's place, not the city before
    ("Se cometieron dos mil 640 homicidios en Tijuana; Acapulco, 948; Ciudad Juárez, mil 251, Irapuato, 473.",
     [("homicides", 2640, "exact", "02004"), ("homicides", 948, "exact", None), ("homicides", 1251, "exact", "08037"),
      ("homicides", 473, "exact", None)]),
    # but a number with its own noun after a name and a comma is no list item
    ("Tijuana registró 50 homicidios en marzo; en Mexicali, Sonora, 12 personas fueron asesinadas.",
     [("homicides", 50, "exact", "02004"), ("homicides", 12, "exact", "02002")]),
])
def test_plain_comma_list_items_with_names_the_gazetteer_lacks(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # attackers killed, arrested, or killed with others in the sentence are figures; the victims of attackers too
    ("Sixteen gunmen were killed in the clash.", [("homicides", 16, "exact", None)]),
    ("Seven gunmen were arrested in Matamoros.", [("other", 7, "exact", "28022")]),
    ("By some accounts, 28 gunmen and two civilians were killed in the area.",
     [("homicides", 28, "exact", None), ("homicides", 2, "exact", None)]),
    ("Four Americans were kidnapped by gunmen in Matamoros.", [("kidnappings", 4, "exact", "28022")]),
])
def test_attackers_are_figures_only_when_killed_or_arrested(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # people counted by their role, as a part of the dead ('including'), every item of the list of parts
    ("The attack left 14 people dead, including 10 prison guards, three police officers and two bystanders.",
     [("homicides", 14, "exact", None), ("homicides", 10, "exact", None), ("homicides", 3, "exact", None),
      ("homicides", 2, "exact", None)]),
    # but a role named in the next sentence is no part of the dead
    ("The attack left 14 people dead. Four police officers arrived an hour later.", [("homicides", 14, "exact", None)]),
])
def test_roles_as_parts_of_a_violent_figure(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # events counted as times: assaults on agents, people taken into custody, expulsions ('veces')
    ("Border Patrol agents in the El Paso sector were assaulted 83 times in fiscal year 2017.",
     [("violent_attacks", 83, "exact", "US-SEC-EPT")]),
    ("The agency took migrants into custody 178,840 times last month.", [("encounters", 178840, "exact", None)]),
    ("Desde marzo de 2020, el gobierno de Estados Unidos ha expulsado migrantes más de 400 mil veces.",
     [("encounters", 400000, "more_than", None)]),
    # but a number of times that counts nothing violent or enforced is no figure
    ("Maybe five times a month these groups arrive in the middle of the night.", []),
])
def test_events_counted_as_times(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Una decena de muertos y una veintena de heridos dejaron los enfrentamientos armados.",
     [("homicides", 10, "exact", None), ("violent_attacks", 20, "exact", None)]),
    ("Hubo alrededor de una decena de homicidios en Tijuana.", [("homicides", 10, "approximately", "02004")]),
    # dead in a story of criminals, shootouts and ambushes: killed
    ("Se reporta un saldo de cuatro personas muertas, integrantes de un grupo delictivo.",
     [("homicides", 4, "exact", None)]),
    ("Hechos violentos dejaron un saldo de seis personas fallecidas en Chihuahua.", [("homicides", 6, "exact", "08")]),
    ("En la colonia Vista Hermosa fueron abatidos tres presuntos delincuentes en Reynosa.",
     [("homicides", 3, "exact", "28032")]),
    # the verb as well as the participle; "slaughtered"
    ("Elementos de la Policía Federal abatieron a tres presuntos delincuentes en Reynosa.",
     [("homicides", 3, "exact", "28032")]),
    ("Drug gangs slaughtered 23 people in Nuevo Laredo.", [("homicides", 23, "exact", "28027")]),
    ("En Nuevo Laredo van 19 levantones en lo que va del año.", [("kidnappings", 19, "exact", "28027")]),
    ("Más de 345 mil personas en Chihuahua dejaron su hogar por miedo a la violencia.",
     [("people_displaced", 345000, "more_than", "08")]),
])
def test_spanish_violence_words_of_round_nine(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # list items at places the gazetteer does not hold get no place, not the next known place's
    ("Cajeme tuvo 180 asesinatos, seguido por Hermosillo con 74 homicidios, en Guaymas fueron 55 y en Nogales 52.",
     [("homicides", 180, "exact", None), ("homicides", 74, "exact", None), ("homicides", 55, "exact", None),
      ("homicides", 52, "exact", "26043")]),
])
def test_unknown_places_in_lists_of_round_nine(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # people counted by their role are figures when something violent is said of them, and only then
    ("Four Mexican federal agents were assassinated on a busy street in Nuevo Laredo.",
     [("homicides", 4, "exact", "28027")]),
    ("A prison break in Juárez kills 10 guards.", [("homicides", 10, "exact", "08037")]),
    ("Police arrested a man with two female hostages in the trunk of his car.", [("kidnappings", 2, "exact", None)]),
    ("About 500 National Guard soldiers were deployed to Reynosa after the attack.", []),
    # a death toll
    ("An official confirmed that the death toll was about three dozen in Tamaulipas.",
     [("deaths", 36, "approximately", "28")]),
])
def test_people_counted_by_their_role_and_death_tolls(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("EU envía a México más de 55 mil solicitantes de asilo", [("mpp_returned", 55000, "more_than", None)]),
    ("Hay más de dos mil 600 apuntados en Matamoros, pero en los puentes ya no hay más de cien personas esperando asilo.",
     [("asylum_waitlist", 2600, "more_than", "28022"), ("asylum_waitlist", 100, "up_to", "28022")]),
    ("Quedan menos de 100 casos de MPP activos.", [("mpp_pending_cases", 100, "less_than", None)]),
    ("A los 25 solicitantes de asilo del MPP se les permitió cruzar la frontera en San Ysidro.",
     [("other", 25, "exact", "US-POE-2504")]),
    ("La población del albergue es de 115 migrantes, cuando se tiene espacio para dar atención hasta 200 personas.",
     [("people_sheltered", 115, "exact", None)]),
])
def test_mpp_words_of_round_nine(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # 'denied entry' is no court decision; 'sent back' is said of them
    ("Under the MPP, more than 65,000 asylum seekers were denied entry and sent back across the border pending "
     "court hearings.", [("mpp_returned", 65000, "more_than", None)]),
    ("MPP forced tens of thousands of asylum seekers to await their court proceedings in Mexico.",
     [("mpp_returned", 10000, "approximately", None)]),
    ("Nearly 19,000 asylum seekers await US entry in Mexican border cities", [("asylum_waitlist", 19000, "approximately", None)]),
    ("The courtyard of the Remain in Mexico shelter is the living space of the 1,200 people that live there.",
     [("people_sheltered", 1200, "exact", None)]),
    # violence against people in MPP: attacks, not court cases
    ("Under Remain in Mexico, violence against asylum seekers has surged: rights groups documented nearly 640 cases.",
     [("violent_attacks", 640, "approximately", None)]),
    ("In May, 144,278 people were caught illegally crossing the border.", [("encounters", 144278, "exact", None)]),
    ("Biden to allow 25,000 asylum-seekers waiting in Mexico under MPP to enter the U.S.",
     [("other", 25000, "exact", None)]),
    ("Around 1,500 MPP migrants await a hearing that will allow them to enter the United States.",
     [("mpp_pending_cases", 1500, "approximately", None)]),
])
def test_mpp_words_of_round_nine_in_english(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the programme's Spanish names, singular and plural, 'del' and 'al'
    ("Poco más de 8 mil personas han sido repatriadas a México por Tijuana, como parte de los Protocolos de "
     "Protección al Migrante.", [("mpp_returned", 8000, "more_than", "02004")]),
    ("26 mil personas tienen casos activos del Programa de Protección del Migrante.",
     [("mpp_pending_cases", 26000, "exact", None)]),
    ("Alrededor de 60 migrantes viven actualmente en la Casa de Acogida de Ciudad Juárez.",
     [("people_sheltered", 60, "approximately", "08037")]),
])
def test_spanish_names_of_mpp(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # an aside between the counted noun and its verb; Mexican officials are not deported Mexicans
    ("Más de 18 mil migrantes, principalmente centroamericanos, fueron regresados a esas ciudades fronterizas, "
     "según funcionarios mexicanos.", [("mpp_returned", 18000, "more_than", None)]),
    ("Some 300 migrants, mostly Hondurans, were sent back to Mexico under MPP.", [("mpp_returned", 300, "approximately", None)]),
])
def test_an_aside_before_the_verb(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # 'six and eight' is a range of two numbers, not fourteen
    ("The armed men kidnapped him and between six and eight others that day.",
     [("kidnappings", 6, "at_least", None), ("kidnappings", 8, "up_to", None)]),
    ("Five Nuevo Laredo police officers were wounded when gunmen attacked a restaurant.",
     [("violent_attacks", 5, "exact", "28027")]),
    ("So far this year there have been 227 homicides in January and about 190 so far in May.",
     [("homicides", 227, "exact", None), ("homicides", 190, "approximately", None)]),
    ('Three "armed civilians" were killed in the shootout in Reynosa.', [("homicides", 3, "exact", "28032")]),
    ("In 2009 there were 2,665 casualties of the drug war in Juárez.", [("other", 2665, "exact", "08037")]),
    ("Nine people were found dead in Nuevo Laredo, raising the number of deaths from violent acts to 63.",
     [("homicides", 9, "exact", "28027"), ("homicides", 63, "exact", "28027")]),
])
def test_figures_found_in_round_nine_violence(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Junio registró 35 homicidios, de los cuales 12 fueron dolosos y 13 se encuentran en proceso de clasificación.",
     [("homicides", 35, "exact", None), ("homicides", 12, "exact", None), ("homicides", 13, "exact", None)]),
    ("La ola de asesinatos en Ciudad Juárez en 2010 totalizaron 3,100.", [("homicides", 3100, "exact", "08037")]),
])
def test_spanish_verbs_after_a_count(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,rule", [
    ("The College estimates 20,000 migrants will be returned once the program resumes.", "the English word 'once'"),
    # the attackers, when the text does not say they were killed or arrested
    ("At 2:00am, four armed men stopped a transit bus in which factory workers were traveling.", "the attackers"),
    ("Three gunmen opened fire on a party in Ciudad Obregon, Sonora early Friday.", "the attackers"),
    # places counted, not people: shelters, ports of entry, cities (with the words that describe them)
    ("Many of the more than 20 migrant shelters in the city are already operating beyond their limits.",
     "a number of places"),
    ("Migrants will be admitted across three ports of entry, and one of those is here in El Paso.",
     "a number of places"),
    ("Los otros 16 mil se reparten en 11 ciudades de la frontera norte de México.", "a number of places"),
    # an English sentence around it, whatever word follows ("the camp once held", "once offered refuge")
    ("The population of the informal camp across the border from Brownsville once offered refuge to thousands.",
     "the English word 'once'"),
    ("But his friends — two boys, 16 and 17, who had fled Honduras — were found dead.", "an age"),
    ("Su tasa por cada 100 mil habitantes fue de 65, superior al promedio nacional.", "a rate"),
    ("The shelter is growing, so that there is a capacity of 200 to 250 people.", "a capacity"),
    ("En las ciudades menores a 100 mil habitantes es Caborca la que tiene más crímenes.", "a population"),
    ("Mexicali mantiene 17 asesinatos per cápita, la tasa más baja del estado.", "a rate"),
    # capacities with words between ("capacidad de atención es para", "capacidad que es de"), "can serve"
    ("Ayer había 148 personas, mientras que su capacidad de atención es para 540 personas.", "a capacity"),
    ("Los albergues están a su máxima capacidad que es de mil 102 personas.", "a capacity"),
    ("The facility can serve up to 3,000 migrants and will provide meals.", "a capacity"),
    # ages as a range: "aged between 15 and 20", "de edades entre 15 y 20"
    ("Thirteen people aged between 15 and 20 were killed in Ciudad Juárez.", "an age"),
    # an age bound said of people: "children under 18", "niños menores de 12", "people over 60"
    ("About a third of the 50,000 migrants in the program were children under 18.", "an age"),
    ("Entre los rescatados había niños menores de 12 y mujeres embarazadas.", "an age"),
    ("Some 200 people over 60 were evacuated from the shelter.", "an age"),
    # proportions and rates
    ("The study found one in four migrants have been threatened with violence once returned.", "a proportion"),
    ("From Piedras Negras there were 1,425 calls. A proportion of 55 to 1.", "a proportion"),
    ("Ello redujo su tasa de muertes por cada 100 mil habitantes a 94, cuando era de 107.", "a rate"),
    # a rate named by what it counts, and a rate whose words run longer than 40 characters before the number
    ("En 2010 fue el municipio más violento del planeta, con una tasa de homicidios de 229 y 3.100 víctimas.",
     "a rate"),
    ("Tijuana's murder rate was 134, the highest of any city.", "a rate"),
    # the room left in a shelter
    ("Hay mil 064 personas, y solo cuentan con espacio libre para 38 personas adicionales.", "a capacity"),
])
def test_numbers_that_are_no_figures_of_round_nine(gazetteer, places, text, rule):
    dropped = [d.rules.get("dropped", "") for d in explain(text, gazetteer, places=places) if not d.kept]
    assert any(rule in x for x in dropped), dropped


def test_people_over_a_weekend_are_no_age(gazetteer, places):
    assert values_and_places("More than 300 people over the weekend were detained in Tijuana.", gazetteer, places) == \
        [(300, "02004")]


def test_a_rate_whose_words_run_longer_than_forty_characters(gazetteer, places):
    """'tasa' 57 characters before the 94: the rate's words are read on a longer window than the other rules'."""
    text = "Ello redujo su tasa de muertes insidiosas por cada 100 mil habitantes a 94, cuando era de 107."
    why = {d.value: d.rules.get("dropped", "kept") for d in explain(text, gazetteer, places=places)}
    assert why[94] == "not a figure: a rate", why


def test_several_cities_of_one_state_are_no_single_place(gazetteer, places):
    """Guide rule 3: a figure about several places together has no place, even when their state is named."""
    text = "Under MPP, DHS sent at least 25,000 people to Nuevo Laredo and Matamoros, in Tamaulipas."
    assert figures(text, gazetteer, places) == [("mpp_returned", 25000, "at_least", None)]


@pytest.mark.parametrize("text,expected", [
    # a known place coordinated with one the gazetteer lacks: several places, no single one
    ("Las 240 personas salieron huyendo de los municipios de Mier y Reynosa.", [("people_displaced", 240, "exact", None)]),
    ("Officials in Naco and Agua Prieta confirmed eight dead.", [("deaths", 8, "exact", None)]),
    # but not a clause that goes on with a person
    ("Ten vehicles were set ablaze in Tijuana, and Mayor Montserrat Caballero blamed drug gangs.",
     [("vehicles_burned", 10, "exact", "02004")]),
    # datelines with a colon or a state's abbreviation are no place by themselves
    ("MATAMOROS, Mexico: Four Americans were kidnapped by gunmen on Friday.", [("kidnappings", 4, "exact", None)]),
    ("Matamoros, Tamps., Unas 2 mil personas pernoctan en las márgenes del río Bravo.",
     [("people_sheltered", 2000, "approximately", None)]),
])
def test_places_coordinated_with_unknown_ones_and_datelines(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_americans_is_no_time_of_day(gazetteer, places):
    """'Four Americans' once read as 'four a.m.'."""
    assert figures("Four Americans were kidnapped by gunmen in Matamoros.", gazetteer, places) == [
        ("kidnappings", 4, "exact", "28022")]


@pytest.mark.parametrize("text,expected", [
    # deported by Mexico's migration institute to their country: an encounter, not a return to Mexico under MPP
    ("Más de 200 centroamericanos de la caravana solicitantes de asilo han sido deportados por el Instituto Nacional de "
     "Migración a su país.", [("encounters", 200, "more_than", None)]),
    # people under MPP who crossed into the United States
    ("Sumaban 730 los migrantes que habían logrado cruzar la frontera tras haber sido retornados bajo el MPP.",
     [("other", 730, "exact", None)]),
])
def test_mpp_people_who_left_for_home_or_the_united_states(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_headline_naming_mpp_makes_court_events_mpp_cases(gazetteer, places, tmp_path):
    text = "Only 187 people have been granted relief, according to the data."
    assert [m for m, *_ in figures(text, gazetteer, places)] == ["other"]
    title = "Few asylum seekers in 'Remain in Mexico' win their cases"
    assert [(c.metric, c.value) for c in extract(text, gazetteer, places=places, title=title, learned=False)] == [
        ("mpp_court_cases", 187)]
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    code, out, err = cli("extract", str(f), "--title", title)
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["metric"], r["title"]) for r in rows] == [("mpp_court_cases", title)]


@pytest.mark.parametrize("text,expected", [
    # hurt in a fall, a fire or a crash: not an attack; hurt in an arson: an attack
    ("At least ten people were seriously injured after falling from the border wall in San Diego.",
     [("other", 10, "at_least", "US-POE-2504")]),
    ("Gunmen set fire to two buses in Juárez, which injured six people.",
     [("vehicles_burned", 2, "exact", "08037"), ("violent_attacks", 6, "exact", "08037")]),
    ("The All-American Canal has claimed the lives of more than 600 people since 1942.",
     [("deaths", 600, "more_than", None)]),
    # the words before the first of two coordinated figures govern both
    ("One mass shooting in Juárez claimed the lives of 10 prison guards and seven inmates.",
     [("homicides", 10, "exact", "08037"), ("homicides", 7, "exact", "08037")]),
    # weapons fired the sentence before: the dead were killed
    ("The soldiers activated their weapons. Five occupants died, according to the ministry.",
     [("homicides", 5, "exact", None)]),
])
def test_injuries_lives_claimed_and_coordinated_victims(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # complaints of crimes are attacks when no other crime is named; counts of a named crime stay that crime
    ("El centro de derechos humanos de Nuevo Laredo recibió 43 denuncias el año pasado.",
     [("violent_attacks", 43, "exact", "28027")]),
    ("La incidencia en homicidios dolosos bajó a 47 denuncias en Nuevo Laredo.", [("homicides", 47, "exact", "28027")]),
    ("La violencia familiar sumó 622 reportes en junio en Tijuana.", [("violent_attacks", 622, "exact", "02004")]),
    ("El INM ha detenido a 34,983 migrantes procedentes de Centroamérica.", [("encounters", 34983, "exact", None)]),
])
def test_complaints_family_violence_and_detentions(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the programme's name between the number and 'cases' says whose cases they are
    ("The El Paso court has more than 16,000 “Remain in Mexico” cases.", [("mpp_court_cases", 16000, "more_than", "US-POE-2402")]),
    ("TRAC counted 26,432 Remain in Mexico cases pending at the end of January.",
     [("mpp_pending_cases", 26432, "exact", None)]),
    ("The Biden administration had released about 1,000 Remain in Mexico migrants into the U.S. interior.",
     [("other", 1000, "approximately", None)]),
    # 'N of M noun': the docket they were scheduled for says what they count (as the reader of en-mpp-7-22 labels it)
    ("Five of six asylum seekers scheduled for the MPP docket in San Diego appeared.",
     [("mpp_court_cases", 5, "exact", "US-POE-2504"), ("mpp_court_cases", 6, "exact", "US-POE-2504")]),
])
def test_programme_names_before_the_noun(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Two towering white tents have been erected at the border crossing in Brownsville.", []),
    ("Camped out in Ciudad Juárez with her husband and two kids, she waits for her number.", []),
    ("Shelters in Reynosa: Campamento Rio (~500 people).", [("people_sheltered", 500, "approximately", "28032")]),
    ("Apprehensions again exceeded 40,000 in May 2018 at the border.", [("encounters", 40000, "more_than", None)]),
])
def test_tents_families_tildes_and_counts_that_exceed(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Según la Unidad de Política Migratoria, México deportó a más de 114.000 extranjeros en 2021.",
     [("encounters", 114000, "more_than", None)]),
    ("Alrededor de 40,000 migrantes se han visto obligados a esperar en territorio mexicano a que sus casos avancen.",
     [("mpp_returned", 40000, "approximately", None)]),
    ("El 17 de abril se tuvo una cifra de mil 514 migrantes entregados por parte de la autoridad estadounidense en los "
     "puertos fronterizos de México.", [("mpp_returned", 1514, "exact", None)]),
])
def test_spanish_mpp_words_of_round_ten(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("El campamento de Tijuana tenía 381 personas, de las cuales 59 eran familias y 27 eran madres solteras.",
     [("people_sheltered", 381, "exact", "02004"), ("people_sheltered", 59, "exact", "02004"),
      ("people_sheltered", 27, "exact", "02004")]),
    ("Dozens of people gather in an abandoned motel, a makeshift home here in Mexicali.",
     [("people_sheltered", 10, "approximately", "02002")]),
])
def test_parts_of_a_figure_and_makeshift_homes(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Tents line the road to the bridge in Matamoros, Tamaulipas. About 2,000 migrants have camped near its "
     "entrance.", [("people_sheltered", 2000, "approximately", "28022")]),
    # two cities before: no single place
    ("Tents line the roads of Matamoros and Reynosa. About 2,000 migrants have camped near the bridges.",
     [("people_sheltered", 2000, "approximately", None)]),
])
def test_a_city_and_its_state_in_the_sentence_before_are_one_place(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Chihuahua authorities said that two inmates were killed in the riot. Later, four prisoners were injured.",
     [("homicides", 2, "exact", "08"), ("violent_attacks", 4, "exact", "08")]),
    # a state in a cartel's name is no place: Juárez stays the only one
    ("In August, Ciudad Juárez saw a riot by rival gangs of the Sinaloa Cartel. Then gunmen attacked civilians. "
     "In total, 11 people died at the hands of cartel gunmen.", [("homicides", 11, "exact", "08037")]),
])
def test_the_only_place_so_far_may_be_a_state_but_not_a_cartel(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the landmark city is not where the figure is, in its own sentence or the next
    ("A camp has grown across the river from Brownsville, Texas. About 2,000 refugees have been stranded there.",
     [("other", 2000, "approximately", None)]),
    ("The camp, just steps from Brownsville, Texas, houses more than 1,000 migrants.",
     [("people_sheltered", 1000, "more_than", None)]),
    # the city named, with its landmark across the border: the city
    ("The fire started in the detention area of its office in Ciudad Juárez, across the border from El Paso. "
     "Sixty-eight men were in that part of the building.", [("other", 68, "exact", "08037")]),
])
def test_a_city_named_as_a_landmark_is_not_the_place(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Más de 15,000 migrantes han sido enviados de regreso a Juárez y otras ciudades fronterizas.",
     [("mpp_returned", 15000, "more_than", None)]),
    ("More than 300 people were killed in Reynosa and several other towns of the state.",
     [("homicides", 300, "more_than", None)]),
])
def test_a_place_and_others_is_no_single_place(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Migrant deaths doubled in the El Paso sector: 148 in fiscal 2023, according to data obtained by the "
     "El Paso Times.", [("deaths", 148, "exact", "US-SEC-EPT")]),
    ("More than 47,000 people were in the program, the San Diego Union-Tribune reported.",
     [("other", 47000, "more_than", None)]),
    # a Mexican city's own paper reports that city's figures: kept
    ("The Diario de Juárez newspaper is reporting 49 homicides in the border city during July.",
     [("homicides", 49, "exact", "08037")]),
])
def test_a_us_newspaper_name_is_no_place(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a university named after a city speaks for its study, not the city; its hospital treats people there
    ("About 21,000 asylum seekers are waiting in Mexican border cities, according to researchers at UC San Diego.",
     [(21000, None)]),
    ("Investigadores de la Universidad de California en San Diego estiman que 18 mil migrantes esperan asilo.",
     [(18000, None)]),
    ("A professor at San Diego State University counted 300 homicides last year.", [(300, None)]),
    ("UC San Diego Health treated 375 people injured in falls from the border wall.", [(375, "US-POE-2504")]),
    # a U.S. county named like a Mexican place is neither the state nor the municipality
    ("The Hidalgo County sheriff said six bodies were found near the river.", [(6, None)]),
    ("En el condado de Hidalgo murieron 12 migrantes.", [(12, None)]),
    ("En Hidalgo se registraron 12 homicidios.", [(12, "13")]),
    # a city so many kilometres away from a place is a landmark, "la ciudad de" or not; "al sur de la ciudad" alone
    # is still in the city (its outskirts)
    ("Hallaron 15 cadáveres en un poblado a 100 kilómetros al sur de la ciudad de Matamoros.", [(15, None)]),
    ("Encontraron siete cuerpos en un panteón clandestino al sureste de la ciudad de Nogales.", [(7, "26043")]),
    # a road named for the places it links is no place; a state said of the figure still is, a city's road its own
    ("En la carretera Reynosa-San Fernando fueron hallados cinco cuerpos.", [(5, None)]),
    ("Sobre la autopista Reynosa-Monterrey al menos 10 vehículos fueron incendiados.", [(10, None)]),
    ("Five bodies were left along the Chihuahua City-Juarez highway.", [(5, None)]),
    ("Ten bodies lay beside the highway from Caborca to Sonoyta.", [(10, None)]),
    ("Nine bodies were found at kilometer 37 of the highway to Ciudad Juárez.", [(9, None)]),
    ("Un grupo de 31 migrantes fue secuestrado en la carretera Reynosa-Matamoros, en Tamaulipas.", [(31, "28")]),
    ("Police found 4 bodies on a highway in Reynosa.", [(4, "28032")]),
    # "at Km. 7" names no place: the only place named so far stands
    ("Nuevo Laredo police found 11 bodies on Sunday. Seven bodies were found at Km. 7.", [(11, "28027"), (7, "28027")]),
])
def test_a_university_a_us_county_a_distant_landmark_and_a_road_are_no_place(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("En julio hubo 56 homicidios en Ciudad Juárez, 2 en Hidalgo del Parral y 21 en el resto del Estado.",
     [("homicides", 56, "exact", "08037"), ("homicides", 2, "exact", None), ("homicides", 21, "exact", "08")]),
    ("Otros seis asesinatos fueron perpetrados en Ciudad Juárez. Mientras en el resto de Chihuahua se reportaron "
     "tres asesinatos más.", [("homicides", 6, "exact", "08037"), ("homicides", 3, "exact", "08")]),
])
def test_the_rest_of_the_state_is_the_state(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("The hearings are part of the Migrant Protection Protocols. Only two of the six scheduled respondents, migrants "
     "under MPP, showed up to their hearings.",
     [("mpp_court_cases", 2, "exact", None), ("mpp_court_cases", 6, "exact", None)]),
    # the M's own words are not the N's: 'kidnapped' is said of the four, 'killed' of the two
    ("Two of four Americans kidnapped by gunmen on Friday were killed.",
     [("homicides", 2, "exact", None), ("kidnappings", 4, "exact", None)]),
])
def test_what_is_said_of_n_of_the_m(gazetteer, places, text, expected):
    assert sorted(figures(text, gazetteer, places)) == expected


def test_the_two_ends_of_a_range_count_the_same_thing(gazetteer, places):
    text = ("The encampment in Matamoros lacks adequate shelter and security for its 1,500 to 3,000 residents, who "
            "hail mostly from Central America.")
    assert figures(text, gazetteer, places) == [("people_sheltered", 1500, "at_least", "28022"),
                                                ("people_sheltered", 3000, "up_to", "28022")]


@pytest.mark.parametrize("text,expected", [
    ("Annunciation House was getting 700 migrants per day from ICE.", [("people_sheltered", 700, "exact", None)]),
    ("Con 3 mil 700 migrantes apoyados desde que abrió sus puertas, el Centro Integrador para Migrantes Leona Vicario "
     "cumplió un año de trabajo en Ciudad Juárez.", [("people_sheltered", 3700, "exact", "08037")]),
])
def test_a_shelter_named_by_its_name(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("There are more than 10,000 migrants in Tijuana waiting to enter the United States and ask for asylum.",
     [("asylum_waitlist", 10000, "more_than", "02004")]),
    ("An estimated 60,000 asylum seekers were waiting along the border for the opportunity to seek asylum.",
     [("asylum_waitlist", 60000, "estimate", None)]),
    ("Asylum seekers in Tijuana put their names in a notebook. This week the number of names in the book reached "
     "more than 9,000.", [("asylum_waitlist", 9000, "more_than", "02004")]),
    # names with no asylum said: not a waiting list
    ("The memorial lists the names of 300 victims.", [("other", 300, "exact", None)]),
])
def test_waiting_to_enter_and_names_on_the_list(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Los primeros 226 extranjeros han sido entregados por agentes de la Patrulla Fronteriza al personal del INM.",
     [("mpp_returned", 226, "exact", None)]),
    # sent home, not back to Mexico
    ("En julio fueron presentados 18,758 extranjeros, y de ellos, 18,168 fueron devueltos a sus naciones de origen.",
     [("other", 18758, "exact", None), ("other", 18168, "exact", None)]),
])
def test_foreigners_handed_back_by_the_united_states(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Illegal crossings along the border have claimed 7,209 lives over the past 20 years.",
     [("deaths", 7209, "exact", None)]),
    ("The gunfight in Reynosa claimed 12 lives.", [("homicides", 12, "exact", "28032")]),
])
def test_lives_claimed(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_migrants_found_deceased_are_deaths(gazetteer, places):
    text = "Border Patrol agents in the Tucson Sector located twenty-four deceased migrants in August."
    assert figures(text, gazetteer, places) == [("deaths", 24, "exact", "US-SEC-TCA")]


@pytest.mark.parametrize("text,expected", [
    ("The Del Rio, Texas sector, which includes Eagle Pass, has more than 5,200 migrants in custody.",
     [(5200, "US-SEC-DRT")]),
    ("The Tucson, Arizona, sector recorded 300 deaths.", [(300, "US-SEC-TCA")]),
    # the city and its state alone are still the port
    ("In Del Rio, Texas, 40 migrants were released.", [(40, "US-POE-2302")]),
])
def test_a_sector_named_with_its_state_between_is_the_sector(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("En tanto, por la garita de Mexicali, 3 mil 637 personas, y por la de Reforma, en Ciudad Juárez, 8 mil 649.",
     [(3637, "02002"), (8649, "08037")]),
    ("Por Tijuana, 5 mil personas; por Mexicali, 3 mil 637, y por Ciudad Juárez, 8 mil 649.",
     [(5000, "02004"), (3637, "02002"), (8649, "08037")]),
    # without the comma and "y" the place after the number is still the figure's
    ("Llegaron 3 mil 637 personas por la garita de Mexicali.", [(3637, "02002")]),
    # so does a place after "followed by", "seguido por"
    ("Deaths in the Del Rio Sector were highest at 255, followed by the Rio Grande Valley Sector at 210.",
     [(255, "US-SEC-DRT"), (210, "US-SEC-RGV")]),
    ("Mexicali encabeza la lista con mil 273 casos, seguido por Tijuana con mil 035.",
     [(1273, "02002"), (1035, "02004")]),
])
def test_a_place_after_comma_and_or_followed_by_opens_the_list_s_next_item(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # people counted by their state's name for them are that state's; "obliged to move" is displacement, travelling
    # on a bus is not
    ("Al menos 14,652 chihuahuenses se vieron obligados a desplazarse durante 2021.",
     [("people_displaced", 14652, "at_least", "08")]),
    ("Más de 700 neoleoneses fueron víctimas de desplazamiento forzado.",
     [("people_displaced", 700, "more_than", "19")]),
    ("Un grupo de 31 migrantes que se desplazaba en un autobús fue secuestrado.",
     [("kidnappings", 31, "exact", None)]),
])
def test_a_state_s_people_by_its_demonym_and_people_obliged_to_move(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_the_counted_demonyms_are_the_gazetteer_s_plural_demonyms(tmp_path, monkeypatch):
    """The counted nouns read the plural demonyms from data/reference/place_aliases.csv, not from a second list."""
    import csv

    from etl.config import ENV_REFERENCE_DIR, reference_dir
    from etl.extractor import extract as extractor

    with (reference_dir() / "place_aliases.csv").open(encoding="utf-8") as f:
        plural = [r["alias"] for r in csv.DictReader(f) if r["note"].startswith("demonym") and "(plural)" in r["note"]]
    assert {"juarenses", "tamaulipecas", "neoleoneses", "bajacalifornianos"} <= set(plural)
    assert all(extractor.NOUN.fullmatch(fold(name)) for name in plural)
    assert not extractor.NOUN.fullmatch("juarense")  # one person is no count
    (tmp_path / "place_aliases.csv").write_text("alias,place_id,note\nacuñenses,05002,demonym (plural)\n"
                                                "Acuña,05002,a short name\n", encoding="utf-8")
    monkeypatch.setenv(ENV_REFERENCE_DIR, str(tmp_path))
    assert extractor._demonym_nouns() == "acunenses"
    monkeypatch.setenv(ENV_REFERENCE_DIR, str(tmp_path / "none"))
    assert extractor._demonym_nouns() == ""


@pytest.mark.parametrize("text,expected", [
    # places after "including seven in ..." hold parts of the figure, not the whole
    ("Forces detained 17 suspects, including seven in Tijuana, and four each in Rosarito and Mexicali.",
     [(17, None), (7, "02004"), (4, None)]),
    ("Violence across the city of Matamoros left at least 47 people dead, including 12 in Reynosa.",
     [(47, "28022"), (12, "28032")]),
    # a part that names no place leaves the figure's place alone
    ("At least 40 people were killed in Juárez, including 12 women.", [(40, "08037"), (12, "08037")]),
])
def test_places_of_an_including_list_s_parts_are_not_the_whole_s(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Tres internos sin vida dejó como saldo una riña en el Cereso de Ciudad Juárez.",
     [("homicides", 3, "exact", "08037")]),
    ("Deadly prison riots are common: in 2009, 20 people died.", [("homicides", 20, "exact", None)]),
])
def test_deaths_in_a_riot_or_brawl_are_homicides(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Of the 68,000 asylum cases processed under the Remain in Mexico policy, 28,000 were closed in absentia.",
     [("mpp_court_cases", 68000, "exact", None), ("mpp_court_cases", 28000, "exact", None)]),
    ("Of the more than 15,000 closed cases of asylum seekers remaining in Mexico, only 720 were granted relief.",
     [("mpp_court_cases", 15000, "more_than", None), ("mpp_court_cases", 720, "exact", None)]),
    # returned, with nothing decided of them: still returns
    ("More than 20,000 asylum seekers have been returned to Mexico under the Remain in Mexico policy.",
     [("mpp_returned", 20000, "more_than", None)]),
])
def test_a_court_outcome_said_of_a_figure_makes_it_mpp_cases(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("The tent court in Brownsville is expected to handle around 720 migrants a day.",
     [("mpp_court_cases", 720, "approximately", "US-POE-2301")]),
    # courts that rule on the policy, and a day in court waited for, are no court cases
    ("As courts debate its legality, 40,000 people have been sent back to Mexico under MPP.",
     [("mpp_returned", 40000, "exact", None)]),
    ("The Remain in Mexico policy resulted in forcing thousands of immigrants to wait for their day in a US court.",
     [("mpp_returned", 1000, "approximately", None)]),
])
def test_courts_that_hear_cases_and_courts_that_rule(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("A fire at a migrant detention facility in Ciudad Juárez killed at least 38 people.",
     [("deaths", 38, "at_least", "08037")]),
    # a fire set by gunmen: violence
    ("Gunmen set fire to a bar in Ciudad Juárez; the blaze killed 12 people.", [("homicides", 12, "exact", "08037")]),
])
def test_killed_by_a_fire_or_a_crash_is_a_death(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # not crossing is not being let in
    ("Dos de los tres solicitantes de asilo que debían presentarse a las audiencias de la corte bajo Permanecer en "
     "México no lograron cruzar la frontera.",
     [("mpp_court_cases", 2, "exact", None), ("mpp_court_cases", 3, "exact", None)]),
    ("Hoy en día, el albergue sirve de hogar provisional a más de 700 personas.",
     [("people_sheltered", 700, "more_than", None)]),
])
def test_failing_to_cross_and_a_provisional_home(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Reports of February 2019 and May 2019 estimated that 4,800 asylum seekers were waiting.",
     [("other", 4800, "estimate", None)]),
    ("There are 100,000 missing people in Mexico, according to a 2022 report by WOLA.",
     [("other", 100000, "exact", None)]),
    ("The protest began because 68 men were packed into a cell meant for no more than 50 people.",
     [("other", 68, "exact", None)]),
    ("Two groups of criminals exchanged fire in Agua Prieta, leaving four people dead.",
     [("homicides", 4, "exact", "26002")]),
    ("The town remains occupied by 1,200 federal agents.", []),
])
def test_years_capacities_groups_and_a_verb_that_looks_like_remains(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Murders nearly reached 800 across Juarez for 2012.", [("homicides", 800, "exact", "08037")]),
    ("Four cartel gunmen died and five law enforcement officials sustained injuries in Matamoros.",
     [("homicides", 4, "exact", "28022"), ("violent_attacks", 5, "exact", "28022")]),
    ("Agents fatally shot five suspected smugglers in the Tucson sector.",
     [("homicides", 5, "exact", "US-SEC-TCA")]),
    ("La oficina del médico forense ha recibido 2 mil 330 restos de migrantes que murieron en el desierto.",
     [("deaths", 2330, "exact", None)]),
    ("Femicide 83 of the year; 57 women were murdered in 2016, 913 since 2010.",
     [("homicides", 57, "exact", None), ("homicides", 913, "exact", None)]),
])
def test_nouns_of_round_thirteen(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("TRAC found that only 7% of 67,790 immigrants in MPP had attorneys.", [("mpp_enrolled", 67790, "exact", None)]),
    ("5,000 Asylum-Seekers Added to the Migrant Protection Protocols 2.0", [("mpp_enrolled", 5000, "exact", None)]),
    ("About 70,000 migrants were subject to the policy, known officially as Migrant Protection Protocols.",
     [("mpp_enrolled", 70000, "approximately", None)]),
    # the people with lawyers themselves: not enrolled
    ("Only 2,765 migrants in MPP had lawyers.", [("other", 2765, "exact", None)]),
])
def test_people_subject_to_or_added_to_mpp_and_the_whole_of_a_share(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_change_said_in_the_subjunctive(gazetteer, places):
    text = "Las muertes aumentaron, luego que la cifra subiera de 10 a 39 personas fallecidas."
    assert figures(text, gazetteer, places) == [("deaths", 10, "exact", None), ("deaths", 39, "exact", None)]


@pytest.mark.parametrize("text,expected", [
    ("Estados Unidos devolvió en torno a 800 migrantes a México por Matamoros bajo Permanecer en México.",
     [("mpp_returned", 800, "approximately", "28022")]),
    ("For the first time Mexicali went above the 300 homicides threshold.",
     [("homicides", 300, "more_than", "02002")]),
    ("La cifra de cuerpos localizados en Reynosa ya supera los 50 cadáveres.", [("deaths", 50, "more_than", "28032")]),
])
def test_qualifiers_en_torno_a_and_above_the(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("De acuerdo con el último censo realizado por el gobierno municipal en ese espacio había 384 personas.",
     [("people_sheltered", 384, "exact", None)]),
    ("Estuve en el campamento de migrantes a las orillas del Río Bravo en Matamoros. Son cerca de mil 600 migrantes.",
     [("people_sheltered", 1600, "approximately", "28022")]),
    # a scene of violence is no census of a camp
    ("En el lugar había 20 personas cuando los sicarios abrieron fuego.", [("other", 20, "exact", None)]),
])
def test_a_census_of_the_place_and_a_sentence_that_presents_a_count(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("The program had been restarted by sending about 5,000 asylum seekers back to Mexican border cities.",
     [("mpp_returned", 5000, "approximately", None)]),
    ("Under the Remain in Mexico program, 40,000 people have been banished to Mexico to await court dates.",
     [("mpp_returned", 40000, "exact", None)]),
    ("Biden pledged to rescind the MPP program, which denied entry to more than 65,000 asylum seekers.",
     [("mpp_returned", 65000, "more_than", None)]),
    # interviews with people stranded in Mexico are no count of returns
    ("The report is based on interviews with dozens of asylum seekers stranded in Mexico under MPP.",
     [("other", 10, "approximately", None)]),
])
def test_sent_back_banished_and_denied_entry(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Three people died, officials confirmed, and 29 others were rescued near Point Loma in San Diego.",
     [("deaths", 3, "exact", "US-POE-2504"), ("other", 29, "exact", "US-POE-2504")]),
    ("Authorities said two dozen inmates have escaped a prison in Juárez during a riot.",
     [("other", 24, "exact", "08037")]),
    ("Siete migrantes murieron y once resultaron heridos luego de que un vehículo los atropellara en Brownsville.",
     [("deaths", 7, "exact", "US-POE-2301"), ("other", 11, "exact", "US-POE-2301")]),
])
def test_rescued_escaped_and_hurt_by_a_vehicle(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Thirty-one migrants kidnapped on Saturday while traveling by bus in Tamaulipas have been found.",
     [("kidnappings", 31, "exact", "28")]),
    ("At least three people were gunned down over the weekend in the northern Mexican state of Chihuahua.",
     [("homicides", 3, "at_least", "08")]),
    ("La violencia ha tocado a Tecate. Este año, 83 personas habían perdido la vida en 66 eventos registrados en "
     "la ciudad.", [("homicides", 83, "exact", "02003"), ("homicides", 66, "exact", "02003")]),
])
def test_the_state_of_another_clause_and_the_city_named_before(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("TIJUANA, Baja California, 12 de octubre (Semanario Z).- En los últimos tres años, Baja California ha acumulado "
     "3 mil 054 víctimas de homicidios sin identificar.", [("homicides", 3054, "exact", "02")]),
    ("NUEVO LAREDO, Tamaulipas, Mexico -- This bustling city is the latest hot spot in Mexico's drug war. The body "
     "count during the second week of September totaled some 77 people.",
     [("homicides", 77, "approximately", "28027")]),
    ("Some 2,000 asylum-seekers camped out along the Rio Grande, just 100 yards from the border with Brownsville.",
     [("people_sheltered", 2000, "approximately", None)]),
])
def test_datelines_with_a_date_or_a_country_and_a_border_named_as_a_landmark(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("By some accounts, 28 gunmen and two innocent civilians were killed in the Sonoyta area.",
     [("homicides", 28, "exact", None), ("homicides", 2, "exact", None)]),
    ("Un tiroteo en El Paso dejó al menos 20 víctimas fatales y 40 personas heridas.",
     [("homicides", 20, "at_least", "US-POE-2402"), ("violent_attacks", 40, "exact", "US-POE-2402")]),
    # people rescued keep their own count even beside a coordinated figure of deaths
    ("The heat contributed to 45 people being rescued and 10 people dying.",
     [("other", 45, "exact", None), ("deaths", 10, "exact", None)]),
])
def test_coordinated_victims_and_fatal_victims(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Murieron 15 personas en el estado norteño de Chihuahua, donde se encuentra Ciudad Juárez.",
     [("deaths", 15, "exact", "08")]),
    ("En el desierto de Sonora, células del Cártel de Sinaloa disputan la zona; los homicidios dolosos sumaron 809.",
     [("homicides", 809, "exact", "26")]),
])
def test_a_city_named_as_context_and_a_cartel_named_after_a_state(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Con una capacidad máxima para albergar a tres mil 200 personas, el centro cuenta con 12 migrantes.",
     [("other", 12, "exact", None)]),
    # waiting to enter is not being let in
    ("La AP encontró 13.000 migrantes en listas de espera para ingresar a Estados Unidos.",
     [("asylum_waitlist", 13000, "exact", None)]),
])
def test_a_maximum_capacity_and_waiting_to_enter(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Unas 230.000 personas han abandonado la fronteriza Ciudad Juárez por temor a la violencia.",
     [("people_displaced", 230000, "approximately", "08037")]),
    ("De ese grupo, 70 hondureños ya abandonaron Ciudad Juárez con apoyo de la OIM.", [("other", 70, "exact", "08037")]),
    ("La Policía Federal liberó a 44 personas que estaban secuestradas en Reynosa.",
     [("other", 44, "exact", "28032")]),
])
def test_people_who_left_the_city_for_fear_and_people_freed(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_count_then_who_did_something(gazetteer, places):
    text = "Nearly 25,000 people out of at least 70,000 who crossed the border and were sent back under MPP are eligible."
    assert ("mpp_returned", 70000, "at_least", None) in figures(text, gazetteer, places)


def test_a_dateline_of_mexico_city_is_no_place_of_the_story(gazetteer, places):
    text = ("MEXICO CITY — Mexican authorities are searching for 31 migrants who were abducted over the weekend from a "
            "bus near the Texas border.")
    assert figures(text, gazetteer, places) == [("kidnappings", 31, "exact", None)]


@pytest.mark.parametrize("text,expected", [
    ("Más de 60.000 personas fueron obligadas, entre 2019 y 2020, a esperar una respuesta de asilo en la frontera "
     "como resultado del Protocolo de Protección a Migrantes.",
     [("mpp_returned", 60000, "more_than", None)]),
    ("Unas 54.000 personas han sido enviadas a ciudades mexicanas a la espera de que su situación se regularice.",
     [("mpp_returned", 54000, "approximately", None)]),
])
def test_obliged_with_an_aside_and_sent_to_mexican_cities_to_wait(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("The director of the Casa Alitas shelter spoke on Thursday. They expect a drop from 80 people a day to about 30.",
     [("people_sheltered", 80, "exact", None), ("people_sheltered", 30, "approximately", None)]),
    ("On some days, they were offering food and beds to more than 1,000 new migrants.",
     [("people_sheltered", 1000, "more_than", None)]),
])
def test_they_of_the_shelter_named_before_and_beds_offered(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Nearly 17,000 new asylum cases for migrants waiting in Mexico under MPP have been assigned to border courts.",
     [("mpp_court_cases", 17000, "approximately", None)]),
    ("More than 24,000 people had completed asylum cases through MPP, but only 117 of them had received asylum.",
     [("mpp_court_cases", 24000, "more_than", None), ("mpp_court_cases", 117, "exact", None)]),
    # cases of people returned count people
    ("Se documentaron más de 20,000 casos de personas retornadas bajo el MPP.",
     [("mpp_returned", 20000, "more_than", None)]),
])
def test_cases_are_court_cases_and_people_who_received_asylum(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Se estima que en México hay cerca de 25 mil personas esperando respuesta a su petición de asilo en Estados Unidos.",
     [("mpp_pending_cases", 25000, "estimate", None)]),
    ("En la frontera mexicana hay 26 mil migrantes a la espera de que se resuelvan sus peticiones de asilo.",
     [("mpp_pending_cases", 26000, "exact", None)]),
    # waiting with no asylum said: no MPP case
    ("En México hay cerca de 25 mil personas esperando un empleo.", [("other", 25000, "approximately", None)]),
])
def test_asylum_seekers_waiting_in_mexico_for_a_decision_are_pending_cases(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Las garitas han recibido a 13 mil centroamericanos retornados bajo el MPP. Por las mismas puertas han sido "
     "deportados 30 mil mexicanos.", [("mpp_returned", 13000, "exact", None), ("other", 30000, "exact", None)]),
    ("Según el informe del MPP, 595 migrantes expresaron temor de regresar a México.",
     [("other", 595, "exact", None)]),
    ("Hoy salió de Chihuahua el primer autobús con 69 retornados voluntarios a Guatemala, bajo el MPP.",
     [("other", 69, "exact", "08")]),
])
def test_mexicans_deported_fear_of_return_and_voluntary_returns_are_no_mpp_returns(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Al menos tres muertos y 15 desaparecidos dejan enfrentamientos armados en Reynosa.",
     [("homicides", 3, "at_least", "28032"), ("other", 15, "exact", "28032")]),
    ("Border Patrol agents rescued 37 people from the river near Eagle Pass.", [("other", 37, "exact", "US-POE-2303")]),
    ("Las autoridades confirmaron el rescate de dos cuerpos en el río Bravo; hay al menos cuatro personas más "
     "desaparecidas.", [("deaths", 2, "exact", None), ("other", 4, "at_least", None)]),
])
def test_the_missing_and_people_rescued_are_counted_as_that(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("De ellos, 29 personas resultaron heridas en el siniestro de la estación migratoria de Ciudad Juárez.",
     [("other", 29, "exact", "08037")]),
    ("Seis sospechosos fueron detenidos y acusados de agresión sexual y secuestro en El Paso.",
     [("other", 6, "exact", "US-POE-2402")]),
])
def test_hurt_in_a_disaster_and_suspects_arrested(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "this Mexican border city" and "the border city" are the city named before, as "this city" is
    # (the sentence before names two places, so "its only place" does not decide)
    ("Gunmen attacked a bar in Ciudad Juárez on Tuesday, far from the Sonora border. Authorities said at least six "
     "attacks took place in this Mexican border city.", [("violent_attacks", 6, "at_least", "08037")]),
    ("Cuban migrants came to Ciudad Juárez, not to Sonora, in 2019. Officials counted 100 Cuban migrants in the "
     "border city last October.", [("other", 100, "exact", "08037")]),
])
def test_the_border_city_is_the_city_named_before(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


def test_a_dateline_of_a_city_and_its_state_abbreviated_with_a_full_stop(gazetteer, places):
    from etl.extractor.places import dateline

    for text, city in (("Tijuana, BC. Un grupo de 200 migrantes fue trasladado a un albergue.", "02004"),
                       ("Matamoros, Tamps. Cuadrillas municipales limpiaron el área.", "28022")):
        folded = fold(text)
        found = dateline(text, folded, places.mentions(folded, text))
        assert found is not None and found.place_id == city
    # a sentence that ends with the state is no dateline unless the text opens with it
    text = "Llegaron a Tijuana, BC. Un grupo de 200 migrantes fue trasladado a un albergue."
    folded = fold(text)
    assert dateline(text, folded, places.mentions(folded, text)) is None


@pytest.mark.parametrize("written,values", [
    # the first end of a range written without the multiplier of the second shares it
    ("hay unos 26 a 27 mil migrantes", [26000, 27000]), ("between 2 and 3 million people", [2_000_000, 3_000_000]),
    ("entre 10 y 15 mil migrantes", [10000, 15000]),
    # not when the first end is larger than the number the multiplier scales: it is its own number
    ("de 500 a 2 mil personas", [500, 2000]), ("300 y 40 mil", [300, 40000]),
    # in words too: "two or three hundred", "entre dos y tres mil" (two units joined by "y" are a range, where
    # "treinta y cinco mil" is one number)
    ("murders averaged two or three hundred per year", [200, 300]), ("entre dos y tres mil migrantes", [2000, 3000]),
    ("treinta y cinco mil migrantes", [35000]), ("seis y ocho migrantes", [6, 8]),
    ("two or three people", [2, 3]),
])
def test_the_low_end_of_a_range_shares_the_multiplier_of_the_high_end(written, values):
    assert [n.value for n in find_numbers(fold(written))] == values


@pytest.mark.parametrize("text,expected", [
    # states listed with their figures in brackets, as a list item's town is
    ("El organismo también enunció Coahuila (15.582), Chihuahua (12.317) y Puebla (635) como puntos de retorno.",
     [("other", 15582, "exact", "05"), ("other", 12317, "exact", "08"), ("other", 635, "exact", "21")]),
    # "al menos," with a comma; "aproximadamente de"; "hasta de"; "ca."
    ("Los hombres armados acabaron con la vida de, al menos, 14 personas en Reynosa.",
     [("homicides", 14, "at_least", "28032")]),
    ("En Reynosa hay aproximadamente de 700 migrantes en los albergues.",
     [("people_sheltered", 700, "approximately", "28032")]),
    ("Juarez had ca. 1,600 homicides in 2008.", [("homicides", 1600, "approximately", "08037")]),
    # "por 15 a 20 personas" is a range, as "de 15 a 20" is
    ("Los grupos, compuestos por 15 a 20 personas, fueron deportados a Tijuana.",
     [("other", 15, "at_least", "02004"), ("other", 20, "up_to", "02004")]),
    # a comma after "over" is no qualifier: "it was over, two people were dead"
    ("By the time it was over, two people were dead in Nuevo Laredo.", [("deaths", 2, "exact", "28027")]),
])
def test_states_in_a_list_and_qualifiers_written_loosely(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # tents, tarps and a place that houses people are shelter words in Spanish as in English
    ("En el municipio de Matamoros viven más de 1,500 migrantes en carpas esperando su cita.",
     [("people_sheltered", 1500, "more_than", "28022")]),
    ("El asentamiento alberga a 750 personas en Reynosa.", [("people_sheltered", 750, "exact", "28032")]),
    # attacked, and robbed with violence, are violent attacks; femicides are killings
    ("Casi 10 mil personas indocumentadas fueron agredidas por criminales a su paso por México.",
     [("violent_attacks", 10000, "approximately", None)]),
    ("En el mes, 17 robos fueron cometidos con lujo de violencia.", [("violent_attacks", 17, "exact", None)]),
    ("Mexico registered 736 femicide cases between January and September.", [("homicides", 736, "exact", None)]),
    # but deaths "con violencia" are deaths by violence: killings, not attacks
    ("En Tamaulipas el promedio de muertes con violencia por mes es de 50.", [("homicides", 50, "exact", "28")]),
    # people in line at a port ask for asylum; "in line with" is no line
    ("When they arrive, there already are about 2,600 people in line in Tijuana.",
     [("asylum_waitlist", 2600, "approximately", "02004")]),
    # a dimension is no figure
    ("El instituto habilitó cuatro domos gigantes de 15 por 30 metros para los migrantes.", []),
])
def test_shelter_attack_and_waiting_list_words(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("written,values", [
    # a range written with a hyphen; not a date's days, nor years, nor a code
    ("anything between 40-80 migrants a day", [40, 80]), ("unos 15-20 son los que", [15, 20]),
    ("the 2019-2020 school year", [2019]), ("Interstate I-10 road", []),
    # vague plurals followed by "more", and halves in English
    ("dozens more were wounded", [10]), ("cientos más llegan cada día", [100]),
    ("two and a half million people crossed", [2_500_000]),
])
def test_hyphen_ranges_vague_plurals_with_more_and_english_halves(written, values):
    assert [n.value for n in find_numbers(fold(written))] == values


@pytest.mark.parametrize("written,values", [
    # halves before the multiplier in Spanish too
    ("dos y medio millones de personas", [2_500_000]), ("tres y media millones de cruces", [3_500_000]),
    ("dos millones y medio de encuentros", [2_500_000]),
    # thousands printed with a space after the comma
    ("the transfer of 47, 659 of its people", [47_659]), ("cerca de 2, 000 cubanos", [2_000]),
    ("13, 392 were dropped off in Tijuana, 9, 534 in Nuevo Laredo and 3, 572 in Juarez",
     [13_392, 9_534, 3_572]),
    ("In June of 2018, 9, 577 foreigners", [2018, 9_577]),
    # ... but a list, a date or a decimal is not one number
    ("con 143, 126 y 122, respectivamente", [143, 126, 122]),
    ("went up to 60, 100 and now we have 300", [60, 100, 300]),
    ("On Monday, September 17, 131 convicts escaped", [17, 131]),
    ("from January 1 to March 31, 542 homicides", [1, 31, 542]),
    ("el 1, 5 por ciento", [1, 5]),
    # a vague plural standing alone is an order of magnitude too; "miles" alone is also the English unit
    ("condemns thousands to violent limbo", [1_000]), ("advocates say there could be thousands.", [1_000]),
    ("the war killed tens of thousands", [10_000]), ("cientos llegan cada semana", [100]),
    ("hundreds of miles away", [100]), ("about 55 miles farther west", [55]),
    # "several dozen" is as vague as "dozens"; "dos docenas" is 24, "dos centenares" 200
    ("Several dozen Central American migrants", [10]), ("a few hundred migrants", [100]),
    ("several thousand people wait", [1_000]), ("dos docenas de solicitantes", [24]),
    ("unos dos centenares de muertos", [200]),
    ("cerca de medio centenar de muertos", [50]), ("centenas de migrantes", [100]), ("half a dozen bodies", [6]),
    ("media docena de cuerpos", [6]),
])
def test_spanish_halves_thousands_with_a_space_after_the_comma_and_bare_vague_plurals(written, values):
    assert [n.value for n in find_numbers(fold(written))] == values


@pytest.mark.parametrize("text,expected", [
    # people counted doing something of their own are not the previous sentence's measure (protesters are `other`)
    ("In Tijuana there were 45 killings last month. One thousand people marched against the violence on Sunday.",
     [("homicides", 45, "exact", "02004"), ("other", 1000, "exact", "02004")]),
    ("En Tijuana hubo 45 asesinatos el mes pasado. Mil personas marcharon contra la violencia el domingo.",
     [("homicides", 45, "exact", "02004"), ("other", 1000, "exact", "02004")]),
    # ... while a count with no action of its own still takes it
    ("In Tijuana there were 45 killings last month. Another 12 were reported on Sunday.",
     [("homicides", 45, "exact", "02004"), ("homicides", 12, "exact", "02004")]),
])
def test_people_counted_doing_something_else_do_not_take_the_previous_sentence_s_measure(gazetteer, places, text,
                                                                                         expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "several hundred thousand" is about 100,000, as "hundreds of thousands" is (it read as exactly 100,000)
    ("Several hundred thousand migrants were returned to Mexico under MPP.",
     [("mpp_returned", 100_000, "approximately", None)]),
    ("Hundreds of thousands of migrants were returned to Mexico under MPP.",
     [("mpp_returned", 100_000, "approximately", None)]),
    ("A few hundred migrants waited in Tijuana.", [("other", 100, "approximately", "02004")]),
])
def test_several_hundred_thousand_is_an_order_of_magnitude_not_an_exact_figure(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("Capas said 8-13 people were killed in Agua Prieta.",
     [("homicides", 8, "at_least", "26002"), ("homicides", 13, "up_to", "26002")]),
    # "15-20 de enero" is a date
    ("Del 15-20 de enero llegaron 300 migrantes a Tijuana.", [("other", 300, "exact", "02004")]),
])
def test_a_hyphen_range_is_two_figures_and_a_range_of_days_none(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the State of Mexico by its full name is the state (México alone is the country)
    ("Le siguieron el Estado de México, con 2.258 homicidios, y Chihuahua, con 2.004.",
     [("homicides", 2258, "exact", "15"), ("homicides", 2004, "exact", "08")]),
    # a state's list item with "fueron" or a bare number after it
    ("Los homicidios desde enero: en Veracruz fueron 835 y en Michoacán 809; Guerrero 1.738.",
     [("homicides", 835, "exact", "30"), ("homicides", 809, "exact", "16"), ("homicides", 1738, "exact", "12")]),
    # but a state before a vague plural is where they were taken, not a list item
    ("NUEVO LAREDO.- Fueron trasladados a Chiapas decenas de migrantes que acampaban en Nuevo Laredo.",
     [("other", 10, "approximately", "28027")]),
    # a town the gazetteer lacks, its state, and a bare number that ends the item: the state's
    ("The most homicides were in Tijuana. In sixth and seventh place were Fresnillo, Zacatecas, 190; and "
     "Guadalajara, Jalisco, 186.", [("homicides", 190, "exact", "32"), ("homicides", 186, "exact", "14")]),
    # but a state, a comma and a number with its noun is no list item where the sentence names the place after it
    ("En Sonora, 300 personas fueron asesinadas en Nogales.", [("homicides", 300, "exact", "26043")]),
])
def test_states_as_list_items_and_the_state_of_mexico(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # a counted noun with no article before "total": the subject counted; what it is compared with counts the same
    ("With one week left in 2009, murders total 13, compared with 18 in 2008, El Paso Police Sgt. Chris Mears says.",
     [("homicides", 13, "exact", "US-POE-2402"), ("homicides", 18, "exact", "US-POE-2402")]),
    ("En lo que va del año los homicidios suman 45 en Reynosa.", [("homicides", 45, "exact", "28032")]),
    # a duration between the figure and the number compared with it does not take the number for a duration
    ("Homicides in Tijuana totaled 163 in the first four months of this year, compared with 92 in the same period "
     "last year.", [("homicides", 163, "exact", "02004"), ("homicides", 92, "exact", "02004")]),
    ("The state has recorded 77 homicides in the first two weeks of January, with most – 51 – taking place in "
     "Ciudad Juárez.", [("homicides", 77, "exact", None), ("homicides", 51, "exact", "08037")]),
    # and across a share: the number after it counts what the figure counts (a share's own figures carry the sign)
    ("Arrivals in Ciudad Juárez have topped 60,000 migrants, an increase of 1,670%, up from 3,000 last year.",
     [("other", 60000, "more_than", "08037"), ("other", 3000, "exact", "08037")]),
    # but years are ages as often: the number after "N años" is no figure of the one before
    ("Tres personas fueron asesinadas el lunes en Tijuana, entre ellas un hombre de 35 años y su hijo de 15.",
     [("homicides", 3, "exact", "02004")]),
    # "one thousand 513": the Mexican press's numeral, translated word for word
    ("Tijuana has accumulated one thousand 513 homicides.", [("homicides", 1513, "exact", "02004")]),
    # the Baja California capital is Mexicali
    ("So far, October has seen 29 violent deaths in the Baja California capital.",
     [("homicides", 29, "exact", "02002")]),
    ("En la capital de Baja California se registraron 40 homicidios.", [("homicides", 40, "exact", "02002")]),
    # a count said right after it to be of all Mexico is national, whatever city the sentence names first
    ("With more than 2,500 homicides, Juarez accounts for a third of the 6,000 drug-related murders in Mexico.",
     [("homicides", 2500, "more_than", "08037"), ("homicides", 6000, "exact", None)]),
    # but not "Remain in Mexico", the programme's name
    ("About 900 migrants were sent to wait under Remain in Mexico in Ciudad Juárez.",
     [("mpp_returned", 900, "approximately", "08037")]),
    # "averaged" is no "aged": the number after it is a figure, not an age; "aged 16" still is one
    ("Murders in Juárez averaged 25 a month last year.", [("homicides", 25, "exact", "08037")]),
    ("Two boys aged 16 were kidnapped in Reynosa.", [("kidnappings", 2, "exact", "28032")]),
    # "emigrantes", as "migrantes"
    ("Alrededor de 14.000 de los emigrantes hacinados en Ciudad Juárez son cubanos.",
     [("other", 14000, "approximately", "08037")]),
])
def test_a_bare_subject_counted_and_numerals_translated_word_for_word(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "the state" is the state named last, or the state of the city named last, whichever came later
    ("In Mexicali there were 45 killings, and 30 more across the state.",
     [("homicides", 45, "exact", "02002"), ("homicides", 30, "exact", "02")]),
    ("Sonora tuvo un mal año. En Tijuana la Fiscalía contó 120 homicidios; en la entidad se registraron 300 asesinatos.",
     [("homicides", 120, "exact", "02004"), ("homicides", 300, "exact", "02")]),
    ("En Tijuana la Fiscalía contó 120 homicidios. En Sonora, en cambio, la entidad registró 300 asesinatos.",
     [("homicides", 120, "exact", "02004"), ("homicides", 300, "exact", "26")]),
    # "en el estado mexicano de Chihuahua" names its state; it does not refer back to one
    ("CIUDAD JUÁREZ.- Trece hombres fueron ejecutados en el estado mexicano de Chihuahua.",
     [("homicides", 13, "exact", "08")]),
    # no place named before: no place
    ("Officials counted 30 killings across the state last month.", [("homicides", 30, "exact", None)]),
])
def test_the_state_is_the_last_named_state_or_the_last_named_citys_state(gazetteer, places, text, expected):
    assert figures(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,refers_back", [
    # "los mil 500" repeats a figure given before ...
    ("Llegaron mil 500 personas en julio. Los mil 500 siguen en la plaza.", True),
    # ... but not one whose words merely end the same way: "dos mil 500" is 2,500
    ("Existen entre dos mil 500 a dos mil 800 personas, contra los mil 500 de agosto.", False),
])
def test_a_number_after_the_refers_back_only_to_the_same_number(text, refers_back):
    folded = fold(text)
    last = [n for n in find_numbers(folded) if n.value == 1500][-1]
    reason = not_a_figure(folded, last, lambda after: True)
    assert (reason == "a number after 'the' that was given before (it refers back to it)") is refers_back


@pytest.mark.parametrize("folded,national", [
    ("la cifra mas alta a nivel nacional", False),
    ("the most of any court nationwide", False),
    ("ocupa el segundo lugar a nivel nacional", False),
    ("entre las de mayor incidencia a nivel nacional", False),
    # "más de", "un menor", "el primer grupo" are no rankings: the national phrase stands
    ("mas de 300 migrantes fueron devueltos a mexico", True),
    ("un menor de edad fue devuelto a mexico", True),
    ("el primer grupo fue devuelto a mexico", True),
    ("they flew 9,000 migrants to mexico city", False),
])
def test_a_ranking_against_the_country_is_no_national_phrase(folded, national):
    from etl.extractor.places import BORDER_WIDE, wide_search

    assert (wide_search(BORDER_WIDE, folded) is not None) == national


@pytest.mark.parametrize("text,expected", [
    # a total that figures just before it add up to counts where they count: no single place when they are in
    # several (San Juanito and "Chihuahua capital" are places the gazetteer does not hold)
    ("En el mismo lapso, la policía reportó 18 homicidios en Ciudad Juárez, 16 en Chihuahua capital y cuatro en el "
     "poblado de San Juanito. En total, 38 muertos.",
     [(18, "08037"), (16, None), (4, None), (38, None)]),
    ("Weekend update: 13 more dead in Juarez, 10 more in Chihuahua, 23 dead in total.",
     [(13, "08037"), (10, "08"), (23, None)]),
    # ... their one place when they share it
    ("Police reported 5 homicides in Tijuana on Monday and 3 on Tuesday. In total, 8 homicides were reported.",
     [(5, "02004"), (3, "02004"), (8, "02004")]),
    # ... and its own words' place where it has one
    ("Hubo 5 homicidios en Tijuana y 3 en Mexicali; en total 8 homicidios en Baja California.",
     [(5, "02004"), (3, "02002"), (8, "02")]),
    # a number in a place the gazetteer lacks, named after "the village of", "el poblado de", is in no known place
    ("Se registraron 18 homicidios en Ciudad Juárez y cuatro en el poblado de San Juanito.",
     [(18, "08037"), (4, None)]),
    ("Police found 18 bodies in Ciudad Juárez and three in the village of San Juanito.", [(18, "08037"), (3, None)]),
])
def test_totals_of_the_figures_before_them_and_places_the_gazetteer_lacks(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


def test_the_ends_of_a_range_are_neither_a_total_nor_its_parts(gazetteer, places):
    text = ("Esta semana han asegurado a centenas de migrantes que arriban por diferentes medios. En 24 horas buscan "
            "llegar a Piedras Negras entre 200 y 300 migrantes. A ellos se suman los 380 o 400 connacionales que son "
            "retornados por Estados Unidos hacia México diariamente.")
    found = dict(values_and_places(text, gazetteer, places))
    assert 100 in found and found[200] == found[300] == "05025"  # 300 is not "centenas" (100) + 200


@pytest.mark.parametrize("text,expected", [
    # the Juárez Valley runs through several municipalities: a figure there is in no one place the gazetteer holds
    ("In March, more than 50 people died violently in the Valley of Juárez. About 180 homicides occurred in Juárez "
     "during that time.", [(50, None), (180, "08037")]),
    ("En esta área del valle de Juárez han sido asesinadas 80 personas en lo que va de 2010.", [(80, None)]),
    # ... and the city with the valley is several places
    ("In the area of Ciudad Juarez and the entire Juarez Valley, there is talk of more or less 100,000 displaced "
     "persons.", [(100000, None)]),
    ("Según datos del Inegi, en Ciudad Juárez y el Valle de Juárez fueron asesinadas 2,347 personas.", [(2347, None)]),
    # the city alone, and a valley that lies within its municipality, are places as before
    ("En Ciudad Juárez fueron asesinadas 2,347 personas en 2010.", [(2347, "08037")]),
    ("El Valle de Mexicali registró 40 homicidios.", [(40, "02002")]),
])
def test_a_region_of_several_municipalities_named_for_one_is_no_place(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # the figure's own clause goes on to a place the gazetteer does not hold: in no place it holds...
    ("Se reportaron 147 rescates en San Luis Río Colorado, mientras que 63 casos se presentaron en el municipio de "
     "Sonoyta.", [(147, "26055"), (63, None)]),
    ("De los 1,977 migrantes retornados a Nuevo Laredo, mil 55 han sido trasladados a Monterrey.",
     [(1977, "28027"), (1055, None)]),
    # ... but in the state its sentence, or the one before it, names
    ("En Tamaulipas, 19 personas fueron asesinadas en el municipio de Camargo.", [(19, "28")]),
    ("Reynosa is in the state of Tamaulipas. In 2010, 72 migrants were massacred in the municipality of San "
     "Fernando.", [(72, "28")]),
    # a town the gazetteer lacks, said to be part of a municipality it holds, is in that municipality
    ("Ocho cuerpos fueron hallados en el poblado de La Rumorosa, del municipio de Tecate.", [(8, "02003")]),
])
def test_a_figure_said_to_be_in_a_place_the_gazetteer_lacks(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "the border city" before any city is named: the one city the next sentence names
    ("Officials counted 3,622 homicides in the border city last year. The toll made Ciudad Juárez the deadliest city "
     "in the world.", [(3622, "08037")]),
    ("Se contabilizaban 2 mil 817 personas desaparecidas solo en esta ciudad fronteriza. Ese año, Reynosa fue el "
     "epicentro estatal de este delito.", [(2817, "28032")]),
    # ... not where the next sentence names two cities, nor where the clause does not call it the city
    ("Officials counted 3,622 homicides in the border city last year. Tijuana and Mexicali had fewer.",
     [(3622, None)]),
    ("Officials counted 3,622 homicides last year. The toll made Ciudad Juárez the deadliest city in the world.",
     [(3622, None)]),
])
def test_the_border_city_named_in_the_next_sentence(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,kept,dropped,reason", [
    # a day named "el día 30", a road marker "Km.#11", a footnote mark "[1]": none is a count
    ("La fiscalía encontró ocho cadáveres más el día 30 en Tecate.", [8], [30], "a date"),
    ("Seven bodies were found at Km.#7 and four more at Km.#11 of the highway.", [7, 4], [7, 11],
     "a road marker"),
    ("Four Americans were kidnapped in Matamoros.[1] Officials said two of them died.", [4, 2], [1],
     "a footnote mark"),
    # ages written as ranges in a list that says "años" only at its end
    ("De los 39 casos, 10 entre los 18 y 24, y siete entre los 35 y 44 años de edad.", [39], [18, 24],
     "an age bound"),
    # a number named with "el" (a place in a queue), not a count
    ("Tengo el mil 775 y apenas va el mil 316, dijo un hondureño que espera con 300 migrantes.", [300], [1775, 1316],
     "a number named with 'el'"),
])
def test_numbers_that_name_a_day_a_marker_a_note_an_age_or_a_place_in_a_queue(gazetteer, places, text, kept, dropped,
                                                                               reason):
    decisions = explain(text, gazetteer, places=places, learned=False)
    assert [d.value for d in decisions if d.kept] == kept
    why = {d.value: d.rules.get("dropped", "") for d in decisions if not d.kept}
    assert all(reason in why.get(v, "") for v in dropped), why


@pytest.mark.parametrize("text,expected", [
    # a ranking of states: each number is its state's, however the item is said
    ("Chihuahua lidera la lista con 6 secuestros, seguido de Tamaulipas con 2. Chiapas registró 3 secuestros.",
     [(6, "08"), (2, "28"), (3, "07")]),
    ("Tamaulipas had 148 reported kidnappings. Sonora was second with 141, followed by Coahuila with 117.",
     [(148, "28"), (141, "26"), (117, "05")]),
    ("En el estado de Jalisco hubo 16 personas asesinadas y en Veracruz se cometieron 14 homicidios.",
     [(16, "14"), (14, "30")]),
])
def test_a_ranking_of_states_gives_each_number_its_state(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected


@pytest.mark.parametrize("text,expected", [
    # "in all of Baja California", "en todo Baja California": the state, not the city named before it
    ("There were 1,071 executed in all of Baja California and 824 in Tijuana.", [(1071, "02"), (824, "02004")]),
    ("Con 165 asesinatos en Tijuana y 197 en todo Baja California, mayo fue el mes más violento.",
     [(165, "02004"), (197, "02")]),
    # "dicho estado": the state named last before it
    ("Habló con el alcalde de Matamoros, Tamaulipas. Dijo que hay 6.700 migrantes en dicho estado.",
     [(6700, "28")]),
])
def test_the_whole_state_said_after_a_figure(gazetteer, places, text, expected):
    assert values_and_places(text, gazetteer, places) == expected
