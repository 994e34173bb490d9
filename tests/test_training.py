"""Training effectiveness and suggested training, on hand-computed fixtures.

A course aimed at won opportunities and ordered revenue; a session on 2026-04-01 (company in
UTC unless said otherwise), windows of 90 days: before = 2026-01-01..2026-03-31, after =
2026-04-01..2026-06-29. Team 1 holds ``user_a`` and ``user_b`` (attendees) and ``rep_c``,
``rep_d`` (who stayed away: the control group); ``rep_x`` was listed but did not attend
(in neither group).

Won deals (closing dates):
* a: before 1 (03-31 23:59:59), after 4 (04-01 00:00:00, 04-20, 05-10, 06-29 23:00);
  out of both windows: 2025-12-31 23:00 and 06-30 00:00  -> +3
* b: before 3, after 4                                    -> +1
* c: before 2, after 3                                    -> +1
* d: before 0, after 1                                    -> +1
Attendees: before (1+3)/2 = 2, after (4+4)/2 = 4, change +2 (+100 %); control: before
(2+0)/2 = 1, after (3+1)/2 = 2, change +1 (+100 %); effect 2 - 1 = +1.

Ordered revenue: a 1000 on 03-15 and 1500 on 04-10; c 500 on 03-15 and 500 on 04-10.
Attendees: before (1000+0)/2 = 500, after (1500+0)/2 = 750, change +250 (+50 %); control:
before 250, after 250, change 0 (0 %); effect +250.
"""

from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import FEB, JAN, SalesTargetCase

SALESMAN = "sales_team.group_sale_salesman"
LEADER = f"{SALESMAN},crm_sales_target.crm_sales_target_group_team_leader"


@tagged("post_install", "-at_install")
class TestTraining(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company

        def user(login, groups=SALESMAN):
            return new_test_user(env, login=login, groups=groups, company_id=company.id,
                                 company_ids=[Command.set(company.ids)])

        cls.rep_c, cls.rep_d, cls.rep_x, cls.rep_e = (user(f"cst_train_{x}") for x in "cdxe")
        cls.leader = user("cst_train_leader", LEADER)
        cls.team_1.user_id = cls.leader
        cls.team_1.crm_team_member_ids = [Command.create({"user_id": u.id})
                                          for u in (cls.user_a, cls.user_b, cls.rep_c, cls.rep_d, cls.rep_x)]
        cls.team_2.crm_team_member_ids = [Command.create({"user_id": cls.rep_e.id})]
        cls.course = env["sales.target.training.course"].create({
            "name": "CST Consultative selling", "content_type": "skills", "company_id": company.id,
            "kpi_ids": [Command.set((cls.kpi_won + cls.kpi_ordered).ids)],
        })

    def _session(self, day="2026-04-01", attended=(), absent=(), state="done", course=None, teams=None):
        return self.env["sales.target.training.session"].create({
            "course_id": (course or self.course).id, "date": day, "hours": 4.0, "state": state,
            "team_ids": [Command.set((teams or self.team_1).ids)],
            "attendance_ids": [Command.create({"user_id": u.id, "attended": True}) for u in attended]
            + [Command.create({"user_id": u.id, "attended": False}) for u in absent],
        })

    def _won(self, user, *closings, team=None):
        for index, closing in enumerate(closings):
            self._lead(f"CST deal {user.login} {index}", user=user, team=team or self.team_1, won=closing)

    def _deals(self):
        self._won(self.user_a, "2025-12-31 23:00:00", "2026-03-31 23:59:59", "2026-04-01 00:00:00",
                  "2026-04-20", "2026-05-10", "2026-06-29 23:00:00", "2026-06-30 00:00:00")
        self._won(self.user_b, "2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-04-06",
                  "2026-05-05", "2026-06-05")
        self._won(self.rep_c, "2026-03-10", "2026-03-11", "2026-04-10", "2026-04-11", "2026-04-12")
        self._won(self.rep_d, "2026-05-15")
        self._order(self.cust_ca, [(self.prod_a, 10, 100.0)], "2026-03-15", user=self.user_a)
        self._order(self.cust_ca, [(self.prod_a, 15, 100.0)], "2026-04-10", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_b, 5, 100.0)], "2026-03-15", user=self.rep_c)
        self._order(self.cust_nv, [(self.prod_b, 5, 100.0)], "2026-04-10", user=self.rep_c)

    def _rows(self, session=None, kpi=None, course=None):
        domain = [("course_id", "=", (course or self.course).id),
                  ("session_id", "=", session.id if session else False)]
        if kpi:
            domain.append(("kpi_id", "=", kpi.id))
        return {row.group_type: row for row in self.env["sales.target.training.effect"].search(domain)}

    def test_effect_against_control_group(self):
        self._deals()
        session = self._session(attended=self.user_a + self.user_b, absent=self.rep_x)
        session.action_compute_effects()
        rows = self._rows(session, self.kpi_won)
        ours, theirs = rows["attendees"], rows["control"]
        self.assertEqual((ours.count, ours.before_value, ours.after_value, ours.change), (2, 2.0, 4.0, 2.0))
        self.assertEqual((ours.change_pct, ours.has_change_pct), (100.0, True))
        self.assertEqual((theirs.count, theirs.before_value, theirs.after_value, theirs.change), (2, 1.0, 2.0, 1.0))
        self.assertTrue(ours.has_effect)
        self.assertEqual(ours.effect, 1.0)
        self.assertEqual((ours.date_from, ours.date_split, ours.date_to),
                         (date(2026, 1, 1), date(2026, 4, 1), date(2026, 6, 29)))
        revenue = self._rows(session, self.kpi_ordered)
        self.assertEqual((revenue["attendees"].before_value, revenue["attendees"].after_value), (500.0, 750.0))
        self.assertEqual((revenue["attendees"].change_pct, revenue["attendees"].effect), (50.0, 250.0))
        self.assertEqual((revenue["control"].before_value, revenue["control"].change), (250.0, 0.0))
        # the course pools its only done session: the same figures
        course_rows = self._rows(kpi=self.kpi_won)
        self.assertEqual((course_rows["attendees"].count, course_rows["attendees"].effect), (2, 1.0))
        self.assertEqual(course_rows["control"].count, 2)

    def _membership_dates(self, member, created, written):
        member.flush_recordset()
        self.env.cr.execute(SQL("UPDATE crm_team_member SET create_date = %s, write_date = %s WHERE id = %s",
                                created, written, member.id))
        member.invalidate_recordset(["create_date", "write_date"])

    def test_control_group_as_on_the_session_day(self):
        """c left team 1 in March, before the session: not in the control group; e was in
        team 1 until May, after it: in it. Control: d (before 0, after 1) and e (no deal):
        before 0, after 0.5, change +0.5; effect +2 - 0.5 = +1.5."""
        self._deals()
        Member = self.env["crm.team.member"].with_context(active_test=False)
        left_c = Member.search([("user_id", "=", self.rep_c.id), ("crm_team_id", "=", self.team_1.id)])
        left_c.active = False
        self._membership_dates(left_c, "2025-01-01", "2026-03-01")
        was_e = Member.create({"crm_team_id": self.team_1.id, "user_id": self.rep_e.id, "active": False})
        self._membership_dates(was_e, "2025-01-01", "2026-05-01")
        session = self._session(attended=self.user_a + self.user_b, absent=self.rep_x)
        session.action_compute_effects()
        rows = self._rows(session, self.kpi_won)
        theirs = rows["control"]
        self.assertEqual((theirs.count, theirs.before_value, theirs.after_value, theirs.change), (2, 0.0, 0.5, 0.5))
        self.assertEqual(rows["attendees"].effect, 1.5)

    def test_attendee_moved_after_the_session_counts_in_their_team_of_then(self):
        """b moved from team 1 to team 2 in May: the control group is team 1's (c, d), not
        team 2's e."""
        self._deals()
        Member = self.env["crm.team.member"].with_context(active_test=False)
        old = Member.search([("user_id", "=", self.user_b.id), ("crm_team_id", "=", self.team_1.id)])
        old.active = False
        self._membership_dates(old, "2025-01-01", "2026-05-01")
        new = Member.create({"crm_team_id": self.team_2.id, "user_id": self.user_b.id})
        self._membership_dates(new, "2026-05-01", "2026-05-01")
        session = self._session(attended=self.user_a + self.user_b, absent=self.rep_x)
        self.assertEqual(session._effect_people()[session.id],
                         (sorted((self.user_a | self.user_b).ids), sorted((self.rep_c | self.rep_d).ids)))

    def test_windows_follow_the_company_setting(self):
        self._deals()
        self.company.sales_target_training_days_before = 31  # 2026-03-01 .. 03-31
        self.company.sales_target_training_days_after = 10   # 2026-04-01 .. 04-10
        session = self._session(attended=self.user_a)
        session._measure_effects()
        ours = self._rows(session, self.kpi_won)["attendees"]
        # a: before 1 (03-31 23:59:59); after 04-01 00:00 only
        self.assertEqual((ours.before_value, ours.after_value), (1.0, 1.0))
        theirs = self._rows(session, self.kpi_won)["control"]
        # b: 03-05 / 04-05, 04-06; c: 03-10, 03-11 / 04-10; d: nothing; x (not listed here) nothing
        self.assertEqual((theirs.count, theirs.before_value, theirs.after_value), (4, 3 / 4, 3 / 4))

    def test_windows_in_the_company_time_zone(self):
        self.company.sales_target_tz = "Asia/Shanghai"  # UTC+8
        # 2026-03-31 15:30 UTC is 23:30 in Shanghai (before); 16:30 UTC is 00:30 on 04-01 (after)
        self._won(self.user_a, "2026-03-31 15:30:00", "2026-03-31 16:30:00")
        session = self._session(attended=self.user_a)
        session._measure_effects()
        ours = self._rows(session, self.kpi_won)["attendees"]
        self.assertEqual((ours.before_value, ours.after_value), (1.0, 1.0))
        self.assertEqual((ours.change, ours.change_pct, ours.has_change_pct), (0.0, 0.0, True))

    def test_no_control_group_no_effect(self):
        self._won(self.rep_e, "2026-02-01", "2026-04-02", team=self.team_2)
        session = self._session(attended=self.rep_e, teams=self.team_2)
        session._measure_effects()
        rows = self._rows(session, self.kpi_won)
        self.assertEqual(set(rows), {"attendees"})
        self.assertEqual((rows["attendees"].before_value, rows["attendees"].after_value), (1.0, 1.0))
        self.assertFalse(rows["attendees"].has_effect, "no control group: no effect, not an effect of 0")

    def test_before_zero_has_no_percentage(self):
        self._won(self.rep_d, "2026-04-03")
        session = self._session(attended=self.rep_d)
        session._measure_effects()
        ours = self._rows(session, self.kpi_won)["attendees"]
        self.assertEqual((ours.before_value, ours.after_value, ours.change), (0.0, 1.0, 1.0))
        self.assertFalse(ours.has_change_pct)

    def test_cancelled_sessions_are_ignored(self):
        self._deals()
        done = self._session(attended=self.user_a + self.user_b, absent=self.rep_x)
        cancelled = self._session(day="2026-05-01", attended=self.rep_c + self.rep_d, state="cancelled")
        planned = self._session(day="2026-05-02", attended=self.rep_c, state="planned")
        done.action_compute_effects()
        self.assertFalse(self._rows(cancelled))
        self.assertFalse(self._rows(planned))
        course_rows = self._rows(kpi=self.kpi_won)
        self.assertEqual((course_rows["attendees"].count, course_rows["attendees"].effect), (2, 1.0))
        # cancelling the done session leaves the course without figures
        done.action_cancel()
        done._measure_effects()
        self.assertFalse(self.env["sales.target.training.effect"].search([("course_id", "=", self.course.id)]))

    def test_course_pools_its_sessions(self):
        self._deals()
        # second session on 2026-07-01 for rep_d: before 04-02..06-30 (d: 05-15), after 07-01..09-28: nothing;
        # control of that session: a, b, c, x (after: none of them won after 07-01)
        # a: 04-20, 05-10, 06-29 23:00, 06-30 00:00 = 4 -> 0; b: 04-05, 04-06, 05-05, 06-05 = 4 -> 0;
        # c: 04-10, 04-11, 04-12 = 3 -> 0; x: 0 -> 0
        self._session(attended=self.user_a + self.user_b)
        second = self._session(day="2026-07-01", attended=self.rep_d)
        second.action_compute_effects()
        rows = self._rows(second, self.kpi_won)
        self.assertEqual((rows["attendees"].change, rows["control"].count, rows["control"].change),
                         (-1.0, 4, -11 / 4))
        self.assertAlmostEqual(rows["attendees"].effect, -1.0 + 11 / 4)
        # course: attendees a(+3), b(+1), d(-1): 1.0; control of the first session c(+1), d(+1), x(0),
        # of the second a(-4), b(-4), c(-3), x(0): -9/7
        course = self._rows(kpi=self.kpi_won)
        self.assertEqual((course["attendees"].count, course["control"].count), (3, 7))
        self.assertAlmostEqual(course["attendees"].change, 1.0)
        self.assertAlmostEqual(course["control"].change, -9 / 7)
        self.assertAlmostEqual(course["attendees"].effect, 1.0 + 9 / 7)

    # ------------------------------------------------------------------ suggestions
    def _publish(self):
        self.plan.user_id = self.env.ref("base.user_admin")
        self.plan.action_submit()
        self.plan.action_approve()
        self.plan.action_publish()

    def test_suggestion_created_once(self):
        self._deals()
        self._session(attended=self.user_a + self.user_b).action_compute_effects()
        # c won nothing in January and February (targets of 4: 0 %, under the bad threshold of 80 %)
        # a won nothing in January (0 %) but 1 of 1 in February (100 %): no suggestion
        targets = (self._target(self.kpi_won, JAN, value=4, user_id=self.rep_c, team_id=self.team_1)
                   | self._target(self.kpi_won, FEB, value=4, user_id=self.rep_c, team_id=self.team_1)
                   | self._target(self.kpi_won, JAN, value=1, user_id=self.user_a, team_id=self.team_1)
                   | self._target(self.kpi_won, FEB, value=1, user_id=self.user_a, team_id=self.team_1))
        self._won(self.user_a, "2026-02-14")
        self._publish()
        self._refresh(targets)
        self.assertEqual(targets.mapped("attainment"), [0.0, 0.0, 0.0, 100.0])
        Suggestion = self.env["sales.target.training.suggestion"]
        created = Suggestion._generate(self.company)
        self.assertEqual(len(created), 1)
        self.assertEqual((created.user_id, created.kpi_id, created.leader_id), (self.rep_c, self.kpi_won, self.leader))
        # attendees a, b: +2; control c, d, x: (1 + 1 + 0) / 3; effect +4/3
        self.assertEqual(created.course_ids, self.course, "its measured effect on won deals is positive")
        activity = created.activity_ids
        self.assertEqual((len(activity), activity.user_id), (1, self.leader))
        self.assertIn(self.course.name, str(activity.note))
        # no duplicate while it is open
        self.assertFalse(Suggestion._generate(self.company))
        self.assertEqual(Suggestion.search_count([("user_id", "=", self.rep_c.id)]), 1)
        # once dealt with, a persisting shortfall is suggested again
        created.action_done()
        self.assertEqual(len(Suggestion._generate(self.company)), 1)

    def test_cron_measures_and_suggests(self):
        self._deals()
        session = self._session(attended=self.user_a + self.user_b, absent=self.rep_x)
        self.env["sales.target.training.session"]._cron_training()
        self.assertTrue(session.effects_date)
        self.assertEqual(self._rows(session, self.kpi_won)["attendees"].effect, 1.0)

    def test_no_course_named_without_positive_effect(self):
        targets = (self._target(self.kpi_ordered, JAN, value=1000, user_id=self.rep_c)
                   | self._target(self.kpi_ordered, FEB, value=1000, user_id=self.rep_c))
        self._publish()
        self._refresh(targets)
        created = self.env["sales.target.training.suggestion"]._generate(self.company)
        self.assertEqual(created.kpi_id, self.kpi_ordered)
        self.assertFalse(created.course_ids)


@tagged("post_install", "-at_install")
class TestTrainingDemo(SalesTargetCase):

    def test_demo_course_shows_a_positive_effect(self):
        course = self.env.ref("crm_sales_target.demo_training_course_consultative")
        session = course.session_ids.filtered(lambda s: s.state == "done")
        self.assertEqual(len(session), 1)
        self.assertEqual(set(session.attendance_ids.filtered("attended").user_id.mapped("login")),
                         {"east.rep2", "south.rep1"})
        rows = {row.group_type: row for row in session.effect_ids}
        self.assertEqual((rows["attendees"].count, rows["control"].count), (2, 4))
        self.assertTrue(rows["attendees"].has_effect)
        self.assertGreater(rows["attendees"].effect, 0.0)
        self.assertGreater(course.effect_ids.filtered(lambda r: r.group_type == "attendees").effect, 0.0)
