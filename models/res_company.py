from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import ValidationError

from ..tools import timezones


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

    sales_target_tz = fields.Selection(
        _tz_get, string="Time zone of targets", compute="_compute_sales_target_tz", store=True, readonly=False,
        help="Orders, leads and first orders are counted in the day, month and year of this time zone, "
             "as Odoo's own reports show them to a user of this time zone. Invoices count on their "
             "invoice date.")

    @api.depends("resource_calendar_id")
    def _compute_sales_target_tz(self):
        # set once, when the company (and its working hours) or the module is created: the time
        # zone of the company's working hours, else that of the user who creates it
        for company in self:
            if not company.sales_target_tz:
                company.sales_target_tz = company.resource_calendar_id.tz or self.env.user.tz or "UTC"

    def _sales_target_utc_bounds(self, date_from, date_to):
        """``(start, end)`` naive UTC datetimes of the local days ``date_from`` to
        ``date_to`` (both included) in the company's target time zone, ``end`` excluded."""
        self.ensure_one()
        return timezones.utc_bounds(date_from, date_to, self.sales_target_tz or "UTC")

    def _sales_target_today(self):
        """Today in the company's target time zone."""
        self.ensure_one()
        return timezones.local_today(self.sales_target_tz or "UTC")

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
