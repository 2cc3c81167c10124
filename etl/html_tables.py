"""Tables of a web page, each with the text that precedes it: what an adapter of a statistics page needs to find
a table by its heading and read it by its header text, whatever the markup around them (stdlib html.parser only).

``page_tables(text)`` returns the page's title, its text blocks (headings, paragraphs...) and its tables in page
order. Each table's cells are plain text (whitespace collapsed) on a rectangular grid: a cell spanning rows
(``rowspan``) is repeated on every row it spans, a cell spanning columns (``colspan``) is written in its first
column and the others are empty. A table nested in a table is read as the text of its cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# elements whose start or end separates two blocks of text
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "section", "article", "header",
           "footer", "main", "nav", "blockquote", "dt", "dd", "hr", "body", "title"}
_SKIP = {"script", "style", "noscript", "template"}


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@dataclass
class Table:
    number: int  # 1-based position among the page's tables
    caption: str
    before: tuple[str, ...]  # the text blocks between the previous table and this one, nearest first
    rows: list[list[str]]


@dataclass
class Page:
    title: str
    blocks: list[str]  # every text block outside tables, in page order
    tables: list[Table] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.blocks: list[str] = []
        self.tables: list[Table] = []
        self._buf: list[str] = []
        self._skip = 0
        self._depth = 0  # table nesting
        self._since: list[str] = []  # blocks since the last table ended
        self._rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._caption: list[str] | None = None
        self._in_title = False

    # ---- text outside tables
    def _flush(self) -> None:
        text = clean("".join(self._buf))
        self._buf = []
        if text:
            self.blocks.append(text)
            self._since.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag == "table":
            if self._depth == 0:
                self._flush()
                self._rows, self._caption = [], None
            self._depth += 1
            return
        if self._depth == 1:
            if tag == "tr":
                self._end_cell()
                self._rows.append([])
            elif tag in ("td", "th"):
                self._end_cell()
                a = dict(attrs)
                self._cell, self._span = [], (_int(a.get("rowspan")), _int(a.get("colspan")))
            elif tag == "caption":
                self._caption = []
            elif tag == "br" and self._cell is not None:
                self._cell.append(" ")
        elif self._depth == 0 and tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
        if tag == "table" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self._end_cell()
                self.tables.append(Table(len(self.tables) + 1, clean("".join(c for c in self._caption or [] if c != "\x00")),
                                         tuple(reversed(self._since)), _grid(self._rows)))
                self._since = []
            return
        if self._depth == 1:
            if tag in ("td", "th", "tr"):
                self._end_cell()
            elif tag == "caption" and self._caption is not None:
                self._caption = list(self._caption) + ["\x00"]  # closed: later text is not the caption
        elif self._depth == 0 and tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if self._depth:
            if self._cell is not None:
                self._cell.append(data)
            elif self._caption is not None and "\x00" not in self._caption:
                self._caption.append(data)
            return
        self._buf.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None:
            if not self._rows:
                self._rows.append([])
            self._rows[-1].append((clean("".join(self._cell)), *self._span))
            self._cell = None

    def close(self):
        super().close()
        self._flush()


def _int(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, rowspan, colspan) cells -> a rectangular grid of texts."""
    out: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for cells in rows:
        row: list[str] = []
        col = 0

        def fill_pending() -> None:
            nonlocal col
            while col in pending:
                text, left = pending[col]
                row.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                else:
                    del pending[col]
                col += 1

        for text, rowspan, colspan in cells:
            fill_pending()
            for k in range(colspan):
                row.append(text if k == 0 else "")
                if rowspan > 1:
                    pending[col] = (text if k == 0 else "", rowspan - 1)
                col += 1
        fill_pending()
        if cells:
            out.append(row)  # rows keep their own length: a row short of cells is the reader's to report
    return out


def page_tables(text: str) -> Page:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return Page(clean(parser.title), parser.blocks, parser.tables)
