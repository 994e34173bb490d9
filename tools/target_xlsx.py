"""XLSX layout of a plan's targets against their actuals: rows in, workbook bytes out.

One row per target: its dimensions as columns, then target, stretch and actual as numbers,
attainment and gap as Excel formulas over them (so that a figure edited in the file
recomputes), status and traffic light as text coloured by conditional formats. The header
row is frozen and filtered. Targets are laid out on one sheet per kind of period (months,
quarters, years, other periods) when they have several kinds.

``constant_memory`` writes each row to disk as soon as the next begins (xlsxwriter's
constant-memory mode): rows must then come in order, which they do here, and ``rows`` may be
a generator, so that an export of 100,000 targets never holds them all.

>>> import io, openpyxl
>>> from datetime import date
>>> rows = [{"kpi": "Revenue", "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31),
...          "user": "Li", "target": 1000.0, "actual": 750.0, "status": "on_track",
...          "traffic_light": "warning", "period_type": "month"}]
>>> ws = openpyxl.load_workbook(io.BytesIO(workbook(rows))).active
>>> ws.title, ws["A2"].value, ws["K2"].value, ws["M2"].value
('Months', 'Revenue', 1000, 750)
>>> ws["N2"].value, ws["O2"].value
('=IF(K2=0,"",M2/K2)', '=MAX(K2-M2,0)')
>>> ws.freeze_panes, ws.auto_filter.ref
('A2', 'A1:Q2')
"""

import io

import xlsxwriter

from .xlsx_writer import standard_formats, write_value

#: (key, English header) of each column, in order; the figures after the dimensions
COLUMNS = (
    ("kpi", "KPI"), ("date_from", "Start"), ("date_to", "End"), ("team", "Sales Team"), ("user", "Salesperson"),
    ("product_categ", "Product Category"), ("product", "Product"), ("region", "Region"),
    ("customer_type", "Customer Type"), ("partner", "Customer"), ("target", "Target"), ("stretch", "Stretch"),
    ("actual", "Actual"), ("attainment", "Attainment (%)"), ("gap", "Gap"), ("status", "Status"),
    ("traffic_light", "Traffic light"),
)
KEYS = tuple(key for key, _label in COLUMNS)
COL = {key: index for index, key in enumerate(KEYS)}
#: period type -> English sheet name, in the order of the sheets
PERIOD_SHEETS = {"month": "Months", "quarter": "Quarters", "year": "Years", "other": "Other periods"}
STATUS_LABELS = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
                 "off_track": "Off track", "achieved": "Achieved", "missed": "Missed"}
LIGHT_LABELS = {"good": "Green", "warning": "Amber", "bad": "Red"}
#: status or light -> colours of its cell (background, font)
GREEN, AMBER, RED = ("#C6EFCE", "#006100"), ("#FFEB9C", "#9C5700"), ("#FFC7CE", "#9C0006")
COLOURS = {"on_track": GREEN, "achieved": GREEN, "at_risk": AMBER, "off_track": RED, "missed": RED,
           "good": GREEN, "warning": AMBER, "bad": RED}
WIDTHS = {"kpi": 22, "date_from": 11, "date_to": 11, "target": 14, "stretch": 14, "actual": 14,
          "attainment": 11, "gap": 14, "status": 12, "traffic_light": 10}


def period_kind(period_type):
    """The sheet a period type goes to: ``month``, ``quarter``, ``year``, else ``other``.

    >>> [period_kind(t) for t in ("month", "year", "days:7", None)]
    ['month', 'year', 'other', 'other']
    """
    return period_type if period_type in PERIOD_SHEETS else "other"


def workbook(rows, *, headers=None, sheet_names=None, status_labels=None, light_labels=None,
             period_types=None, constant_memory=False):
    """The workbook (bytes) of ``rows``, dicts keyed by ``KEYS`` (missing keys are empty) plus
    ``period_type`` (see ``tools.training.period_type``) and ``direction`` (``"lower"`` when
    less is better, which turns the gap around).

    ``status`` and ``traffic_light`` are keys, written as their labels. ``headers``,
    ``sheet_names``, ``status_labels`` and ``light_labels`` translate the English defaults
    (by key). ``period_types``: the period types present, to lay the sheets out before the
    rows come (needed when ``rows`` is a generator; read from ``rows`` otherwise).

    >>> from datetime import date
    >>> def row(kind, start):
    ...     return {"kpi": "Revenue", "date_from": start, "date_to": start, "target": 0.0,
    ...             "actual": 5.0, "period_type": kind}
    >>> import io, openpyxl
    >>> data = workbook([row("year", date(2026, 1, 1)), row("month", date(2026, 2, 1))])
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    ['Months', 'Years']
    """
    if period_types is None:
        rows = list(rows)
        period_types = {row.get("period_type") for row in rows}
    kinds = [kind for kind in PERIOD_SHEETS if kind in {period_kind(t) for t in period_types}] or ["month"]
    headers = {**dict(COLUMNS), **(headers or {})}
    sheet_names = {**PERIOD_SHEETS, **(sheet_names or {})}
    status_labels = {**STATUS_LABELS, **(status_labels or {})}
    light_labels = {**LIGHT_LABELS, **(light_labels or {})}

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": not constant_memory, "constant_memory": constant_memory})
    formats = standard_formats(book)
    colours = {key: book.add_format({"bg_color": bg, "font_color": fg}) for key, (bg, fg) in COLOURS.items()}
    sheets, next_row = {}, {}
    for kind in kinds:
        ws = book.add_worksheet(_sheet_name(sheet_names[kind]))
        ws.write_row(0, 0, [headers[key] for key in KEYS], formats["header"])
        for key, col in COL.items():
            ws.set_column(col, col, WIDTHS.get(key, 18))
        ws.freeze_panes(1, 0)
        sheets[kind], next_row[kind] = ws, 1
    for row in rows:
        kind = period_kind(row.get("period_type"))
        if kind not in sheets:
            raise ValueError(f"rows of period type {row.get('period_type')!r} but no sheet for them")
        r = next_row[kind]
        _write_row(sheets[kind], r, row, formats, status_labels, light_labels)
        next_row[kind] = r + 1
    for kind, ws in sheets.items():
        last = max(next_row[kind] - 1, 1)
        ws.autofilter(0, 0, last, len(KEYS) - 1)
        for key, labels in (("status", status_labels), ("traffic_light", light_labels)):
            col = COL[key]
            for value, label in labels.items():
                if value in colours:
                    ws.conditional_format(1, col, last, col, {
                        "type": "cell", "criteria": "==", "value": _excel_string(label), "format": colours[value]})
    book.close()
    return output.getvalue()


def _write_row(ws, r, row, formats, status_labels, light_labels):
    for key in KEYS[:COL["target"]]:
        write_value(ws, r, COL[key], row.get(key) or None, formats)
    target, actual = row.get("target") or 0.0, row.get("actual") or 0.0
    ws.write_number(r, COL["target"], target, formats["number"])
    if row.get("stretch"):
        ws.write_number(r, COL["stretch"], row["stretch"], formats["number"])
    ws.write_number(r, COL["actual"], actual, formats["number"])
    t, a = _cell(r, COL["target"]), _cell(r, COL["actual"])
    # the value computed here is cached in the file for readers that do not recompute
    ws.write_formula(r, COL["attainment"], f'=IF({t}=0,"",{a}/{t})', formats["percent"],
                     actual / target if target else "")
    lower = row.get("direction") == "lower"
    ws.write_formula(r, COL["gap"], f"=MAX({a}-{t},0)" if lower else f"=MAX({t}-{a},0)", formats["number"],
                     max(actual - target if lower else target - actual, 0.0))
    if row.get("status"):
        ws.write_string(r, COL["status"], status_labels.get(row["status"], row["status"]))
    if row.get("traffic_light"):
        ws.write_string(r, COL["traffic_light"], light_labels.get(row["traffic_light"], row["traffic_light"]))


def _cell(row, col):
    """``(1, 10)`` -> ``"K2"`` (columns up to Z are enough here).

    >>> _cell(1, 10)
    'K2'
    """
    return f"{chr(ord('A') + col)}{row + 1}"


def _excel_string(text):
    r"""A string literal of an Excel formula: quoted, inner quotes doubled.

    >>> print(_excel_string('6" pipe'))
    "6"" pipe"
    """
    return '"' + text.replace('"', '""') + '"'


def _sheet_name(name):
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``.

    >>> _sheet_name("Q1/Q2: [all]")
    'Q1-Q2- -all-'
    """
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    return name[:31]
