"""An MPP statistics page in the shape of CBP's, built from the transcribed FY 2020 enrolment table of
../shared/data/real/cbp-mpp (the independent truth: CBP's figures, printed totals as CBP printed them)."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

ENROL_HEADING = "Southwest Border Enrollments in MPP"
CSV_NAME = "mpp-enrollments-fy2020-jan-sep.csv"


def read_rows(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def page_from_csv(rows: list[dict]) -> str:
    """The enrolment table of the rows: component written on the first row of its group, comma thousands."""
    months = sorted({r["month"] for r in rows})
    labels = [pd.Timestamp(m + "-01").strftime("%b-%y") for m in months]
    value = {(r["component"], r["location"], r["month"]): r["mpp_enrollments"] for r in rows}
    order = []
    for r in rows:
        key = (r["component"], r["location"])
        if key not in order:
            order.append(key)
    body, last = [], None
    for comp, loc in sorted(order, key=lambda k: (["USBP", "OFO", "CBP"].index(k[0]), "Total" in k[1])):
        cells = "".join(f"<td>{int(value[(comp, loc, m)]):,}</td>" for m in months)
        body.append(f"<tr><td>{comp if comp != last else ''}</td><td>{loc}</td>{cells}</tr>")
        last = comp
    head = "".join(f"<th>{m}</th>" for m in labels)
    return (f"<html><head><title>Migrant Protection Protocols FY 2020</title></head><body>"
            f"<h2>{ENROL_HEADING}</h2><table><tr><th>Component</th><th>Location</th>{head}</tr>"
            + "\n".join(body) + "</table></body></html>")
