"""Incentive arithmetic (handbook 6.3): tiers on attainment, caps and floors, gates, penalties.

Plain values in and out; the models fetch the figures, call :func:`payout` once per rule and
store what it returns on the statement lines. Attainments are percentages (``100.0`` is the
target reached); they already follow the KPI's direction.

Tiers are half-open ranges ``[lower, upper)`` of attainment; the last one may be open-ended
(``upper=None``). An attainment exactly on a boundary belongs to the upper tier. Each tier pays
either a rate (percent of the achieved base amount) or a fixed amount, times its multiplier
(above 1 an accelerator, below 1 a decelerator).

>>> tiers = [Tier(0, 80, "rate", 2.0, 0.5), Tier(80, 110, "rate", 2.0), Tier(110, None, "rate", 2.0, 1.5)]
>>> validate_tiers(tiers)
>>> payout(tiers, base=9000.0, target=10000.0, attainment=90.0).amount
180.0
>>> payout(tiers, base=12000.0, target=10000.0, attainment=120.0).amount
360.0
>>> payout(tiers, base=7000.0, target=10000.0, attainment=70.0).amount
70.0
"""

from collections import namedtuple

#: decimals an attainment is rounded to before its tier is looked up
ATTAINMENT_DIGITS = 6
#: one tier: ``kind`` is ``"rate"`` (``value`` percent of the base) or ``"fixed"`` (``value``)
Tier = namedtuple("Tier", "lower upper kind value multiplier", defaults=(1.0,))
#: one gate, already measured: passes when ``actual >= minimum``; ``label`` names it in reasons
Gate = namedtuple("Gate", "label actual minimum")
#: a deduction below ``threshold`` % attainment: ``kind`` ``"rate"`` takes ``value`` percent of
#: the shortfall amount (target × (threshold − attainment) / 100), ``"fixed"`` takes ``value``;
#: never more than ``cap`` (``None``: no cap)
Penalty = namedtuple("Penalty", "threshold kind value cap", defaults=(None,))
#: the result of :func:`payout`
Result = namedtuple("Result", "tier rate multiplier gross penalty amount gates_passed reason")


class TierError(ValueError):
    """Tiers that leave a gap, overlap, or are open-ended before the last; ``code`` (``gap``,
    ``overlap``, ``open``, ``empty``) and the two percentages ``a`` and ``b`` let a caller word
    the message in the user's language."""

    def __init__(self, code, a, b, message):
        super().__init__(message)
        self.code, self.a, self.b = code, a, b


def validate_tiers(tiers):
    """Refuse tiers that do not form one ladder: sorted by their lower bound, each tier must
    end where the next starts, and only the last may be open-ended.

    >>> validate_tiers([Tier(0, 80, "rate", 1), Tier(80, None, "rate", 2)])
    >>> def why(tiers):
    ...     try:
    ...         validate_tiers(tiers)
    ...     except TierError as error:
    ...         return str(error)
    >>> why([Tier(0, 80, "rate", 1), Tier(90, None, "rate", 2)])
    'gap between 80 % and 90 %'
    >>> why([Tier(0, 90, "rate", 1), Tier(80, None, "rate", 2)])
    'overlap between 80 % and 90 %'
    >>> why([Tier(0, None, "rate", 1), Tier(80, None, "rate", 2)])
    'only the last tier may be open-ended (the one from 0 %)'
    >>> why([Tier(50, 50, "rate", 1)])
    'the tier from 50 % must end above its start (50 %)'
    """
    ordered = sorted(tiers, key=lambda t: t.lower)
    for index, tier in enumerate(ordered):
        last = index == len(ordered) - 1
        if tier.upper is None:
            if not last:
                raise TierError("open", tier.lower, None,
                                f"only the last tier may be open-ended (the one from {tier.lower:g} %)")
            continue
        if tier.upper <= tier.lower:
            raise TierError("empty", tier.lower, tier.upper,
                            f"the tier from {tier.lower:g} % must end above its start ({tier.upper:g} %)")
        if not last:
            following = ordered[index + 1].lower
            if following > tier.upper:
                raise TierError("gap", tier.upper, following, f"gap between {tier.upper:g} % and {following:g} %")
            if following < tier.upper:
                raise TierError("overlap", following, tier.upper,
                                f"overlap between {following:g} % and {tier.upper:g} %")


def find_tier(tiers, attainment):
    """Index (in ``tiers``) of the tier holding ``attainment``, or ``None`` below the first.

    >>> tiers = [Tier(80, 110, "rate", 2), Tier(0, 80, "rate", 1), Tier(110, None, "rate", 3)]
    >>> [find_tier(tiers, a) for a in (-5, 0, 79.99, 80, 109.99, 110, 500)]
    [None, 1, 1, 0, 0, 2, 2]
    """
    for index, tier in enumerate(tiers):
        if tier.lower <= attainment and (tier.upper is None or attainment < tier.upper):
            return index
    return None


def tier_amount(tier, base):
    """What ``tier`` pays on ``base``: a rate of it or a fixed amount, times the multiplier.

    >>> tier_amount(Tier(0, None, "rate", 5.0, 1.2), 1000.0)
    60.0
    >>> tier_amount(Tier(0, None, "fixed", 300.0, 0.5), 1000.0)
    150.0
    """
    if tier.kind == "fixed":
        return tier.value * tier.multiplier
    return base * tier.value / 100.0 * tier.multiplier


def bound(amount, floor=None, cap=None):
    """``amount`` raised to ``floor`` and lowered to ``cap`` (each ``None`` for none).

    >>> bound(50.0, floor=100.0), bound(900.0, cap=500.0), bound(300.0, 100.0, 500.0)
    (100.0, 500.0, 300.0)
    """
    if floor is not None:
        amount = max(amount, floor)
    if cap is not None:
        amount = min(amount, cap)
    return amount


def check_gates(gates):
    """``(passed, reasons)``: every gate must reach its minimum; the reasons name those that
    did not.

    >>> check_gates([Gate("Attainment", 85.0, 80.0), Gate("Satisfaction", 3.5, 4.0)])
    (False, ['Satisfaction: 3.5 < 4'])
    >>> check_gates([])
    (True, [])

    A gate with no figure at all (``-inf``, e.g. no published assessment) shows a dash:

    >>> check_gates([Gate("Assessment (not published)", float("-inf"), 70.0)])
    (False, ['Assessment (not published): — < 70'])
    """
    reasons = [f"{gate.label}: {'—' if gate.actual == float('-inf') else format(gate.actual, 'g')} < {gate.minimum:g}"
               for gate in gates if gate.actual < gate.minimum]
    return not reasons, reasons


def penalty_amount(penalty, target, attainment):
    """The deduction of ``penalty`` at ``attainment`` for a target of ``target``: nothing at or
    above its threshold, else a rate of the shortfall amount or a fixed amount, at most its cap.

    >>> p = Penalty(80.0, "rate", 10.0, 150.0)
    >>> penalty_amount(p, 10000.0, 80.0), penalty_amount(p, 10000.0, 75.0), penalty_amount(p, 10000.0, 0.0)
    (0.0, 50.0, 150.0)
    >>> penalty_amount(Penalty(50.0, "fixed", 200.0), 10000.0, 49.0)
    200.0
    """
    if attainment >= penalty.threshold:
        return 0.0
    if penalty.kind == "fixed":
        amount = penalty.value
    else:
        amount = target * (penalty.threshold - attainment) / 100.0 * penalty.value / 100.0
    return bound(max(amount, 0.0), cap=penalty.cap)


def payout(tiers, base, target, attainment, *, weight=100.0, floor=None, cap=None, gates=(), penalties=(),
           allow_negative=False):
    """The payout of one rule.

    Any failed gate pays 0 and says why. Otherwise the tier holding ``attainment`` pays on
    ``base`` (none below the first tier: 0), scaled by ``weight`` percent, bounded by ``floor``
    and ``cap``; the penalties are deducted from that. The result is never negative unless
    ``allow_negative``.

    >>> tiers = [Tier(0, 100, "rate", 1.0), Tier(100, None, "fixed", 500.0)]
    >>> payout(tiers, 8000.0, 10000.0, 80.0, gates=[Gate("Attainment", 80.0, 90.0)])
    Result(tier=None, rate=0.0, multiplier=1.0, gross=0.0, penalty=0.0, amount=0.0, gates_passed=False, \
reason='Attainment: 80 < 90')
    >>> payout(tiers, 8000.0, 10000.0, 80.0, weight=50.0, floor=60.0)
    Result(tier=0, rate=1.0, multiplier=1.0, gross=60.0, penalty=0.0, amount=60.0, gates_passed=True, reason='')
    >>> payout(tiers, 11000.0, 10000.0, 110.0, cap=400.0).amount
    400.0
    >>> payout(tiers, 10000.0, 10000.0, 10000.0 / 10000.0 * 99.99999999999999).tier  # float noise: 100 %
    1
    >>> payout(tiers, 5000.0, 10000.0, 50.0, penalties=[Penalty(60.0, "fixed", 80.0)]).amount
    0.0
    >>> payout(tiers, 5000.0, 10000.0, 50.0, penalties=[Penalty(60.0, "fixed", 80.0)], allow_negative=True).amount
    -30.0
    """
    # actual / target × 100 carries float noise (11,000 / 10,000 × 100 = 110.00000000000001):
    # a boundary must hold exactly what it reads
    attainment = round(attainment, ATTAINMENT_DIGITS)
    passed, reasons = check_gates(gates)
    if not passed:
        return Result(None, 0.0, 1.0, 0.0, 0.0, 0.0, False, "; ".join(reasons))
    index = find_tier(tiers, attainment)
    tier = tiers[index] if index is not None else None
    gross = tier_amount(tier, base) * weight / 100.0 if tier else 0.0
    gross = bound(gross, floor, cap)
    deduction = sum((penalty_amount(p, target, attainment) for p in penalties), 0.0)
    amount = gross - deduction
    if not allow_negative:
        amount = max(amount, 0.0)
    return Result(index, tier.value if tier else 0.0, tier.multiplier if tier else 1.0, gross, deduction, amount,
                  True, "")


def non_decreasing(tiers):
    """Whether ``tiers`` never pay less higher up: all of one kind, with an effective rate or
    amount (value × multiplier) that does not fall from one tier to the next. With such tiers
    and a base that grows with attainment, :func:`payout` is monotonic in attainment.

    >>> non_decreasing([Tier(0, 80, "rate", 2, 0.5), Tier(80, None, "rate", 2)])
    True
    >>> non_decreasing([Tier(0, 80, "rate", 2), Tier(80, None, "fixed", 2)])
    False
    """
    ordered = sorted(tiers, key=lambda t: t.lower)
    if len({t.kind for t in ordered}) > 1:
        return False
    effective = [t.value * t.multiplier for t in ordered]
    return all(a <= b for a, b in zip(effective, effective[1:]))
