"""Satisfaction summary of a customer: its last 12 months of answers and its open complaints."""

from collections import defaultdict

from odoo import fields, models

from ..tools import customer, satisfaction
from .sales_target import window_action


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_target_satisfaction_ids = fields.One2many("sales.target.satisfaction", "partner_id",
                                                    string="Satisfaction Records")
    sales_target_complaint_ids = fields.One2many("sales.target.complaint", "partner_id", string="Customer Complaints")
    sales_target_csat = fields.Float("Average CSAT", compute="_compute_sales_target_satisfaction",
                                     help="Average of the CSAT answers (1-5) of the last 12 months.")
    sales_target_nps = fields.Float("NPS", compute="_compute_sales_target_satisfaction",
                                    help="Promoters minus detractors, in % of the NPS answers of the last 12 months.")
    sales_target_satisfaction_count = fields.Integer("Satisfaction", compute="_compute_sales_target_satisfaction")
    sales_target_complaint_count = fields.Integer("Complaints", compute="_compute_sales_target_satisfaction")
    sales_target_open_complaint_count = fields.Integer("Open complaints",
                                                       compute="_compute_sales_target_satisfaction")

    def _compute_sales_target_satisfaction(self):
        since = customer.window_start(fields.Date.context_today(self))
        partners = self.commercial_partner_id
        scores = defaultdict(lambda: {"csat": [], "nps": []})
        counts = defaultdict(int)
        for record in self.env["sales.target.satisfaction"].search_fetch(
                [("partner_id", "in", partners.ids)], ["partner_id", "kind", "score", "date"]):
            counts[record.partner_id.id] += 1
            if record.date >= since:
                scores[record.partner_id.id][record.kind].append(record.score)
        complaints = defaultdict(lambda: [0, 0])
        for partner, state, count in self.env["sales.target.complaint"]._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id", "state"], ["__count"]):
            complaints[partner.id][0] += count
            if state in ("open", "in_progress"):
                complaints[partner.id][1] += count
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.sales_target_csat = satisfaction.average_csat(scores[key]["csat"]) or 0.0
            partner.sales_target_nps = satisfaction.nps(scores[key]["nps"]) or 0.0
            partner.sales_target_satisfaction_count = counts[key]
            partner.sales_target_complaint_count, partner.sales_target_open_complaint_count = complaints[key]

    def action_view_sales_target_satisfaction(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return window_action(self.env, "crm_sales_target.sales_target_satisfaction_action",
                             [("partner_id", "=", partner.id)], {"default_partner_id": partner.id})

    def action_view_sales_target_complaints(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return window_action(self.env, "crm_sales_target.sales_target_complaint_action",
                             [("partner_id", "=", partner.id)], {"default_partner_id": partner.id})
