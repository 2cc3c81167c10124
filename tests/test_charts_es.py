"""The charts in Spanish (issue 15): each builder, called inside ``i18n.using("es")`` on the tiny literal frames of
the page tests, gives Spanish titles, axis titles, legends, notes and "no data" texts, the qualifier in words
("más de 55,000"), the source line ("Fuente: … (consultado el 27 de noviembre de 2026)") and Spanish month names
on date axes and in hovers; and in English nothing changes. The export's column names stay the same in both
languages while their descriptions translate.

The truths: the fixtures' own values (55,000 "more than", 13,000 "about", 1,544 "at least"; the months they
cover) and the Spanish a Mexican newspaper prints (month abbreviations "ene", "feb", "mar"; "27 de noviembre de
2026"), written here by hand, not read from the code under test."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard import i18n, tidy, vocabulary
from dashboard.aggregates import encounters as enc_agg
from dashboard.aggregates import mpp as mpp_agg
from dashboard.aggregates import reported as rep_agg
from dashboard.aggregates import violence as vio_agg
from dashboard.charts import common
from dashboard.charts import encounters as enc_charts
from dashboard.charts import mpp as mpp_charts
from dashboard.charts import reported as rep_charts
from dashboard.charts import sparkline
from dashboard.charts import violence as vio_charts
from tests import test_mpp_official as mpp_fixture
from tests import test_page_encounters as enc_fixture
from tests import test_page_reported as rep_fixture
from tests import test_page_violence as vio_fixture

ENGLISH_WORDS = re.compile(r"\b(Source|retrieved|more than|about|at least|No data|no data|per month|Encounters|"
                           r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def shown(fig) -> str:
    """Every text a reader sees on a figure: title, notes and source (the footer), axis titles and ticks,
    trace names, labels and hovers."""
    spec = fig if isinstance(fig, dict) else fig.to_plotly_json()
    layout = spec["layout"]
    parts = [layout.get("title", {}).get("text", "")]
    parts += [a.get("text", "") for a in layout.get("annotations", [])]
    for k, ax in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(ax, dict):
            parts.append((ax.get("title") or {}).get("text", "") if isinstance(ax.get("title"), dict) else "")
            parts += [str(t) for t in (ax.get("labelalias") or {}).values()]
    for t in spec["data"]:
        parts.append(str(t.get("name") or ""))
        for key in ("text", "hovertext"):
            v = t.get(key)
            parts += [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v or "")]
        template = t.get("hovertemplate")
        parts += template if isinstance(template, (list, tuple)) else [str(template or "")]
    return " ".join(parts)


def test_qualifiers_counted_by_and_the_source_line_in_spanish():
    with i18n.using("es"):
        assert vocabulary.qualified(16400, "more_than") == "más de 16,400"
        assert vocabulary.qualified(13000, "approximately") == "alrededor de 13,000"
        assert vocabulary.qualified(1544, "at_least") == "al menos 1,544"
        assert vocabulary.qualified(18000, "estimate") == "una estimación de 18,000"
        assert vocabulary.qualified(None, "exact") == "sin datos"
        assert vocabulary.marked(13000, "approximately") == "~13,000"  # a symbol in every language
        assert vocabulary.marked(16400, "more_than", marks=vocabulary.QUALIFIER_SYMBOLS) == "> 16,400"
        assert vocabulary.COUNTED_BY_WORDS["inm"] == "contabilizada por el Instituto Nacional de Migración (INM)"
        line = common.source_line([("INEGI", "2026-11-27"), ("CONAPO", "2026-11-01"), ("Curated", None)])
        assert line == ("Fuente: INEGI (consultado el 27 de noviembre de 2026); CONAPO (consultado el 1 de "
                        "noviembre de 2026); Curated")
        assert common.short_number(5000) == "5 mil" and common.short_number(2_000_000) == "2 M"
    # and English is as before
    assert vocabulary.qualified(16400, "more_than") == "more than 16,400"
    assert common.source_line([("INEGI", "2026-11-27")]) == "Source: INEGI (retrieved 2026-11-27)"
    assert common.short_number(5000) == "5k"


def test_export_column_names_stay_and_their_descriptions_translate():
    english = dict(tidy.COLUMNS)
    with i18n.using("es"):
        spanish = dict(tidy.COLUMNS)
        rows = tidy.frame([{"value": 55000.0, "qualifier": "more_than"}, {"value": None, "qualifier": ""}])
        source = tidy.sources([("INEGI", "2026-11-27")])
    assert list(spanish) == list(english) and "place_id" in spanish  # machine-readable names, in order
    assert spanish["place"] == "el nombre del lugar" and english["place"] == "the place's name"
    untranslated = [c for c in english if spanish[c] == english[c]]
    assert untranslated == []
    assert list(rows["as_reported"]) == ["más de 55,000", ""]
    assert source == "INEGI (consultado el 27 de noviembre de 2026)"


def months_shown(axis) -> dict:
    """{Plotly's English tick label: what the reader sees} of a Spanish date axis."""
    axis = axis if isinstance(axis, dict) else axis.to_plotly_json()
    return axis.get("labelalias") or {}


def test_month_ticks_cover_the_axis_in_spanish():
    with i18n.using("es"):
        short = common.month_ticks("2024-01-01", "2024-03-01")
        long = common.month_ticks("2019-01-01", "2021-12-01")
        half = common.month_ticks("2021-01-01", "2021-12-01")
    # a tick every month from January, each English label renamed (and one past the end, for the axis' padding)
    assert (short["tick0"], short["dtick"], short["tickformat"]) == ("2024-01-01", "M1", "%b %Y")
    assert short["labelalias"] == {"Jan 2024": "ene 2024", "Feb 2024": "feb 2024", "Mar 2024": "mar 2024",
                                   "Apr 2024": "abr 2024"}
    assert half["dtick"] == "M3" and list(half["labelalias"].values()) == [
        "ene 2021", "abr 2021", "jul 2021", "oct 2021", "ene 2022"]
    # more than two years: a tick every January, written as the year, alike in both languages
    assert (long["tick0"], long["dtick"], long["tickformat"]) == ("2019-01-01", "M12", "%Y")
    assert "labelalias" not in long
    with i18n.using("en"):
        assert common.date_axis("2024-01-01", "2024-03-01") == {}  # English keeps Plotly's own ticks


def test_encounters_chart_in_spanish():
    prep = enc_agg.prepare(enc_fixture.enc(enc_fixture.SW), "cbp_southwest")
    s = enc_agg.series(prep, {}, None, None)  # January to March 2024
    with i18n.using("es"):
        fig = enc_charts.encounters_chart(s, dataset="cbp_southwest", label="CBP", counted="Encuentros",
                                          events=enc_agg.events_in_range(enc_fixture.EVENTS, s.start, s.end),
                                          sources=[("U.S. CBP", "2026-11-27")])
        alt = enc_charts.alt_text(s, "CBP")
        empty = enc_charts.encounters_chart(enc_agg.series(prep, {}, "2030-01", None), dataset="cbp_southwest")
    meta = fig.layout.meta
    assert meta["title"] == "Encuentros mensuales: CBP"
    assert meta["subtitle"].startswith("Encuentros, por mes")
    assert meta["source"] == "Fuente: U.S. CBP (consultado el 27 de noviembre de 2026)"
    assert fig.layout.yaxis.title.text == "Encuentros por mes"
    assert list(months_shown(fig.layout.xaxis).values())[:3] == ["ene 2024", "feb 2024", "mar 2024"]
    assert fig.layout.xaxis.hoverformat == "%Y-%m" and fig.layout.yaxis.tickformat == ","
    data = [t for t in fig.data if t.name == "Todos los encuentros"][0]
    assert list(data.x) == ["2024-01-01", "2024-03-01"]  # the fixture has no February row
    assert list(data.hovertext) == ["ene 2024", "mar 2024"] and "%{hovertext}" in data.hovertemplate
    marks = [t for t in fig.data if t.name == "Medidas de política migratoria"][0]
    assert "10 feb 2024" in marks.hovertext[-1] and "Fuente: X" in marks.hovertext[-1]
    assert any(k.startswith("(") and "10 feb 2024" in k for k in meta["key"])
    assert any(n.startswith("Marcadores numerados") for n in meta["notes"])
    assert not ENGLISH_WORDS.search(shown(fig).replace("U.S. CBP", "")), shown(fig)
    assert alt.startswith("Encuentros mensuales, CBP") and "máximo enero de 2024 (130)" in alt
    assert "mínimo marzo de 2024 (50)" in alt
    assert "Sin datos" in empty.layout.annotations[0].text


def test_mpp_enrolments_and_paired_panels_in_spanish():
    flag = mpp_agg.Flag(pd.Timestamp("2020-10-01"), "CBP Total", 999, 3, "t")
    with i18n.using("es"):
        fig = mpp_charts.enrolments_chart(mpp_agg.monthly(mpp_fixture.TINY, "total"), flags=[flag],
                                          source=common.source_line([("U.S. CBP", "2026-11-27")]))
        s = mpp_agg.area_monthly(mpp_fixture.TINY, "US-SEC-EPT")
        o = mpp_agg.area_monthly(mpp_fixture.TINY, "US-FO-EL-PASO")
        panels = [{"id": "A", "city": "Ciudad Juárez", "series": [("El Paso sector", s), ("El Paso field office", o)],
                   "reason": ""}]
        paired = mpp_charts.paired_panels(panels, source="Fuente: CBP")
        alt = mpp_charts.paired_alt(panels)
    meta = fig.layout.meta
    assert meta["title"] == "Inscripciones en el MPP por mes (CBP, cifras oficiales)"
    assert meta["notes"][0].startswith("Personas que la CBP inscribió en los Protocolos de Protección a Migrantes "
                                       "(MPP, «Quédate en México»)")
    assert fig.layout.yaxis.title.text == "Personas inscritas por mes"
    # the axis runs January 2019 to December 2021: years, written alike
    assert (fig.layout.xaxis.dtick, fig.layout.xaxis.tickformat) == ("M12", "%Y") and not months_shown(fig.layout.xaxis)
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "sin tabla oficial antes de ene 2020" in texts and "la CBP publicó 999" in texts
    bar = [t for t in fig.data if t.type == "bar"][0]
    assert bar.hovertext[0] == "ago 2020" and "inscritas" in bar.hovertemplate  # TINY starts in August 2020
    assert "Ciudad Juárez</b><br>El Paso sector (línea), El Paso field office (puntos)" in paired.layout.annotations[0].text
    assert "20 procesadas en El Paso sector; 2 procesadas en El Paso field office" in alt
    assert list(months_shown(paired.layout.xaxis).values())[:3] == ["ago 2020", "sep 2020", "oct 2020"]


def test_reported_figures_chart_in_spanish():
    rows, dropped = rep_agg.chart_rows(rep_fixture.figures(), rep_fixture.places())
    with i18n.using("es"):
        fig = rep_charts.figures_chart(rows)
        alt = rep_charts.alt_text(rows)
        pc_rows, pc_dropped = rep_agg.chart_rows(rep_fixture.figures(), rep_fixture.places(),
                                                 rep_fixture.population(), per_capita=True)
        pc = rep_charts.figures_chart(pc_rows, per_capita=True, dropped=pc_dropped)
    assert fig.layout.meta["title"] == "Cifras reportadas por ciudad"
    labels = [x for t in fig.data if t.mode == "markers+text" for x in t.text]
    assert "más de 55,000" in labels and "alrededor de 13,000" in labels and "al menos 1,544" in labels
    legend = {t.name for t in fig.data if t.showlegend}
    assert "Cota inferior (más de / al menos) →" in legend and "Cifra exacta" in legend
    assert fig.layout.meta["source"].startswith("Fuente: ")
    assert "cifras tal como se publicaron" in fig.layout.meta["source"]
    assert alt.startswith("5 cifras reportadas en 3 paneles, uno por indicador")
    assert any(n.startswith("3 cifras sin población de ciudad") for n in pc.layout.meta["notes"])
    layout = pc.to_plotly_json()["layout"]
    axis_titles = [ax["title"]["text"] for k, ax in layout.items() if k.startswith("xaxis") and ax["title"]["text"]]
    assert axis_titles == ["por cada 100 mil habitantes (escala logarítmica)"]
    # the quotes stay as the reports wrote them
    assert "More than 55,000 migrants" in json.dumps(fig.to_plotly_json(), default=str)


def test_violence_charts_in_spanish():
    counts = vio_agg.homicide_counts(vio_fixture.homicides(), "municipality", ["08037"])
    monthly, notes = vio_agg.series(counts, vio_fixture.population(), measure="count", freq="month")
    monthly = monthly[monthly["period"] < "2014-07-01"]  # January to June 2014
    with i18n.using("es"):
        fig = vio_charts.trend(monthly, {"08037": "Ciudad Juárez"}, title="Homicidios", subtitle="INEGI, por mes",
                               source="Fuente: INEGI", y_title="homicidios", notes=notes)
        empty = vio_charts.trend(monthly.iloc[0:0], {}, title="Homicidios", subtitle="s", source="", y_title="")
        alt = vio_charts.alt_trend(monthly, {"08037": "Ciudad Juárez"}, "Homicidios por mes", "2014")
    assert list(months_shown(fig.layout.xaxis).values())[:2] == ["ene 2014", "feb 2014"]
    assert fig.data[0].hovertext[0] == "ene 2014"
    assert "Sin datos: nada en el periodo elegido" in empty.layout.annotations[0].text
    assert alt == "Homicidios por mes 2014: Ciudad Juárez, ene 2014 10."  # ten every month: one value named


def test_sparkline_text_in_spanish():
    from types import SimpleNamespace

    trend = SimpleNamespace(x=["2025-06-01", "2025-07-01"], y=[100.0, 300.0], kind="line", what="Encuentros",
                            tick_labels=["jun 2025", "jul 2025"], undrawn="", lead=None, qualifiers=None)
    with i18n.using("es"):
        text = sparkline.text(trend)
        fig = sparkline.figure(None)
    assert text == ("Encuentros, de jun 2025 a jul 2025: 100 al inicio, 300 en jul 2025; máximo 300 (jul 2025), "
                    "mínimo 100 (jun 2025).")
    assert fig["layout"]["annotations"][0]["text"] == "sin tendencia que dibujar"


@pytest.mark.parametrize("lang", ["es"])
def test_every_chart_message_has_a_spanish_translation(lang):
    """Every message of the charts' catalogue is translated, keeps its placeholders, and is not left English."""
    from babel.messages.pofile import read_po

    with open(i18n.LOCALE_DIR / lang / "charts.po", "rb") as f:
        cat = read_po(f, locale=lang)
    same = []
    for m in cat:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, str) else m.id[-1]
        string = m.string if isinstance(m.string, str) else m.string[-1]
        assert string, ids
        assert set(re.findall(r"\{\w+\}", ids)) == set(re.findall(r"\{\w+\}", string)), ids
        if string == ids:
            same.append(ids)
    # the only messages written alike: a template of placeholders alone
    assert all(re.fullmatch(r"[{}\w ()]*", s) for s in same), same


def test_a_long_spanish_note_stays_inside_the_figure():
    """The footer's lines are at most 150 characters (common.wrap), also for a Spanish sentence with no '; ' in it:
    the MPP definition, some 240 characters in Spanish, once ran off the right edge of the paired panels."""
    s = mpp_agg.area_monthly(mpp_fixture.TINY, "US-SEC-EPT")
    with i18n.using("es"):
        fig = mpp_charts.paired_panels([{"id": "A", "city": "Ciudad Juárez", "series": [("El Paso sector", s)],
                                         "reason": ""}], source="Fuente: CBP")
    foot = next(a.text for a in fig.layout.annotations if a.name == "footer")
    lines = foot.split("<br>")
    assert max(len(line) for line in lines) <= 150
    assert " ".join(lines).startswith("Personas que la CBP inscribió en los Protocolos de Protección a Migrantes")
    assert "no personas en una ciudad mexicana." in " ".join(lines)  # nothing lost in the wrapping
