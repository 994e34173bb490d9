"""Alerts when a target turns at risk or off track (handbook 5.3: monitoring).

A refresh run by the system (the hourly cron, publishing) alerts the targets that are at
risk or off track: each of them raises, once in its period, an activity for its salesperson
(else the team leader) and the team leader, whoever refreshed its figures last. The alert is
remembered on the target, written in SQL like the measured figures, so that later refreshes
stay silent.
"""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import pgarray

ALERT_STATUSES = ("at_risk", "off_track")
ALERT_FIELDS = frozenset(("alert_status", "alert_date"))
ALERT_ACTIVITY = "crm_sales_target.mail_activity_type_sales_target_alert"


class SalesTarget(models.Model):
    _inherit = "sales.target"

    alert_status = fields.Selection(
        [("at_risk", "At risk"), ("off_track", "Off track")], string="Alert sent for", readonly=True, copy=False,
        help="The status the salesperson and team leader were alerted of; one alert per target and period.")
    alert_date = fields.Date("Alert sent on", readonly=True, copy=False)

    def _check_not_measured(self, vals):
        res = super()._check_not_measured(vals)
        names = self._given_labels(vals, ALERT_FIELDS)
        if names:
            raise UserError(self.env._(
                "%(fields)s: set by the monitoring when the target turns at risk; they cannot be set by hand.",
                fields=names))
        return res

    def _notify_status_changes(self):
        """Alert the people concerned by the targets of ``self`` that are at risk or off track:
        one activity per person and target, on the target's plan
        (targets carry no chatter: a decomposition stores tens of thousands of them), for
        targets of published plans not alerted yet. Two queries whatever the number of
        targets, plus the activities' creation. Returns the targets alerted."""
        if not self:
            return self
        self.env.cr.execute(SQL("""
            SELECT t.id FROM sales_target t JOIN sales_target_plan p ON p.id = t.plan_id
             WHERE t.id = ANY(%s::int[]) AND t.alert_date IS NULL AND t.status IN %s AND p.state = 'published'
             ORDER BY t.id""", pgarray.literal(self.ids), ALERT_STATUSES))
        targets = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not targets:
            return targets
        today = fields.Date.context_today(self)
        activity_type = self.env.ref(ALERT_ACTIVITY)
        plan_model = self.env["ir.model"]._get_id("sales.target.plan")
        labels = dict(self._fields["status"]._description_selection(self.env))
        vals_list = []
        for target in targets:
            leader = target.team_id.user_id
            people = (target.user_id or leader or target.plan_id.user_id) | leader
            summary = self.env._("%(status)s: %(target)s", status=labels[target.status], target=target.display_name)
            note = Markup("<p>%s</p>") % self.env._(
                "Attainment %(attainment)s %% against %(expected)s expected to date; %(gap)s still needed. "
                "Agree on an action item with your team leader.",
                attainment=round(target.attainment, 1), expected=target.expected_value, gap=target.gap_value)
            vals_list += [{
                "res_model_id": plan_model, "res_id": target.plan_id.id, "activity_type_id": activity_type.id,
                "user_id": user.id, "date_deadline": today, "summary": summary, "note": note, "automated": True,
            } for user in people]
        self.env["mail.activity"].create(vals_list)
        self.env.cr.execute(SQL(
            "UPDATE sales_target SET alert_status = status, alert_date = %s WHERE id IN %s",
            today, tuple(targets.ids)))
        targets.invalidate_recordset(["alert_status", "alert_date"])
        return targets
