"""Which reported figure leads: one rule, applied wherever a card, table cell, map value or headline shows one
figure out of several (docs/reported-figures.md, "Which figure leads"; About & method says it in words).

The rule ranks figures that count the same thing for the same place by who counted them and how the cited
page carries them (the `counted_by` and `report_kind` columns of the reported figures):

1. an official count in the counting body's own publication (DHS/CBP, INM, another Mexican authority or a
   municipal government; `report_kind` primary);
2. an analysis of official records (immigration court records, as analysed by TRAC), primary or secondary;
3. a secondary report that names an official counter;
4. a count or estimate by an NGO, an advocate or a news organisation;
5. a figure whose report names no counter;
6. a republication (a copy of another report), whatever it copies: the copy cannot be checked against the
   original's context, date or corrections.

Within a tier the newest figure leads: the date it describes (`as_of`, else the end of its period), else the
date it was published; a figure with none of these ranks after the dated ones (the project records no filing
date). The figure id breaks a remaining tie, only so that the choice is stable.

Pure: frames in, frames out. Every figure that does not lead keeps a reason in words.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..i18n import N_, _

OFFICIAL = ("dhs_cbp", "inm", "mexican_authority", "municipal_government")
TIERS = {  # tier -> what it is, in words (as the reason a figure did not lead says it); translate with tier_words
    1: N_("an official count in the counter's own publication"),
    2: N_("an analysis of official records (immigration court records, TRAC)"),
    3: N_("a report naming an official counter"),
    4: N_("a count or estimate by an NGO, advocate or news organisation"),
    5: N_("a report that names no counter"),
    6: N_("a republication of another report"),
}
# lead_date_basis keeps the English words (a language-neutral key: frames may be cached); basis_words says them
DATE_BASIS = (("as_of", "as of"), ("period_end", "period ending"), ("published", "published"))
BASIS_WORDS = {"as of": N_("as of {date}"), "period ending": N_("period ending {date}"),
               "published": N_("published {date}")}


def tier_words(t) -> str:
    """What a tier is, in the reader's language."""
    return _(TIERS[int(t)])


def basis_words(basis: str, when) -> str:
    """'as of 2019-11-30' / 'al 2019-11-30': a figure's date with what it is (lead_date_basis), in the reader's
    language; '' for an undated figure."""
    if when is None or pd.isna(when) or not basis:
        return ""
    template = BASIS_WORDS.get(str(basis))
    date = f"{pd.Timestamp(when):%Y-%m-%d}"
    return _(template).format(date=date) if template else f"{basis} {date}"


def tier(counted_by, report_kind) -> int:
    """The tier (1 strongest) of a figure counted by `counted_by` and carried by a `report_kind` page."""
    who = counted_by if isinstance(counted_by, str) and counted_by else "unknown"
    kind = report_kind if isinstance(report_kind, str) and report_kind else "secondary"
    if kind == "republication":
        return 6
    if who in OFFICIAL:
        return 1 if kind == "primary" else 3
    if who == "eoir_via_trac":
        return 2
    if who in ("ngo", "news_organisation"):
        return 4
    return 5


def _dated(row) -> tuple[pd.Timestamp | None, str]:
    for col, words in DATE_BASIS:
        v = row.get(col)
        if v is not None and v != "" and not pd.isna(v):
            return pd.Timestamp(v), words
    return None, ""


def ranked(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (candidate figures for one place and one kind of figure), strongest first, with columns
    lead_tier, lead_date (NaT when undated), lead_date_basis ('as of', 'period ending', 'published', '') and
    lead_reason ('' for the figure that leads; why not, for the others)."""
    if rows is None or rows.empty:
        out = (rows if rows is not None else pd.DataFrame()).copy()
        for c in ("lead_tier", "lead_date", "lead_date_basis", "lead_reason"):
            out[c] = pd.Series(dtype="object")
        return out
    out = rows.copy()
    counted = out["counted_by"] if "counted_by" in out.columns else pd.Series(None, index=out.index)
    kind = out["report_kind"] if "report_kind" in out.columns else pd.Series(None, index=out.index)
    out["lead_tier"] = [tier(c, k) for c, k in zip(counted, kind)]
    dated = [_dated(r) for _, r in out.iterrows()]
    out["lead_date"] = [d for d, _ in dated]
    out["lead_date_basis"] = [b for _, b in dated]
    ids = out["figure_id"].astype(str) if "figure_id" in out.columns else pd.Series(out.index.astype(str), index=out.index)
    keys = [(t, d is None, -(d.value if d is not None else 0), i)  # the dates as read: None when undated
            for t, (d, _), i in zip(out["lead_tier"], dated, ids)]
    order = sorted(range(len(out)), key=lambda n: keys[n])
    out = out.iloc[order]
    first = out.iloc[0]
    out["lead_reason"] = [""] + [reason(r, first) for _, r in out.iloc[1:].iterrows()]
    return out


def reason(row, lead) -> str:
    """Why `row` did not lead when `lead` did, in words."""
    if row["lead_tier"] != lead["lead_tier"]:
        return _("{tier}, which ranks below {lead_tier}").format(tier=tier_words(row["lead_tier"]),
                                                                  lead_tier=tier_words(lead["lead_tier"]))
    if pd.isna(row["lead_date"]):
        return _("undated, and as strong as the lead ({tier}), which is dated").format(
            tier=tier_words(row["lead_tier"]))
    if pd.notna(lead["lead_date"]) and row["lead_date"] < lead["lead_date"]:
        return _("older ({date}) than the lead ({lead_date}), both {tier}").format(
            date=basis_words(row["lead_date_basis"], row["lead_date"]),
            lead_date=basis_words(lead["lead_date_basis"], lead["lead_date"]), tier=tier_words(row["lead_tier"]))
    return _("as strong and as recent as the lead; the lead's figure id comes first")


@dataclass(frozen=True)
class Lead:
    lead: dict | None  # the figure that leads (a row as a dict, with the lead_* columns), None when there is none
    others: list[dict]  # the others, strongest first, each with its lead_reason


def choose(rows: pd.DataFrame) -> Lead:
    """The lead figure among `rows` and the others, each with the reason it did not lead."""
    r = ranked(rows)
    if r.empty:
        return Lead(None, [])
    records = r.to_dict("records")
    return Lead(records[0], records[1:])


def other_words(others: list[dict], fmt_value, first: dict | None = None) -> str:
    """'other reported figures: an estimate of 18,000 (Sputnik …, 2019-12-03): a republication …' — the others
    and why they did not lead; `fmt_value(row)` writes a figure's value with its qualifier. With `first` (the
    lead), each reason is said again in the reader's language (a Lead kept in a per-release cache holds the
    reasons in the language it was made in)."""
    parts = []
    for o in others:
        why = reason(o, first) if first is not None else o["lead_reason"]
        when = f"{o['lead_date']:%Y-%m-%d}" if pd.notna(o.get("lead_date")) else _("undated")
        parts.append(_("{value} ({publisher}, {when}): {reason}").format(
            value=fmt_value(o), publisher=o.get("publisher", ""), when=when, reason=why))
    return "; ".join(parts)
