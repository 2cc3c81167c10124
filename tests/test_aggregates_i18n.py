"""The aggregates in Spanish (issue 15): card texts, reasons for no data, the lead rule's reasons, MPP texts,
labels of measures, and the label map that puts the other language beside data published in one
(data/reference/labels.csv). Every aggregate here is pure: called inside ``i18n.using("es")`` it answers in
Spanish, and the same call outside it in English (nothing is frozen in the first language asked)."""
from __future__ import annotations

import bz2
import csv
import datetime as dt
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data_access, i18n
from dashboard.aggregates import compare, encounters, lead, map as map_agg, mpp, overview, reported, revised, violence
from tests.test_page_compare import deaths, homicides, places, population
from tests.test_page_compare import encounters as compare_encounters
from tests.test_page_compare import reported as compare_reported

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
T = pd.Timestamp


def es(fn, *args, **kwargs):
    with i18n.using("es"):
        return fn(*args, **kwargs)


# ---------------------------------------------------------------- Overview cards

def southwest():
    counts = {T(2025, 6, 1): 9_000, T(2025, 7, 1): 8_000, T(2025, 8, 1): 6_321}
    return pd.DataFrame([{"dataset": "cbp_southwest", "month": m, "count": n} for m, n in counts.items()])


def test_southwest_card_in_spanish_dates_and_numbers_by_locale():
    card = es(overview.southwest_latest, southwest(), ("U.S. Customs and Border Protection", None))
    assert card.label == "Encuentros en la frontera suroeste, último mes"
    assert card.value == "6,321" and card.as_of == "agosto de 2025"
    change = (6_321 - 8_000) / 8_000 * 100  # -20.99%
    assert card.detail == f"-{abs(change):.1f}% respecto de julio de 2025 (8,000)"
    assert card.trend.what == "Encuentros en la frontera suroeste por mes"
    assert card.trend.tick_labels == ("jun 2025", "jul 2025", "ago 2025")
    # the same call in English, after the Spanish one
    english = overview.southwest_latest(southwest(), ("U.S. Customs and Border Protection", None))
    assert english.as_of == "August 2025" and english.detail == "-21.0% from July 2025 (8,000)"
    assert english.trend.tick_labels == ("Jun 2025", "Jul 2025", "Aug 2025")


def test_cards_without_data_say_why_in_spanish():
    empty = pd.DataFrame(columns=["dataset", "month", "count", "place_id"])
    card = es(overview.southwest_latest, empty, ("CBP", None))
    assert (card.value, card.missing) == ("sin datos", "no hay datos de CBP en esta publicación")
    card = es(overview.city_homicides_last_year, empty, {"02004": "Tijuana"}, ("", None))
    assert card.label == "Homicidios en las ciudades receptoras del MPP, último año completo"
    assert card.missing == "su fuente no está en esta publicación"
    card = es(overview.mpp_total, pd.DataFrame())
    assert card.missing == "no se cargaron cifras publicadas"


def mpp_reported():
    base = {"period_start": pd.NaT, "period_end": pd.NaT, "published": pd.NaT, "place_ids": pd.NA, "title": "t",
            "notes": pd.NA, "quote": "«texto original»"}
    return pd.DataFrame([
        {**base, "figure_id": "dhs", "metric": "mpp_returned", "value": 71_071.0, "qualifier": "exact",
         "place_id": pd.NA, "definition": "people returned", "publisher": "DHS", "url": "https://example.org/dhs",
         "counted_by": "dhs_cbp", "report_kind": "primary", "as_of": T(2021, 1, 20)},
        {**base, "figure_id": "ngo", "metric": "mpp_returned", "value": 70_000.0, "qualifier": "more_than",
         "place_id": pd.NA, "definition": "people returned", "publisher": "An NGO", "url": "https://example.org/ngo",
         "counted_by": "ngo", "report_kind": "secondary", "as_of": T(2021, 2, 1)},
    ])


def test_mpp_card_in_spanish_leads_by_the_rule_and_says_why():
    card = es(overview.mpp_total, mpp_reported())
    assert card.label.startswith("Personas devueltas (retornadas) a México bajo los Protocolos de Protección a "
                                 "Migrantes (MPP, «Quédate en México»)")
    assert card.value == "71,071"  # the official count leads the newer NGO figure (tier 1 before tier 4)
    assert card.dated == "al 2021-01-20"
    assert ("Encabeza 1 cifra publicada más por ser un conteo oficial en la publicación de quien contó"
            in card.detail)
    assert card.trend.tick_labels == ("ene 2021", "feb 2021")


def test_mpp_official_card_in_spanish():
    enrolled = pd.DataFrame([
        {"dataset": "fy2020", "month": T(2020, m, 1), "component": "U.S. Border Patrol", "place_id": "US-SEC-EPT",
         "area_name": "El Paso", "total_label": "", "count": 100 * m} for m in (1, 2, 3)])
    card = es(overview.mpp_official, enrolled, pd.DataFrame(), ("CBP", None))
    assert card.label == "Inscripciones en el MPP por mes (CBP, cifras oficiales)"
    assert card.as_of == "marzo de 2020" and card.value == "300"
    assert card.detail.startswith("en marzo de 2020, el último mes que publicó la CBP. 600 personas inscritas en "
                                  "enero de 2020–marzo de 2020")
    assert es(mpp.total_words, enrolled) == ("las páginas de la CBP cuentan 600 inscripciones en el MPP en enero de "
                                             "2020–marzo de 2020 (cifras oficiales, todos los sectores y puertos)")
    groups = es(mpp.monthly, enrolled, "area", {"US-SEC-EPT": "El Paso"})
    assert set(groups["group"]) == {"sector El Paso"}
    assert set(es(mpp.monthly, enrolled, "component")["group"]) == {"Patrulla Fronteriza (USBP)"}
    assert set(mpp.monthly(enrolled, "component")["group"]) == {"Border Patrol (USBP)"}


# ---------------------------------------------------------------- the lead rule's reasons

def test_lead_reasons_in_spanish_and_said_again_in_the_readers_language():
    chosen = lead.choose(mpp_reported())  # made in English (as a per-release cache may keep it)
    other = chosen.others[0]
    assert other["lead_reason"].startswith("a count or estimate by an NGO")
    words = es(lead.other_words, chosen.others, lambda o: str(int(o["value"])), chosen.lead)
    assert words == ("70000 (An NGO, 2021-02-01): un conteo o estimación de una ONG, una organización defensora o "
                     "un medio de comunicación, que tiene menor rango que un conteo oficial en la publicación de "
                     "quien contó")


# ---------------------------------------------------------------- Compare

@pytest.fixture(scope="module")
def base():
    return compare.prepare(places(), population(), homicides(), deaths(), compare_encounters(), compare_reported(),
                           today=dt.date(2026, 11, 27))


def test_compare_rows_and_reasons_in_spanish(base):
    rows = es(compare.city_rows, base, ["02004", "08037", "26043"], 2021, 50, "iom")
    by = rows.set_index("place_id")
    assert by.at["02004", "returned_text"] == "sin datos"
    assert by.at["02004", "returned_reason"] == ("no hay cifra publicada de personas devueltas bajo el MPP para "
                                                 "Tijuana (los casos ante tribunales en San Ysidro cuentan otra cosa)")
    assert by.at["08037", "returned_per_1000_text"].endswith(" por cada mil")
    source = by.at["08037", "returned_source"]  # the qualifier's words are vocabulary.py's (charts area)
    assert source.startswith("Border Report (Nexstar), 2019-12-01. Otras cifras publicadas: ")
    assert source.endswith("15,000 (Some Paper, republished, 2020-01-31): una republicación de otro informe, que "
                           "tiene menor rango que un informe que no dice quién contó")
    assert by.at["26043", "population_reason"] == "sin población de CONAPO"
    # the fixture's OHSS rows are San Diego's only
    assert by.at["08037", "encounters_reason"] == "sin registros de la OHSS para el sector El Paso en el año fiscal 2021"
    assert by.at["02004", "encounters_partial"] is None and by.at["02004", "encounters"] == 12_000


def test_compare_mpp_rows_follow_the_reader_not_the_per_release_base(base):
    """The Base is built once per release (whatever language came first): the words of its MPP rows are written
    when they are asked for."""
    figs = es(compare.mpp_figures, base, ["02004", "08037"])
    court = figs[figs["metric"] == "mpp_court_cases"].iloc[0]
    assert court["where"] == "Tijuana (lugar de audiencia: San Ysidro)"
    assert court["who"] == "TRAC, jul 2019"
    english = compare.mpp_figures(base, ["02004", "08037"])
    assert english[english["metric"] == "mpp_court_cases"].iloc[0]["row_label"] == \
        "Tijuana (hearing location: San Ysidro) · TRAC, Jul 2019"


def test_sort_and_metric_labels_are_marked_and_translated():
    with i18n.using("es"):
        assert i18n._(compare.SORT_KEYS["homicide_rate"][0]) == "Homicidios por cada 100 mil habitantes"
        assert map_agg.metric_label("deaths_50km") == "Muertes de migrantes a menos de 50 km"
        assert map_agg.layer_label("iom") == "Proyecto Migrantes Desaparecidos de la OIM"
        assert reported.metric_label("mpp_returned") == "Personas devueltas (retornadas) a México bajo el MPP"
        assert reported.metric_meaning("homicides").startswith("Personas asesinadas, según una nota periodística")
    assert map_agg.metric_label("deaths_50km") == "Migrant deaths within 50 km"


# ---------------------------------------------------------------- Reported figures, Map, revised marks

def test_reported_places_and_periods_in_spanish():
    pl = pd.DataFrame({"name": ["Ciudad Juárez", "Tijuana", "Mexicali", "San Ysidro"],
                       "kind": ["municipality", "municipality", "municipality", "port"]},
                      index=["08037", "02004", "02002", "US-POE-2504"])
    with i18n.using("es"):
        assert reported.place_label(pd.NA, pl, "08037;02004;02002") == "Ciudad Juárez, Tijuana y Mexicali (en conjunto)"
        assert reported.place_label(pd.NA, pl) == "Toda la frontera"
        assert reported.place_label("US-POE-2504", pl) == "San Ysidro (puerto de entrada de EE. UU.)"
        row = {"period_start": T(2019, 1, 29), "period_end": T(2019, 12, 31), "as_of": T(2020, 1, 5)}
        assert reported.when(row) == "del 2019-01-29 al 2019-12-31; al 2020-01-05"
        assert reported.when({}) == "periodo no indicado"
    assert reported.place_label(pd.NA, pl, "08037;02004;02002") == "Ciudad Juárez, Tijuana and Mexicali (together)"


def test_map_values_without_data_say_so_in_spanish():
    cities = pd.DataFrame({"place_id": ["02004"], "name": ["Tijuana"], "admin1": ["Baja California"], "lat": [32.5],
                           "lon": [-117.0], "colour": ["#000000"], "label_position": ["top center"],
                           "population": [float("nan")]})
    out = es(map_agg.metric_values, cities, "population", {})
    assert out.iloc[0]["shown"] == "sin datos"
    assert out.iloc[0]["reason"] == "sin población de CONAPO para esta ciudad"


def test_revised_hover_in_spanish():
    assert es(revised.hover, 3400.0, "2026-11-27", "2026-11-28") == \
        "revisada: se publicó primero como 3,400 (2026-11-27)"
    assert revised.hover(3400.0, "2026-11-27", "2026-11-28") == "revised: first published as 3,400 (2026-11-27)"


# ---------------------------------------------------------------- data in the other language: a label beside it

def cbp_rows():
    rows = []
    for demographic, n in (("Single Adults", 50), ("UAC", 30), ("FMUA", 20)):
        rows.append({"dataset": "cbp_southwest", "month": "2025-01-01", "count": n, "is_rounded": False,
                     "source_id": "cbp_encounters", "component": "U.S. Border Patrol", "area_id": "",
                     "area_name": "", "citizenship": "Mexico", "demographic": demographic,
                     "title_of_authority": "Title 8", "encounter_type": "Apprehensions"})
    return pd.DataFrame(rows)


def test_cbp_categories_keep_their_published_words_with_spanish_beside_them():
    prep = encounters.prepare(cbp_rows(), "cbp_southwest")
    assert dict(prep.options["demographic"])["uac"] == "UAC"  # the per-release frame stays as published
    with i18n.using("es"):
        shown = dict(encounters.options_shown(prep, "demographic"))
        assert shown == {"single-adults": "Single Adults (adultos solos)",
                         "uac": "UAC (niñas, niños y adolescentes no acompañados)",
                         "fmua": "FMUA (personas en unidades familiares)"}
        s = encounters.series(prep, {}, None, None, "demographic")
        assert encounters.dimension_label("citizenship") == "Nacionalidad"
    assert set(s.frame["group"]) == set(shown.values())
    assert s.frame.groupby("group")["count"].sum()["UAC (niñas, niños y adolescentes no acompañados)"] == 30
    # English pages: CBP's words alone
    assert set(encounters.series(prep, {}, None, None, "demographic").frame["group"]) == {"Single Adults", "UAC",
                                                                                           "FMUA"}


def test_sesnsp_subtypes_get_english_beside_them_on_english_pages_only():
    assert violence.subtype_label("Homicidio doloso") == "Homicidio doloso (intentional homicide)"
    assert es(violence.subtype_label, "Homicidio doloso") == "Homicidio doloso"
    assert violence.subtype_label("Un delito nuevo") == "Un delito nuevo"  # not in the map: as published


def labels() -> list[dict]:
    with (ROOT / "data" / "reference" / "labels.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_dataset_of_the_registry_is_described_in_spanish():
    registry = tomllib.loads((ROOT / "data" / "reference" / "sources.toml").read_text(encoding="utf-8"))
    ids = {d["id"] for s in registry["source"] for d in s.get("datasets", [])}
    for key in ("label", "description", "counted"):
        said = {r["value"] for r in labels() if r["vocabulary"] == f"dataset.{key}" and r["es"]}
        assert ids - said == set(), key
    described = {"id": "iom_us_mexico_border", "label": "IOM", "description": "d", "counted": "c"}
    assert data_access.dataset_words(described, "es")["counted"] == \
        "Migrantes muertos y desaparecidos (incidentes de la OIM)"
    assert data_access.dataset_words(described, "en") == described


@pytest.mark.skipif(not (REAL / "sesnsp").is_dir(), reason="no ../shared real files")
def test_every_sesnsp_subtype_of_the_real_file_has_an_english_label():
    with bz2.open(REAL / "sesnsp" / "db_victimas_delitos_ent_long.csv.bz2", "rt", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        found = {next(reader)["subtipo_de_delito"] for _ in range(20_000)}  # a state-month lists every subtype
    mapped = {r["value"] for r in labels() if r["vocabulary"] == "subtype" and r["en"]}
    assert len(found) == 15 and found - mapped == set()


@pytest.mark.skipif(not (REAL / "cbp").is_dir(), reason="no ../shared real files")
def test_every_cbp_category_of_the_real_file_has_a_spanish_label():
    with (REAL / "cbp" / "sbo-encounters-fy22-fy25-aug.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    have = {(r["vocabulary"], r["value"]) for r in labels()}
    for column, vocabulary in (("Demographic", "demographic"), ("Citizenship Grouping", "citizenship"),
                               ("Component", "component"), ("Title of Authority", "title_of_authority"),
                               ("Encounter Type", "encounter_type")):
        missing = {r[column] for r in rows} - {v for voc, v in have if voc == vocabulary}
        assert missing == set(), (column, missing)


def test_every_reported_figure_has_its_definition_in_spanish_and_its_quote_as_published():
    with (ROOT / "data" / "reference" / "reported_figures.csv").open(encoding="utf-8", newline="") as f:
        figures = list(csv.DictReader(f))
    said = {r["value"]: r["es"] for r in labels() if r["vocabulary"] == "figure.definition" and r["es"]}
    assert {f["figure_id"] for f in figures} - set(said) == set()
    table = pd.DataFrame(figures).assign(value=lambda d: d["value"].astype(float))
    first = table[table["figure_id"] == "trac-2019-12-19-total"]
    with i18n.using("es"):
        assert reported.definition_words(first.iloc[0]) == said["trac-2019-12-19-total"]
        listed = reported.figures_list(first, pd.DataFrame())
    group = listed[0]["groups"][0]
    assert group["definition"].startswith("inmigrantes devueltos a México para esperar sus audiencias")
    assert group["figures"][0]["quote"] == first.iloc[0]["quote"]  # quotes stay in their own language
    assert reported.definition_words(first.iloc[0]) == first.iloc[0]["definition"]
    notes = {r["value"] for r in labels() if r["vocabulary"] == "figure.notes" and r["es"]}
    assert {f["figure_id"] for f in figures if f["notes"]} - notes == set()
    assert group["figures"][0]["notes"] == "Registros de los tribunales hasta finales de noviembre de 2019."


def test_policy_events_in_spanish_with_their_sources_as_published():
    with (ROOT / "data" / "reference" / "policy_events.csv").open(encoding="utf-8", newline="") as f:
        events = pd.DataFrame(list(csv.DictReader(f)))
    for key in ("event", "description"):
        said = {r["value"] for r in labels() if r["vocabulary"] == f"event.{key}" and r["es"]}
        assert set(events["event_id"]) - said == set(), key
    shown = es(encounters.events_in_range, events, "2021-12", "2022-08")
    # in force then: Title 42 (March 2020 to May 2023), MPP reinstated (December 2021) and ended (August 2022)
    assert list(shown["event_id"]) == ["title-42", "mpp-reinstated", "mpp-ended"]
    assert list(shown["event"]) == ["Expulsiones bajo el Título 42", "El MPP se restablece por orden judicial",
                                    "Termina el MPP"]
    assert list(shown["title"]) == list(events.set_index("event_id").loc[list(shown["event_id"]), "title"])
    assert list(encounters.events_in_range(events, "2021-12", "2022-08")["event"]) == [
        "Title 42 expulsions", "MPP reinstated under court order", "MPP ended"]
