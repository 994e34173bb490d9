from datetime import date

import pytest

from odoo.addons.crm_sales_target.tools import customer, pacing

JAN = (date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 12, 31), 0.0),       # before the period
    (date(2026, 1, 1), 100.0),       # first day counts as elapsed
    (date(2026, 1, 31), 3100.0),     # last day: everything
    (date(2026, 2, 15), 3100.0),     # after the period
])
def test_expected_is_linear_with_period_edges(today, expected):
    assert pacing.expected_to_date(3100.0, *JAN, today) == pytest.approx(expected)


@pytest.mark.parametrize(("actual", "status"), [
    (950.0, "on_track"),    # 95 % of 1000 expected: on the threshold
    (949.0, "at_risk"),
    (800.0, "at_risk"),     # 80 %: on the lower threshold
    (799.0, "off_track"),
    (3100.0, "achieved"),   # reached early
])
def test_status_thresholds(actual, status):
    assert pacing.status(actual, 3100.0, *JAN, date(2026, 1, 10)) == status


def test_status_custom_thresholds():
    assert pacing.status(900.0, 3100.0, *JAN, date(2026, 1, 10), on_track_pct=90, at_risk_pct=50) == "on_track"
    assert pacing.status(400.0, 3100.0, *JAN, date(2026, 1, 10), on_track_pct=90, at_risk_pct=50) == "off_track"


def test_status_after_period():
    assert pacing.status(3100.0, 3100.0, *JAN, date(2026, 2, 1)) == "achieved"
    assert pacing.status(3099.0, 3100.0, *JAN, date(2026, 2, 1)) == "missed"


def test_lower_is_better():
    # a ceiling of 100 over January: 50 spent by the 10th against 32.26 expected
    assert pacing.status(50.0, 100.0, *JAN, date(2026, 1, 10), direction="lower") == "off_track"
    assert pacing.status(30.0, 100.0, *JAN, date(2026, 1, 10), direction="lower") == "on_track"
    assert pacing.status(101.0, 100.0, *JAN, date(2026, 1, 10), direction="lower") == "off_track"
    assert pacing.status(90.0, 100.0, *JAN, date(2026, 2, 1), direction="lower") == "achieved"
    assert pacing.attainment(80.0, 100.0, "lower") == pytest.approx(125.0)
    assert pacing.run_rate_needed(10.0, 100.0, *JAN, date(2026, 1, 10), "lower") == 0.0


def test_run_rate_and_gap():
    # 2100 missing over the 21 days from the 11th to the 31st
    assert pacing.run_rate_needed(1000.0, 3100.0, *JAN, date(2026, 1, 11)) == pytest.approx(100.0)
    # before the period: over the whole period
    assert pacing.run_rate_needed(0.0, 3100.0, *JAN, date(2025, 12, 1)) == pytest.approx(100.0)
    assert pacing.run_rate_needed(3200.0, 3100.0, *JAN, date(2026, 1, 11)) == 0.0
    assert pacing.run_rate_needed(0.0, 3100.0, *JAN, date(2026, 2, 1)) == 0.0
    # beaten: no gap, a surplus
    assert pacing.gap(3200.0, 3100.0) == 0.0
    assert pacing.surplus(3200.0, 3100.0) == pytest.approx(100.0)
    assert pacing.gap(3000.0, 3100.0) == pytest.approx(100.0)
    assert pacing.surplus(3000.0, 3100.0) == 0.0
    # a ceiling: 90 under 100 is a surplus of 10, 110 a gap of 10
    assert (pacing.gap(90.0, 100.0, "lower"), pacing.surplus(90.0, 100.0, "lower")) == (0.0, 10.0)
    assert (pacing.gap(110.0, 100.0, "lower"), pacing.surplus(110.0, 100.0, "lower")) == (10.0, 0.0)


def test_not_started():
    # the day before the period, whatever the actual (orders dated ahead count in the period)
    assert pacing.status(0.0, 3100.0, *JAN, date(2025, 12, 31)) == "not_started"
    assert pacing.status(5000.0, 3100.0, *JAN, date(2025, 12, 31)) == "not_started"
    assert pacing.status(0.0, 3100.0, *JAN, date(2026, 1, 1)) == "off_track"  # 100 expected on the first day
    assert pacing.evaluate(0.0, 3100.0, *JAN, date(2025, 12, 31))["status"] == "not_started"


@pytest.mark.parametrize(("ctype", "first_order", "first_lead", "expected"), [
    ("existing", date(2026, 2, 28), None, True),
    ("existing", date(2026, 3, 1), None, False),     # first order on the first day: new
    ("new", date(2026, 3, 1), None, True),
    ("new", None, None, True),
    ("new", date(2026, 2, 28), None, False),
    ("potential", date(2026, 3, 10), date(2026, 2, 28), True),
    ("potential", date(2026, 3, 10), date(2026, 3, 1), False),  # lead only in the period
    ("potential", date(2026, 1, 10), date(2025, 12, 1), False),  # already a customer
])
def test_customer_type_edges(ctype, first_order, first_lead, expected):
    assert customer.matches(ctype, date(2026, 3, 1), first_order, first_lead) is expected


def test_customer_type_unknown():
    with pytest.raises(ValueError):
        customer.matches("vip", date(2026, 3, 1), None, None)
