from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_adjust_threshold_pct = fields.Float(
        string="Adjustment approval above (%)", default=10.0,
        help="An adjustment that changes a target by more than this share of its value waits for a "
             "manager's approval; 0 turns this criterion off.")
    sales_target_adjust_threshold_amount = fields.Float(
        string="Adjustment approval above (amount)", default=0.0,
        help="An adjustment that changes a target by more than this amount (in the target's unit) "
             "waits for a manager's approval; 0 turns this criterion off.")

    @api.constrains("sales_target_adjust_threshold_pct", "sales_target_adjust_threshold_amount")
    def _check_sales_target_adjust_thresholds(self):
        for company in self:
            if company.sales_target_adjust_threshold_pct < 0 or company.sales_target_adjust_threshold_amount < 0:
                raise ValidationError(self.env._(
                    "Adjustment approval thresholds of %(company)s: they must not be negative.",
                    company=company.name))

    def _sales_target_adjustment_needs_approval(self, old, new):
        """Whether changing a target of this company from ``old`` to ``new`` goes beyond
        either approval threshold (a threshold of 0 is off)."""
        self.ensure_one()
        diff = abs(new - old)
        pct_limit, amount_limit = self.sales_target_adjust_threshold_pct, self.sales_target_adjust_threshold_amount
        if amount_limit and diff > amount_limit:
            return True
        if pct_limit:
            # a change from zero is an infinite percentage
            return diff > 0 if not old else diff / abs(old) * 100.0 > pct_limit
        return False


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_adjust_threshold_pct = fields.Float(
        related="company_id.sales_target_adjust_threshold_pct", readonly=False)
    sales_target_adjust_threshold_amount = fields.Float(
        related="company_id.sales_target_adjust_threshold_amount", readonly=False)
