"""Settings of the customer classification, per company, and its company-level figures."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_lapse_months = fields.Integer(
        string="Lapsed after (months)", default=12,
        help="A customer without confirmed orders for this many full months is classified as lapsed.")
    sales_target_tier_a_share = fields.Float(
        string="Tier A: share of revenue (%)", default=80.0,
        help="The largest customers that together make this share of the revenue of the last 12 months.")
    sales_target_tier_b_share = fields.Float(
        string="Tier B: next share of revenue (%)", default=15.0,
        help="The next customers that make this further share of the revenue; the rest is tier C.")
    sales_target_classified_on = fields.Date(
        string="Customers classified on", readonly=True, copy=False)
    sales_target_retention_rate = fields.Float(
        string="Retention of last year's customers (%)", readonly=True, copy=False,
        help="Of the customers who ordered last year, the share who ordered again this year, as of the "
             "last classification.")
    sales_target_repeat_rate = fields.Float(
        string="Repeat-order rate (%)", readonly=True, copy=False,
        help="Of the orders of the last 12 months, the share placed by customers after their first "
             "order of those 12 months, as of the last classification.")

    @api.constrains("sales_target_lapse_months", "sales_target_tier_a_share", "sales_target_tier_b_share")
    def _check_sales_target_classification(self):
        for company in self:
            if company.sales_target_lapse_months < 1:
                raise ValidationError(self.env._(
                    "Lapsed after (months) of %(company)s: it must be at least one month.", company=company.name))
            a_share, b_share = company.sales_target_tier_a_share, company.sales_target_tier_b_share
            if a_share < 0 or b_share < 0 or a_share + b_share > 100:
                raise ValidationError(self.env._(
                    "Value tiers of %(company)s: the shares of tier A (%(a)s %%) and tier B (%(b)s %%) must "
                    "not be negative and must add up to 100 %% at most.", company=company.name, a=a_share, b=b_share))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_lapse_months = fields.Integer(related="company_id.sales_target_lapse_months", readonly=False)
    sales_target_tier_a_share = fields.Float(related="company_id.sales_target_tier_a_share", readonly=False)
    sales_target_tier_b_share = fields.Float(related="company_id.sales_target_tier_b_share", readonly=False)
    sales_target_classified_on = fields.Date(related="company_id.sales_target_classified_on")
    sales_target_retention_rate = fields.Float(related="company_id.sales_target_retention_rate")
    sales_target_repeat_rate = fields.Float(related="company_id.sales_target_repeat_rate")

    def action_sales_target_classify(self):
        """Classify the customers of the company now (they are otherwise classified daily)."""
        self.env["res.partner"]._sales_target_classify(self.company_id)
