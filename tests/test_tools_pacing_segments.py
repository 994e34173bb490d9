"""Values in force over a period and the expected-to-date they give (tools/pacing.py), by hand."""

from datetime import date

import pytest

from odoo.addons.crm_sales_target.tools import pacing

APRIL = (date(2026, 4, 1), date(2026, 4, 30))  # 30 days
RAISED = [(date(2026, 4, 1), 3000.0), (date(2026, 4, 11), 6000.0)]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 3, 31), 0.0),      # before the period
    (date(2026, 4, 10), 1000.0),   # eve of the change: 10 days x 100, the old pace
    (date(2026, 4, 11), 1250.0),   # then (6000 - 1000) / 20 days = 250 a day
    (date(2026, 4, 20), 3500.0),   # 1000 + 10 x 250
    (date(2026, 4, 30), 6000.0),   # the value in force at the end
    (date(2026, 5, 15), 6000.0),   # after the period
])
def test_prospective_raise(day, expected):
    assert pacing.expected_with_segments(RAISED, *APRIL, day) == pytest.approx(expected)


def test_single_segment_is_the_linear_pace():
    for day in (date(2026, 4, 1), date(2026, 4, 17), date(2026, 4, 30)):
        assert pacing.expected_with_segments([(APRIL[0], 3000.0)], *APRIL, day) == pytest.approx(
            pacing.expected_to_date(3000.0, *APRIL, day))


def test_cut_below_what_was_already_expected():
    # 3000 cut to 500 from day 11: 1000 was expected by day 10, more than the new value,
    # which is then expected in full
    segments = [(APRIL[0], 3000.0), (date(2026, 4, 11), 500.0)]
    assert pacing.expected_with_segments(segments, *APRIL, date(2026, 4, 10)) == pytest.approx(1000.0)
    assert pacing.expected_with_segments(segments, *APRIL, date(2026, 4, 11)) == pytest.approx(500.0)


def test_two_changes():
    # 100 a day to day 10 (1000); (3200 - 1000) / 20 = 110 a day to day 20 (2100);
    # (3300 - 2100) / 10 = 120 a day: 2700 on day 25
    segments = [(APRIL[0], 3000.0), (date(2026, 4, 11), 3200.0), (date(2026, 4, 21), 3300.0)]
    assert pacing.expected_with_segments(segments, *APRIL, date(2026, 4, 20)) == pytest.approx(2100.0)
    assert pacing.expected_with_segments(segments, *APRIL, date(2026, 4, 25)) == pytest.approx(2700.0)


def test_later_retroactive_change_replaces_the_days_it_covers():
    segments = pacing.value_segments(3000.0, APRIL[0], [(date(2026, 4, 21), 3300.0), (date(2026, 4, 11), 4000.0)])
    assert segments == [(APRIL[0], 3000.0), (date(2026, 4, 11), 4000.0)]
    assert pacing.value_in_force(segments, date(2026, 4, 25)) == 4000.0
    assert pacing.value_segments(3000.0, APRIL[0], [(date(2026, 3, 1), 6000.0)]) == [(APRIL[0], 6000.0)]


def test_status_follows_the_segments():
    # 2800 of the 3500 expected on day 20: 80 %, at risk; against the 4000 of a retroactive
    # 6000 it is 70 %, off track
    figures = pacing.evaluate(2800.0, 6000.0, *APRIL, date(2026, 4, 20), segments=RAISED)
    assert (figures["expected_value"], figures["status"]) == (pytest.approx(3500.0), "at_risk")
    assert pacing.evaluate(2800.0, 6000.0, *APRIL, date(2026, 4, 20))["status"] == "off_track"
