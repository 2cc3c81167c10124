"""`borderstats extract --explain`: every number of an article, kept or dropped, with the rule behind each
part of the figure, so a reviewer can trust a candidate or correct it."""
from __future__ import annotations

from .extract import Decision

PARTS = ("number", "noun", "measure", "qualifier", "place", "period", "check", "dropped")


def report(decisions: list[Decision]) -> str:
    """A plain-text report, one block per number in reading order."""
    lines = []
    for d in decisions:
        if d.kept and d.candidate is not None:
            c = d.candidate
            place = c.place or "no place"
            lines.append(f"KEPT     {d.number}  ->  {c.metric} · {c.qualifier} · {place}  \"{c.quote}\"")
        else:
            lines.append(f"DROPPED  {d.number}")
        for part in PARTS:
            if part in d.rules:
                lines.append(f"    {part:<10} {d.rules[part]}")
    return "\n".join(lines)
