"""Improvement plans (handbook 9.3): action items aimed at a KPI, satisfaction KPIs above all.

An action item says which KPI it improves: its target's, or one chosen for an action of the
whole plan. A complaint's improvement action proposes the company's CSAT KPI (NPS when only
NPS answers are collected), so that the plan's satisfaction actions can be listed together.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesTargetAction(models.Model):
    _inherit = "sales.target.action"

    kpi_id = fields.Many2one(
        "sales.target.kpi", string="KPI improved", compute="_compute_kpi_id", store=True, readonly=False,
        precompute=True, index="btree_not_null", ondelete="restrict",
        help="The KPI this action aims to improve: its target's KPI, or any KPI for an action of the whole plan.")
    is_satisfaction = fields.Boolean(related="kpi_id.is_satisfaction", string="Improves satisfaction")

    @api.depends("target_id")
    def _compute_kpi_id(self):
        for action in self.filtered("target_id"):
            action.kpi_id = action.target_id.kpi_id

    @api.constrains("kpi_id", "target_id")
    def _check_kpi_target(self):
        for action in self.filtered("target_id"):
            if action.kpi_id and action.kpi_id != action.target_id.kpi_id:
                raise ValidationError(self.env._(
                    "KPI improved of action %(action)s: it must be the KPI of its target %(target)s (%(kpi)s).",
                    action=action.name, target=action.target_id.display_name, kpi=action.target_id.kpi_id.name))


class SalesTargetComplaint(models.Model):
    _inherit = "sales.target.complaint"

    def _satisfaction_kpi(self):
        """The KPI a complaint's improvement action proposes: the company's (or a shared) CSAT
        KPI, NPS when the customer's satisfaction is only collected as NPS."""
        self.ensure_one()
        Kpi = self.env["sales.target.kpi"]
        kpis = Kpi.search([("measure", "in", ("avg_csat", "nps")),
                           ("company_id", "in", (self.company_id.id, False))], order="company_id, sequence, id")
        csat, nps = kpis.filtered(lambda k: k.measure == "avg_csat"), kpis.filtered(lambda k: k.measure == "nps")
        if csat and nps and not self.env["sales.target.satisfaction"].search_count(
                [("partner_id", "=", self.partner_id.id), ("kind", "=", "csat")], limit=1) \
                and self.env["sales.target.satisfaction"].search_count(
                    [("partner_id", "=", self.partner_id.id), ("kind", "=", "nps")], limit=1):
            return nps[:1]
        return (csat or nps)[:1]

    def action_create_improvement(self):
        action = super().action_create_improvement()
        kpi = self._satisfaction_kpi()
        if kpi:
            action["context"]["default_kpi_id"] = kpi.id
        return action

