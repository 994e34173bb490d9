"""Reverse funnel of a target (handbook 3.1): the won deals, opportunities, leads and
meetings its revenue gap takes at the salesperson's own rates of the last twelve months,
turned into activity targets in one click."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import measures
from ..models.sales_target import DIMENSION_COLUMNS
from ..models.sales_target_governance import FROZEN_STATES
from ..tools import funnel

#: KPI code -> funnel step it sets an activity target for
ACTIVITY_KPIS = {"LEADS": "leads", "WON": "won", "MEETINGS": "meetings"}


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _funnel_error(self):
        """Why the reverse funnel cannot start from this target, or ``False``."""
        self.ensure_one()
        if not self.user_id:
            return self.env._(
                "Salesperson of target %(target)s: the reverse funnel uses a salesperson's own rates; "
                "open it on a salesperson's target.", target=self.display_name)
        if self.kpi_id.unit != "currency":
            return self.env._(
                "KPI of target %(target)s: the reverse funnel starts from an amount to win; %(kpi)s is not one.",
                target=self.display_name, kpi=self.kpi_id.name)
        return False

    def action_open_funnel(self):
        self.ensure_one()
        error = self._funnel_error()
        if error:
            raise UserError(error)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reverse Funnel"),
            "res_model": "sales.target.funnel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_id": self.id},
        }


class SalesTargetFunnel(models.TransientModel):
    _name = "sales.target.funnel"
    _description = "Sales Target Reverse Funnel"

    target_id = fields.Many2one("sales.target", string="Target", required=True, readonly=True)
    user_id = fields.Many2one(related="target_id.user_id")
    currency_id = fields.Many2one(related="target_id.currency_id")
    gap = fields.Monetary(currency_field="currency_id", compute="_compute_funnel",
                          help="Target minus actual: what is still to win.")
    avg_deal = fields.Monetary("Average deal size", currency_field="currency_id", compute="_compute_funnel",
                               help="Expected revenue of the opportunities the salesperson won in the last 12 months, "
                                    "per opportunity.")
    win_rate = fields.Float("Opportunity to won (%)", compute="_compute_funnel",
                            help="Opportunities won out of those won or lost in the last 12 months.")
    lead_rate = fields.Float("Lead to opportunity (%)", compute="_compute_funnel",
                             help="Leads and opportunities created in the last 12 months that are opportunities now.")
    meetings_per_won = fields.Float("Meetings per won deal", compute="_compute_funnel",
                                    help="Meetings marked done on leads in the last 12 months, per opportunity won.")
    won_needed = fields.Integer("Deals to win", compute="_compute_funnel")
    opportunities_needed = fields.Integer("Opportunities needed", compute="_compute_funnel")
    leads_needed = fields.Integer("Leads needed", compute="_compute_funnel")
    meetings_needed = fields.Integer("Meetings needed", compute="_compute_funnel")
    missing = fields.Char("Cannot compute", compute="_compute_funnel")

    @api.depends("target_id")
    def _compute_funnel(self):
        for wizard in self:
            error = wizard.target_id._funnel_error() if wizard.target_id else True
            if error:
                wizard.update(dict.fromkeys(("gap", "avg_deal", "win_rate", "lead_rate", "meetings_per_won",
                                             "won_needed", "opportunities_needed", "leads_needed",
                                             "meetings_needed"), 0))
                wizard.missing = error if isinstance(error, str) else False
                continue
            result, rates = wizard._funnel()
            wizard.update({
                "gap": rates["gap"], "avg_deal": rates["avg_deal"], "win_rate": rates["win_rate"] * 100,
                "lead_rate": rates["lead_rate"] * 100, "meetings_per_won": rates["meetings_per_won"],
                "won_needed": result["won"] or 0, "opportunities_needed": result["opportunities"] or 0,
                "leads_needed": result["leads"] or 0, "meetings_needed": result["meetings"] or 0,
                "missing": wizard._missing_text(result["missing"]),
            })

    def _funnel(self):
        """``(tools.funnel.reverse_funnel result, rates)`` of the wizard's target."""
        target = self.target_id
        error = target._funnel_error()
        if error:
            raise UserError(error)
        today = target.company_id._sales_target_today()
        stats = target._crm_stats(target.company_id.ids, today).get(
            ("user", target.company_id.id, target.user_id.id), {})
        won = stats.get("won", 0)
        meetings = target._meetings_held(target.user_id, today).get(target.user_id.id, 0)
        rates = {
            "gap": max(0.0, target.target_value - target.actual_value),
            "avg_deal": funnel.rate(stats.get("won_amount", 0.0), won),
            "win_rate": funnel.rate(won, won + stats.get("lost", 0)),
            "lead_rate": funnel.rate(stats.get("converted", 0), stats.get("created", 0)),
            "meetings_per_won": funnel.rate(meetings, won),
        }
        return funnel.reverse_funnel(**rates), rates

    def _missing_text(self, missing):
        _ = self.env._
        return {
            None: False,
            "avg_deal": _("No opportunity won in the last 12 months: no deal size to start from."),
            "win_rate": _("No opportunity won out of those closed in the last 12 months: the opportunities "
                          "and leads needed cannot be derived."),
            "lead_rate": _("No lead of the last 12 months became an opportunity: the leads needed cannot be "
                           "derived."),
        }[missing]

    def action_create_targets(self):
        """Create (or update) the activity targets of the funnel: same salesperson, team,
        plan and period, on the KPIs coded LEADS, WON and MEETINGS that exist; all or none."""
        self.ensure_one()
        target = self.target_id
        if target.plan_id.state in FROZEN_STATES:
            states = dict(target.plan_id._fields["state"]._description_selection(self.env))
            raise UserError(self.env._(
                "Plan %(plan)s is %(state)s: its targets are frozen, no activity target can be added. "
                "Set them in a plan still being prepared.", plan=target.plan_id.name,
                state=states[target.plan_id.state]))
        result, _rates = self._funnel()
        if result["missing"] == "avg_deal":
            raise UserError(self._missing_text("avg_deal"))
        Kpi = self.env["sales.target.kpi"]
        kpis = Kpi.search([("code", "in", list(ACTIVITY_KPIS)),
                           ("company_id", "in", [target.company_id.id, False])], order="company_id, id")
        by_code = {}
        for kpi in kpis:
            by_code.setdefault(kpi.code, kpi)  # the company's own before the shared one
        existing = self.env["sales.target"].search([("funnel_source_id", "=", target.id)])
        Target = self.env["sales.target"]
        to_create, done = [], Target
        for code, step in ACTIVITY_KPIS.items():
            kpi, value = by_code.get(code), result[step]
            if not kpi or value is None:
                continue
            available = set(measures.get(kpi.measure).dimensions)
            vals = {"plan_id": target.plan_id.id, "kpi_id": kpi.id, "date_from": target.date_from,
                    "date_to": target.date_to, "target_value": value, "funnel_source_id": target.id}
            for fname in ("user_id", "team_id"):
                if set(DIMENSION_COLUMNS[fname]) <= available:
                    vals[fname] = target[fname].id
            same = existing.filtered(lambda t, k=kpi: t.kpi_id == k)[:1]
            if same:
                same.write({"target_value": value})
                done |= same
            else:
                to_create.append(vals)
        if not to_create and not done:
            raise UserError(self.env._("No KPI coded LEADS, WON or MEETINGS: add one to set activity targets."))
        done |= Target.create(to_create)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Activity Targets"),
            "res_model": "sales.target",
            "view_mode": "list,form",
            "domain": [("id", "in", done.ids)],
        }
