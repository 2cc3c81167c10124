"""Pima County Office of the Medical Examiner (PCOME) records of migrant remains recovered in
southern Arizona, as published by Humane Borders (humaneborders.info).

-> table ``migrant_deaths``, dataset ``pcome_remains``: one record per person, so
``incident_id`` = ``ML Number`` (the case number), ``date`` = ``Reporting Date``, ``lat``/``lon`` =
``Latitude``/``Longitude`` (empty -> null), ``dead`` = 1, ``missing`` = 0, ``cause`` =
``Cause of Death`` as published, and the nearest border city from the gazetteer.

PERSONAL DATA: the publisher's ``Name`` column holds the names of dead people. It is dropped
right after the file is read, before any other step; its values never reach a frame, a log or
an error message. Error messages of this adapter never quote cell values at all (a row shifted
by a stray delimiter could put part of a name in any column): they name the line and column.

:func:`redact` returns the file without its name column(s), for the fetch step to store a raw
copy without names.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import SourceError
from ..readers import LINE, Layout, decode, decompress, header_names, norm_header, pick_layout, read_delimited, \
    select, sniff_delimiter, to_number
from ..values import check_lat_lon, parse_dates
from . import Context, Parsed
from .deaths import death_records, incident_ids

DATASET = "pcome_remains"

# headers that may hold a person's name (normalised by norm_header): dropped on sight
_PERSONAL = re.compile(r"(^|\b)(name|names|nombre|nombres|decedent|deceased|surname|apellidos?)(\b|$)")

RECORDS = Layout(
    DATASET,
    columns={
        "incident_id": ["ML Number", "ML #", "Case Number"],
        "date": ["Reporting Date"],
        "lat": ["Latitude"],
        "lon": ["Longitude"],
        "cause": ["Cause of Death"],
    },
    ignore=[
        "Name",  # personal data: dropped first thing, listed here so its presence is expected
        "Sex", "Age", "Surface Management", "Location", "Location Precision", "Corridor Code", "Corridor",
        "OME Determined COD", "Condition Code", "Body Condition", "Post Mortem Interval", "State", "County",
        "UTM X", "UTM Y",
    ],
)


def is_personal(header: str) -> bool:
    """True for a header that may hold personal names ('Name', 'NAME', 'Decedent Name', 'Nombre'...)."""
    return bool(_PERSONAL.search(norm_header(header)))


def parse(path: Path, ctx: Context) -> list[Parsed]:
    try:
        return _parse(path, ctx)
    except SourceError as exc:
        raise withhold_values(exc) from None
    except (ValueError, KeyError, TypeError, IndexError) as exc:  # a library's message may quote a cell
        raise _opaque(exc, path) from None


def _opaque(exc: Exception, path: str | Path) -> SourceError:
    return SourceError(f"could not parse ({type(exc).__name__}; detail withheld: this file holds personal names)",
                       file=path)


def _parse(path: Path, ctx: Context) -> list[Parsed]:
    df = read_delimited(path)
    df = df.drop(columns=[c for c in df.columns if c != LINE and is_personal(c)])  # first thing
    layout = pick_layout(df, (RECORDS,), path)
    header = header_names(df, layout)
    rows = select(df, layout)
    del df
    lines = rows[LINE]
    incident = incident_ids(rows["incident_id"], column=header["incident_id"], lines=lines, what="case number")
    date = parse_dates(rows["date"], column=header["date"], lines=lines, allow_missing=True)
    lat = to_number(rows["lat"], column=header["lat"], lines=lines, integer=False, allow_missing=True,
                    allow_negative=True)
    lon = to_number(rows["lon"], column=header["lon"], lines=lines, integer=False, allow_missing=True,
                    allow_negative=True)
    half = lat.isna() != lon.isna()
    if half.any():
        i = half[half].index[0]
        raise SourceError("only one of latitude and longitude is given", line=int(lines[i]),
                          column=header["lat"] if lat.isna()[i] else header["lon"])
    check_lat_lon(lat, lon, column_lat=header["lat"], column_lon=header["lon"], lines=lines)
    out = death_records(ctx, dataset=DATASET, incident_id=incident, date=date, lat=lat, lon=lon, dead=1, missing=0,
                        cause=rows["cause"], lines=lines, what="case number")
    notes = [f"{len(out)} records (one per person)"]
    if date.isna().any():
        notes.append(f"{int(date.isna().sum())} records without a reporting date (date left empty)")
    if lat.isna().any():
        notes.append(f"{int(lat.isna().sum())} records without coordinates (no nearest place)")
    return [Parsed("migrant_deaths", DATASET, out, tuple(notes))]


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def withhold_values(exc: SourceError) -> SourceError:
    """The same error with every quoted value, parser detail and header text removed from its message.

    Header text is withheld too: a file served without its header row has a data row (with a
    name) where the header should be.
    """
    message = exc.message
    if message.startswith("malformed CSV"):
        message = "malformed CSV (parser detail withheld: this file holds personal names)"
    elif message.startswith("duplicate column names"):
        message = "duplicate column names in the header (header text withheld: it may be a data row)"
    else:
        message = _QUOTED.sub("<value withheld>", message)
        message = _UNEXPECTED.sub(
            lambda m: f"{len(m.group(1).split(', '))} unexpected column(s) (header text withheld: it may be a "
                      "data row if the header is missing)",
            message,
        )
    clean = SourceError(message, source=exc.source, line=exc.line, column=exc.column)
    clean.file = exc.file
    clean.args = (str(clean),)
    return clean


_UNEXPECTED = re.compile(r"unexpected column\(s\): (.*)$", re.S)


# --------------------------------------------------------------------------- redaction


def redact(data: bytes) -> bytes:
    """The CSV without its personal-name column(s), for storing a raw copy without names.

    Input: the file as downloaded (any compression, encoding, delimiter or line end that
    :func:`etl.readers.read_delimited` reads). Output: UTF-8 (no byte-order mark),
    comma-delimited, CRLF line ends (as Humane Borders serves it), minimal quoting, the
    other columns and their header spellings unchanged. A file without a name column is
    returned re-encoded the same way (so redacting twice is harmless).

    Raises :class:`SourceError` (and then nothing must be stored), never quoting a value, when
    the file cannot be parsed, when its header is not the PCOME layout (e.g. no header row: the
    first data row, names included, would pass for one), or when it has a column this module
    does not know (it could hold personal data under a new header: review it and list it in
    ``RECORDS.ignore`` or ``RECORDS.columns``).
    """
    try:
        df = read_delimited("pcome_remains.csv", data=data)
        personal = [c for c in df.columns if c != LINE and is_personal(c)]
        df = df.drop(columns=personal)
        pick_layout(df, (RECORDS,), "pcome_remains.csv")
        _, unknown = RECORDS.match(df.columns)
        if unknown:
            raise SourceError(
                f"column(s) not known to be free of personal data: {'; '.join(unknown)} "
                "(review them, then list them in etl/adapters/pcome.py RECORDS)",
                line=1,
            )
        text, _ = decode(decompress(data))
        delimiter = sniff_delimiter(text.split("\n", 1)[0])
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
        del text
        kept = [h for h in header if not is_personal(h)]
        keys = [c for c in df.columns if c != LINE]
        if [norm_header(h) for h in kept] != keys:
            raise SourceError("could not match the header to the parsed columns", line=1)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([h.replace("\ufeff", "") for h in kept])
        writer.writerows(df[keys].astype(object).itertuples(index=False, name=None))
        return out.getvalue().encode("utf-8")
    except SourceError as exc:
        raise withhold_values(exc) from None
    except (ValueError, KeyError, TypeError, IndexError, UnicodeError) as exc:
        raise _opaque(exc, "pcome_remains.csv") from None
