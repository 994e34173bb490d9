from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_on_track_threshold = fields.Float(
        string="On-track threshold (%)", default=95.0,
        help="A target is on track while its actual reaches this share of what a linear pace "
             "expects by today.")
    sales_target_at_risk_threshold = fields.Float(
        string="At-risk threshold (%)", default=80.0,
        help="Below the on-track threshold but at least this share of the expected value, a "
             "target is at risk; below it, off track.")

    sales_target_consistency_tolerance = fields.Float(
        string="Consistency tolerance (%)", default=0.5,
        help="Largest difference, in percent of the parent target, allowed between a target and "
             "the roll-up of its sub-targets before the plan needs a manager's confirmation.")

    @api.constrains("sales_target_consistency_tolerance")
    def _check_sales_target_consistency_tolerance(self):
        for company in self:
            if company.sales_target_consistency_tolerance < 0:
                raise ValidationError(self.env._(
                    "Consistency tolerance of %(company)s: it must not be negative.", company=company.name))

    @api.constrains("sales_target_on_track_threshold", "sales_target_at_risk_threshold")
    def _check_sales_target_thresholds(self):
        for company in self:
            on_track = company.sales_target_on_track_threshold
            at_risk = company.sales_target_at_risk_threshold
            if not 0 <= at_risk <= on_track:
                raise ValidationError(self.env._(
                    "Target status thresholds of %(company)s: the at-risk threshold (%(at_risk)s %%) "
                    "must be between 0 and the on-track threshold (%(on_track)s %%).",
                    company=company.name, at_risk=at_risk, on_track=on_track))
