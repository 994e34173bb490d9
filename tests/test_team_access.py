"""Who reads, writes and creates scorecards, their lines, assessments and team roll-ups, role
by operation: a salesperson reads their own published scorecards and assessments only (no
draft, nobody else's); a team leader manages those of the members of the teams they lead;
a manager all of the company; a manager of another company nothing."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_helpers import RoleAccessCase
from .common import FEB, JAN
ALL = {"rep_pub", "rep_draft", "rep_2_pub"}
READ = {
    "rep": {"rep_pub"},
    "rep_2": {"rep_2_pub"},
    "leader": {"rep_pub", "rep_draft"},
    "leader_2": {"rep_2_pub"},
    "manager": ALL,
    "manager_b": set(),
}
WRITE = {**READ, "rep": set(), "rep_2": set()}


@tagged("post_install", "-at_install")
class TestTeamAccess(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        cls._role_users("team")
        cls._staff_teams()
        cls.records = {}
        for model in ("sales.target.scorecard", "sales.target.assessment"):
            specs = {"rep_pub": ("rep", JAN, True), "rep_draft": ("rep", FEB, False),
                     "rep_2_pub": ("rep_2", JAN, True)}
            extra = {"line_ids": [Command.create({"kpi_id": cls.kpi_ordered.id, "weight": 100.0})]} \
                if model == "sales.target.scorecard" else {"rating_teamwork": 3, "rating_customer": 4}
            records = {}
            for key, (login, period, published) in specs.items():
                records[key] = env[model].create({
                    "user_id": cls.users[login].id, "company_id": company.id, "date_from": period[0],
                    "date_to": period[1], **extra})
                if published:
                    records[key].action_publish()
            cls.records[model] = records
        cls._target(cls, cls.kpi_ordered, JAN, value=100.0, team_id=cls.team_1)
        cls._target(cls, cls.kpi_ordered, JAN, value=200.0, team_id=cls.team_2)

    def _names(self, model, found):
        return {key for key, record in self.records[model].items() if record in found}

    def test_read(self):
        for model in ("sales.target.scorecard", "sales.target.assessment"):
            for role, expected in READ.items():
                with self.subTest(model=model, role=role):
                    found = self.env[model].with_user(self.users[role]).search([])
                    self.assertEqual(self._names(model, found), expected)
                    for key in ALL - expected:
                        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_rule"):
                            self.records[model][key].with_user(self.users[role]).read(["state"])
        # the lines follow their scorecard
        cards = self.records["sales.target.scorecard"]
        lines = self.env["sales.target.scorecard.line"].with_user(self.users["rep"]).search([])
        self.assertEqual(lines, cards["rep_pub"].line_ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_write(self):
        for role, expected in WRITE.items():
            for key in ALL:
                with self.subTest(role=role, key=key):
                    assessment = self.records["sales.target.assessment"][key].with_user(self.users[role])
                    card = self.records["sales.target.scorecard"][key].with_user(self.users[role])
                    if key in expected:
                        assessment.write({"teamwork_comment": "ok"})
                        card.line_ids.write({"cap": 130.0})
                    else:
                        with self.assertRaises(AccessError):
                            assessment.write({"teamwork_comment": "no"})
                        with self.assertRaises(AccessError):
                            card.write({"state": "draft"})

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_create(self):
        march = {"company_id": self.company.id, "date_from": "2026-03-01", "date_to": "2026-03-31"}
        # (who, for whom, allowed)
        cases = [("leader", "rep", True), ("leader", "rep_2", False), ("leader", "leader", False),
                 ("leader_2", "rep_2", True), ("rep", "rep", False), ("manager", "leader", True)]
        for model in ("sales.target.scorecard", "sales.target.assessment"):
            for role, login, allowed in cases:
                with self.subTest(model=model, role=role, login=login):
                    Model = self.env[model].with_user(self.users[role])
                    vals = {**march, "user_id": self.users[login].id}
                    if allowed:
                        Model.create(vals)
                    else:
                        with self.assertRaises(AccessError):
                            Model.create(vals)

    def _rollup_teams(self, role):
        rows = self.env["sales.target.team.rollup"].with_user(self.users[role]).search(
            [("team_id", "in", (self.team_1 | self.team_2).ids)])
        return set(rows.team_id)

    def test_rollup_read(self):
        # a draft plan's totals: its leaders and managers only, as its targets
        expected = {"rep": set(), "rep_2": set(), "leader": {self.team_1},
                    "leader_2": {self.team_2}, "manager": {self.team_1, self.team_2}, "manager_b": set()}
        for role, teams in expected.items():
            with self.subTest(role=role, state="draft"):
                self.assertEqual(self._rollup_teams(role), teams)
        self.plan.action_submit()
        self.plan.action_approve()
        self.plan.action_publish()
        expected.update(rep={self.team_1}, rep_2={self.team_2})
        for role, teams in expected.items():
            with self.subTest(role=role, state="published"):
                self.assertEqual(self._rollup_teams(role), teams)
        # who left the team (archived membership) no longer reads its totals
        self.env["crm.team.member"].search([("user_id", "=", self.users["rep"].id)]).action_archive()
        self.assertEqual(self._rollup_teams("rep"), set())

    def test_archived_membership(self):
        """A leader no longer manages the scorecards and assessments of who left their team."""
        self.env["crm.team.member"].search([("user_id", "=", self.users["rep"].id)]).action_archive()
        for model in ("sales.target.scorecard", "sales.target.assessment"):
            with self.subTest(model=model):
                found = self.env[model].with_user(self.users["leader"]).search([])
                self.assertEqual(self._names(model, found), set())
                with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_rule"):
                    self.records[model]["rep_draft"].with_user(self.users["leader"]).write({"state": "draft"})
        lines = self.records["sales.target.scorecard"]["rep_pub"].line_ids
        self.assertFalse(self.env["sales.target.scorecard.line"].with_user(self.users["leader"]).search(
            [("id", "in", lines.ids)]))
