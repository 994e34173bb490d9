"""Action items, risks, at-risk alerts and the weekly digest (handbook 3.2, 5.2, 5.3)."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import JAN, SalesTargetCase

ALERT_TYPE = "crm_sales_target.mail_activity_type_sales_target_alert"
OVERDUE_TYPE = "crm_sales_target.mail_activity_type_sales_target_action_overdue"


@tagged("post_install", "-at_install")
class TestMonitoring(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        leader_groups = "sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_team_leader"
        cls.leader_1, cls.leader_2 = (new_test_user(
            cls.env, login=login, groups=leader_groups, company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)], email=f"{login}@example.com",
        ) for login in ("cst_leader_1", "cst_leader_2"))
        cls.team_1.user_id = cls.leader_1
        cls.team_2.user_id = cls.leader_2

    def setUp(self):
        super().setUp()
        # January: 100 ordered by A in team 1, 900 by B in team 2
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a, team=self.team_1)
        self._order(self.cust_nv, [(self.prod_a, 9, 100.0)], "2026-01-10", user=self.user_b, team=self.team_2)
        self.t_rep = self._target(self.kpi_ordered, JAN, user_id=self.user_a, team_id=self.team_1)
        self.t_team = self._target(self.kpi_ordered, JAN, team_id=self.team_1)
        self.t_good = self._target(self.kpi_ordered, JAN, user_id=self.user_b, team_id=self.team_2)
        self.t_team_2 = self._target(self.kpi_ordered, JAN, team_id=self.team_2, value=5000.0)
        self.targets = self.t_rep | self.t_team | self.t_good | self.t_team_2
        self.plan.state = "published"

    def _alerts(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.target.plan"), ("res_id", "=", self.plan.id),
            ("activity_type_id", "=", self.env.ref(ALERT_TYPE).id)])

    # ------------------------------------------------------------------ alerts
    def test_alert_once_per_target(self):
        # on 20 January 20/31 of 1000 (645.16) is expected: 100 is off track, 900 on track,
        # 900 of 5000 (expected 3225.81) off track
        self._refresh(self.targets, date(2026, 1, 20))
        self.assertEqual(self.t_rep.status, "off_track")
        self.assertEqual(self.t_team.status, "off_track")
        self.assertEqual(self.t_good.status, "on_track")
        self.assertEqual(self.t_team_2.status, "off_track")
        alerts = self._alerts()
        # t_rep: A and leader 1; t_team (no salesperson): leader 1 once; t_team_2: leader 2
        self.assertEqual(sorted((a.user_id.login, a.summary.split(": ", 1)[1]) for a in alerts), sorted([
            ("cst_sales_a", self.t_rep.display_name), ("cst_leader_1", self.t_rep.display_name),
            ("cst_leader_1", self.t_team.display_name), ("cst_leader_2", self.t_team_2.display_name),
        ]))
        self.assertEqual(self.t_rep.alert_status, "off_track")
        self.assertTrue(self.t_rep.alert_date)
        self.assertFalse(self.t_good.alert_date)
        # a second refresh with other figures, back on track on the 2nd, off track again on
        # the 25th: nobody is alerted twice
        self._refresh(self.targets, date(2026, 1, 25))
        self._refresh(self.targets, date(2026, 1, 2))
        self.assertEqual(self.t_rep.status, "on_track")
        self._refresh(self.targets, date(2026, 1, 26))
        self.assertEqual(self.t_rep.status, "off_track")
        self.assertEqual(self._alerts(), alerts)

    def test_alert_when_turning_later(self):
        # on track on the 2nd (expected 64.52), then off track on the 20th: alerted then
        self._refresh(self.t_rep, date(2026, 1, 2))
        self.assertEqual(self.t_rep.status, "on_track")
        self.assertFalse(self._alerts())
        self._refresh(self.t_rep, date(2026, 1, 20))
        self.assertEqual(sorted(self._alerts().user_id.mapped("login")), ["cst_leader_1", "cst_sales_a"])

    def test_no_alert_outside_published_plans(self):
        self.plan.state = "approved"
        self._refresh(self.targets, date(2026, 1, 20))
        self.assertEqual(self.t_rep.status, "off_track")
        self.assertFalse(self._alerts())
        self.assertFalse(self.t_rep.alert_date)

    def test_alert_fields_not_writable(self):
        with self.assertRaisesRegex(UserError, "Alert sent"):
            self.t_rep.write({"alert_date": "2026-01-01"})

    # ------------------------------------------------------------------ actions
    def _action(self, **values):
        return self.env["sales.target.action"].create({
            "name": "Call back lost customers", "plan_id": self.plan.id, "user_id": self.user_a.id,
            "deadline": fields.Date.today() - timedelta(days=3), **values})

    def test_action_plan_follows_target(self):
        action = self.env["sales.target.action"].create({
            "name": "Visit", "target_id": self.t_rep.id, "user_id": self.user_a.id, "deadline": "2026-01-15"})
        self.assertEqual(action.plan_id, self.plan)
        self.assertEqual(self.t_rep.action_count, 1)
        self.assertEqual(self.plan.action_count, 1)
        other_plan = self.plan.copy({"name": "Other"})
        with self.assertRaisesRegex(ValidationError, "another plan"):
            action.write({"plan_id": other_plan.id, "target_id": self.t_rep.id})

    def test_overdue_search_and_activity_once(self):
        overdue = self._action()
        done = self._action(state="done")
        future = self._action(deadline=fields.Date.today() + timedelta(days=3))
        Action = self.env["sales.target.action"]
        self.assertEqual(Action.search([("id", "in", (overdue | done | future).ids), ("is_overdue", "=", True)]),
                         overdue)
        self.assertEqual(Action.search([("id", "in", (overdue | done | future).ids), ("is_overdue", "=", False)]),
                         done | future)
        Action._cron_notify_overdue()
        Action._cron_notify_overdue()
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "sales.target.action"), ("res_id", "in", (overdue | done | future).ids),
            ("activity_type_id", "=", self.env.ref(OVERDUE_TYPE).id)])
        self.assertEqual(len(activities), 1)
        self.assertEqual((activities.res_id, activities.user_id), (overdue.id, self.user_a))

    def test_negative_budget_refused(self):
        with self.assertRaisesRegex(ValidationError, "Budget needed"):
            self._action(budget=-1.0)

    # ------------------------------------------------------------------ risks
    def test_risk_score_and_mitigation(self):
        risk = self.env["sales.target.risk"].create({
            "name": "Price war", "plan_id": self.plan.id, "category": "competition",
            "probability": "4", "impact": "5"})
        self.assertEqual(risk.score, 20)
        risk.impact = "2"
        self.assertEqual(risk.score, 8)
        self.assertEqual(self.plan.risk_count, 1)
        with self.assertRaisesRegex(ValidationError, "Mitigation"):
            risk.status = "mitigating"
        risk.write({"status": "mitigating", "mitigation": "Bundle services"})
        risk.status = "closed"
        self.assertEqual(self.plan.risk_count, 0)

    # ------------------------------------------------------------------ digest
    def test_digest_of_a_leader(self):
        self._refresh(self.targets, date(2026, 1, 20))
        self._action(name="Overdue of team 1", target_id=self.t_rep.id, deadline=date(2026, 1, 5))
        self._action(name="Overdue of team 2", target_id=self.t_good.id, user_id=self.user_b.id,
                     deadline=date(2026, 1, 5))
        Digest = self.env["sales.target.digest"]
        values = Digest._digest_values(self.leader_1, today=date(2026, 1, 20))
        self.assertEqual([row["name"] for row in values["at_risk"]],
                         [self.t_rep.display_name, self.t_team.display_name])
        self.assertEqual([row["name"] for row in values["overdue_actions"]], ["Overdue of team 1"])
        body = str(Digest._render_digest(self.leader_1, today=date(2026, 1, 20)))
        self.assertIn(self.t_rep.display_name, body)
        self.assertIn(self.t_team.display_name, body)
        self.assertIn("Overdue of team 1", body)
        self.assertNotIn(self.t_team_2.display_name, body)
        self.assertNotIn("Overdue of team 2", body)
        self.assertNotIn("CST Team 2", body)
        # the manager reads both teams: the lowest attainment first (100/1000, 100/1000, 900/5000)
        manager = new_test_user(self.env, login="cst_manager", groups="crm_sales_target.crm_sales_target_group_manager",
                                company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        values = Digest._digest_values(manager, today=date(2026, 1, 20))
        self.assertEqual([row["name"] for row in values["at_risk"]],
                         [self.t_rep.display_name, self.t_team.display_name, self.t_team_2.display_name])
        self.assertEqual(values["top"][0]["name"], self.t_good.display_name)

    def test_digest_cron_queues_mails(self):
        self._refresh(self.targets, date(2026, 1, 20))
        Digest = self.env["sales.target.digest"]
        self.assertIn(self.leader_1, Digest._digest_recipients())
        mails = self.env["mail.mail"].search([])
        Digest._cron_send_digest(today=date(2026, 1, 20))
        new = self.env["mail.mail"].search([]) - mails
        leader_mail = new.filtered(lambda m: self.leader_1.partner_id in m.recipient_ids)
        self.assertEqual(len(leader_mail), 1)
        self.assertIn(self.t_rep.display_name, str(leader_mail.body_html))
