"""XLSX layout of incentive statements for payroll: rows in, workbook bytes out.

Numbers stay numbers and dates dates (payroll sums and filters them); the last row totals the
amount column.

>>> from datetime import date
>>> data = workbook(["Who", "Start", "Amount"], [["Li", date(2026, 1, 1), 12.5], ["Wu", date(2026, 1, 1), 7.5]])
>>> data[:2]
b'PK'
"""

import io

import xlsxwriter

from .xlsx_writer import standard_formats, write_value


def workbook(headers, rows, sheet="Statements", total_column=None):
    """An XLSX workbook (bytes) of one sheet: a bold header row, ``rows`` below it, and a
    total of ``total_column`` (index; by default the last numeric column of the first row)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    ws = book.add_worksheet(sheet[:31])
    formats = standard_formats(book)
    number = formats["number"]
    ws.write_row(0, 0, headers, book.add_format({"bold": True, "bottom": 1}))
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            write_value(ws, r, c, "" if value is None else value, formats)
    if rows:
        if total_column is None:
            numeric = [c for c, v in enumerate(rows[0]) if isinstance(v, (int, float)) and not isinstance(v, bool)]
            total_column = numeric[-1] if numeric else None
        if total_column is not None:
            ws.write_number(len(rows) + 1, total_column, sum(row[total_column] for row in rows), number)
    ws.set_column(0, max(len(headers) - 1, 0), 16)
    book.close()
    return output.getvalue()

