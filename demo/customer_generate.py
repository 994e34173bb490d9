"""Demo of customers' satisfaction: a year of CSAT and NPS answers of the demo customers,
complaints in every state (one overdue, one with an improvement action), and the customers
classified.

Called from ``demo/customer_demo.xml`` after ``demo/demo.xml`` generated the customers and
their orders. Drawn from a seeded ``random.Random``; dates relative to the install day.
"""

import random
from datetime import timedelta

from odoo import api, fields, models

from .generate import CUSTOMERS, PLAN_XMLID, QUIET

SEED = 97
#: (subject, category, severity, days ago received, days to the due date, state, days to resolve)
COMPLAINTS = [
    ("Servo drives delivered two weeks late", "delivery", "high", 40, 10, "resolved", 6),
    ("Vision sensor fails after firmware update", "product", "critical", 25, 7, "resolved", 12),
    ("Invoice shows the list price instead of the agreed discount", "billing", "medium", 18, 14, "resolved", 3),
    ("Commissioning engineer arrived without the spare parts", "service", "medium", 12, 5, "in_progress", None),
    ("Proximity sensors of the March batch out of tolerance", "product", "high", 9, 3, "open", None),
    ("No answer to three support calls", "service", "low", 4, 10, "open", None),
    ("Duplicate order confirmation", "sales", "low", 30, 10, "cancelled", None),
]


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_customer_demo(self):
        """Satisfaction records and complaints of the demo customers, once; then classify them."""
        plan = self.env.ref(PLAN_XMLID, raise_if_not_found=False)
        if not plan:
            return False
        company = plan.company_id
        demo = self.with_company(company).with_context(**QUIET)
        partners = demo.env["res.partner"].search([("name", "in", [c[0] for c in CUSTOMERS]),
                                                   ("is_company", "=", True)])
        if not partners or demo.env["sales.target.satisfaction"].search_count([("partner_id", "in", partners.ids)]):
            return False
        rng = random.Random(SEED)
        today = company._sales_target_today()
        partners = partners.sorted("id")
        vals_list = []
        for index, partner in enumerate(partners):
            # most customers are content, a few (the last ones) are not
            mood = 0 if index % 6 == 5 else (1 if index % 3 == 2 else 2)
            for _answer in range(rng.randint(2, 5)):
                kind = rng.choice(("csat", "nps"))
                if kind == "csat":
                    score = rng.choice(((1, 2, 3), (3, 4, 4), (4, 5, 5))[mood])
                else:
                    score = rng.choice(((2, 4, 6, 7), (6, 7, 8, 9), (8, 9, 10, 10))[mood])
                vals_list.append({
                    "partner_id": partner.id, "company_id": company.id, "kind": kind, "score": score,
                    "date": today - timedelta(days=rng.randint(0, 330)),
                    "channel": rng.choice(("phone", "email", "visit", "survey")),
                })
        demo.env["sales.target.satisfaction"].create(vals_list)

        complaints = demo.env["sales.target.complaint"]
        for index, (name, category, severity, ago, due, state, days) in enumerate(COMPLAINTS):
            partner = partners[(index * 5) % len(partners)]
            received = today - timedelta(days=ago)
            complaints |= complaints.create({
                "name": name, "partner_id": partner.id, "company_id": company.id, "category": category,
                "severity": severity, "date": received, "date_due": received + timedelta(days=due),
                "owner_id": (partner.user_id or plan.user_id).id, "state": state,
                "date_resolved": received + timedelta(days=days) if days is not None else False,
                "resolution": "Replaced and confirmed with the customer." if state == "resolved" else False,
                "description": f"Reported by the purchasing department of {partner.name}.",
            })
        critical = complaints.filtered(lambda c: c.severity == "critical")[:1]
        if critical:
            demo.env["sales.target.action"].create({
                "name": f"Improve: {critical.name}", "plan_id": plan.id, "complaint_id": critical.id,
                "user_id": plan.user_id.id or self.env.user.id,
                "deadline": fields.Date.to_string(today + timedelta(days=20)),
                "description": "Test every firmware release on a reference line before shipping it.",
            })
        demo.env["res.partner"]._sales_target_classify(company)
        return True
