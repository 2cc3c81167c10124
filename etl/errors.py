"""Errors the ETL raises: each names the source, the file and, where known, the line and column."""
from __future__ import annotations

from pathlib import Path


class EtlError(Exception):
    """Base class for errors reported to the user (no traceback needed)."""


class SourceError(EtlError):
    """A source's file could not be read, parsed, normalised or validated.

    ``line`` is the 1-based physical line of the file (the header is line 1 for CSV);
    for workbooks it is the 1-based row of the sheet.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.file = Path(file).name if file is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def where(self) -> str:
        parts = []
        if self.source:
            parts.append(self.source)
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def with_context(self, *, source: str | None = None, file: str | Path | None = None) -> "SourceError":
        """Fill in the source and file where the raiser did not know them."""
        if source and not self.source:
            self.source = source
        if file is not None and not self.file:
            self.file = Path(file).name
        self.args = (str(self),)
        return self

    def to_dict(self) -> dict:
        return {
            "message": self.message,
            "source": self.source,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


def more_such(count: int, noun: str) -> str:
    """' (4 more such rows)' after the message about the first of `count` bad rows (values, pairs...); '' for one."""
    return f" ({count - 1} more such {noun})" if count > 1 else ""


def first_bad(mask, noun: str = "values") -> tuple[object, str]:
    """The index of the first True of a boolean Series, and the more_such() suffix for the others: what an error
    about the first bad row of a file needs, so that it names one row and says how many more there are."""
    hits = mask[mask.fillna(False).astype(bool)].index
    return hits[0], more_such(len(hits), noun)


class FetchError(EtlError):
    """A download failed (network, HTTP status, HTML instead of data, short body).

    ``kind`` says what went wrong in one word, for `borderstats doctor` and for callers that must tell a refusal
    from an outage: ``dns`` (the host name did not resolve), ``refused`` (403 or a CDN's challenge page),
    ``moved`` (404/410), ``no_link`` (nothing on the landing page matches the pattern), ``html`` (a web page
    where a data file should be), ``network`` (connection or timeout), ``http`` (another status), ``failed``."""

    def __init__(self, message: str, *, source: str | None = None, url: str | None = None,
                 kind: str = "failed") -> None:
        self.source = source
        self.url = url
        self.kind = kind
        self.message = message
        text = message
        if url:
            text = f"{url}: {text}"
        if source:
            text = f"{source}: {text}"
        super().__init__(text)


class LockedError(EtlError):
    """Another refresh holds the lock."""
