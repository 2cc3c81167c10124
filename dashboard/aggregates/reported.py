"""Reported figures (news and NGO reports): filtering, grouping by definition, per-capita values.

Pure functions on the `reported_figures` table (and `places`, `population`). A figure is never
added to another: every row stays a row, with its own qualifier, definition and quote.
"""
from __future__ import annotations

import unicodedata

import pandas as pd

from .. import data_access, i18n
from ..i18n import N_, _
from . import lead as lead_rule
from . import mpp as mpp_agg
from ..vocabulary import COUNTED_BY_WORDS, QUALIFIER_MARKS, REPORT_KIND_WORDS, marked, qualified

BORDER_WIDE = "border"  # the place filter's value for figures that name no place
MAX_QUERY = 100

METRIC_LABELS = {
    "mpp_returned": N_("People returned to Mexico under MPP"),
    "mpp_enrolled": N_("People placed in MPP"),
    "mpp_court_cases": N_("MPP immigration court cases"),
    "mpp_pending_cases": N_("Pending MPP court cases"),
    "asylum_waitlist": N_("People on an asylum waiting list"),
    "people_sheltered": N_("People in a camp or shelter"),
    "people_displaced": N_("People displaced"),
    "encounters": N_("Apprehensions, encounters and expulsions"),
    "homicides": N_("People killed"),
    "kidnappings": N_("Kidnappings"),
    "violent_attacks": N_("Violent attacks on people under MPP"),
    "deaths": N_("Deaths"),
    "vehicles_burned": N_("Vehicles burned"),
    "other": N_("Other counts"),
}

METRIC_MEANINGS = {
    "mpp_returned": N_("People sent back to Mexico to wait for their U.S. immigration hearings, as counted by DHS, "
                    "Mexico's government or the reporting organisation (each figure names who counted)."),
    "mpp_enrolled": N_("People placed in the MPP programme since it began, including those not (yet) returned."),
    "mpp_court_cases": N_("MPP cases in the U.S. immigration courts (EOIR records, counted by TRAC), placed at the "
                       "U.S. port or court where the hearing is held, not at a Mexican city."),
    "mpp_pending_cases": N_("MPP cases still open in the U.S. immigration courts, as reported."),
    "asylum_waitlist": N_("People on an informal list waiting to ask for asylum at a port of entry (metering)."),
    "people_sheltered": N_("People living or staying in a camp, an encampment or a shelter, as reported."),
    "people_displaced": N_("People who left their homes, as reported."),
    "encounters": N_("Apprehensions, encounters, detentions and expulsions of migrants by border or migration "
                     "authorities, as reported (the official monthly counts are on the Encounters page)."),
    "kidnappings": N_("Kidnappings, or people kidnapped, as reported."),
    "homicides": N_("People killed, as reported in a news story (not INEGI's death-certificate counts)."),
    "violent_attacks": N_("Publicly reported attacks (murder, rape, kidnapping, assault) on people returned under MPP."),
    "deaths": N_("Deaths, as reported."),
    "vehicles_burned": N_("Vehicles set on fire, as reported."),
    "other": N_("Counts that fit no other metric (people who crossed, deportations outside MPP...)."),
}



def metric_label(metric: str) -> str:
    """A metric in words, in the reader's language (an unknown metric: its id, made readable)."""
    return _(METRIC_LABELS[metric]) if metric in METRIC_LABELS else str(metric).replace("_", " ").capitalize()


def metric_meaning(metric: str) -> str:
    """What a metric counts (the definition of the measure), in the reader's language."""
    return _(METRIC_MEANINGS[metric]) if metric in METRIC_MEANINGS else ""


def _empty(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == ""


def definition_words(figure) -> str:
    """A reported figure's definition in the reader's language: the project's own words (data/reference/
    labels.csv, vocabulary figure.definition, by figure id) where it has them, else as the table carries it. The
    figure's quote is never translated."""
    published = "" if _empty(figure.get("definition")) else str(figure.get("definition"))
    return data_access.said_in("figure.definition", figure.get("figure_id"), i18n.lang(), published) \
        if published and i18n.lang() != i18n.DEFAULT else published


def notes_words(figure) -> str:
    """A reported figure's notes (the project's own words) in the reader's language, as definition_words."""
    published = "" if _empty(figure.get("notes")) else str(figure.get("notes"))
    return data_access.said_in("figure.notes", figure.get("figure_id"), i18n.lang(), published) \
        if published and i18n.lang() != i18n.DEFAULT else published


def several(place_ids) -> list[str]:
    """The place ids of a figure that covers several places together ('08;02' -> both); [] otherwise."""
    return [] if _empty(place_ids) else [p for p in str(place_ids).split(";") if p]


def place_label(place_id, places: pd.DataFrame, place_ids=None) -> str:
    """'Ciudad Juárez', 'San Ysidro (U.S. port)', 'Ciudad Juárez, Tijuana and Mexicali (together)' for a figure
    that covers several places together, 'Border-wide' for a figure that names no place."""
    if _empty(place_id):
        ids = several(place_ids)
        if ids:
            names = [place_label(p, places) for p in ids]
            return _("{places} (together)").format(places=mpp_agg.listed(names))
        return _("Border-wide")
    pid = str(place_id)
    if places is not None and not places.empty and pid in places.index:
        row = places.loc[pid]
        name = str(row["name"])
        kind = row.get("kind")
        if kind == "port":
            return _("{name} (U.S. port)").format(name=name)
        if kind == "sector":
            return _("{name} (U.S. sector)").format(name=name)
        return name
    return pid


def clean_query(text: str | None) -> str:
    """The search text as a plain substring: trimmed, at most 100 characters."""
    return " ".join(str(text or "").split())[:MAX_QUERY]


def fold(text: str) -> str:
    """Case and accents folded, so that 'juarez' finds 'Juárez'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def filter_figures(df: pd.DataFrame, *, metric: str = "", place: str = "", publisher: str = "",
                   q: str = "") -> pd.DataFrame:
    """Rows matching every filter; `q` is a case-insensitive plain substring of quote or definition
    (never a regular expression)."""
    if df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    if metric:
        mask &= df["metric"] == metric
    named = df["place_id"].astype("string").fillna("")
    together = (df["place_ids"].astype("string").fillna("") if "place_ids" in df.columns
                else pd.Series("", index=df.index, dtype="string"))
    if place == BORDER_WIDE:
        mask &= (named == "") & (together == "")
    elif place:  # the place's own figures, and figures for several places that include it (labelled as such)
        mask &= (named == place) | together.map(lambda t: place in t.split(";")).astype(bool)
    if publisher:
        mask &= df["publisher"] == publisher
    q = fold(clean_query(q))
    if q:
        text = df["quote"].fillna("").astype(str) + "\n" + df["definition"].fillna("").astype(str)
        mask &= text.map(lambda s: q in fold(s)).astype(bool)
    return df[mask.fillna(False).astype(bool)]


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def when(row) -> str:
    """The period or date a figure describes, in words."""
    start, end, as_of = _date(row.get("period_start")), _date(row.get("period_end")), _date(row.get("as_of"))
    if start and end:
        text = _("{start} to {end}").format(start=start, end=end)
    elif start:
        text = _("since {date}").format(date=start)
    elif end:
        text = _("until {date}").format(date=end)
    else:
        text = ""
    if as_of and as_of != end:
        shown = _("as of {date}").format(date=as_of)
        text = f"{text}; {shown}" if text else shown
    return text or _("period not stated")


def figure_date(row) -> pd.Timestamp | None:
    """The date a figure is placed at: as of, end of period, publication, or start of period."""
    for col in ("as_of", "period_end", "published", "period_start"):
        v = row.get(col)
        if v is not None and not pd.isna(v):
            return pd.Timestamp(v)
    return None


def date_text(row) -> str:
    """The figure's date for a chart label: as of / end of period / publication, else 'since' its start."""
    for col in ("as_of", "period_end", "published"):
        v = row.get(col)
        if v is not None and not pd.isna(v):
            return pd.Timestamp(v).date().isoformat()
    start = row.get("period_start")
    if start is not None and not pd.isna(start):
        return _("since {date}").format(date=pd.Timestamp(start).date().isoformat())
    return _("date not known")


def in_words(value, qualifier: str) -> str:
    return qualified(float(value), str(qualifier))


def chart_label(value, qualifier: str) -> str:
    """'more than 55,000', '~13,000', '1,544' — the value as drawn on the chart."""
    return marked(float(value), str(qualifier))


def provenance(counted_by, report_kind) -> str:
    """'Counted by TRAC from immigration court (EOIR) records; a copy of another report' — who counted and what
    the cited page is, in words (what the lead-figure rule reads)."""
    parts = [COUNTED_BY_WORDS.get(counted_by, "") if isinstance(counted_by, str) else "",
             REPORT_KIND_WORDS.get(report_kind, "") if isinstance(report_kind, str) else ""]
    text = "; ".join(p for p in parts if p)
    return f"{text[:1].upper()}{text[1:]}" if text else ""


def figures_list(df: pd.DataFrame, places: pd.DataFrame) -> list[dict]:
    """Groups for the page's list: one per metric, each holding one group per definition, each
    holding its figures (as plain dicts of text, ready to render as text)."""
    if df.empty:
        return []
    out = []
    order = {m: i for i, m in enumerate(METRIC_LABELS)}
    metrics = sorted(df["metric"].dropna().unique(), key=lambda m: (order.get(m, 99), m))
    for metric in metrics:
        sub = df[df["metric"] == metric]
        # the rule chooses among figures of one kind (people returned under MPP) for one place, as Compare, the
        # Map and the Overview use it; court-case figures mix monthly and cumulative counts, so none is ranked
        leads = _leads(sub, places) if metric in LEAD_METRICS else {}
        groups = []
        for definition, rows in sub.groupby(sub["definition"].fillna(""), sort=False):
            items = []
            rows = rows.assign(_rank=[leads.get(str(f), (99, ""))[0] for f in rows["figure_id"]])
            rows = rows.sort_values("_rank", kind="stable")
            for _i, r in rows.iterrows():
                published = _date(r.get("published"))
                items.append({
                    "lead": leads.get(str(r["figure_id"]), (99, ""))[1],
                    "figure_id": str(r["figure_id"]),
                    "value": in_words(r["value"], r["qualifier"]),
                    "place": place_label(r.get("place_id"), places, r.get("place_ids")),
                    "when": when(r),
                    "quote": "" if pd.isna(r.get("quote")) else str(r["quote"]),
                    "publisher": "" if pd.isna(r.get("publisher")) else str(r["publisher"]),
                    "title": "" if pd.isna(r.get("title")) else str(r["title"]),
                    "published": published or _("publication date not known"),
                    "url": "" if pd.isna(r.get("url")) else str(r["url"]),
                    "notes": notes_words(r),
                    "counted": provenance(r.get("counted_by"), r.get("report_kind")),
                })
            shown = definition_words(rows.iloc[0]) if definition else _("(no definition given)")
            groups.append({"definition": shown, "figures": items})
        out.append({"metric": str(metric), "label": metric_label(metric),
                    "meaning": metric_meaning(metric), "groups": groups})
    return out


LEAD_METRICS = ("mpp_returned",)


def _leads(sub: pd.DataFrame, places: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """For one metric's figures: figure id -> (rank among the figures for the same place, what the lead-figure rule
    says of it), where a place has two or more figures. The rule is the one every card, cell and map value uses."""
    pid = sub["place_id"].astype(object)  # release tables keep ids as categories
    key = (sub["place_ids"].astype(object).fillna(pid) if "place_ids" in sub.columns else pid).fillna(BORDER_WIDE)
    out: dict[str, tuple[int, str]] = {}
    for _key, rows in sub.groupby(key, sort=False):
        if len(rows) < 2:
            continue
        first = rows.iloc[0]
        where = place_label(first.get("place_id"), places, first.get("place_ids"))
        for rank, (_i, r) in enumerate(lead_rule.ranked(rows).iterrows()):
            text = (_("Leads for {place} (the rule in About & method)").format(place=where) if rank == 0 else
                    _("Not the lead for {place}: {reason}").format(place=where, reason=r["lead_reason"]))
            out[str(r["figure_id"])] = (rank, text)
    return out


def population_for(place_id, year: int | None, population: pd.DataFrame) -> int | None:
    """CONAPO mid-year population of a place in a year (the nearest year available), or None."""
    if population is None or population.empty or place_id is None or pd.isna(place_id) or year is None:
        return None
    rows = population[population["place_id"] == place_id]
    if rows.empty:
        return None
    years = rows["year"].astype(int)
    nearest = rows.loc[(years - int(year)).abs().idxmin()]
    value = nearest["population"]
    return None if pd.isna(value) else int(value)


def chart_rows(df: pd.DataFrame, places: pd.DataFrame, population: pd.DataFrame | None = None,
               per_capita: bool = False) -> tuple[pd.DataFrame, int]:
    """One row per figure for the chart: metric, definition, place, value (or rate per 100,000
    residents), qualifier, label, hover text. With `per_capita`, figures whose place has no
    population (border-wide figures, U.S. ports) are left out; the second value counts them."""
    cols = ["figure_id", "metric", "metric_label", "definition", "place", "value", "qualifier", "label",
            "publisher", "date", "quote"]
    if df.empty:
        return pd.DataFrame(columns=cols), 0
    rows = []
    dropped = 0
    for _i, r in df.iterrows():
        value = float(r["value"])
        date = figure_date(r)
        label = chart_label(value, r["qualifier"])
        if per_capita:
            pop = population_for(r.get("place_id"), date.year if date is not None else None, population)
            if not pop:
                dropped += 1
                continue
            value = value / pop * 100_000
            label = _("{value} per 100,000").format(
                value=f"{QUALIFIER_MARKS.get(str(r['qualifier']), '')}{i18n.number(value, 1)}")
        rows.append({
            "figure_id": str(r["figure_id"]), "metric": str(r["metric"]), "metric_label": metric_label(r["metric"]),
            "definition": definition_words(r),
            "place": place_label(r.get("place_id"), places, r.get("place_ids")), "value": value,
            "qualifier": str(r["qualifier"]),
            "label": label, "publisher": "" if pd.isna(r.get("publisher")) else str(r["publisher"]),
            "date": date_text(r),
            "quote": "" if pd.isna(r.get("quote")) else str(r["quote"]),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["metric", "place", "value"], kind="stable").reset_index(drop=True), dropped


def choices(df: pd.DataFrame, places: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """(value, label) options for the metric, place and publisher filters, from the figures present."""
    if df.empty:
        return {"metric": [], "place": [], "publisher": []}
    metrics = [(m, metric_label(m)) for m in sorted(df["metric"].dropna().unique(),
                                                      key=lambda m: list(METRIC_LABELS).index(m) if m in METRIC_LABELS else 99)]
    together = df["place_ids"].dropna() if "place_ids" in df.columns else pd.Series(dtype="string")
    named = set(df["place_id"].dropna()) | {p for t in together for p in several(t)}
    pids = sorted(named, key=lambda p: place_label(p, places))
    place_opts = [(str(p), place_label(p, places)) for p in pids if str(p)]
    if len(filter_figures(df, place=BORDER_WIDE)):
        place_opts.insert(0, (BORDER_WIDE, _("Border-wide (no city named)")))
    publishers = [(str(p), str(p)) for p in sorted(df["publisher"].dropna().unique())]
    return {"metric": metrics, "place": place_opts, "publisher": publishers}
