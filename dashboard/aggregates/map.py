"""Map page: the border cities with one metric each, and migrant death incidents as points.

Pure functions: release tables in, small frames out. Missing data stays missing (NaN with a
reason), never zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import place_groups
from ..datasets import DEATH_DATASETS, INEGI_MUNICIPAL
from ..i18n import N_, _
from ..vocabulary import fmt, qualified
from . import lead, revised
from . import mpp as mpp_agg

METRICS = {  # translate where shown: metric_label(key)
    "population": N_("Population"),
    "homicides": N_("Homicides, last full year"),
    "homicide_rate": N_("Homicide rate per 100,000, last full year"),
    "mpp_returned": N_("People returned under MPP (reported)"),
    "mpp_enrolled_official": N_("MPP enrolments at the paired sector (CBP, official)"),
    "deaths_50km": N_("Migrant deaths within 50 km"),
}

LAYERS = {"iom": N_("IOM Missing Migrants"), "pcome": N_("Pima County medical examiner"),
          "none": N_("No incident points")}  # translate where shown: layer_label(key)


def metric_label(metric: str) -> str:
    """A map metric in words, in the reader's language."""
    return _(METRICS[metric]) if metric in METRICS else str(metric)


def layer_label(layer: str) -> str:
    """A deaths layer in words, in the reader's language."""
    return _(LAYERS[layer]) if layer in LAYERS else str(layer)
# the migrant-death layers: DEATH_DATASETS (layer -> dataset) in dashboard/datasets.py
# The Pima County OME recovers remains in southern Arizona only: cities whose 50 km reach it (Sonora).
PCOME_STATES = ("26",)
NEAR_KM = 50.0

MUNI_DATASET = INEGI_MUNICIPAL


def border_cities(places: pd.DataFrame) -> pd.DataFrame:
    """The border cities of the places table (those with a ``border_order``), west to east: place_id, name
    (the short name charts show), admin1, lat, lon, population_2020, colour, label_position."""
    cols = ["place_id", "name", "admin1", "lat", "lon", "population_2020", "colour", "label_position"]
    order = list(place_groups.border_ids(places))
    if not order:
        return pd.DataFrame(columns=cols)
    rows = places.set_index("place_id", drop=False).loc[order]
    names, colours = place_groups.short_names(places), place_groups.colours(places)
    positions = place_groups.label_positions(places)
    out = pd.DataFrame({
        "place_id": order,
        "name": [names.get(p) or str(n) for p, n in zip(order, rows["name"])],
        "admin1": rows["admin1"].astype(object).to_numpy(),
        "lat": pd.to_numeric(rows["lat"], errors="coerce").astype(float).to_numpy(),
        "lon": pd.to_numeric(rows["lon"], errors="coerce").astype(float).to_numpy(),
        "population_2020": rows["population_2020"].to_numpy() if "population_2020" in rows else np.nan,
        "colour": [colours.get(p, place_groups.FALLBACK_COLOUR) for p in order],
        "label_position": [positions.get(p, "top center") for p in order],
    })
    return out


def last_full_year(homicides: pd.DataFrame, place_ids) -> int | None:
    """The latest year with all 12 months of municipal homicides for these places."""
    if homicides is None or homicides.empty:
        return None
    muni = homicides[(homicides["dataset"] == MUNI_DATASET) & homicides["place_id"].isin(place_ids)]
    if muni.empty:
        return None
    months = muni.groupby(muni["month"].dt.year)["month"].nunique()
    full = months[months == 12]
    return int(full.index.max()) if not full.empty else None


def city_homicides(homicides: pd.DataFrame, population: pd.DataFrame, year: int | None,
                   place_ids) -> pd.DataFrame:
    """place_id, homicides (that year), population (CONAPO mid-year, that year), rate per 100,000."""
    out = pd.DataFrame({"place_id": list(place_ids)})
    out["homicides"] = np.nan
    out["population"] = np.nan
    if year is not None and homicides is not None and not homicides.empty:
        muni = homicides[(homicides["dataset"] == MUNI_DATASET) & homicides["place_id"].isin(place_ids)
                         & (homicides["month"].dt.year == year)]
        counts = muni.groupby("place_id")["count"].sum().astype(float)
        out["homicides"] = out["place_id"].map(counts).astype(float)
    if year is not None and population is not None and not population.empty:
        pop = population[(population["year"] == year) & population["place_id"].isin(place_ids)]
        out["population"] = out["place_id"].map(pop.groupby("place_id")["population"].sum().astype(float)).astype(float)
    out["rate"] = out["homicides"] / out["population"] * 100_000
    if year is not None and (revised.has_marks(homicides) or revised.has_marks(population)):
        # what each city's figures were first published as (aggregates.revised), a rate from its two parts
        hom = _revised_by_place(muni if homicides is not None and not homicides.empty else None, "count", out)
        pop = _revised_by_place(population[(population["year"] == year) & population["place_id"].isin(place_ids)]
                                if population is not None and not population.empty else None, "population", out)
        for name, part in (("homicides", hom), ("population", pop)):
            out = out.assign(**{f"{name}_{c}": part[c].to_numpy() for c in REVISED_COLUMNS})
        rate = revised.ratio_columns(hom.assign(v=out["homicides"].to_numpy()), "v",
                                     pop.assign(v=out["population"].to_numpy()), "v", 100_000)
        out = out.assign(**{f"rate_{c}": rate[c].to_numpy() for c in REVISED_COLUMNS})
    return out


REVISED_COLUMNS = ("first_published", "first_date", "revised_in")


def _revised_by_place(rows: pd.DataFrame | None, value: str, places: pd.DataFrame) -> pd.DataFrame:
    """first_published, first_date, revised_in per place of `places` (aligned with it) for `rows` of a marked
    table (aggregates.revised.attach); not revised where the rows carry no marks."""
    out = pd.DataFrame({"first_published": np.nan, "first_date": "", "revised_in": ""}, index=places.index)
    if rows is None or rows.empty or not revised.has_marks(rows):
        return out
    t = revised.totals(rows.assign(place_id=rows["place_id"].astype(str)), "place_id", value).set_index("place_id")
    found = places["place_id"].map(t["revised"]).fillna(False).astype(bool).to_numpy()
    for c in REVISED_COLUMNS:
        col = places["place_id"].map(t[c]).to_numpy()
        out[c] = np.where(found, col, out[c].to_numpy())
    return out


def latest_population(population: pd.DataFrame, year: int | None, place_ids) -> tuple[pd.Series, int | None]:
    """CONAPO population of each place in `year` (or the latest year up to 2020 when None)."""
    if population is None or population.empty:
        return pd.Series(dtype=float), None
    rows = population[population["place_id"].isin(place_ids)]
    if year is None or not (rows["year"] == year).any():
        years = rows["year"][rows["year"] <= 2020]
        if years.empty:
            return pd.Series(dtype=float), None
        year = int(years.max())
    pop = rows[rows["year"] == year].groupby("place_id")["population"].sum().astype(float)
    return pop, int(year)


def city_mpp(reported: pd.DataFrame, place_ids) -> pd.DataFrame:
    """Per city, the reported 'people returned under MPP' figure that leads by the rule (aggregates/lead.py),
    with its qualifier and source, and the others in words with the reason each did not lead (`others`).

    Only metric ``mpp_returned`` placed on the city itself: court cases by hearing location (ports)
    and INM entries are other definitions and are not used."""
    cols = ["place_id", "value", "qualifier", "publisher", "when", "when_basis", "definition", "url", "others"]
    if reported is None or reported.empty:
        return pd.DataFrame(columns=cols)
    rows = reported[(reported["metric"] == "mpp_returned") & reported["place_id"].isin(place_ids)]
    out = []
    for pid, group in rows.groupby("place_id", sort=True):
        chosen = lead.choose(group)
        best = chosen.lead
        out.append({"place_id": pid, "value": float(best["value"]), "qualifier": best["qualifier"],
                    "publisher": best["publisher"], "when": best["lead_date"],
                    "when_basis": best["lead_date_basis"], "definition": best["definition"],
                    "url": best["url"], "others": lead.other_words(chosen.others, _in_words)})
    return pd.DataFrame(out, columns=cols)


def _in_words(figure: dict) -> str:
    return qualified(float(figure["value"]), str(figure["qualifier"] or "exact"))


def _years_mask(dates: pd.Series, years: tuple[int | None, int | None]) -> pd.Series:
    lo, hi = years
    mask = pd.Series(True, index=dates.index)
    if lo is not None:
        mask &= dates.dt.year >= lo
    if hi is not None:
        mask &= dates.dt.year <= hi
    return mask.fillna(False)


def deaths_near(deaths: pd.DataFrame, layer: str, years: tuple[int | None, int | None],
                place_ids, km: float = NEAR_KM) -> pd.DataFrame:
    """place_id, deaths: dead plus missing (IOM) or remains (Pima County) whose nearest border city is
    this one, within `km`. Cities outside a dataset's area get NaN (no data), not zero."""
    dataset = DEATH_DATASETS.get(layer, DEATH_DATASETS["iom"])
    out = pd.DataFrame({"place_id": list(place_ids)})
    if deaths is None or deaths.empty or not (deaths["dataset"] == dataset).any():
        out["deaths"] = np.nan
        return out
    rows = deaths[(deaths["dataset"] == dataset) & (deaths["distance_km"] <= km)]
    rows = rows[_years_mask(rows["date"], years)]
    people = rows["dead"].fillna(0).astype(float) + rows["missing"].fillna(0).astype(float)
    sums = people.groupby(rows["nearest_place_id"]).sum()
    out["deaths"] = out["place_id"].map(sums).fillna(0.0).astype(float)
    if revised.has_marks(rows):  # the incidents' dead and missing as first published (revised.attach_sum)
        part = _revised_by_place(rows.assign(place_id=rows["nearest_place_id"]), "people", out)
        out = out.assign(**{f"deaths_{c}": part[c].to_numpy() for c in REVISED_COLUMNS})
    if dataset == DEATH_DATASETS["pcome"]:
        outside = ~out["place_id"].str[:2].isin(PCOME_STATES)
        out.loc[outside, "deaths"] = np.nan
        if "deaths_revised_in" in out:
            out.loc[outside, "deaths_revised_in"] = ""
    return out


def death_points(deaths: pd.DataFrame, layer: str,
                 years: tuple[int | None, int | None] = (None, None)) -> tuple[pd.DataFrame, int]:
    """Incidents of one dataset (never both) with coordinates, and how many have none.

    Columns: lon, lat (float32, rounded to 0.001°), date (YYYY-MM-DD), dead, missing, cause."""
    cols = ["lon", "lat", "date", "dead", "missing", "cause"]
    dataset = DEATH_DATASETS.get(layer)
    if dataset is None or deaths is None or deaths.empty:
        return pd.DataFrame(columns=cols), 0
    rows = deaths[deaths["dataset"] == dataset]
    rows = rows[_years_mask(rows["date"], years)]
    located = rows.dropna(subset=["lat", "lon"])
    out = pd.DataFrame({
        "lon": located["lon"].astype(float).round(3).astype("float32").to_numpy(),
        "lat": located["lat"].astype(float).round(3).astype("float32").to_numpy(),
        "date": located["date"].dt.strftime("%Y-%m-%d").fillna(_("date unknown")).to_numpy(),
        "dead": located["dead"].fillna(0).astype(int).to_numpy(),
        "missing": located["missing"].fillna(0).astype(int).to_numpy(),
        "cause": located["cause"].fillna("").astype(str).replace("", _("not stated")).to_numpy(),
    })
    return out, int(len(rows) - len(located))


def year_span(deaths: pd.DataFrame, layer: str) -> tuple[int | None, int | None]:
    dataset = DEATH_DATASETS.get(layer, DEATH_DATASETS["iom"])
    if deaths is None or deaths.empty:
        return None, None
    dates = deaths.loc[deaths["dataset"] == dataset, "date"].dropna()
    if dates.empty:
        return None, None
    return int(dates.min().year), int(dates.max().year)


def city_official(places: pd.DataFrame, enrollments: pd.DataFrame, place_ids) -> pd.DataFrame:
    """Per border city, CBP's MPP enrolments at its paired sector and at its paired field office over the months CBP
    published (one page per month): place_id, off_sector, off_sector_name, off_office, off_office_name, off_span,
    off_shared (the other border cities paired with the same sector, by name). Processed there, not in the city."""
    names = place_groups.short_names(places)
    full = places.set_index("place_id")["name"].astype(str).to_dict()
    shared = mpp_agg.shared_areas(places, place_ids)
    rows = []
    for pid in place_ids:
        sector, office = mpp_agg.paired(places, pid)
        s, o = mpp_agg.area_monthly(enrollments, sector), mpp_agg.area_monthly(enrollments, office)
        months = list(s.index) + list(o.index)
        others = [names.get(c) or full.get(c, c) for c in shared.get(sector, []) if c != pid]
        rows.append({"place_id": pid, "off_sector": float(s.sum()) if not s.empty else np.nan,
                     "off_sector_name": _("{name} sector").format(name=full.get(sector, sector)) if sector else "",
                     "off_office": float(o.sum()) if not o.empty else np.nan,
                     "off_office_name": _("{name} field office").format(name=full.get(office, office))
                     if office else "",
                     "off_span": mpp_agg.span_words((min(months), max(months))) if months else "",
                     "off_shared": mpp_agg.listed(others)})
    return pd.DataFrame(rows, columns=["place_id", "off_sector", "off_sector_name", "off_office", "off_office_name",
                                       "off_span", "off_shared"])


def official_words(row) -> str:
    """'3,057 at El Paso sector (+208 at El Paso field office); shared with Reynosa' for a city's row."""
    if pd.isna(row["off_sector"]):
        return _("no data")
    text = _("{n} at {sector}").format(n=fmt(row["off_sector"]), sector=row["off_sector_name"])
    if pd.notna(row.get("off_office")):
        text += " " + _("(and {n} at {office})").format(n=fmt(row["off_office"]), office=row["off_office_name"])
    if row.get("off_shared"):
        text += "; " + _("sector shared with {cities}").format(cities=row["off_shared"])
    return text


def city_frame(places: pd.DataFrame, homicides: pd.DataFrame, population: pd.DataFrame,
               reported: pd.DataFrame, deaths: pd.DataFrame, *, layer: str = "iom",
               years: tuple[int | None, int | None] = (None, None),
               enrollments: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """One row per border city with every metric (NaN when unknown) and the periods they cover."""
    cities = border_cities(places)
    ids = tuple(cities["place_id"])
    year = last_full_year(homicides, ids)
    hom = city_homicides(homicides, population, year, ids)
    pop, pop_year = latest_population(population, year, ids)
    mpp = city_mpp(reported, ids).set_index("place_id")
    dlayer = layer if layer in DEATH_DATASETS else "iom"
    near = deaths_near(deaths, dlayer, years, ids)
    out = cities.copy()
    out["population"] = out["place_id"].map(pop).astype(float)
    if revised.has_marks(population) and pop_year is not None:  # the year shown, as first published
        part = _revised_by_place(population[(population["year"] == pop_year) & population["place_id"].isin(ids)],
                                 "population", out)
        out = out.assign(**{f"population_{c}": part[c].to_numpy() for c in REVISED_COLUMNS})
    out = out.merge(hom[["place_id", "homicides", "rate"] + [c for c in hom.columns
                                                           if c.startswith(("homicides_", "rate_"))]],
                    on="place_id", how="left")
    for col in ["value", "qualifier", "publisher", "when", "when_basis", "definition", "url", "others"]:
        out["mpp_" + col] = out["place_id"].map(mpp[col]) if col in mpp else np.nan
    out["mpp_value"] = out["mpp_value"].astype(float)
    out = out.merge(near, on="place_id", how="left")
    out = out.merge(city_official(places, enrollments if enrollments is not None else pd.DataFrame(), ids),
                    on="place_id", how="left")
    meta = {"homicide_year": year, "population_year": pop_year, "deaths_layer": dlayer,
            "deaths_years": years}
    return out, meta


def metric_values(cities: pd.DataFrame, metric: str, meta: dict) -> pd.DataFrame:
    """place_id, name, admin1, lat, lon, value (NaN = no data), shown (text), reason (why no data)."""
    col = {"population": "population", "homicides": "homicides", "homicide_rate": "rate",
           "mpp_returned": "mpp_value", "deaths_50km": "deaths", "mpp_enrolled_official": "off_sector"}[metric]
    out = cities[["place_id", "name", "admin1", "lat", "lon", "colour", "label_position"]].copy()
    out["value"] = cities[col].astype(float)
    for c in REVISED_COLUMNS:  # what the value was first published as (empty: not revised)
        have = f"{col}_{c}" in cities.columns
        out[c] = cities[f"{col}_{c}"].to_numpy() if have else (np.nan if c == "first_published" else "")
    out["revised_in"] = out["revised_in"].fillna("")
    out["first_date"] = out["first_date"].fillna("")
    if metric == "mpp_returned":
        out["shown"] = [qualified(v, q) if pd.notna(v) else _("no data")
                        for v, q in zip(cities["mpp_value"], cities["mpp_qualifier"].fillna("exact"))]
    elif metric == "mpp_enrolled_official":
        out["shown"] = [official_words(r) for _i, r in cities.iterrows()]
    else:
        out["shown"] = [fmt(round(v, 1)) if pd.notna(v) else _("no data") for v in out["value"]]
    reasons = {
        "population": _("no CONAPO population for this city"),
        "homicides": _("no complete year of INEGI homicides") if meta.get("homicide_year") is None
        else _("no INEGI homicides for {year}").format(year=meta.get("homicide_year")),
        "homicide_rate": _("no homicides or no population for the year"),
        "mpp_returned": _("no reported figure of people returned to this city"),
        "mpp_enrolled_official": _("no CBP enrolment table for its paired sector"),
        "deaths_50km": _("outside the Pima County medical examiner's area (southern Arizona)")
        if meta.get("deaths_layer") == "pcome" else _("no incident data loaded"),
    }
    out["reason"] = np.where(out["value"].isna(), reasons[metric], "")
    return out
