#!/usr/bin/env python3
"""The README's picture of the XLSX export: the demo plan exported, its first sheet rendered.

Run with ``make docs-xlsx``. Makes a database from the addon's template (``scripts/db.sh``,
demo data installed), exports the demo plan as its responsible manager would
(``sales.target.export``, the same code as the Export XLSX button), writes the file to
``docs/xlsx_export_demo.xlsx`` and renders the first rows of its first sheet: there is no
LibreOffice here, so the cells are laid out as an HTML table (the cached values of the
formulas, the number formats, and the colours of the sheet's conditional formats) and
screenshot by headless Chromium into ``docs/xlsx_export.png``.
"""

import html
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent.parent
DOCS = HERE / "docs"
DB = os.environ.get("DOCS_DB", "cst_docs_xlsx")
ROWS = 14


def export_demo_plan():
    subprocess.run(["bash", str(HERE / "scripts" / "db.sh"), DB], check=True)
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    import odoo  # after the path is set

    odoo.tools.config.parse_config(["-c", os.environ["ODOO_CONF"], "-d", DB, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        plan = env.ref("crm_sales_target.demo_sales_plan")
        user = plan.user_id or env.ref("base.user_admin")
        export_env = env(user=user, context={"lang": "en_US", "allowed_company_ids": plan.company_id.ids})
        plan = plan.with_env(export_env)
        plan.action_export_xlsx()
        export = export_env["sales.target.export"].search([("plan_id", "=", plan.id)], limit=1)
        content = export._content()
        cr.rollback()
    return content


def cell_text(cell):
    value = cell.value
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        return f"{value:.1%}" if "%" in cell.number_format else f"{value:,.2f}"
    return str(value)


def rule_colours(ws):
    """(column letter, text) -> (background, font) of the sheet's 'equal to' conditional formats."""
    colours = {}
    for ranges in ws.conditional_formatting:
        for rule in ranges.rules:
            fill, font = rule.dxf.fill, rule.dxf.font
            text = rule.formula[0].strip('"').replace('""', '"')
            for col in {str(ref)[0] for ref in ranges.sqref.ranges}:
                colours[(col, text)] = ("#" + fill.bgColor.rgb[-6:], "#" + font.color.rgb[-6:])
    return colours


def render(content, png):
    values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    ws = values.worksheets[0]
    colours = rule_colours(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0])
    tabs = "".join(f'<span class="tab{" on" if s is ws else ""}">{html.escape(s.title)}</span>' for s in values)
    head = "".join(f"<th>{html.escape(str(c.value))}</th>" for c in ws[1])
    body = []
    for row in ws.iter_rows(min_row=2, max_row=ROWS + 1):
        cells = []
        for cell in row:
            text = cell_text(cell)
            bg, fg = colours.get((cell.column_letter, text), ("", ""))
            style = f' style="background:{bg};color:{fg}"' if bg else ""
            align = ' class="n"' if isinstance(cell.value, (int, float)) else ""
            cells.append(f"<td{align}{style}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    page = f"""<html><head><meta charset="utf-8"><style>
body {{ font: 12px "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 8px; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #d4d4d4; padding: 2px 6px; white-space: nowrap; }}
th {{ background: #f2f2f2; text-align: left; border-bottom: 2px solid #888; }} td.n {{ text-align: right; }}
.tab {{ display: inline-block; padding: 3px 12px; border: 1px solid #ccc; margin-top: 6px; }}
.on {{ background: #fff; font-weight: bold; border-top: 2px solid #217346; }}
</style></head><body><table><tr>{head}</tr>{''.join(body)}</table><div>{tabs}</div></body></html>"""
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "sheet.html"
        page_path.write_text(page, encoding="utf-8")
        subprocess.run([shutil.which("chromium") or "/usr/bin/chromium", "--headless", "--no-sandbox",
                        "--disable-gpu", "--hide-scrollbars", f"--screenshot={png}", "--window-size=1850,490",
                        page_path.as_uri()], check=True, capture_output=True)


def main():
    DOCS.mkdir(exist_ok=True)
    content = export_demo_plan()
    (DOCS / "xlsx_export_demo.xlsx").write_bytes(content)
    render(content, DOCS / "xlsx_export.png")
    subprocess.run(["dropdb", "--if-exists", "--force", DB], check=False)
    print(f"wrote {DOCS / 'xlsx_export_demo.xlsx'} and {DOCS / 'xlsx_export.png'}")


if __name__ == "__main__":
    main()
