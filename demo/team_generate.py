"""Demo of scorecards and assessments: the demo salespeople's scorecards of last month (read from
the closed plan's snapshot, published) and of this month (live, draft), and the assessments of
last month, most of them published.

Called from ``demo/team_demo.xml`` after the plans of ``demo/demo.xml`` and
``demo/close_demo.xml`` exist.
"""

from odoo import api, models

from .close_generate import CLOSED_PLAN_XMLID
from .generate import MODULE, _month_end, _month_start

#: salesperson xml id -> (teamwork, customer relationship maintenance, published)
RATINGS = {
    "demo_user_east_rep1": (5, 4, True),
    "demo_user_east_rep2": (3, 4, True),
    "demo_user_south_rep1": (4, 3, True),
    "demo_user_south_rep2": (2, 3, False),
}


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_team_demo(self):
        """Scorecards of last month and this month for the members of the demo teams, and
        assessments of last month (once: nothing happens if they exist)."""
        template = self.env.ref(f"{MODULE}.demo_scorecard_template_monthly")
        if not self.env.ref(CLOSED_PLAN_XMLID, raise_if_not_found=False) or self.env["sales.target.scorecard"].search(
                [("template_id", "=", template.id)], limit=1):
            return False
        company = template.company_id
        this_month = _month_start(company._sales_target_today())
        cards = self.env["sales.target.scorecard"]
        for start in (_month_start(this_month, -1), this_month):
            for team in (self.env.ref(f"{MODULE}.demo_team_east"), self.env.ref(f"{MODULE}.demo_team_south")):
                wizard = self.env["sales.target.scorecard.generate"].create({
                    "team_id": team.id, "template_id": template.id, "date_from": start, "date_to": _month_end(start)})
                cards |= cards.search(wizard.action_generate()["domain"])
        last_month = cards.filtered(lambda c: c.date_from < this_month)
        last_month.action_publish()
        start = _month_start(this_month, -1)
        assessments = self.env["sales.target.assessment"].create([{
            "user_id": self.env.ref(f"{MODULE}.{xmlid}").id, "company_id": company.id,
            "date_from": start, "date_to": _month_end(start),
            "rating_teamwork": teamwork, "rating_customer": customer,
            "teamwork_comment": "Shares leads and helps the newer colleagues." if teamwork >= 4 else
                                "Works mostly alone; should join the weekly pipeline reviews.",
            "customer_comment": "Visits key customers every month." if customer >= 4 else
                                "Follow-up after delivery is irregular.",
        } for xmlid, (teamwork, customer, _published) in RATINGS.items()])
        published = {self.env.ref(f"{MODULE}.{xmlid}").id for xmlid, (*_r, publish) in RATINGS.items() if publish}
        assessments.filtered(lambda a: a.user_id.id in published).action_publish()
        return cards.ids
