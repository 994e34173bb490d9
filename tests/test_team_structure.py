"""Team structure: parent teams without cycles nor company mixing, the roll-up of a team's
targets and actuals over its sub-teams (leaf targets only, KPIs never added together), and the
capacity weight of member roles."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import FEB, JAN, SalesTargetCase


@tagged("post_install", "-at_install")
class TestTeamStructure(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.region = cls.env["crm.team"].create({"name": "CST Region", "company_id": cls.company.id,
                                                 "level": "region"})
        (cls.team_1 | cls.team_2).parent_id = cls.region

    def test_cycles_refused(self):
        with self.assertRaisesRegex(ValidationError, "Parent Team"), self.env.cr.savepoint():
            self.region.parent_id = self.team_1
        with self.assertRaisesRegex(ValidationError, "Parent Team"), self.env.cr.savepoint():
            self.team_1.parent_id = self.team_1
        sub = self.env["crm.team"].create({"name": "CST Sub", "company_id": self.company.id,
                                           "parent_id": self.team_1.id})
        with self.assertRaisesRegex(ValidationError, "Parent Team"), self.env.cr.savepoint():
            self.region.parent_id = sub
        self.assertEqual(self.region.child_ids, self.team_1 | self.team_2)

    def test_parent_of_another_company_refused(self):
        with self.assertRaisesRegex(ValidationError, "Parent Team"), self.env.cr.savepoint():
            self.team_other.parent_id = self.region

    def _rows(self, team):
        return {(row.kpi_id, row.date_from): (row.target_value, row.actual_value, row.target_count)
                for row in team.sales_target_rollup_ids}

    def test_rollup(self):
        # team 1, January, ordered revenue: a team target split into its salespeople's
        parent = self._target(self.kpi_ordered, JAN, value=1000.0, team_id=self.team_1)
        self.env["sales.target"].create([
            {"plan_id": self.plan.id, "kpi_id": self.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
             "team_id": self.team_1.id, "user_id": user.id, "target_value": value, "parent_id": parent.id}
            for user, value in ((self.user_a, 600.0), (self.user_b, 400.0))])
        self._target(self.kpi_ordered, JAN, value=500.0, team_id=self.team_2)
        self._target(self.kpi_ordered, JAN, value=50.0, team_id=self.region)      # the region's own
        self._target(self.kpi_invoiced, JAN, value=300.0, team_id=self.team_1)    # another KPI
        self._target(self.kpi_ordered, FEB, value=700.0, team_id=self.team_1)     # another period
        self._order(self.cust_ca, [(self.prod_a, 3, 100.0)], "2026-01-10", user=self.user_a, team=self.team_1)
        self._refresh(self.plan.target_ids)

        # leaves only: 600 + 400 (not the team target of 1000 above them too), actual 300 of user A
        self.assertEqual(self._rows(self.team_1), {
            (self.kpi_ordered, JAN[0]): (1000.0, 300.0, 2),
            (self.kpi_invoiced, JAN[0]): (300.0, 0.0, 1),
            (self.kpi_ordered, FEB[0]): (700.0, 0.0, 1),
        })
        self.assertEqual(self._rows(self.team_2), {(self.kpi_ordered, JAN[0]): (500.0, 0.0, 1)})
        # the region: its own 50 + team 1's 1000 + team 2's 500, per KPI and period
        self.assertEqual(self._rows(self.region), {
            (self.kpi_ordered, JAN[0]): (1550.0, 300.0, 4),
            (self.kpi_invoiced, JAN[0]): (300.0, 0.0, 1),
            (self.kpi_ordered, FEB[0]): (700.0, 0.0, 1),
        })
        row = self.region.sales_target_rollup_ids.filtered(lambda r: r.kpi_id == self.kpi_ordered
                                                           and r.date_from == JAN[0])
        self.assertEqual(row.team_count, 3)
        self.assertAlmostEqual(row.attainment, 300.0 / 1550.0 * 100.0)

    def test_member_roles_capacity(self):
        member_a, member_b = self.env["crm.team.member"].create([
            {"crm_team_id": self.team_1.id, "user_id": self.user_a.id, "role": "senior"},
            {"crm_team_id": self.team_1.id, "user_id": self.user_b.id},
        ])
        self.assertEqual(member_b.role, "other")
        self.assertEqual((member_a._capacity_weight(), member_b._capacity_weight()), (1.2, 1.0))
        seniors = self.env["crm.team.member"].search([("crm_team_id", "=", self.team_1.id), ("role", "=", "senior")])
        self.assertEqual(seniors, member_a)
        for role, weight in (("junior", 0.6), ("key_account", 1.0), ("other", 1.0)):
            member_b.role = role
            self.assertEqual(member_b._capacity_weight(), weight)
        # configurable per company
        self.company.sales_target_weight_other = 0.8
        self.assertEqual(member_b._capacity_weight(), 0.8)
        with self.assertRaisesRegex(ValidationError, "Capacity"), self.env.cr.savepoint():
            self.company.sales_target_weight_senior = -1.0
