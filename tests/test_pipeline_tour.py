"""The pipeline in a real browser: a salesperson opens the CRM pipeline and sees their current
target above the columns and, on their opportunity, the share of their gap it would cover; the
list shows both too."""


from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPipelineTour(HttpCase):

    def setUp(self):
        super().setUp()
        company = self.env.ref("base.main_company")
        self.rep = new_test_user(self.env, "cst_pipeline_tour_rep", name="CST Pipeline Rep", company_id=company.id,
                                 groups="sales_team.group_sale_salesman")
        self.rep.tour_enabled = False
        self.env["crm.team"].create({"name": "CST Pipeline Tour Team", "company_id": company.id,
                                     "crm_team_member_ids": [Command.create({"user_id": self.rep.id})]})
        today = company._sales_target_today()
        plan = self.env["sales.target.plan"].create({
            "name": "CST Pipeline Tour Month", "company_id": company.id, "horizon": "short",
            "date_from": today.replace(day=1), "date_to": fields.Date.end_of(today, "month")})
        self.target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.env.ref("crm_sales_target.kpi_ordered_revenue").id,
            "date_from": plan.date_from, "date_to": plan.date_to, "user_id": self.rep.id, "target_value": 6000.0})
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        self.lead = self.env["crm.lead"].create({
            "name": "CST Pipeline Tour Deal", "type": "opportunity", "user_id": self.rep.id,
            "company_id": company.id, "expected_revenue": 10000.0, "probability": 30.0})

    def test_rep_sees_target_and_shares(self):
        # 10,000 x 30 % of a 6,000 gap
        self.assertAlmostEqual(self.lead.sales_target_gap_share, 50.0)
        self.start_tour("/odoo/action-crm.crm_lead_action_pipeline", "crm_sales_target_pipeline_tour",
                        login=self.rep.login)
