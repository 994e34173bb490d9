from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_on_track_threshold = fields.Float(
        related="company_id.sales_target_on_track_threshold", readonly=False)
    sales_target_at_risk_threshold = fields.Float(
        related="company_id.sales_target_at_risk_threshold", readonly=False)
    sales_target_consistency_tolerance = fields.Float(
        related="company_id.sales_target_consistency_tolerance", readonly=False)
    sales_target_tz = fields.Selection(related="company_id.sales_target_tz", readonly=False)
    sales_target_refresh_interval = fields.Integer(
        string="Refresh actuals every (hours)", compute="_compute_sales_target_refresh_interval",
        inverse="_inverse_sales_target_refresh_interval", readonly=False)

    def _refresh_cron(self):
        return self.env.ref("crm_sales_target.ir_cron_sales_target_refresh", raise_if_not_found=False)

    @api.depends("company_id")
    def _compute_sales_target_refresh_interval(self):
        cron = self._refresh_cron()
        for settings in self:
            settings.sales_target_refresh_interval = cron.interval_number if cron else 1

    def _inverse_sales_target_refresh_interval(self):
        cron = self._refresh_cron()
        for settings in self:
            if settings.sales_target_refresh_interval < 1:
                raise ValidationError(self.env._(
                    "Refresh actuals every (hours): the interval must be at least one hour."))
            if cron:
                # sudo: the cron belongs to the system; only a settings administrator gets here,
                # and only its interval is written
                cron.sudo().write({"interval_number": settings.sales_target_refresh_interval,
                                   "interval_type": "hours"})
