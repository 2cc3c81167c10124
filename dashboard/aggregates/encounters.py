"""Encounters page: the monthly series of one dataset, filtered and broken down; the policy events on its time axis.

Pure functions, frames in and small tidy frames out. Totals are only ever summed within one dataset
(the publishers' files overlap: see the registry's description of each dataset).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .. import data_access, i18n
from ..datasets import ENCOUNTER_DATASETS
from ..i18n import N_, _
from . import revised

# URL parameter -> (column in the encounters table, label: translate where shown, dimension_label(param))
DIMENSIONS: dict[str, tuple[str, str]] = {
    "component": ("component", N_("Component")),
    "area": ("area_id", N_("Sector or area")),
    "citizenship": ("citizenship", N_("Citizenship")),
    "demographic": ("demographic", N_("Demographic")),
    "title": ("title_of_authority", N_("Title of authority")),
    "type": ("encounter_type", N_("Encounter type")),
}
TOP_N = 10  # a breakdown shows the largest groups; the rest are summed as "All other"
OTHER = N_("All other")
NOT_STATED = N_("(not stated)")
# Dimensions whose categories CBP publishes in English and that carry a Spanish label beside them on Spanish
# pages (data/reference/labels.csv, vocabulary = the column): the published value stays visible
LABELLED = ("component", "citizenship", "demographic", "title_of_authority", "encounter_type")


def dimension_label(param: str) -> str:
    """A filter's or breakdown's name, in the reader's language."""
    return _(DIMENSIONS[param][1]) if param in DIMENSIONS else str(param)


def category_label(param: str, label: str) -> str:
    """A category as a reader sees it: as CBP published it, with the Spanish beside it on Spanish pages where the
    label map has one ('UAC (niñas, niños y adolescentes no acompañados)'); the dashboard's own 'All other' and
    '(not stated)' in the reader's language."""
    if label in (OTHER, NOT_STATED):
        return _(label)
    column = DIMENSIONS[param][0] if param in DIMENSIONS else ""
    return data_access.label_beside(column, label, i18n.lang()) if column in LABELLED else label


def options_shown(prep: "Prepared", param: str) -> list[tuple[str, str]]:
    """prep.options[param] (code, label as published: a per-release cache keeps them language-neutral) with each
    label as the reader sees it (category_label)."""
    return [(code, category_label(param, label)) for code, label in prep.options.get(param, [])]


def slug(value: str) -> str:
    """A URL-safe code for a category ('El Salvador' -> 'el-salvador'); area ids are kept as they are."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "blank"


@dataclass
class Prepared:
    """One dataset's rows, with a code per category, ready for fast filtering."""
    dataset: str
    frame: pd.DataFrame  # month, count, is_rounded, and <param> (code) + <param>_label per dimension
    months: list[str]  # 'YYYY-MM' months the dataset covers (a row for at least one category)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # param -> [(code, label)]
    rounded: bool = False
    source_ids: tuple[str, ...] = ()
    label: str = ""  # the dataset in words, as the release describes it (its id if it does not)

    def enabled(self, param: str) -> bool:
        """A filter is meaningful when the dataset has that dimension (a non-empty value)."""
        return bool(self.options.get(param))

    def breakdowns(self) -> list[str]:
        return [p for p, opts in self.options.items() if len(opts) > 1]


def datasets_present(encounters: pd.DataFrame, order=ENCOUNTER_DATASETS) -> list[str]:
    """The datasets in the table: those the page knows in its order, then any others by id."""
    if encounters.empty:
        return []
    present = set(encounters["dataset"].dropna().unique())
    known = [d for d in order if d in present]
    return known + sorted(present - set(known))


def prepare(encounters: pd.DataFrame, dataset: str, place_names: dict[str, str] | None = None,
            label: str | None = None, marks: pd.DataFrame | None = None) -> Prepared:
    """The dataset's rows with a code and a label per dimension; the options each filter offers.
    `label` names the dataset in words (from the release's description of it); `marks`: the table's revised
    counts (aggregates.revised.table_marks), so that each row carries what it was first published as."""
    place_names = place_names or {}
    rows = encounters[encounters["dataset"] == dataset] if not encounters.empty else encounters
    out = pd.DataFrame({
        "month": pd.to_datetime(rows["month"]) if len(rows) else pd.Series(dtype="datetime64[ns]"),
        "count": pd.to_numeric(rows["count"], errors="coerce").astype("float64") if len(rows) else pd.Series(dtype="float64"),
    })
    if marks is not None and not marks.empty and len(out):
        first = revised.attach(out, marks, "count")
        if revised.has_revised(first):  # only a dataset with revised rows carries the columns (smaller, faster)
            for c in (revised.FIRST, revised.FIRST_DATE, revised.REVISED_IN):
                out[c] = first[c].to_numpy()
    options: dict[str, list[tuple[str, str]]] = {}
    for param, (col, _label) in DIMENSIONS.items():
        raw = rows[col].fillna("").astype(str) if len(rows) else pd.Series(dtype="object")
        if param == "area":
            names = rows["area_name"].fillna("").astype(str) if len(rows) else raw
            codes = raw
            labels = [place_names.get(c) or (n if n else c) for c, n in zip(raw, names)]
            labels = pd.Series(labels, index=raw.index, dtype="object")
        else:
            codes = raw.map(slug)
            labels = raw
        codes = codes.where(raw != "", "")
        out[param] = codes.values
        out[param + "_label"] = labels.values
        nonempty = out[out[param] != ""]
        if nonempty.empty:
            options[param] = []
            continue
        # options ordered by size (largest first), each code with its label
        sizes = nonempty.groupby([param, param + "_label"], sort=False)["count"].sum().sort_values(ascending=False)
        seen: dict[str, str] = {}
        for (code, label), _size in sizes.items():
            seen.setdefault(code, label)
        options[param] = list(seen.items())
    months = sorted(out["month"].dt.strftime("%Y-%m").unique().tolist()) if len(out) else []
    rounded = bool(rows["is_rounded"].fillna(False).any()) if len(rows) else False
    sources = tuple(sorted(rows["source_id"].dropna().unique())) if len(rows) else ()
    return Prepared(dataset, out.reset_index(drop=True), months, options, rounded, sources, label or dataset)


@dataclass
class Series:
    """A tidy monthly series: one row per month and group (group '' when there is no breakdown)."""
    frame: pd.DataFrame  # month, group, count (NaN = no data for that month), first_published (NaN = not
    # revised), first_date, revised_in ('' = not revised): see aggregates.revised.totals
    breakdown: str
    start: str | None
    end: str | None
    empty_reason: str | None = None

    def totals(self) -> pd.Series:
        return self.frame.groupby("month")["count"].sum(min_count=1)


def month_range(months: list[str], start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """The requested months clipped to the dataset's coverage."""
    if not months:
        return None, None
    lo, hi = months[0], months[-1]
    a = max(start, lo) if start else lo
    b = min(end, hi) if end else hi
    return a, b


def series(prep: Prepared, filters: dict[str, list[str]], start: str | None, end: str | None,
           breakdown: str = "none", top_n: int = TOP_N) -> Series:
    """Monthly counts of one dataset, filtered (an empty filter = all), optionally by a breakdown dimension.

    A month the dataset covers with no row for a group counts as zero for that group (the publishers
    leave out empty combinations); a month the dataset does not cover is no data, never zero.
    """
    breakdown = breakdown if breakdown in prep.breakdowns() else "none"
    a, b = month_range(prep.months, start, end)
    empty_cols = {"month": pd.Series(dtype="datetime64[ns]"), "group": pd.Series(dtype="object"),
                  "count": pd.Series(dtype="float64"), "first_published": pd.Series(dtype="float64"),
                  "first_date": pd.Series(dtype="object"), "revised_in": pd.Series(dtype="object")}
    if a is None:
        return Series(pd.DataFrame(empty_cols), breakdown, None, None,
                      _("no rows for {dataset} in this release").format(dataset=prep.label or prep.dataset))
    if a > b:
        return Series(pd.DataFrame(empty_cols), breakdown, a, b, _("the chosen months are outside the dataset's coverage"))
    df = prep.frame
    mask = (df["month"] >= pd.Timestamp(a + "-01")) & (df["month"] <= pd.Timestamp(b + "-01"))
    for param, codes in filters.items():
        if codes and prep.enabled(param):
            mask &= df[param].isin(list(codes))
    rows = df[mask]
    covered = [pd.Timestamp(m + "-01") for m in prep.months if a <= m <= b]
    if rows.empty:
        return Series(pd.DataFrame(empty_cols), breakdown, a, b, _("no encounters match these filters in these months"))
    if breakdown == "none":
        points = revised.totals(rows, "month", "count").set_index("month").reindex(covered)
        frame = pd.DataFrame({"month": covered})
        frame["group"] = ""
        frame["count"] = points["count"].fillna(0.0).values
        return Series(_with_revisions(frame, points), breakdown, a, b)
    label = breakdown + "_label"
    keyed = rows.assign(group=rows[label].where(rows[breakdown] != "", NOT_STATED))
    sizes = keyed.groupby("group")["count"].sum().sort_values(ascending=False)
    keep = list(sizes.index[:top_n])
    if len(sizes) > top_n:
        keyed = keyed.assign(group=keyed["group"].where(keyed["group"].isin(keep), OTHER))
        keep.append(OTHER)
    # each group as the reader sees it (category_label): the published value, the Spanish beside it on Spanish pages
    shown = {g: category_label(breakdown, g) for g in keep}
    if any(shown[g] != g for g in keep):
        keyed = keyed.assign(group=keyed["group"].map(shown))
        keep = [shown[g] for g in keep]
    index = pd.MultiIndex.from_product([covered, keep], names=["month", "group"])
    points = revised.totals(keyed, ["month", "group"], "count").set_index(["month", "group"]).reindex(index)
    frame = points[["count"]].fillna(0.0).reset_index()
    return Series(_with_revisions(frame, points), breakdown, a, b)


def _with_revisions(frame: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The series' rows with what each point was first published as (aggregates.revised.totals), aligned."""
    return frame.assign(first_published=points["first_published"].to_numpy(dtype="float64"),
                        first_date=points["first_date"].fillna("").to_numpy(dtype=object),
                        revised_in=points["revised_in"].fillna("").to_numpy(dtype=object))


def events_in_range(events: pd.DataFrame, start: str | None, end: str | None) -> pd.DataFrame:
    """Policy events that touch the displayed months, numbered in date order (the number marks them on the chart)."""
    cols = ["n", "event_id", "date", "end_date", "event", "description", "place_id", "publisher", "title", "url",
            "published"]
    if events is None or events.empty or start is None or end is None:
        return pd.DataFrame({c: [] for c in cols})
    ev = events.copy()
    ev["date"] = pd.to_datetime(ev["date"])
    ev["end_date"] = pd.to_datetime(ev["end_date"]) if "end_date" in ev else pd.NaT
    lo = pd.Timestamp(start + "-01")
    hi = pd.Timestamp(end + "-01") + pd.offsets.MonthEnd(0)
    last = ev["end_date"].fillna(ev["date"])
    ev = ev[(ev["date"] <= hi) & (last >= lo)].sort_values(["date", "event_id"]).reset_index(drop=True)
    ev.insert(0, "n", range(1, len(ev) + 1))
    for c in cols:
        if c not in ev:
            ev[c] = None
    if i18n.lang() != i18n.DEFAULT:  # the project's words for each event in the reader's language (labels.csv)
        for c in ("event", "description"):
            ev[c] = [data_access.said_in(f"event.{c}", e, i18n.lang(), t) if isinstance(t, str) and t else t
                     for e, t in zip(ev["event_id"], ev[c])]
    return ev[cols]


def span_text(start: str | None, end: str | None) -> str:
    if not start or not end:
        return ""
    fmt = lambda m: i18n.month_abbr(pd.Timestamp(m + "-01"))  # noqa: E731
    return f"{fmt(start)}–{fmt(end)}" if start != end else fmt(start)
