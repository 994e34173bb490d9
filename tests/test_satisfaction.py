"""Satisfaction records, rating capture and complaints, on hand-computed fixtures.

CSAT answers of the customer CA in the last 12 months: 5, 4, 4, 2 -> average 3.75 (an answer
of 1 from 2025-01-10 is older). NPS answers: 10, 9, 9, 8, 7, 6, 3, 10, 10, 0 -> 5 promoters and
3 detractors of 10: NPS = 50 % - 30 % = 20.

Complaints: received 2026-01-01 resolved 2026-01-03 (2 days), received 2026-01-05 resolved
2026-01-15 (10 days), received 2026-01-02 resolved 2026-01-06 (4 days), one open, one cancelled
resolved after 1 day (not counted): median 4 days, 4 complaints that count.
"""

from datetime import date
from types import SimpleNamespace

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from ..models import sales_target_satisfaction as sources
from .common import SalesTargetCase


@tagged("post_install", "-at_install")
class TestSatisfaction(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cust_ca.user_id = cls.user_a
        cls.team_1.member_ids = [(6, 0, cls.user_a.ids)]
        cls.Sat = cls.env["sales.target.satisfaction"].with_company(cls.company)
        cls.Complaint = cls.env["sales.target.complaint"].with_company(cls.company)

    def _answers(self, kind, scores, when="2026-03-01"):
        return self.Sat.create([{"partner_id": self.cust_ca.id, "kind": kind, "score": score, "date": when}
                                for score in scores])

    def test_score_ranges(self):
        for kind, score in (("csat", 0), ("csat", 6), ("nps", -1), ("nps", 11)):
            with self.subTest(kind=kind, score=score), self.assertRaisesRegex(ValidationError, "Score"):
                self._answers(kind, [score])
        records = self._answers("nps", [0, 10]) | self._answers("csat", [1, 5])
        self.assertEqual(records.mapped("band"), ["detractor", "promoter", "dissatisfied", "satisfied"])

    def test_defaults_follow_the_customer(self):
        record = self.Sat.create({"partner_id": self.cust_ca_contact.id, "score": 4})
        self.assertEqual(record.partner_id, self.cust_ca)  # the commercial entity, not the contact
        self.assertEqual((record.user_id, record.team_id, record.company_id, record.source),
                         (self.user_a, self.team_1, self.company, "entered"))
        record.partner_id = self.cust_nv
        record.write({"partner_id": self.cust_ca_contact.id})
        self.assertEqual(record.partner_id, self.cust_ca)

    def test_partner_summary(self):
        self._answers("csat", [5, 4, 4, 2])
        self._answers("csat", [1], when="2025-01-10")
        self._answers("nps", [10, 9, 9, 8, 7, 6, 3, 10, 10, 0])
        partner = self.cust_ca_contact.with_context(tz="UTC")
        # the summary counts the last 12 months from today: date the answers relative to it
        self.assertEqual(partner.sales_target_satisfaction_count, 15)
        recent = self.Sat.search([("partner_id", "=", self.cust_ca.id), ("date", "=", date(2026, 3, 1))])
        recent.date = date.today()
        partner.invalidate_recordset()
        self.assertAlmostEqual(partner.sales_target_csat, 3.75)
        self.assertAlmostEqual(partner.sales_target_nps, 20.0)

    def test_sql_sources(self):
        """The prepared SQL of the future measures gives the hand-computed figures."""
        self._answers("csat", [5, 4, 4, 2])
        self._answers("nps", [10, 9, 9, 8, 7, 6, 3, 10, 10, 0])
        self.env.flush_all()
        for kind, value, expected in (("csat", sources.csat_value(), 3.75), ("nps", sources.nps_value(), 20.0)):
            from_sql, where = sources.satisfaction_source(kind)
            self.env.cr.execute(SQL("SELECT SUM(%s)::float / SUM(%s) FROM %s WHERE %s AND s.partner_id = %s",
                                    value, sources.count_value(), from_sql, where, self.cust_ca.id))
            self.assertAlmostEqual(self.env.cr.fetchone()[0], expected)
        self._complaints()
        self.env.flush_all()
        self.env.cr.execute(sources.resolution_median_query(SQL("c.partner_id = %s", self.cust_ca.id)))
        self.assertEqual(self.env.cr.fetchone()[0], 4.0)
        from_sql, counted = sources.complaint_source()
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM %s WHERE %s AND c.partner_id = %s",
                                from_sql, counted, self.cust_ca.id))
        self.assertEqual(self.env.cr.fetchone()[0], 4)

    # ------------------------------------------------------------------ ratings
    def _rating(self, record, value=0, consumed=False):
        return self.env["rating.rating"].create({
            "res_model_id": self.env["ir.model"]._get_id(record._name), "res_id": record.id,
            "partner_id": self.cust_ca_contact.id, "rating": value, "consumed": consumed,
        })

    def test_rating_of_an_order(self):
        order = self._order(self.cust_ca_contact, [(self.prod_a, 1, 100)], "2026-03-01", user=self.user_b,
                            team=self.team_2)
        rating = self._rating(order)
        self.assertFalse(self.Sat.search([("rating_id", "=", rating.id)]))  # asked, not answered yet
        rating.write({"rating": 4, "consumed": True, "feedback": "Quick delivery"})
        record = self.Sat.search([("rating_id", "=", rating.id)])
        self.assertEqual((record.partner_id, record.user_id, record.team_id, record.company_id),
                         (self.cust_ca, self.user_b, self.team_2, self.company))
        self.assertEqual((record.kind, record.score, record.source, record.comment),
                         ("csat", 4, "rating", "Quick delivery"))
        rating.write({"rating": 1})  # rated again: the same record, its new score
        self.assertEqual(self.Sat.search([("rating_id", "=", rating.id)]).score, 1)

    def test_rating_of_a_lead_and_others_ignored(self):
        lead = self._lead("Rated lead", partner=self.cust_nv)
        self._rating(lead, 5, consumed=True)
        self._rating(self.cust_fr, 5, consumed=True)  # a partner's rating: not a sale
        records = self.Sat.search([("source", "=", "rating")])
        self.assertEqual(records.partner_id, self.cust_nv)
        self.assertEqual(records.score, 5)

    def test_surveys_soft_hook(self):
        if "survey.user_input.line" in self.env:
            self.skipTest("survey is installed here")
        self.assertFalse(self.Sat._capture_surveys())

    def test_survey_answer_company(self):
        """A survey answer is filed under its customer's company, else their salesperson's, not
        the company of whoever runs the capture (``survey`` is not installed here: the answer is
        stood in for by its customer and an empty survey)."""
        def company(partner):
            answer = SimpleNamespace(partner_id=partner, survey_id=self.env["res.partner"])
            return self.Sat.with_company(self.company)._answer_company(answer)
        Partner = self.env["res.partner"]
        self.assertEqual(company(Partner.create({"name": "Own company", "company_id": self.other_company.id})),
                         self.other_company)
        self.user_b.company_id = self.other_company
        self.assertEqual(company(Partner.create({"name": "Salesperson's", "user_id": self.user_b.id})),
                         self.other_company)
        self.assertEqual(company(Partner.create({"name": "Nobody's"})), self.company)

    # ------------------------------------------------------------------ complaints
    def _complaints(self):
        values = [("2026-01-01", "2026-01-03", "resolved"), ("2026-01-05", "2026-01-15", "resolved"),
                  ("2026-01-02", "2026-01-06", "resolved"), ("2026-01-07", False, "open"),
                  ("2026-01-08", "2026-01-09", "cancelled")]
        return self.Complaint.create([{
            "name": f"K{i}", "partner_id": self.cust_ca.id, "date": received, "date_resolved": resolved,
            "state": state, "resolution": "Replaced" if state == "resolved" else False,
        } for i, (received, resolved, state) in enumerate(values)])

    def test_complaint_figures(self):
        complaints = self._complaints()
        self.assertEqual(complaints.mapped("resolution_days"), [2, 10, 4, 0, 1])
        self.assertEqual(complaints[0].user_id, self.user_a)
        with self.assertRaisesRegex(ValidationError, "Resolution"):
            complaints[3].write({"state": "resolved"})
        with self.assertRaisesRegex(ValidationError, "Resolved on"):
            complaints[0].date_resolved = date(2025, 12, 31)
        complaints[3].write({"state": "resolved", "resolution": "Called", "date_resolved": date(2026, 1, 10)})
        self.assertEqual(complaints[3].resolution_days, 3)
        complaints[3].action_reopen()
        self.assertFalse(complaints[3].date_resolved)

    def test_overdue(self):
        complaints = self.Complaint.create([
            {"name": "late", "partner_id": self.cust_ca.id, "date": "2026-01-01", "date_due": "2026-01-05"},
            {"name": "late but resolved", "partner_id": self.cust_ca.id, "date": "2026-01-01",
             "date_due": "2026-01-05", "state": "resolved", "resolution": "Done"},
            {"name": "not due", "partner_id": self.cust_ca.id, "date": "2026-01-01", "date_due": "2999-01-01"},
        ])
        self.assertEqual(complaints.mapped("is_overdue"), [True, False, False])
        self.assertEqual(self.Complaint.search([("id", "in", complaints.ids), ("is_overdue", "=", True)]),
                         complaints[0])

    def test_improvement_action(self):
        complaint = self.Complaint.create({"name": "Broken sensor", "partner_id": self.cust_ca.id,
                                           "date": "2026-03-01", "date_due": "2026-03-20"})
        action = complaint.action_create_improvement()
        form = Form(self.env["sales.target.action"].with_context(**action["context"]))
        form.plan_id = self.plan
        improvement = form.save()
        self.assertEqual((improvement.complaint_id, improvement.name, improvement.deadline),
                         (complaint, "Improve: Broken sensor", date(2026, 3, 20)))
        self.assertEqual(complaint.action_count, 1)
