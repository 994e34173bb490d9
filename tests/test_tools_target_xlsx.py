"""Tests of tools/target_xlsx.py: the workbook read back with openpyxl, no database."""

import io
from datetime import date, datetime

import openpyxl
import pytest

from odoo.addons.crm_sales_target.tools import target_xlsx

JAN = {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "period_type": "month"}
Q1 = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31), "period_type": "quarter"}
YEAR = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31), "period_type": "year"}
WEEK = {"date_from": date(2026, 1, 5), "date_to": date(2026, 1, 11), "period_type": "days:7"}
FULL = {
    "kpi": "Ordered Revenue", **JAN, "team": "Team 1", "user": "Li", "product_categ": "Goods",
    "product": "Chair", "region": "West", "customer_type": "New customers", "partner": "ACME",
    "target": 1000.0, "stretch": 1200.0, "actual": 750.0, "status": "at_risk", "traffic_light": "bad",
}


def load(rows, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(target_xlsx.workbook(rows, **kwargs)))


@pytest.mark.parametrize("constant_memory", [False, True])
def test_values_formulas_and_formats(constant_memory):
    ws = load([FULL, {**FULL, "user": "Wu", "target": 0.0, "stretch": 0.0, "actual": 50.0, "direction": "lower",
                      "status": "achieved", "traffic_light": "good"}],
              constant_memory=constant_memory).active
    assert [c.value for c in ws[1]] == [label for _key, label in target_xlsx.COLUMNS]
    row = [c.value for c in ws[2]]
    assert row[:10] == ["Ordered Revenue", datetime(2026, 1, 1), datetime(2026, 1, 31), "Team 1", "Li", "Goods",
                        "Chair", "West", "New customers", "ACME"]
    assert row[10:13] == [1000, 1200, 750]  # numbers, not text
    assert row[13:] == ['=IF(K2=0,"",M2/K2)', "=MAX(K2-M2,0)", "At risk", "Red"]
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["K2"].number_format == "#,##0.00"
    assert ws["N2"].number_format == "0.0%"
    # a lower-is-better KPI: the gap is how far the actual is above the target; no stretch
    assert ws["O3"].value == "=MAX(M3-K3,0)"
    assert ws["L3"].value is None
    assert (ws["P3"].value, ws["Q3"].value) == ("Achieved", "Green")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:Q3"


def test_cached_formula_results():
    # readers that do not recompute (previews, data_only) see the figures the formulas give
    data = target_xlsx.workbook([FULL, {**FULL, "target": 0.0}])
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    assert (ws["N2"].value, ws["O2"].value) == (0.75, 250)
    assert ws["N3"].value in (None, "")  # no target: no attainment
    assert ws["O3"].value == 0


def test_conditional_formats_colour_status_and_light():
    ws = load([FULL], status_labels={"at_risk": 'À "risque"'}).active
    rules = {(str(cf.sqref), rule.formula[0]): rule for cf in ws.conditional_formatting for rule in cf.rules}
    # status: on track and achieved green, at risk amber, off track and missed red
    assert {formula for ref, formula in rules if ref == "P2"} == {
        '"On track"', '"Achieved"', '"À ""risque"""', '"Off track"', '"Missed"'}
    assert {formula for ref, formula in rules if ref == "Q2"} == {'"Green"', '"Amber"', '"Red"'}
    assert all(rule.operator == "equal" for rule in rules.values())
    fills = {formula: rules[("Q2", formula)].dxf.fill.bgColor.rgb[-6:]
             for formula in ('"Green"', '"Amber"', '"Red"')}
    assert fills == {'"Green"': "C6EFCE", '"Amber"': "FFEB9C", '"Red"': "FFC7CE"}


def test_one_sheet_per_period_type():
    rows = [{**FULL, **YEAR, "user": "Y"}, {**FULL, **WEEK, "user": "W"}, {**FULL, "user": "M1"},
            {**FULL, **Q1, "user": "Q"}, {**FULL, "user": "M2"}]
    book = load(rows, sheet_names={"other": "其他期间"})
    assert book.sheetnames == ["Months", "Quarters", "Years", "其他期间"]
    users = {ws.title: [r[4] for r in ws.iter_rows(min_row=2, values_only=True)] for ws in book}
    assert users == {"Months": ["M1", "M2"], "Quarters": ["Q"], "Years": ["Y"], "其他期间": ["W"]}
    # each sheet has its own header, frozen and filtered, and its formulas point to its own rows
    for ws in book:
        assert (ws.freeze_panes, ws["A1"].value) == ("A2", "KPI")
        assert ws.auto_filter.ref == f"A1:Q{ws.max_row}"
    assert book["Months"]["N3"].value == '=IF(K3=0,"",M3/K3)'


def test_generator_rows_with_period_types_given():
    rows = (dict(FULL, user=str(i)) for i in range(3))
    book = load(rows, period_types={"month"}, constant_memory=True)
    assert book.sheetnames == ["Months"]
    assert [r[4] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["0", "1", "2"]
    with pytest.raises(ValueError, match="no sheet"):
        target_xlsx.workbook(iter([{**FULL, **YEAR}]), period_types={"month"})


def test_empty_export_keeps_its_header():
    ws = load([], headers={"kpi": "关键绩效指标"}).active
    assert ws.title == "Months" and ws["A1"].value == "关键绩效指标" and ws.max_row == 1
