"""Scorecards and assessments of salespeople: plain arithmetic, no ORM.

A scorecard line scores one KPI: its attainment (%, the KPI's direction already applied)
capped at the line's cap, times the line's weight. The weights of a scorecard sum to 100 %,
so that its overall score (the sum of its line scores) reads as a percentage: 100 when every
KPI is exactly on target, up to the cap when every KPI reaches it.

An assessment (handbook 6.3.2-6.3.3, 8.1.4) weighs the scorecard (what was achieved) against
the manager's ratings (how: teamwork, customer relationship maintenance), 60 / 40.
"""

#: the weights of a scorecard must sum to this, within WEIGHT_TOLERANCE
WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 0.01
#: share of the scorecard in an assessment's overall result; the ratings make the rest
SCORECARD_SHARE = 60.0
#: ratings are given from 1 to 5
RATING_MIN, RATING_MAX = 1, 5
#: grade -> lowest overall result that earns it, best first; below the last one: D
GRADES = (("A", 90.0), ("B", 75.0), ("C", 60.0))


def weights_ok(weights):
    """Whether ``weights`` (percentages) sum to 100 %; an empty scorecard is not checked.

    >>> weights_ok([60.0, 40.0]), weights_ok([]), weights_ok([33.33, 33.33, 33.34])
    (True, True, True)
    >>> weights_ok([60.0, 30.0])
    False
    """
    weights = list(weights)
    return not weights or abs(sum(weights) - WEIGHT_TOTAL) <= WEIGHT_TOLERANCE


def line_score(attainment, weight, cap):
    """The score of one line: ``min(attainment, cap) * weight / 100``; a negative attainment
    (credit notes above the orders) scores nothing rather than taking points from other KPIs.

    >>> line_score(80.0, 50.0, 120.0)      # 80 % of a KPI weighing 50 %
    40.0
    >>> line_score(150.0, 50.0, 120.0)     # capped at 120 %
    60.0
    >>> line_score(120.0, 50.0, 120.0)     # exactly at the cap
    60.0
    >>> line_score(-20.0, 50.0, 120.0)
    0.0
    """
    return max(0.0, min(attainment, cap)) * weight / 100.0


def overall_score(lines):
    """The scorecard's overall score: the sum of its ``(attainment, weight, cap)`` lines' scores.

    >>> overall_score([(80.0, 60.0, 120.0), (130.0, 40.0, 120.0)])   # 48 + 48
    96.0
    >>> overall_score([])
    0.0
    """
    return float(sum(line_score(*line) for line in lines))


def rating_percent(rating):
    """A rating of 1 to 5 as a percentage: 5 is 100 %, each point 20 %.

    >>> rating_percent(5), rating_percent(3), rating_percent(1)
    (100.0, 60.0, 20.0)
    """
    return rating * 100.0 / RATING_MAX


def overall_result(scorecard_score, ratings, scorecard_share=SCORECARD_SHARE):
    """The overall result of an assessment, 0 to 100: the scorecard's score (capped at 100, a
    score above target does not make up for poor ratings) for ``scorecard_share`` %, and the
    average of the ``ratings`` (1-5, as percentages) for the rest. Ratings not given yet
    (``0``/``None``) are left out of the average; with none given, that part counts 0.

    >>> overall_result(90.0, [4, 5])        # 0.6 * 90 + 0.4 * 90
    90.0
    >>> overall_result(110.0, [3, 3])       # 0.6 * 100 + 0.4 * 60
    84.0
    >>> overall_result(50.0, [])            # 0.6 * 50
    30.0
    >>> overall_result(0.0, [1, 1])         # 0.4 * 20
    8.0
    """
    given = [r for r in ratings if r]
    ratings_part = sum(rating_percent(r) for r in given) / len(given) if given else 0.0
    share = scorecard_share / 100.0
    return round(share * min(max(scorecard_score, 0.0), 100.0) + (1.0 - share) * ratings_part, 2)


def grade(result):
    """The grade of an overall result: A from 90, B from 75, C from 60, D below.

    >>> [grade(r) for r in (100.0, 90.0, 89.99, 75.0, 74.99, 60.0, 59.99, 0.0)]
    ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']
    """
    for letter, floor in GRADES:
        if result >= floor:
            return letter
    return "D"


def ranks(scores):
    """Competition ranks (1, 2, 2, 4) of ``scores``, highest first, in the order given.

    >>> ranks([70.0, 95.0, 70.0, 40.0])
    [2, 1, 2, 4]
    >>> ranks([])
    []
    """
    ordered = sorted(scores, reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return [first[score] for score in scores]
