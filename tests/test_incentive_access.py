"""Who reads, writes, creates and deletes incentive plans and statements, role by operation.

Fixtures: an active plan for salespeople A (``rep``, team 1, led by ``leader``) and B (``rep_2``,
team 2); a draft plan for A; an active plan for B only. Statements: A's confirmed and A's draft
of January (team 1), B's confirmed (team 2). A manager of the company, one of another company.
"""

import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import JAN, SalesTargetCase

LEADER = "sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_team_leader"
MANAGER = "base.group_user,crm_sales_target.crm_sales_target_group_manager"


@tagged("post_install", "-at_install")
class TestIncentiveAccess(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.leader = new_test_user(env, "cst_inc_leader", groups=LEADER, company_id=cls.company.id,
                                   company_ids=[Command.set(cls.company.ids)])
        cls.manager = new_test_user(env, "cst_inc_acc_manager", groups=MANAGER, company_id=cls.company.id,
                                    company_ids=[Command.set(cls.company.ids)])
        cls.manager_b = new_test_user(env, "cst_inc_manager_b", groups=MANAGER, company_id=cls.other_company.id,
                                      company_ids=[Command.set(cls.other_company.ids)])
        cls.team_1.user_id = cls.leader
        env["crm.team.member"].create([{"crm_team_id": cls.team_1.id, "user_id": cls.user_a.id},
                                       {"crm_team_id": cls.team_2.id, "user_id": cls.user_b.id}])
        Plan = env["sales.target.incentive.plan"]

        def plan(name, users, state="active"):
            return Plan.create({
                "name": name, "company_id": cls.company.id, "user_ids": [Command.set(users.ids)],
                "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31), "state": state,
                "tier_ids": [Command.create({"lower": 0.0, "rate": 1.0})],
                "rule_ids": [Command.create({"name": f"{name} rule", "kpi_id": cls.kpi_ordered.id})]})

        cls.plan_ab = plan("CST AB", cls.user_a | cls.user_b)
        cls.plan_draft = plan("CST Draft", cls.user_a, "draft")
        cls.plan_b = plan("CST B only", cls.user_b)
        Statement = env["sales.target.incentive.statement"]

        def statement(user, team, confirm=True):
            record = Statement.create({
                "plan_id": cls.plan_ab.id, "user_id": user.id, "team_id": team.id, "date_from": JAN[0],
                "date_to": JAN[1], "line_ids": [Command.create({"rule_id": cls.plan_ab.rule_ids.id,
                                                                "amount": 100.0, "base_amount": 1000.0})]})
            if confirm:
                record.action_confirm()
            return record

        cls.s_a = statement(cls.user_a, cls.team_1)
        cls.s_a_draft = statement(cls.user_a, cls.team_1, confirm=False)
        cls.s_b = statement(cls.user_b, cls.team_2)
        cls.roles = {"rep": cls.user_a, "rep_2": cls.user_b, "leader": cls.leader, "manager": cls.manager,
                     "manager_b": cls.manager_b}

    def _read(self, model, user, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_read_statements(self):
        every = self.s_a | self.s_a_draft | self.s_b
        expected = {"rep": self.s_a, "rep_2": self.s_b, "leader": self.s_a | self.s_a_draft,
                    "manager": every, "manager_b": self.env["sales.target.incentive.statement"]}
        for role, statements in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self._read("sales.target.incentive.statement", self.roles[role], every), statements)
                lines = self._read("sales.target.incentive.statement.line", self.roles[role], every.line_ids)
                self.assertEqual(lines, statements.line_ids)

    def test_read_plans(self):
        every = self.plan_ab | self.plan_draft | self.plan_b
        expected = {"rep": self.plan_ab, "rep_2": self.plan_ab | self.plan_b,
                    "leader": self.plan_ab | self.plan_draft, "manager": every,
                    "manager_b": self.env["sales.target.incentive.plan"]}
        for role, plans in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self._read("sales.target.incentive.plan", self.roles[role], every), plans)
                rules = self._read("sales.target.incentive.rule", self.roles[role], every.rule_ids)
                self.assertEqual(rules, plans.rule_ids)
                tiers = self._read("sales.target.incentive.tier", self.roles[role], every.tier_ids)
                self.assertEqual(tiers, plans.tier_ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_write_create_unlink(self):
        for role in ("rep", "leader"):
            user = self.roles[role]
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.s_a_draft.with_user(user).action_confirm()
                with self.assertRaises(AccessError):
                    self.s_a_draft.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["sales.target.incentive.statement"].with_user(user).create({
                        "plan_id": self.plan_ab.id, "user_id": user.id, "date_from": JAN[0], "date_to": JAN[1]})
                with self.assertRaises(AccessError):
                    self.plan_ab.with_user(user).name = "Mine"
                with self.assertRaises(AccessError):
                    self.env["sales.target.incentive.compute"].with_user(user).create({"plan_id": self.plan_ab.id})
        with self.assertRaises(AccessError):
            self.s_a_draft.with_user(self.manager_b).action_confirm()
        with self.assertRaises(AccessError):
            self.plan_ab.with_user(self.manager_b).name = "Theirs"
        # the manager manages, but confirmed statements stay as they are
        self.plan_ab.with_user(self.manager).name = "CST AB 2026"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.s_a.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "confirmed statements cannot change"):
            self.s_a.with_user(self.manager).write({"date_to": date(2026, 1, 30)})
        self.s_a_draft.with_user(self.manager).action_confirm()
        self.assertEqual(self.s_a_draft.state, "confirmed")

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_export_holds_only_readable_statements(self):
        # the list of a salesperson shows their own: the export holds those only
        own = self.env["sales.target.incentive.statement"].with_user(self.user_a).search([])
        action = own.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        rows = list(openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.iter_rows(values_only=True))
        self.assertEqual({row[0] for row in rows[1:-1]}, {self.user_a.name})
        with self.assertRaises(AccessError):
            (self.s_a | self.s_b).with_user(self.user_a).action_export_xlsx()
