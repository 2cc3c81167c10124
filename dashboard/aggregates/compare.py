"""Compare cities: per-release precomputation and the small per-view frames of the Compare page.

`prepare(...)` reduces the release's tables to what the page needs for the 13 border
municipalities (the places with a ``border_order``, west to east) (a few thousand rows, computed once per release). The per-view functions
(`city_rows`, `mpp_figures`, `monthly_homicides`, `sort_rows`) then work on those small
frames only, so a callback stays fast.

Honesty rules kept here:
- reported figures are never summed: each figure is its own row, with its qualifier and
  definition; TRAC court-case figures placed at a U.S. port are shown at the port's
  paired city as "hearing location: <port>", and figures without a place (the El Paso
  immigration court) are never attributed to a city;
- a value that cannot be computed is None with a reason, never zero;
- IOM and Pima County deaths are separate datasets, never added;
- OHSS sector encounters are rounded by the publisher and flagged as such.
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import i18n, place_groups
from ..i18n import N_, _
from ..datasets import CONAPO_PROJECTIONS, DEATH_DATASETS, INEGI_MUNICIPAL, OHSS_SECTOR
from ..vocabulary import qualified
from . import lead, revised
from .reported import definition_words

MIN_CITIES, MAX_CITIES = 2, 6
HOMICIDES = INEGI_MUNICIPAL
POPULATION = CONAPO_PROJECTIONS
SECTOR_ENCOUNTERS = OHSS_SECTOR
MPP_METRICS = ("mpp_returned", "mpp_enrolled", "mpp_court_cases")
METRIC_LABELS = {  # translate where shown: _(METRIC_LABELS[m])
    "mpp_returned": N_("People returned to the city under MPP"),
    "mpp_enrolled": N_("People enrolled in MPP"),
    "mpp_court_cases": N_("MPP court cases, by hearing location"),
}
STATE_ABBR = {"Baja California": "B.C.", "Sonora": "Son.", "Chihuahua": "Chih.", "Coahuila de Zaragoza": "Coah.",
              "Coahuila": "Coah.", "Tamaulipas": "Tamps."}
EARTH_KM = 6371.0088


@dataclass
class DeathsBase:
    """One deaths dataset near the border cities: a row per incident with its distance to every city."""
    frame: pd.DataFrame  # year, date, people, d_<place_id>... (km)
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    covered: frozenset  # cities the dataset covers (nearest place of at least one record)
    no_coords: int = 0  # records without coordinates (cannot be placed)


@dataclass
class Base:
    cities: pd.DataFrame  # index place_id: name, label, admin1, lat, lon, us_port, port_name, us_sector_id,
    # sector_name, colour
    population: pd.DataFrame  # index (place_id, year) -> population
    homicides: pd.DataFrame  # place_id, month, count (border cities only)
    homicides_last: pd.Timestamp | None
    homicides_full_years: list[int]
    deaths: dict[str, DeathsBase]
    encounters: pd.DataFrame  # area_id, fiscal_year, count, months
    encounters_last: pd.Timestamp | None
    figures: pd.DataFrame  # attributable MPP figures: city_id, label, ... (see _figures)
    unattributed: pd.DataFrame  # MPP figures placed nowhere (e.g. the El Paso immigration court)
    years: list[int]
    default_year: int
    population_year: int | None  # latest CONAPO year <= the current year
    annual: dict = field(default_factory=dict)  # (place_id, year) -> (homicides, months with data)
    sector_years: dict = field(default_factory=dict)  # (sector id, fiscal year) -> (encounters, months)
    pop: dict = field(default_factory=dict)  # (place_id, year) -> population
    pop_span: str = ""  # 'first–last' CONAPO years
    pop_years: tuple = ()  # every year with a population figure, in order
    returned: dict = field(default_factory=dict)  # place_id -> lead.Lead of its 'returned' figures (the rule's choice)
    with_court: frozenset = frozenset()  # cities with court-case figures
    revised: dict = field(default_factory=dict)  # "population" | "annual" | "monthly" | "sector" -> {key: revised
    # .Point}: the points that hold a revised figure, keyed as pop, annual, (place_id, month) and sector_years


# ---------------------------------------------------------------- precomputation (once per release)

def _cities(places: pd.DataFrame) -> pd.DataFrame:
    border = place_groups.border_ids(places)
    if not border:
        return pd.DataFrame(columns=["name", "label", "admin1", "lat", "lon", "us_port", "port_name",
                                     "us_sector_id", "sector_name", "colour"])
    pl = places.set_index("place_id", drop=False)
    names, colours = place_groups.short_names(places), place_groups.colours(places)
    rows = []
    for pid in border:
        r = pl.loc[pid]
        port, sector = str(r.get("us_port") or ""), str(r.get("us_sector_id") or "")
        admin1 = str(r.get("admin1") or "")
        name = names.get(pid) or str(r["name"])
        rows.append({
            "place_id": pid, "name": name, "admin1": admin1,
            "label": f"{name} ({STATE_ABBR.get(admin1, admin1)})" if admin1 else name,
            "lat": float(r["lat"]) if pd.notna(r.get("lat")) else None,
            "lon": float(r["lon"]) if pd.notna(r.get("lon")) else None,
            "us_port": port, "port_name": str(pl.at[port, "name"]) if port in pl.index else port,
            "us_sector_id": sector, "sector_name": str(pl.at[sector, "name"]) if sector in pl.index else sector,
            "colour": colours.get(pid, place_groups.FALLBACK_COLOUR),
        })
    return pd.DataFrame(rows).set_index("place_id", drop=False)


def _population(population: pd.DataFrame, border) -> pd.DataFrame:
    if population.empty:
        return pd.DataFrame({"population": pd.Series(dtype="float64")},
                            index=pd.MultiIndex.from_tuples([], names=["place_id", "year"]))
    pop = population[(population["dataset"] == POPULATION) & population["place_id"].isin(list(border))]
    pop = pop.dropna(subset=["population", "year"])
    out = pd.DataFrame({"place_id": pop["place_id"].astype(str), "year": pop["year"].astype(int),
                        "population": pop["population"].astype(float)})
    return out.set_index(["place_id", "year"]).sort_index()


def _homicides(homicides: pd.DataFrame, border) -> tuple[pd.DataFrame, pd.Timestamp | None, list[int]]:
    if homicides.empty:
        return pd.DataFrame(columns=["place_id", "month", "count", "mstr"]), None, []
    h = homicides[homicides["dataset"] == HOMICIDES]
    last = h["month"].max() if not h.empty else None
    months = h.groupby(h["month"].dt.year)["month"].nunique()
    full = sorted(int(y) for y in months[months == 12].index)
    h = h[h["place_id"].isin(list(border))]
    out = pd.DataFrame({"place_id": h["place_id"].astype(str).to_numpy(), "month": h["month"].to_numpy(),
                        "count": h["count"].astype("float64").to_numpy()})
    out["mstr"] = out["month"].dt.strftime("%Y-%m-%d")  # as the charts send it
    return out.sort_values(["place_id", "month"]).reset_index(drop=True), (None if pd.isna(last) else last), full


def haversine_km(lat1, lon1, lat2: float, lon2: float) -> np.ndarray:
    lat1, lon1 = np.radians(np.asarray(lat1, dtype="float64")), np.radians(np.asarray(lon1, dtype="float64"))
    lat2, lon2 = math.radians(lat2), math.radians(lon2)
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * math.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


def _first_people(placed: pd.DataFrame, marks: dict) -> dict:
    """Per incident: its dead and missing as first published (aggregates.revised; the current values where never
    revised), and the dates of the first publication and the last revision of either ('' where not revised)."""
    dead = revised.attach(placed, marks.get(("migrant_deaths", "dead")), "dead")
    missing = revised.attach(placed, marks.get(("migrant_deaths", "missing")), "missing")
    d_in, m_in = dead[revised.REVISED_IN].astype(str), missing[revised.REVISED_IN].astype(str)
    d_on, m_on = dead[revised.FIRST_DATE].astype(str), missing[revised.FIRST_DATE].astype(str)
    first_on = np.where(d_on == "", m_on, np.where((m_on == "") | (d_on <= m_on), d_on, m_on))
    return {"people_first": (dead[revised.FIRST].fillna(0) + missing[revised.FIRST].fillna(0)).to_numpy(),
            "first_date": first_on, "revised_in": np.where(d_in >= m_in, d_in, m_in)}


def _deaths(deaths: pd.DataFrame, cities: pd.DataFrame, marks: dict | None = None) -> dict[str, DeathsBase]:
    out = {}
    for key, dataset in DEATH_DATASETS.items():
        d = deaths[deaths["dataset"] == dataset] if not deaths.empty else deaths
        if d.empty:
            out[key] = DeathsBase(pd.DataFrame(columns=["year", "date", "people"]), None, None, frozenset())
            continue
        dated = d.dropna(subset=["date"])
        placed = dated.dropna(subset=["lat", "lon"])
        num = {col: pd.to_numeric(placed[col], errors="coerce").astype("float64")
               for col in ("dead", "missing", "lat", "lon")}
        people = num["dead"].fillna(0) + num["missing"].fillna(0)
        frame = pd.DataFrame({"year": placed["date"].dt.year.to_numpy(), "date": placed["date"].to_numpy(),
                              "people": people.to_numpy(), **_first_people(placed, marks or {})})
        for pid, c in cities.iterrows():
            if c["lat"] is None or c["lon"] is None:
                continue
            frame[f"d_{pid}"] = haversine_km(num["lat"].to_numpy(), num["lon"].to_numpy(), c["lat"], c["lon"])
        covered = frozenset(str(x) for x in d["nearest_place_id"].dropna().unique())
        out[key] = DeathsBase(frame, dated["date"].min(), dated["date"].max(), covered,
                              no_coords=int(len(d) - len(placed)))
    return out


def _revised(population: pd.DataFrame, homicides: pd.DataFrame, encounters: pd.DataFrame, border, sectors,
             marks: dict) -> dict:
    """The points of the page's charts that hold a revised figure (aggregates.revised), keyed as the Base's
    lookups: population and homicides by (place_id, year), homicides by (place_id, month), sector encounters by
    (sector id, fiscal year). Empty when nothing was revised (the usual case costs nothing)."""
    out: dict = {"population": {}, "annual": {}, "monthly": {}, "sector": {}}

    def marked(table: str, column: str, rows: pd.DataFrame) -> pd.DataFrame | None:
        m = marks.get((table, column))
        return None if m is None or m.empty or rows.empty else revised.attach(rows, m, column)

    if not population.empty:
        pop = population[(population["dataset"] == POPULATION) & population["place_id"].isin(list(border))]
        pop = marked("population", "population", pop.dropna(subset=["population", "year"]))
        if pop is not None:
            out["population"] = revised.points(pop.assign(place_id=pop["place_id"].astype(str),
                                                          year=pop["year"].astype(int)), ["place_id", "year"],
                                               "population")
    if not homicides.empty:
        h = homicides[(homicides["dataset"] == HOMICIDES) & homicides["place_id"].isin(list(border))]
        h = marked("homicides", "count", h)
        if h is not None:
            h = h.assign(place_id=h["place_id"].astype(str), year=h["month"].dt.year.astype(int))
            out["annual"] = revised.points(h, ["place_id", "year"], "count")
            out["monthly"] = revised.points(h, ["place_id", "month"], "count")
    if not encounters.empty:
        e = encounters[(encounters["dataset"] == SECTOR_ENCOUNTERS) & encounters["area_id"].isin(list(sectors))]
        e = marked("encounters", "count", e)
        if e is not None:
            out["sector"] = revised.points(e.assign(area_id=e["area_id"].astype(str),
                                                    fiscal_year=e["fiscal_year"].astype(int)),
                                           ["area_id", "fiscal_year"], "count")
    return out


def _encounters(encounters: pd.DataFrame, sectors) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    cols = ["area_id", "fiscal_year", "count", "months"]
    if encounters.empty:
        return pd.DataFrame(columns=cols), None
    e = encounters[encounters["dataset"] == SECTOR_ENCOUNTERS]
    last = e["month"].max() if not e.empty else None
    e = e[e["area_id"].isin(list(sectors))]
    if e.empty:
        return pd.DataFrame(columns=cols), (None if last is None or pd.isna(last) else last)
    g = e.groupby(["area_id", "fiscal_year"]).agg(count=("count", "sum"), months=("month", "nunique")).reset_index()
    g["area_id"] = g["area_id"].astype(str)
    g["fiscal_year"] = g["fiscal_year"].astype(int)
    g["count"] = g["count"].astype("float64")
    return g, last


def _date_of(row) -> pd.Timestamp | None:
    for col in ("as_of", "period_end", "published"):
        v = row.get(col)
        if v is not None and not pd.isna(v):
            return pd.Timestamp(v)
    return None


def _figures(reported: pd.DataFrame, cities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = ["figure_id", "city_id", "city", "metric", "value", "qualifier", "definition", "publisher", "url", "when",
            "period_start", "period_end", "hearing", "notes", "title", "where", "who", "row_label",
            "counted_by", "report_kind", "as_of", "published"]
    if reported.empty or cities.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    r = reported[reported["metric"].isin(MPP_METRICS)]
    port_to_city = {c["us_port"]: pid for pid, c in cities.iterrows() if c["us_port"]}
    rows, loose = [], []
    for _i, f in r.iterrows():
        pid = f["place_id"] if isinstance(f["place_id"], str) else None
        hearing = ""
        city = None
        if pid in cities.index:
            city = pid
        elif pid in port_to_city:
            city = port_to_city[pid]
            hearing = cities.at[city, "port_name"]
        row = {
            "figure_id": str(f["figure_id"]), "city_id": city, "metric": str(f["metric"]),
            "value": float(f["value"]), "qualifier": str(f["qualifier"] or "exact"),
            "definition": str(f["definition"] or ""), "publisher": str(f["publisher"] or ""),
            "url": str(f["url"] or ""), "when": _date_of(f),
            "period_start": f["period_start"], "period_end": f["period_end"], "hearing": hearing,
            "notes": "" if pd.isna(f["notes"]) else str(f["notes"]), "title": "" if pd.isna(f["title"]) else str(f["title"]),
            "counted_by": f.get("counted_by"), "report_kind": f.get("report_kind"), "as_of": f.get("as_of"),
            "published": f.get("published"),
        }
        if city is not None:  # its row's words (where, who, row_label) are written per request: mpp_figures
            row["city"] = cities.at[city, "name"]
            rows.append(row)
        elif pid is None and "hearing location" in row["notes"].lower():
            loose.append(row)  # a court, not a port: never attributed to a city
    return pd.DataFrame(rows, columns=cols), pd.DataFrame(loose, columns=cols)


def prepare(places: pd.DataFrame, population: pd.DataFrame, homicides: pd.DataFrame, deaths: pd.DataFrame,
            encounters: pd.DataFrame, reported: pd.DataFrame, *, today: _dt.date | None = None,
            marks: dict | None = None) -> Base:
    """Everything the Compare page needs from one release, reduced to the border cities. `marks`: {(table, value
    column): the revised rows of that table (aggregates.revised.table_marks)}: what revised figures were first
    published as (the migrant deaths so far)."""
    today = today or _dt.date.today()
    cities = _cities(places)
    border = list(cities.index)
    pop = _population(population, border)
    hom, hom_last, full = _homicides(homicides, border)
    dth = _deaths(deaths, cities, marks)
    enc, enc_last = _encounters(encounters, set(cities["us_sector_id"]) - {""} if not cities.empty else set())
    figs, loose = _figures(reported, cities)
    years = set(full)
    if not hom.empty:
        years |= {int(y) for y in hom["month"].dt.year.unique()}
    if not enc.empty:
        years |= {int(y) for y in enc["fiscal_year"].unique()}
    if not years:  # only deaths data: its years
        for db in dth.values():
            if db.first is not None:
                years |= set(range(db.first.year, db.last.year + 1))
    years = {y for y in years if 1990 <= y <= today.year}
    if not years:
        years = {today.year - 1}
    years = list(range(min(years), max(years) + 1))
    if full:
        default = full[-1]
    else:
        default = min(max(years), today.year - 1) if min(years) <= today.year - 1 else max(years)
    pop_years = sorted({y for _, y in pop.index if y <= today.year})
    annual = {}
    if not hom.empty:
        g = hom.groupby(["place_id", hom["month"].dt.year]).agg(n=("count", "sum"), months=("month", "nunique"))
        annual = {(pid, int(y)): (float(r.n), int(r.months)) for (pid, y), r in zip(g.index, g.itertuples())}
    sector_years = {(r.area_id, int(r.fiscal_year)): (float(r.count), int(r.months)) for r in enc.itertuples()}
    pop_lookup = {(pid, int(y)): float(v) for (pid, y), v in pop["population"].items()}
    all_pop_years = sorted({y for _, y in pop.index})
    returned = {}
    for pid in border:
        f = figs[(figs["city_id"] == pid) & (figs["metric"] == "mpp_returned")]
        if not f.empty:
            returned[pid] = lead.choose(f)
    with_court = frozenset(figs.loc[figs["metric"] == "mpp_court_cases", "city_id"])
    changed = _revised(population, homicides, encounters, border,
                       set(cities["us_sector_id"]) - {""} if not cities.empty else set(), marks or {})
    return Base(returned=returned, with_court=with_court, revised=changed, annual=annual, sector_years=sector_years, pop=pop_lookup,
                pop_span=f"{all_pop_years[0]}–{all_pop_years[-1]}" if all_pop_years else "",
                pop_years=tuple(int(y) for y in all_pop_years),
                cities=cities, population=pop, homicides=hom, homicides_last=hom_last, homicides_full_years=full,
                deaths=dth, encounters=enc, encounters_last=enc_last, figures=figs, unattributed=loose,
                years=years, default_year=default, population_year=pop_years[-1] if pop_years else None)


# ---------------------------------------------------------------- per view (small frames only)

def population_of(base: Base, place_id: str, year: int | None) -> float | None:
    return None if year is None else base.pop.get((place_id, int(year)))


def table_population_year(base: Base, year: int) -> int | None:
    """`year` when the population table has it, else the nearest year it has (the earlier one on a tie)."""
    if not base.pop_years:
        return base.population_year
    return min(base.pop_years, key=lambda y: (abs(y - year), y))


def _population_span(base: Base) -> str:
    return base.pop_span


def best_returned(base: Base, place_id: str) -> dict | None:
    """The city's 'returned under MPP' figure that leads by the rule (dashboard/aggregates/lead.py)."""
    found = base.returned.get(place_id)
    return found.lead if found else None


def other_returned(base: Base, place_id: str) -> list[dict]:
    """The city's other 'returned under MPP' figures, strongest first, each with the reason it did not lead."""
    found = base.returned.get(place_id)
    return found.others if found else []


def _in_words(figure: dict) -> str:
    return qualified(figure["value"], figure["qualifier"])


def city_rows(base: Base, cities: list[str], year: int, km: int, deaths_key: str) -> pd.DataFrame:
    """One row per chosen city: every number of the comparison, None with a reason where there is none."""
    rows = []
    dth = base.deaths.get(deaths_key)
    for pid in cities:
        if pid not in base.cities.index:
            continue
        c = base.cities.loc[pid]
        r = {"place_id": pid, "city": c["label"], "name": c["name"], "homicides_partial": None}
        span = _population_span(base) or _("no years")
        # population in the year the table compares (the nearest year with a population figure), so that the
        # population column and the homicide columns speak of the same year
        r["population_year"] = table_population_year(base, year)
        r["population"] = population_of(base, pid, r["population_year"])
        r["population_reason"] = None if r["population"] is not None else _("no CONAPO population")
        # MPP returned, and per 1,000 residents in the figure's year
        best = best_returned(base, pid)
        others = other_returned(base, pid)
        if best is None:
            r.update(returned=None, returned_qualifier="", returned_text=_("no data"), returned_source="",
                     returned_per_1000=None, returned_per_1000_text=_("no data"),
                     returned_reason=(_("no reported MPP returned figure for {city} (court cases at {port} count "
                                        "something else)") if pid in base.with_court
                                      else _("no reported MPP returned figure for {city}")).format(
                         city=c["name"], port=c["port_name"]))
        else:
            fig_year = best["when"].year if best["when"] is not None and not pd.isna(best["when"]) else None
            pop_year = fig_year or base.population_year
            p = population_of(base, pid, pop_year)
            per = best["value"] / p * 1000 if p else None
            when = best["when"].date().isoformat() if fig_year else _("undated")
            source = f"{best['publisher']}, {when}"
            if others:
                source = _("{source}. Other reported figures: {others}").format(
                    source=source, others=lead.other_words(others, _in_words, best))
            r.update(returned=best["value"], returned_qualifier=best["qualifier"],
                     returned_text=qualified(best["value"], best["qualifier"]),
                     returned_source=source,
                     returned_per_1000=per,
                     returned_per_1000_text=_("{value} per 1,000").format(
                         value=qualified(per, best["qualifier"], digits=1)) if per is not None else _("no data"),
                     returned_reason=None if per is not None else
                     _("no CONAPO population for {year} (CONAPO covers {span})").format(year=pop_year, span=span))
        # homicides in the calendar year, and per 100,000 residents of that year
        changed = base.revised or {}
        r.update(revised.columns("population", changed.get("population", {}).get((pid, r["population_year"]))))
        r.update(revised.columns("homicides", None), **revised.columns("homicide_rate", None))
        if base.homicides_last is None:
            r.update(homicides=None, homicide_rate=None, homicides_reason=_("the INEGI homicides file is not loaded"))
        elif year > base.homicides_last.year:
            r.update(homicides=None, homicide_rate=None,
                     homicides_reason=_("homicides file ends in {year}").format(year=base.homicides_last.year))
        elif (pid, year) not in base.annual:
            r.update(homicides=None, homicide_rate=None,
                     homicides_reason=_("no INEGI rows for {city} in {year}").format(city=c["name"], year=year))
        else:
            n, months = base.annual[(pid, year)]
            p = population_of(base, pid, year)
            r.update(homicides=n, homicide_rate=n / p * 100_000 if p else None,
                     homicides_reason=None if p else (
                         _("no CONAPO population for {year} (CONAPO covers {span})") if base.pop_span
                         else _("no CONAPO population for {year}")).format(year=year, span=base.pop_span))
            if months < 12:
                r["homicides_partial"] = _("{n} months only").format(n=months)
            n_rev = changed.get("annual", {}).get((pid, year))
            r.update(revised.columns("homicides", n_rev))
            if p:
                r.update(revised.columns("homicide_rate", revised.ratio(
                    n, p, n_rev, changed.get("population", {}).get((pid, year)), 100_000)))
        # migrant deaths within km, one dataset only
        r.update(_deaths_cell(dth, deaths_key, pid, c["name"], year, km))
        # the paired Border Patrol sector's encounters in the fiscal year
        r.update(_encounters_cell(base.sector_years, base.encounters_last, c, year))
        r.update(revised.columns("encounters", changed.get("sector", {}).get((c["us_sector_id"], year))
                                 if r.get("encounters") is not None else None))
        rows.append(r)
    return pd.DataFrame(rows)


def _deaths_cell(dth: DeathsBase | None, key: str, pid: str, name: str, year: int, km: int) -> dict:
    label = "IOM" if key == "iom" else "Pima County"
    if dth is None or dth.first is None:
        return {"deaths": None, "deaths_reason": _("the {source} records are not loaded").format(source=label),
                "deaths_partial": None}
    if pid not in dth.covered:
        return {"deaths": None, "deaths_reason": (
            _("{source} records do not cover the area of {city} (southern Arizona only)") if key == "pcome"
            else _("{source} records do not cover the area of {city}")).format(source=label, city=name),
            "deaths_partial": None}
    if not (dth.first.year <= year <= dth.last.year):
        return {"deaths": None, "deaths_reason": _("{source} records cover {first}–{last}").format(
            source=label, first=dth.first.year, last=dth.last.year), "deaths_partial": None}
    col = f"d_{pid}"
    if col not in dth.frame.columns:
        return {"deaths": None, "deaths_reason": _("no coordinates for {city}").format(city=name),
                "deaths_partial": None}
    f = dth.frame
    sel = (f["year"].to_numpy() == year) & (f[col].to_numpy() <= km)
    partial = None
    if year == dth.last.year and dth.last.month < 12:
        partial = _("records end {date}").format(date=dth.last.date().isoformat())
    elif year == dth.first.year and dth.first.month > 1:
        partial = _("records start {date}").format(date=dth.first.date().isoformat())
    changed = f["revised_in"].to_numpy()[sel] if "revised_in" in f.columns else np.array([], dtype=object)
    hit = changed != ""
    return {"deaths": float(f["people"].to_numpy()[sel].sum()), "deaths_reason": None, "deaths_partial": partial,
            # revised incidents among those counted: what the number was first published as (aggregates.revised)
            "deaths_first": float(f["people_first"].to_numpy()[sel].sum()) if hit.any() else None,
            "deaths_first_date": min(f["first_date"].to_numpy()[sel][hit]) if hit.any() else "",
            "deaths_revised_in": max(changed[hit]) if hit.any() else ""}


def _encounters_cell(sector_years: dict, last: pd.Timestamp | None, c, year: int) -> dict:
    sector = c["us_sector_id"]
    out = {"sector": c["sector_name"] or "", "sector_id": sector, "encounters_partial": None}
    if not sector:
        return {**out, "encounters": None, "encounters_reason": _("no paired Border Patrol sector")}
    if last is None:
        return {**out, "encounters": None, "encounters_reason": _("the OHSS sector table is not loaded")}
    found = sector_years.get((sector, year))
    if found is None:
        return {**out, "encounters": None,
                "encounters_reason": _("no OHSS rows for FY{year} (the table ends {month})").format(
                    year=year, month=i18n.month_year(last))
                if year > last.year else _("no OHSS rows for the {sector} sector in FY{year}").format(
                    sector=c["sector_name"], year=year)}
    count, months = found
    return {**out, "encounters": count,
            "encounters_partial": _("{n} of 12 months").format(n=months) if months < 12 else None,
            "encounters_reason": None}


def _row_label(city: str, metric: str, hearing: str, publisher: str, when) -> tuple[str, str]:
    """('Tijuana (hearing location: San Ysidro)', 'TRAC, Jul 2019') — one figure's row on the MPP chart."""
    when_text = i18n.month_abbr(when) if when is not None and not pd.isna(when) else _("undated")
    where = (_("{city} (hearing location: {hearing})").format(city=city, hearing=hearing)
             if metric == "mpp_court_cases" and hearing else city)
    return where, f"{short_publisher(publisher)}, {when_text}"


def short_publisher(publisher: str) -> str:
    """'Border Report (Sandra Sanchez), excerpted by TRAC' -> 'Border Report'."""
    return publisher.split(",")[0].split("(")[0].strip() or publisher


def mpp_figures(base: Base, cities: list[str]) -> pd.DataFrame:
    """The attributable MPP figures for the chosen cities, one row each (never summed), in city order, each with
    its row's words in the reader's language: where ('Tijuana (hearing location: San Ysidro)'), who ('TRAC, Jul
    2019') and row_label (both)."""
    f = base.figures[base.figures["city_id"].isin(cities)]
    order = {pid: i for i, pid in enumerate(cities)}
    words = [_row_label(c, m, h, p, w) for c, m, h, p, w in zip(f["city"], f["metric"], f["hearing"], f["publisher"],
                                                                f["when"])]
    f = f.assign(order=f["city_id"].map(order), where=[w for w, _who in words], who=[who for _w, who in words],
                 row_label=[f"{w} · {who}" for w, who in words],
                 definition=[definition_words(r) for r in f[["figure_id", "definition"]].to_dict("records")])
    return f.sort_values(["metric", "order", "when"], na_position="first").reset_index(drop=True)


def cities_without_figures(base: Base, cities: list[str]) -> list[str]:
    have = set(base.figures["city_id"])
    return [base.cities.at[p, "name"] for p in cities if p in base.cities.index and p not in have]


def monthly_homicides(base: Base, cities: list[str], percap: bool) -> pd.DataFrame:
    """place_id, city, month, value: monthly homicides (or per 100,000 residents of that year) per city."""
    h = base.homicides
    h = h[h["place_id"].isin(cities)].copy()
    if h.empty:
        return pd.DataFrame(columns=["place_id", "city", "month", "mstr", "value", "first_published", "first_date",
                                     "revised_in"])
    h["city"] = h["place_id"].map(base.cities["name"])
    if percap:
        idx = pd.MultiIndex.from_arrays([h["place_id"], h["month"].dt.year])
        pop = base.population["population"].reindex(idx).to_numpy()
        h["value"] = h["count"].to_numpy() / pop * 100_000
    else:
        h["value"] = h["count"]
    changed = base.revised or {}
    monthly, pop = changed.get("monthly") or {}, (changed.get("population") or {}) if percap else {}
    points = [None] * len(h)
    if monthly or pop:  # the revised months (aggregates.revised): a count, or a rate whose count or population was
        pops = base.population["population"] if percap else None
        for i, (pid, month, count) in enumerate(zip(h["place_id"], h["month"], h["count"])):
            n_rev = monthly.get((pid, month))
            if not percap:
                points[i] = n_rev
                continue
            p = pops.get((pid, month.year))
            points[i] = revised.ratio(count, p, n_rev, pop.get((pid, month.year)), 100_000) if p else None
    h["first_published"] = [p.first if p else float("nan") for p in points]
    h["first_date"] = [p.first_date if p else "" for p in points]
    h["revised_in"] = [p.revised_in if p else "" for p in points]
    order = {pid: i for i, pid in enumerate(cities)}
    h["_o"] = h["place_id"].map(order)
    cols = ["place_id", "city", "month", "value", "first_published", "first_date", "revised_in"] + (
        ["mstr"] if "mstr" in h.columns else [])
    return h.sort_values(["_o", "month"])[cols].reset_index(drop=True)


SORT_KEYS = {  # key -> (label, translated where shown: _(label); column)
    "city": (N_("City"), "name"),
    "population": (N_("Population"), "population"),
    "returned": (N_("MPP returned (reported)"), "returned"),
    "returned_per_1000": (N_("Returned per 1,000 residents"), "returned_per_1000"),
    "homicides": (N_("Homicides"), "homicides"),
    "homicide_rate": (N_("Homicides per 100,000"), "homicide_rate"),
    "deaths": (N_("Migrant deaths nearby"), "deaths"),
    "encounters": (N_("Sector encounters"), "encounters"),
}


def sort_rows(rows: pd.DataFrame, key: str, order: str) -> pd.DataFrame:
    """Sorted by one column; rows with no data always go last, whatever the order."""
    if rows.empty or key not in SORT_KEYS:
        return rows
    col = SORT_KEYS[key][1]
    if col == "name":
        return rows.sort_values("name", key=lambda s: s.str.casefold(), ascending=order != "desc",
                                kind="stable").reset_index(drop=True)
    return rows.sort_values(col, ascending=order != "desc", na_position="last", kind="stable").reset_index(drop=True)
