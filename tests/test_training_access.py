"""Who reads, writes and creates training records, role by operation.

Fixtures: team 1 (led by ``leader``, member ``rep`` and ``mate``) and team 2 (led by
``leader_2``, member ``rep_2``); a course of the company and one of the other company; a
session for each team, with the attendance of ``rep`` and ``mate`` (team 1) and ``rep_2``
(team 2); a training plan per team; a measured effect; a suggestion per team; a manager of
the company and one of the other company.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_helpers import USER, RoleAccessCase
ALL_ATTENDANCE = {"at_rep", "at_mate", "at_rep2"}

#: role -> names of the records it reads
READ = {
    "rep": {"c1", "s1", "s2", "at_rep", "p1"},
    "rep_2": {"c1", "s1", "s2", "at_rep2", "p2"},
    "leader": {"c1", "s1", "s2", "at_rep", "at_mate", "p1", "e1", "g1"},
    "leader_2": {"c1", "s1", "s2", "at_rep2", "p2", "e1", "g2"},
    "manager": {"c1", "s1", "s2", *ALL_ATTENDANCE, "p1", "p2", "e1", "g1", "g2"},
    "manager_b": {"c_other"},
}
#: role -> names of the records whose main field it may change
WRITE = {
    "rep": set(),
    "rep_2": set(),
    "leader": {"s1", "at_rep", "at_mate", "p1", "g1"},
    "leader_2": {"s2", "at_rep2", "p2", "g2"},
    "manager": {"c1", "s1", "s2", *ALL_ATTENDANCE, "p1", "p2", "g1", "g2"},
    "manager_b": {"c_other"},
}
#: role -> attendance lines whose satisfaction it may give
SATISFACTION = {
    "rep": {"at_rep"}, "rep_2": {"at_rep2"}, "leader": {"at_rep", "at_mate"}, "leader_2": {"at_rep2"},
    "manager": ALL_ATTENDANCE, "manager_b": set(),
}
#: main field written per model
VALUES = {
    "sales.target.training.course": {"name": "renamed"},
    "sales.target.training.session": {"place": "elsewhere"},
    "sales.target.training.attendance": {"score": 50.0},
    "sales.target.training.plan": {"target_hours": 3.0},
    "sales.target.training.effect": {"change": 9.0},
    "sales.target.training.suggestion": {"state": "dismissed"},
}


@tagged("post_install", "-at_install")
class TestTrainingAccess(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        u = cls._role_users("trn")
        cls._staff_teams()
        cls.mate = cls._user("trn_mate", USER)
        env["crm.team.member"].create({"crm_team_id": cls.team_1.id, "user_id": cls.mate.id})
        Course = env["sales.target.training.course"]
        c1, c_other = Course.create([
            {"name": "CST course", "company_id": company.id, "kpi_ids": [Command.set(cls.kpi_won.ids)]},
            {"name": "Other course", "company_id": cls.other_company.id},
        ])
        s1, s2 = env["sales.target.training.session"].create([{
            "course_id": c1.id, "date": "2026-04-01", "state": "done", "team_ids": [Command.set(team.ids)],
            "attendance_ids": [Command.create({"user_id": usr.id}) for usr in users],
        } for team, users in ((cls.team_1, u["rep"] + cls.mate), (cls.team_2, u["rep_2"]))])
        at = {line.user_id: line for line in (s1 | s2).attendance_ids}
        p1, p2 = env["sales.target.training.plan"].create([{
            "name": f"Plan {team.name}", "team_id": team.id, "company_id": company.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31", "target_hours": 10.0,
        } for team in (cls.team_1, cls.team_2)])
        e1 = env["sales.target.training.effect"].create({
            "course_id": c1.id, "session_id": s1.id, "company_id": company.id, "kpi_id": cls.kpi_won.id,
            "group_type": "attendees", "count": 2})
        g1, g2 = env["sales.target.training.suggestion"].create([{
            "user_id": usr.id, "kpi_id": cls.kpi_won.id, "team_id": team.id, "leader_id": team.user_id.id,
            "company_id": company.id,
        } for usr, team in ((u["rep"], cls.team_1), (u["rep_2"], cls.team_2))])
        cls.records = {
            "c1": c1, "c_other": c_other, "s1": s1, "s2": s2, "at_rep": at[u["rep"]], "at_mate": at[cls.mate],
            "at_rep2": at[u["rep_2"]], "p1": p1, "p2": p2, "e1": e1, "g1": g1, "g2": g2,
        }

    def _check(self, expected, operation, attempt, names=None):
        records = {name: record for name, record in self.records.items() if not names or name in names}
        self._check_roles(records, expected, operation, attempt)

    def test_read(self):
        def read(record):
            record.invalidate_recordset()
            record.read(["display_name"])
        self._check(READ, "read", read)

    def test_write(self):
        self._check(WRITE, "write", lambda record: record.write(VALUES[record._name]))

    def test_satisfaction(self):
        self._check(SATISFACTION, "satisfaction", lambda record: record.write({"satisfaction": 4}),
                    names=ALL_ATTENDANCE)

    def test_create(self):
        u = self.users

        def attempt(user, model, vals):
            return self._attempt(self.env[model].with_user(user).create, vals)

        session = {"course_id": self.records["c1"].id, "date": "2026-05-01"}
        for role, team, allowed in (("leader", self.team_1, True), ("leader", self.team_2, False),
                                    ("leader_2", self.team_2, True), ("rep", self.team_1, False),
                                    ("manager", self.team_2, True), ("manager_b", self.team_1, False)):
            self.assertEqual(attempt(u[role], "sales.target.training.session",
                                     {**session, "team_ids": [Command.set(team.ids)]}), allowed, (role, team.name))
            self.assertEqual(attempt(u[role], "sales.target.training.plan", {
                "name": "new", "team_id": team.id, "company_id": self.company.id,
                "date_from": "2026-01-01", "date_to": "2026-06-30"}), allowed, (role, team.name))
        line = {"session_id": self.records["s1"].id, "user_id": self.users["rep_2"].id}
        self.assertFalse(attempt(u["rep"], "sales.target.training.attendance", line))
        self.assertTrue(attempt(u["leader"], "sales.target.training.attendance", line))
        self.assertFalse(attempt(u["leader_2"], "sales.target.training.attendance", line))
        self.assertFalse(attempt(u["leader"], "sales.target.training.effect", {
            "course_id": self.records["c1"].id, "company_id": self.company.id, "kpi_id": self.kpi_won.id,
            "group_type": "control"}))

    def test_leader_measures_own_sessions_only(self):
        self.records["s1"].with_user(self.users["leader"]).action_compute_effects()
        with self.assertRaises(AccessError), mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
            self.records["s2"].with_user(self.users["leader"]).action_compute_effects()

    def test_views_load_for_each_role(self):
        views = {
            "sales.target.training.course": ["list", "form", "kanban", "search"],
            "sales.target.training.session": ["list", "form", "calendar", "search"],
            "sales.target.training.attendance": ["list", "pivot", "graph", "search"],
            "sales.target.training.plan": ["list", "form"],
            "sales.target.training.effect": ["list", "graph", "pivot", "search"],
            "sales.target.training.suggestion": ["list", "form", "search"],
        }
        for role in ("rep", "leader", "manager"):
            user = self.users[role]
            for model, types in views.items():
                Model = self.env[model].with_user(user)
                if not Model.has_access("read"):
                    self.assertIn(model, ("sales.target.training.effect", "sales.target.training.suggestion"), role)
                    continue
                result = Model.get_views([(False, view_type) for view_type in types])
                self.assertEqual(set(result["views"]), set(types), (role, model))
        form = self.env["sales.target.training.course"].with_user(self.users["rep"]).get_views([(False, "form")])
        self.assertNotIn("effect_ids", form["views"]["form"]["arch"], "reps do not see the measured effects")
