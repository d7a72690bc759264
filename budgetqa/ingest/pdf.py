"""Reading a PDF into pages: every page's text (pypdfium2, ~1 ms a page) and, for the pages that hold
tables, their cells by ruling lines and positions (pdfplumber, the slow part: it is asked only for those).

A table is a list of rows; a row keeps its 1-based position in the table as printed on its page, so every
figure can be traced back to "第N页 … 第M行".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

PDF_MAGIC = b"%PDF"


class PdfError(ValueError):
    """A PDF that cannot be opened or has no text."""


@dataclass
class PdfRow:
    page: int  # 1-based page number
    row: int  # 1-based row of the table on that page (header rows counted)
    cells: list[str]

    def cell(self, i: int) -> str:
        return self.cells[i] if i < len(self.cells) else ""


@dataclass
class PdfTable:
    page: int
    rows: list[PdfRow] = field(default_factory=list)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(PDF_MAGIC)


def page_texts(data: bytes) -> list[str]:
    """The text of every page, in the order the PDF draws it (lines separated by newlines)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise PdfError(f"无法打开PDF（{e}）") from None
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def cell_text(c: str | None) -> str:
    """A cell as one string: lines a long cell wrapped onto are joined (no space: Chinese text)."""
    if c is None:
        return ""
    return "".join(part.strip() for part in c.splitlines()).strip()


def page_tables(data: bytes, pages: Iterable[int]) -> dict[int, list[PdfTable]]:
    """The tables on the given 1-based pages, found by their ruling lines (the published tables are ruled)."""
    import io

    import pdfplumber

    out: dict[int, list[PdfTable]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n in pages:
            page = pdf.pages[n - 1]
            tables = []
            for raw in page.extract_tables():
                t = PdfTable(n)
                for i, r in enumerate(raw, start=1):
                    t.rows.append(PdfRow(n, i, [cell_text(c) for c in r]))
                tables.append(t)
            out[n] = tables
            page.flush_cache()
    return out
