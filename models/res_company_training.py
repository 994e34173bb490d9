from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_training_days_before = fields.Integer(
        string="Training effect: days before", default=90,
        help="Length of the window before a training session over which the KPIs of its attendees and of "
             "their non-attending colleagues are measured.")
    sales_target_training_days_after = fields.Integer(
        string="Training effect: days after", default=90,
        help="Length of the window from the day of a training session over which the same KPIs are measured "
             "again; a document of the session's day counts after.")

    @api.constrains("sales_target_training_days_before", "sales_target_training_days_after")
    def _check_sales_target_training_days(self):
        for company in self:
            if company.sales_target_training_days_before < 1 or company.sales_target_training_days_after < 1:
                raise ValidationError(self.env._(
                    "Training effect windows of %(company)s: the days before and after must be at least 1.",
                    company=company.name))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_training_days_before = fields.Integer(
        related="company_id.sales_target_training_days_before", readonly=False)
    sales_target_training_days_after = fields.Integer(
        related="company_id.sales_target_training_days_after", readonly=False)
