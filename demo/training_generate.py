"""Demo of training: a sales-skills course aimed at won opportunities, given about four months
ago to two of the demo salespeople (Zhang Wei of East China, Huang Min of South China), a
product course planned for next month, and each team's training plan of the year.

The attendees close more deals after the session than before it; their colleagues who stayed
away go on as before (their history is demo/generate.py's), so that the effect measured
against them is visible and positive. Called from ``demo/training_demo.xml``.
"""

import random
from datetime import datetime, time, timedelta

from odoo import api, models

from .generate import MODULE, QUIET

COURSE_XMLID = f"{MODULE}.demo_training_course_consultative"
#: days between the session and the install day
SESSION_AGE = 120
#: attendee xml id -> extra deals won in the 90 days after the session
ATTENDEES = {"demo_user_east_rep2": 8, "demo_user_south_rep1": 8}


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_training_demo(self, seed=62):
        """The done session, its attendance, the extra deals of its attendees and the
        measured effects (once: nothing happens if the session exists)."""
        course = self.env.ref(COURSE_XMLID, raise_if_not_found=False)
        if not course or course.session_ids.filtered(lambda s: s.state == "done"):
            return False
        demo = self.with_company(course.company_id).with_context(**QUIET)
        rng = random.Random(seed)
        today = course.company_id._sales_target_today()
        day = today - timedelta(days=SESSION_AGE)
        teams = self.env.ref(f"{MODULE}.demo_team_east") | self.env.ref(f"{MODULE}.demo_team_south")
        session = demo.env["sales.target.training.session"].create({
            "course_id": course.id, "date": day, "hours": 6.0, "place": "Shanghai, training room 3",
            "trainer_partner_id": self.env.ref("base.main_partner").id, "cost": 12000.0,
            "team_ids": [(6, 0, teams.ids)], "state": "done",
            "attendance_ids": [(0, 0, {
                "user_id": self.env.ref(f"{MODULE}.{xmlid}").id, "attended": True, "passed": True,
                "score": score, "satisfaction": satisfaction,
                "certification": "Consultative Selling Practitioner", "certification_date": day,
            }) for xmlid, score, satisfaction in (("demo_user_east_rep2", 86.0, 5), ("demo_user_south_rep1", 78.0, 4))],
        })
        demo._demo_training_deals(rng, day)
        session._measure_effects()
        return session.id

    def _demo_training_deals(self, rng, day):
        """The deals the attendees won thanks to the training, over the 90 days from it."""
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], order="sequence, id", limit=1)
        vals_list, created = [], []
        for xmlid, count in ATTENDEES.items():
            user = self.env.ref(f"{MODULE}.{xmlid}")
            team = user.crm_team_ids[:1]
            customers = self.env["res.partner"].search(
                [("user_id", "=", user.id), ("is_company", "=", True)], limit=5) or self.env.company.partner_id
            for _i in range(count):
                closed = datetime.combine(day + timedelta(days=rng.randint(3, 85)), time(3, rng.randint(0, 59)))
                partner = rng.choice(customers)
                vals_list.append({
                    "type": "opportunity", "name": f"Needs analysis at {partner.name.split(' Co.')[0]}",
                    "partner_id": partner.id, "user_id": user.id, "team_id": team.id,
                    "stage_id": won_stage.id, "probability": 100,
                    "expected_revenue": round(rng.uniform(8000, 30000), -2),
                    "date_closed": closed, "company_id": self.env.company.id,
                })
                created.append(closed - timedelta(days=rng.randint(5, 20)))
        leads = self.env["crm.lead"].create(vals_list)
        self._backdate_leads(leads, created)
        return leads
