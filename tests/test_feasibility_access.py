"""Who reads and manages market analyses, feasibility reasons and the reverse funnel, role by
operation.

Fixtures: a published plan with a target of team 1 (led by ``leader``, salesperson ``rep``)
and one of team 2 (led by ``leader_2``, salesperson ``rep_2``), a draft plan with a target of
team 1; a market segment, competitor and customer need on each plan; the feasibility of the
three targets computed; a manager of the company and one of another company.
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_helpers import RoleAccessCase
from .common import JAN
MARKET = {"pub", "draft"}
TARGETS = {"t_led", "t_other", "t_draft"}
#: role -> (market records (by plan) it reads, targets whose reasons it reads)
READ = {
    "rep": ({"pub"}, {"t_led"}),
    "rep_2": ({"pub"}, {"t_other"}),
    "leader": (MARKET, {"t_led", "t_draft"}),
    "leader_2": (MARKET, {"t_other"}),
    "manager": (MARKET, TARGETS),
    "manager_b": (set(), set()),
}
#: role -> (market records it changes, targets whose feasibility it computes)
MANAGE = {
    "rep": (set(), set()),
    "rep_2": (set(), set()),
    "leader": (set(), {"t_led", "t_draft"}),
    "leader_2": (set(), {"t_other"}),
    "manager": (MARKET, TARGETS),
    "manager_b": (set(), set()),
}


class _Hidden(Exception):
    """A search found none of the records tried."""


@tagged("post_install", "-at_install")
class TestFeasibilityAccess(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        cls._role_users("fea")
        cls._staff_teams()
        cls.plan_draft = env["sales.target.plan"].create({
            "name": "CST draft", "company_id": company.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31)})
        period = {"kpi_id": cls.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1], "target_value": 1000.0}
        targets = env["sales.target"].create([
            {**period, "plan_id": cls.plan.id, "team_id": cls.team_1.id, "user_id": cls.users["rep"].id},
            {**period, "plan_id": cls.plan.id, "team_id": cls.team_2.id, "user_id": cls.users["rep_2"].id},
            {**period, "plan_id": cls.plan_draft.id, "team_id": cls.team_1.id},
        ])
        cls.targets = dict(zip(("t_led", "t_other", "t_draft"), targets))
        cls.plan.state = "published"
        cls.markets = {}
        for name, plan in (("pub", cls.plan), ("draft", cls.plan_draft)):
            segment = env["sales.target.market.segment"].create({
                "plan_id": plan.id, "region_id": cls.region_west.id, "market_size": 1000, "expected_share": 10})
            cls.markets[name] = {
                "segment": segment,
                "competitor": env["sales.target.competitor"].create(
                    {"plan_id": plan.id, "name": "Rival", "segment_id": segment.id}),
                "need": env["sales.target.customer.need"].create({"plan_id": plan.id, "segment_id": segment.id}),
            }
        targets._compute_feasibility(today=date(2026, 1, 10))

    def _check(self, records, expected, operation, attempt):
        self._check_roles(records, expected, operation, attempt, errors=(AccessError, UserError, _Hidden))

    def test_market_read(self):
        for kind in ("segment", "competitor", "need"):
            def read(record):
                record.invalidate_recordset()
                record.read(["plan_id"])
            self._check({name: records[kind] for name, records in self.markets.items()},
                        {r: v[0] for r, v in READ.items()}, f"read {kind}", read)

    def test_market_write_create_unlink(self):
        expected = {r: v[0] for r, v in MANAGE.items()}
        self._check({n: r["segment"] for n, r in self.markets.items()}, expected, "write",
                    lambda record: record.write({"expected_share": 12}))
        self._check({n: r["competitor"] for n, r in self.markets.items()}, expected, "unlink",
                    lambda record: record.unlink())
        plans = {"pub": self.plan, "draft": self.plan_draft}
        self._check(plans, expected, "create need",
                    lambda plan: plan.env["sales.target.customer.need"].create({"plan_id": plan.id}))

    def test_reasons(self):
        def read(target):
            reasons = self.env["sales.target.feasibility.reason"].with_user(target.env.user).search(
                [("target_id", "=", target.id)])
            reasons.read(["text"])
            if not reasons:  # the rules hide them
                raise _Hidden
        self._check(self.targets, {r: v[1] for r, v in READ.items()}, "read reasons", read)
        self._check(self.targets, {r: v[1] for r, v in MANAGE.items()}, "compute",
                    lambda target: target.action_compute_feasibility())
        # nobody types a score
        self._check(self.targets, {r: set() for r in self.users}, "write score",
                    lambda target: target.write({"feasibility_score": 100}))

    def test_funnel_access(self):
        # the wizard is for those who manage targets: salespeople cannot open it
        wizard = self.env["sales.target.funnel"].with_user(self.users["rep"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            wizard.create({"target_id": self.targets["t_led"].id})
        leader = self.env["sales.target.funnel"].with_user(self.users["leader"]).create(
            {"target_id": self.targets["t_led"].id})
        self.assertEqual(leader.gap, 1000)
