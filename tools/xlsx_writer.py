"""What the addon's XLSX layouts share: the workbook's standard formats and one typed cell.

Numbers are written as numbers, dates as dates (Excel sorts and sums them), text as text.

>>> import io, xlsxwriter
>>> book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
>>> formats = standard_formats(book)
>>> sorted(formats)
['date', 'header', 'number', 'percent']
>>> as_datetime(__import__("datetime").date(2026, 3, 1))
datetime.datetime(2026, 3, 1, 0, 0)
"""

from datetime import datetime

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def standard_formats(book):
    """The formats of a header cell, a date, an amount and a percentage, added to ``book``."""
    return {
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "number": book.add_format({"num_format": "#,##0.00"}),
        "percent": book.add_format({"num_format": "0.0%"}),
    }


def write_value(ws, row, col, value, formats):
    """Write ``value`` at (``row``, ``col``) with the cell type it calls for: a date as a date,
    a number as a number, ``None`` as an empty cell, anything else as text."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, formats["number"])
    elif hasattr(value, "isoformat"):
        ws.write_datetime(row, col, as_datetime(value), formats["date"])
    else:
        ws.write_string(row, col, value or "")


def as_datetime(value):
    """A ``date`` as the ``datetime`` of its midnight (xlsxwriter writes datetimes)."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)
