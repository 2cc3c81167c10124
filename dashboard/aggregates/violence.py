"""Violence page: INEGI homicides by municipality or state, and SESNSP victims by crime subtype.

INEGI (deaths registered as homicides) and SESNSP (victims in prosecutors' investigations) count
different things: they are shaped here into separate frames and never combined. Pure functions.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import data_access, i18n
from ..datasets import INEGI_MUNICIPAL, INEGI_STATE
from ..i18n import _
from . import revised

BORDER_STATES = ("02", "26", "08", "05", "19", "28")
STATES = tuple(f"{i:02d}" for i in range(1, 33))  # INEGI state codes
MUNI_DATASET = INEGI_MUNICIPAL
STATE_DATASET = INEGI_STATE
SEX_ALL = "all"


def month_ts(text: str | None) -> pd.Timestamp | None:
    return pd.Timestamp(f"{text}-01") if text else None


def homicide_counts(homicides: pd.DataFrame, level: str, place_ids) -> pd.DataFrame:
    """place_id, month, value: municipal counts from INEGI's municipal file, state counts from its state
    file (each dataset summed only within itself)."""
    if homicides is None or homicides.empty:
        return pd.DataFrame(columns=["place_id", "month", "value"])
    dataset = MUNI_DATASET if level == "municipality" else STATE_DATASET
    rows = homicides[(homicides["dataset"] == dataset) & homicides["place_id"].isin(list(place_ids))]
    if revised.has_marks(rows):  # what each month was first published as (aggregates.revised)
        out = revised.totals(rows, ["place_id", "month"], "count").drop(columns="revised")
    else:
        out = rows.groupby(["place_id", "month"], as_index=False)["count"].sum()
    return out.rename(columns={"count": "value"}).assign(value=lambda d: d["value"].astype(float))


def place_population(population: pd.DataFrame, level: str, place_ids) -> pd.DataFrame:
    """place_id, year, population: CONAPO's municipal figure, or for a state the sum of its
    municipalities' figures that year."""
    if population is None or population.empty:
        return pd.DataFrame(columns=["place_id", "year", "population"])
    marked = revised.has_marks(population)
    pop = population[["place_id", "year", "population"]
                     + ([revised.FIRST, revised.FIRST_DATE, revised.REVISED_IN] if marked else [])]
    if level == "state":
        pop = pop.assign(place_id=pop["place_id"].str[:2])
    pop = pop[pop["place_id"].isin(list(place_ids))]
    if marked:  # a state's population was first published as the sum of its municipalities' (aggregates.revised)
        out = revised.totals(pop, ["place_id", "year"], "population").drop(columns="revised")
    else:
        out = pop.groupby(["place_id", "year"], as_index=False)["population"].sum()
    return out.assign(year=out["year"].astype(int), population=out["population"].astype(float))


def in_range(frame: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame["month"] >= start
    if end is not None:
        mask &= frame["month"] <= end
    return frame[mask]


def series(counts: pd.DataFrame, population: pd.DataFrame, *, measure: str, freq: str,
           start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> tuple[pd.DataFrame, list[str]]:
    """place_id, period, value (count, or per 100,000 residents: NaN where the population is unknown).

    Annual values are kept only for years with all 12 months in the data and in the chosen range;
    the years left out are named in the notes returned."""
    notes: list[str] = []
    if measure == "rate" and "revised_in" in population.columns and "revised_in" not in counts.columns:
        counts = counts.assign(first_published=float("nan"), first_date="", revised_in="")  # a revised population
    rows = in_range(counts, start, end)
    marked = "revised_in" in rows.columns  # homicide_counts / victim_counts of marked rows (aggregates.revised)
    cols = ["place_id", "period", "value"] + (list(REVISED_COLUMNS) if marked else [])
    if rows.empty:
        return pd.DataFrame(columns=cols), notes
    if freq == "year":
        rows = rows.assign(year=rows["month"].dt.year)
        g = rows.groupby(["place_id", "year"]).agg(value=("value", "sum"), months=("month", "nunique")).reset_index()
        if marked:  # a year of months: first published as its months were
            t = revised.totals(revised.as_rows(rows, "value"), ["place_id", "year"], "value")
            g = g.merge(t.drop(columns=["value", "revised"]), on=["place_id", "year"], how="left")
        partial = sorted(set(g.loc[g["months"] < 12, "year"]))
        if partial:
            notes.append(_("Years with fewer than 12 months in the data or the chosen range are left out: "
                           "{years}.").format(years=", ".join(str(y) for y in partial)))
        g = g[g["months"] == 12]
        g["period"] = pd.to_datetime(g["year"].astype(str) + "-01-01")
        out = g[["place_id", "year", "period", "value"] + (list(REVISED_COLUMNS) if marked else [])]
    else:
        out = rows.assign(year=rows["month"].dt.year, period=rows["month"])[
            ["place_id", "year", "period", "value"] + (list(REVISED_COLUMNS) if marked else [])]
    if measure == "rate":
        pop = population.set_index(["place_id", "year"]) if not population.empty else \
            pd.DataFrame({"population": pd.Series(dtype=float)})
        keys = pd.MultiIndex.from_arrays([out["place_id"], out["year"].astype(int)])
        people = pd.Series(pop["population"].reindex(keys).to_numpy(), index=out.index, dtype=float)
        if marked:  # a rate is revised when its count or its population is
            den = pd.DataFrame({"population": people}, index=out.index)
            for c in REVISED_COLUMNS:
                den[c] = pop[c].reindex(keys).to_numpy() if c in pop.columns else ("" if c != "first_published"
                                                                                   else float("nan"))
            out = out.assign(**revised.ratio_columns(out, "value", den, "population", 100_000))
        out = out.assign(value=out["value"] / people * 100_000)
        if people.isna().any():
            years = sorted(set(out.loc[people.isna(), "year"]))
            notes.append(_("No CONAPO population for {first}–{last}: no rate for those years.").format(
                first=years[0], last=years[-1]) if len(years) > 1
                else _("No CONAPO population for {year}: no rate for it.").format(year=years[0]))
    return out[cols].sort_values(["place_id", "period"]).reset_index(drop=True), notes


REVISED_COLUMNS = ("first_published", "first_date", "revised_in")


def prepare_victims(victims: pd.DataFrame) -> pd.DataFrame:
    """SESNSP victims summed over modality and age band: place_id, month, subtype, sex, value (small enough
    to filter per request). Every dimension is categorical."""
    if victims is None or victims.empty:
        return pd.DataFrame(columns=["place_id", "month", "subtype", "sex", "value"])
    if revised.has_marks(victims):  # what each was first published as (aggregates.revised)
        g = revised.totals(victims, ["place_id", "month", "subtype", "sex"], "victims").drop(columns="revised")
        g["victims"] = g["victims"].fillna(0.0)  # as the plain sum counts a combination with no value
    else:
        g = victims.groupby(["place_id", "month", "subtype", "sex"], observed=True, as_index=False)["victims"].sum()
    g = g.rename(columns={"victims": "value"})
    for col in ("place_id", "subtype", "sex"):
        g[col] = g[col].astype(str).astype("category")
    g["value"] = g["value"].astype(float)
    return g


def subtypes(prepared: pd.DataFrame) -> list[str]:
    return sorted(prepared["subtype"].cat.categories) if not prepared.empty else []


def subtype_label(subtype) -> str:
    """A SESNSP crime subtype as a reader sees it: as SESNSP publishes it (Spanish), with its English label beside it
    on English pages ('Homicidio doloso (intentional homicide)'; data/reference/labels.csv)."""
    return data_access.label_beside("subtype", subtype, i18n.lang())


def victim_counts(prepared: pd.DataFrame, states, subtype: str | None, sex: str) -> pd.DataFrame:
    """place_id, month, value: SESNSP victims of one subtype (or every subtype when None), one sex or all."""
    if prepared.empty:
        return pd.DataFrame(columns=["place_id", "month", "value"])
    mask = prepared["place_id"].isin(list(states))
    if subtype is not None:
        mask &= prepared["subtype"] == subtype
    if sex != SEX_ALL:
        mask &= prepared["sex"] == sex
    rows = prepared[mask]
    if "revised_in" in rows.columns:  # a month of several subtypes or sexes: as its parts were first published
        return revised.totals(revised.as_rows(rows.assign(place_id=rows["place_id"].astype(str)), "value"),
                              ["place_id", "month"], "value").drop(columns="revised")
    out = rows.groupby([rows["place_id"].astype(str), "month"], as_index=False)["value"].sum()
    return out


def by_subtype(prepared: pd.DataFrame, population: pd.DataFrame, states, sex: str, *, measure: str,
               start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    """place_id, subtype, value: victims over the period, or per 100,000 residents (the mean of the
    period's yearly populations)."""
    if prepared.empty:
        return pd.DataFrame(columns=["place_id", "subtype", "value"])
    mask = prepared["place_id"].isin(list(states))
    if sex != SEX_ALL:
        mask &= prepared["sex"] == sex
    rows = in_range(prepared[mask], start, end)
    if rows.empty:
        return pd.DataFrame(columns=["place_id", "subtype", "value"])
    marked = "revised_in" in rows.columns
    if marked:  # the period's months of a subtype, as they were first published (aggregates.revised)
        out = revised.totals(revised.as_rows(rows.assign(place_id=rows["place_id"].astype(str),
                                                         subtype=rows["subtype"].astype(str)), "value"),
                             ["place_id", "subtype"], "value").drop(columns="revised")
    else:
        out = rows.groupby([rows["place_id"].astype(str), rows["subtype"].astype(str)], as_index=False)["value"].sum()
    if measure == "rate":
        years = set(rows["month"].dt.year)
        pops = population[population["year"].isin(years)]
        pop = pops.groupby("place_id")["population"].mean()
        if marked or "revised_in" in pops.columns:  # a rate is revised when its count or a year's population is
            if not marked:
                out = out.assign(first_published=float("nan"), first_date="", revised_in="")
            den = _mean_population(pops).reindex(out["place_id"]).set_axis(out.index)
            out = out.assign(**revised.ratio_columns(out, "value", den.fillna({"revised_in": "", "first_date": ""}),
                                                     "population", 100_000))
        out["value"] = out["value"] / out["place_id"].map(pop).astype(float) * 100_000
    return out


def _mean_population(pops: pd.DataFrame) -> pd.DataFrame:
    """Per place: the mean of its years' populations now and as first published (place_population's revised
    columns), with the dates of the revised years."""
    mean = pops.groupby("place_id")["population"].mean()
    if "revised_in" not in pops.columns:
        return pd.DataFrame({"population": mean, "first_published": float("nan"), "first_date": "", "revised_in": ""})
    rev = pops["revised_in"].fillna("").astype(str) != ""
    work = pops.assign(_first=pops["first_published"].where(rev, pops["population"]), _rev=rev,
                       _on=pops["first_date"].where(rev, None), _in=pops["revised_in"].where(rev, None))
    g = work.groupby("place_id")
    out = pd.DataFrame({"population": mean, "first_published": g["_first"].mean(), "first_date": g["_on"].min(),
                        "revised_in": g["_in"].max(), "_any": g["_rev"].any()})
    out["first_published"] = out["first_published"].where(out["_any"])
    out["first_date"] = out["first_date"].where(out["_any"], "")
    out["revised_in"] = out["revised_in"].where(out["_any"], "")
    return out.drop(columns="_any")


def states_of(place_ids) -> list[str]:
    return list(dict.fromkeys(str(p)[:2] for p in place_ids))


def period_text(frame: pd.DataFrame, freq: str) -> str:
    if frame.empty:
        return ""
    lo, hi = frame["period"].min(), frame["period"].max()
    say = (lambda t: f"{t:%Y}") if freq == "year" else i18n.month_abbr  # noqa: E731
    return f"{say(lo)}–{say(hi)}" if lo != hi else say(lo)


def valid_places(level: str, border_cities: Sequence[str] = ()) -> tuple[str, ...]:
    """The places a level offers: the border cities (given, from the places table) or the 32 states."""
    return tuple(border_cities) if level == "municipality" else STATES


def default_places(level: str, mpp_cities: Sequence[str] = ()) -> list[str]:
    """The default selection: the MPP receiving cities (given, from the places table) or the border states."""
    return list(mpp_cities) if level == "municipality" else list(BORDER_STATES)

