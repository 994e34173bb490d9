"""Incentive arithmetic: hand-computed cases at the tier boundaries, and properties (monotonic
in attainment for non-decreasing tiers, caps respected, penalties never above their cap,
never negative unless allowed)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.crm_sales_target.tools.incentive import (
    Gate, Penalty, Tier, TierError, find_tier, non_decreasing, payout, penalty_amount, validate_tiers)

# decelerator under 80 %, base 100 %, accelerator from 110 %: 2 % of the base, × 0.5 / × 1 / × 1.5
LADDER = [Tier(0, 80, "rate", 2.0, 0.5), Tier(80, 110, "rate", 2.0), Tier(110, None, "rate", 2.0, 1.5)]


@pytest.mark.parametrize(("attainment", "tier", "amount"), [
    (79.99, 0, 7999.0 * 0.02 * 0.5),  # just under the boundary: decelerated
    (80.0, 1, 8000.0 * 0.02),         # exactly on it: the upper tier
    (109.99, 1, 10999.0 * 0.02),
    (110.0, 2, 11000.0 * 0.02 * 1.5),
])
def test_boundaries_go_to_the_upper_tier(attainment, tier, amount):
    result = payout(LADDER, attainment * 100.0, 10000.0, attainment)
    assert result.tier == tier
    assert result.amount == pytest.approx(amount)


def test_below_the_first_tier_pays_nothing():
    tiers = [Tier(50, None, "fixed", 1000.0)]
    assert find_tier(tiers, 49.9) is None
    assert payout(tiers, 4990.0, 10000.0, 49.9).amount == 0.0
    assert payout(tiers, 5000.0, 10000.0, 50.0).amount == 1000.0


@pytest.mark.parametrize(("tiers", "code"), [
    ([Tier(0, 80, "rate", 1), Tier(81, None, "rate", 1)], "gap"),
    ([Tier(0, 80, "rate", 1), Tier(79, None, "rate", 1)], "overlap"),
    ([Tier(0, None, "rate", 1), Tier(80, 90, "rate", 1)], "open"),
    ([Tier(90, 80, "rate", 1)], "empty"),
])
def test_invalid_ladders(tiers, code):
    with pytest.raises(TierError) as info:
        validate_tiers(tiers)
    assert info.value.code == code


def test_gate_failure_pays_nothing_and_says_why():
    result = payout(LADDER, 12000.0, 10000.0, 120.0, gates=[Gate("CSAT", 3.9, 4.0)], floor=100.0)
    assert (result.amount, result.gates_passed, result.reason) == (0.0, False, "CSAT: 3.9 < 4")


def test_penalty_rate_of_shortfall_capped():
    # threshold 80 %, 70 % reached on 10,000: shortfall 1,000, 20 % of it = 200, capped at 150
    assert penalty_amount(Penalty(80.0, "rate", 20.0), 10000.0, 70.0) == pytest.approx(200.0)
    assert penalty_amount(Penalty(80.0, "rate", 20.0, 150.0), 10000.0, 70.0) == 150.0
    result = payout(LADDER, 7000.0, 10000.0, 70.0, penalties=[Penalty(80.0, "rate", 20.0, 150.0)])
    # 7000 × 2 % × 0.5 = 70, minus 150 -> 0 (no negative payout)
    assert (result.gross, result.penalty, result.amount) == (pytest.approx(70.0), 150.0, 0.0)


# ------------------------------------------------------------------ properties
percent = st.floats(min_value=0, max_value=300, allow_nan=False)
money = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@st.composite
def ladders(draw, kind=None):
    """A valid ladder of 1-4 tiers from 0 %, of one kind, effective values non-decreasing."""
    kind = kind or draw(st.sampled_from(["rate", "fixed"]))
    cuts = sorted(draw(st.sets(st.integers(1, 250), max_size=3)))
    bounds = [0, *cuts]
    values = sorted(draw(st.lists(st.floats(0, 50 if kind == "rate" else 5000), min_size=len(bounds),
                                  max_size=len(bounds))))
    return [Tier(lo, hi, kind, value) for lo, hi, value in zip(bounds, [*cuts, None], values)]


@settings(max_examples=200, deadline=None)
@given(ladders(), percent, percent, st.floats(1, 1e6), st.one_of(st.none(), money), st.one_of(st.none(), money),
       st.lists(st.builds(Penalty, percent, st.sampled_from(["rate", "fixed"]), st.floats(0, 100), money),
                max_size=2))
def test_monotonic_in_attainment(tiers, a1, a2, target, floor, cap, penalties):
    validate_tiers(tiers)
    assert non_decreasing(tiers)
    low, high = sorted((a1, a2))
    # the base grows with attainment (base = target × attainment)
    paid = [payout(tiers, target * a / 100.0, target, a, floor=floor, cap=cap, penalties=penalties,
                   gates=[Gate("Attainment", a, 50.0)]).amount for a in (low, high)]
    assert paid[0] <= paid[1] + 1e-6


@settings(max_examples=200, deadline=None)
@given(ladders(), percent, money, st.floats(1, 1e6), money, st.floats(0, 1e4))
def test_caps_and_floors_respected(tiers, attainment, base, target, cap, floor):
    result = payout(tiers, base, target, attainment, cap=cap)
    assert result.gross <= cap
    result = payout(tiers, base, target, attainment, floor=min(floor, cap), cap=cap)
    assert min(floor, cap) <= result.gross <= cap


@settings(max_examples=200, deadline=None)
@given(st.builds(Penalty, percent, st.sampled_from(["rate", "fixed"]), st.floats(0, 1e4), money),
       st.floats(0, 1e7), percent)
def test_penalty_never_above_its_cap(penalty, target, attainment):
    assert 0.0 <= penalty_amount(penalty, target, attainment) <= penalty.cap


@settings(max_examples=200, deadline=None)
@given(ladders(), percent, money, st.floats(1, 1e6),
       st.lists(st.builds(Penalty, percent, st.sampled_from(["rate", "fixed"]), st.floats(0, 1e4)), max_size=3))
def test_never_negative_unless_allowed(tiers, attainment, base, target, penalties):
    assert payout(tiers, base, target, attainment, penalties=penalties).amount >= 0.0
    allowed = payout(tiers, base, target, attainment, penalties=penalties, allow_negative=True)
    assert allowed.amount == pytest.approx(allowed.gross - allowed.penalty)
