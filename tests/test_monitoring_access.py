"""Who reads, writes, creates and deletes action items and risks, role by operation.

Fixtures: a published plan with a target of team 1 (led by ``leader``, salesperson ``rep``)
and one of team 2 (led by ``leader_2``, salesperson ``rep_2``), a draft plan with a target of
team 1; action items at plan level and on each target; a risk on each plan; a manager of the
company and one of another company.
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_helpers import RoleAccessCase
from .common import JAN
ACTIONS = {"a_pub", "a_led", "a_other", "a_draft", "a_draft_own"}
RISKS = {"r_pub", "r_draft"}

#: role -> action items / risks it reads
READ = {
    "rep": ({"a_pub", "a_led", "a_draft_own"}, {"r_pub"}),
    "rep_2": ({"a_pub", "a_other"}, {"r_pub"}),
    "leader": ({"a_pub", "a_led", "a_draft", "a_draft_own"}, RISKS),
    "leader_2": ({"a_pub", "a_other", "a_draft", "a_draft_own"}, RISKS),
    "manager": (ACTIONS, RISKS),
    "manager_b": (set(), set()),
}
#: role -> action items / risks whose status it may change
WRITE = {
    "rep": ({"a_led", "a_draft_own"}, set()),
    "rep_2": ({"a_other"}, set()),
    # their teams' targets' items; plan-level items and risks only of plans they are
    # responsible for (both plans here are the manager's)
    "leader": ({"a_led"}, set()),
    "leader_2": ({"a_other"}, set()),
    "manager": (ACTIONS, RISKS),
    "manager_b": (set(), set()),
}


@tagged("post_install", "-at_install")
class TestMonitoringAccess(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        cls._role_users("mon")
        cls._staff_teams()
        cls.plan_draft = env["sales.target.plan"].create({
            "name": "CST draft", "company_id": company.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31), "user_id": cls.users["manager"].id})
        Target = env["sales.target"]
        period = {"kpi_id": cls.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1], "target_value": 1000.0}
        cls.t_led, cls.t_other, cls.t_draft = Target.create([
            {**period, "plan_id": cls.plan.id, "team_id": cls.team_1.id, "user_id": cls.users["rep"].id},
            {**period, "plan_id": cls.plan.id, "team_id": cls.team_2.id, "user_id": cls.users["rep_2"].id},
            {**period, "plan_id": cls.plan_draft.id, "team_id": cls.team_1.id},
        ])
        cls.plan.write({"state": "published", "user_id": cls.users["manager"].id})
        deadline = date(2026, 2, 1)
        Action = env["sales.target.action"]
        cls.actions = dict(zip(("a_pub", "a_led", "a_other", "a_draft", "a_draft_own"), Action.create([
            {"name": "pub", "plan_id": cls.plan.id, "user_id": cls.users["manager"].id, "deadline": deadline},
            {"name": "led", "target_id": cls.t_led.id, "user_id": cls.users["rep"].id, "deadline": deadline},
            {"name": "other", "target_id": cls.t_other.id, "user_id": cls.users["rep_2"].id, "deadline": deadline},
            {"name": "draft", "plan_id": cls.plan_draft.id, "user_id": cls.users["manager"].id, "deadline": deadline},
            {"name": "draft own", "plan_id": cls.plan_draft.id, "user_id": cls.users["rep"].id, "deadline": deadline},
        ])))
        Risk = env["sales.target.risk"]
        cls.risks = dict(zip(("r_pub", "r_draft"), Risk.create([
            {"name": "pub", "plan_id": cls.plan.id, "user_id": cls.users["rep"].id},
            {"name": "draft", "plan_id": cls.plan_draft.id},
        ])))

    def _check(self, records, expected, operation, attempt):
        self._check_roles(records, expected, operation, attempt)

    def test_read(self):
        def read(record):
            record.invalidate_recordset()
            record.read(["name"])
        self._check(self.actions, {r: v[0] for r, v in READ.items()}, "read", read)
        self._check(self.risks, {r: v[1] for r, v in READ.items()}, "read", read)

    def test_search_matches_read(self):
        for role, user in self.users.items():
            found = self.env["sales.target.action"].with_user(user).search([("id", "in", [
                a.id for a in self.actions.values()])])
            self.assertEqual(found, self.env["sales.target.action"].browse(
                [self.actions[n].id for n in sorted(READ[role][0], key=list(self.actions).index)]), role)

    def test_write_status(self):
        self._check(self.actions, {r: v[0] for r, v in WRITE.items()}, "write",
                    lambda record: record.write({"state": "in_progress"}))
        self._check(self.risks, {r: v[1] for r, v in WRITE.items()}, "write",
                    lambda record: record.write({"status": "closed"}))

    def test_unlink(self):
        # salespeople delete nothing; leaders and managers what they manage
        expected = {role: (set() if role.startswith("rep") else writable[0]) for role, writable in WRITE.items()}
        self._check(self.actions, expected, "unlink", lambda record: record.unlink())
        expected = {role: (set() if role.startswith("rep") else writable[1]) for role, writable in WRITE.items()}
        self._check(self.risks, expected, "unlink", lambda record: record.unlink())

    def test_create_matrix(self):
        values = {"on_led": {"target_id": self.t_led.id}, "on_other": {"target_id": self.t_other.id},
                  "on_draft_plan": {"plan_id": self.plan_draft.id}}
        expected = {"rep": set(), "rep_2": set(), "leader": {"on_led"},
                    "leader_2": {"on_other"}, "manager": set(values), "manager_b": set()}
        failures = []
        for role, user in self.users.items():
            for name, vals in values.items():
                done = self._attempt(self.env["sales.target.action"].with_user(user).create, {
                    "name": "new", "deadline": "2026-02-01", "user_id": user.id, **vals})
                if done != (name in expected[role]):
                    failures.append(f"{role} create {name}: {'allowed' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))

    def test_leader_responsible_for_a_plan_manages_its_items_and_risks(self):
        self.plan_draft.user_id = self.users["leader"]
        leader = self.users["leader"]
        self.actions["a_draft"].with_user(leader).write({"state": "in_progress"})
        self.risks["r_draft"].with_user(leader).write({"status": "closed"})
        with self.assertRaises(AccessError):
            self.risks["r_pub"].with_user(leader).write({"status": "closed"})

    def test_owner_changes_only_progress(self):
        action = self.actions["a_led"].with_user(self.users["rep"])
        action.write({"state": "done", "description": "Visited all five"})
        self.assertEqual(action.state, "done")
        for vals in ({"deadline": "2026-03-01"}, {"user_id": self.users["rep_2"].id}, {"budget": 10.0}):
            with self.assertRaisesRegex(UserError, "only the team leader or a manager"):
                action.write(vals)

    def test_leader_cannot_move_action_out_of_reach(self):
        action = self.actions["a_led"].with_user(self.users["leader"])
        with self.assertRaises(AccessError), mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
            action.write({"target_id": self.t_other.id})
