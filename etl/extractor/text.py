"""Article text: HTML to plain text, accent folding that keeps offsets, sentences with their spans."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
              "section", "article", "header", "footer", "blockquote", "figcaption", "title", "table", "hr"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or bool(
        re.search(r"<(p|div|article|body|html)[\s>]", head)
    )


def html_to_text(html: str) -> str:
    """Visible text of a page: scripts, styles and the head dropped; block elements become line breaks."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = re.sub(r" *\n[ \n]*", "\n\n", text)
    return text.strip()


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (offsets stay valid)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)) or ch
    low = base.lower()
    return low[0] if low else ch


ABBREVIATIONS = {
    "u.s", "u.n", "mr", "mrs", "ms", "dr", "sr", "sra", "lic", "gov", "gen", "sen", "rep", "st", "no", "cd", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ene", "abr", "ago", "dic", "e.g", "i.e",
    "vs", "etc", "approx", "a.m", "p.m", "inc", "co", "corp", "jr", "núm", "num", "tamps", "chih", "coah", "son",
    "b.c", "n.l", "ariz", "calif", "tex", "n.m",
}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences: split at . ! ? before a capital or opening mark, and at blank lines."""
    spans = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n" and i + 1 < n and text[i + 1] == "\n":
            _add(spans, text, start, i)
            start = i + 2
            i += 2
            continue
        if ch in ".!?":
            j = i + 1
            while j < n and text[j] in "\"'”’)»":
                j += 1
            if j >= n or text[j].isspace():
                k = j
                while k < n and text[k] in " \t":
                    k += 1
                nxt = text[k] if k < n else ""
                word = re.search(r"([\w.]+)$", text[start:i])
                abbrev = word and word.group(1).lower().rstrip(".") in ABBREVIATIONS
                if (not nxt or nxt.isupper() or nxt in "\"“¿¡'‘«(\n" or nxt.isdigit()) and not (ch == "." and abbrev):
                    _add(spans, text, start, j)
                    start = k
                    i = k
                    continue
        i += 1
    _add(spans, text, start, n)
    return spans


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
