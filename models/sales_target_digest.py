"""Weekly digest e-mail to each manager and team leader (handbook 5.3: monitoring).

The content is computed as the recipient (``with_user``), so it holds only what their access
rules let them read, and passed to the template as plain values: the template renders no
record, and its static text is translated into the recipient's language.
"""

import logging

from odoo import api, fields, models

from .sales_target_action import OPEN_STATES
from .sales_target_plan_workflow import MANAGER_GROUP

_logger = logging.getLogger(__name__)

TEMPLATE = "crm_sales_target.mail_template_sales_target_digest"
#: rows of each section of the digest
LIMIT = 10
RANKED = 5


class SalesTargetDigest(models.AbstractModel):
    _name = "sales.target.digest"
    _description = "Sales Targets: weekly digest"

    @api.model
    def _digest_recipients(self):
        """Active internal users with an e-mail who manage targets or lead a team."""
        managers = self.env.ref(MANAGER_GROUP).users
        leaders = self.env["crm.team"].search([("user_id", "!=", False)]).user_id
        return (managers | leaders).filtered(lambda u: u.active and not u.share and u.email)

    @api.model
    def _digest_values(self, user, today=None):
        """The digest of ``user`` on ``today`` (default: their today): what they may read of
        running published plans, as plain values (names, figures, labels in their language,
        links)."""
        env = self.with_user(user).with_context(lang=user.lang, allowed_company_ids=user.company_ids.ids).env
        today = today or fields.Date.context_today(self.with_user(user))
        Target = env["sales.target"]
        labels = dict(Target._fields["status"]._description_selection(env))
        running = [("plan_id.state", "=", "published"), ("date_from", "<=", today), ("date_to", ">=", today)]
        measured = [*running, ("actuals_date", "!=", False)]

        def target_row(target):
            return {
                "name": target.display_name, "plan": target.plan_id.name, "attainment": round(target.attainment, 1),
                "status": labels.get(target.status, ""), "url": f"/odoo/sales.target/{target.id}",
            }

        values = {
            "date": today,
            "at_risk": [target_row(t) for t in Target.search(
                [*measured, ("status", "in", ("at_risk", "off_track"))], order="attainment, id", limit=LIMIT)],
            "top": [target_row(t) for t in Target.search(measured, order="attainment desc, id", limit=RANKED)],
            "bottom": [target_row(t) for t in Target.search(measured, order="attainment, id", limit=RANKED)],
            "overdue_actions": [{
                "name": action.name, "owner": action.user_id.name, "deadline": action.deadline,
                "plan": action.plan_id.name, "url": f"/odoo/sales.target.action/{action.id}",
            } for action in env["sales.target.action"].search(
                [("deadline", "<", today), ("state", "in", OPEN_STATES)], order="deadline, id", limit=LIMIT)],
            "adjustments": self._digest_adjustments(env),
        }
        values["empty"] = not any(values[key] for key in ("at_risk", "top", "overdue_actions", "adjustments"))
        return values

    @api.model
    def _digest_adjustments(self, env):
        """Adjustments waiting for approval that the recipient may read (a team leader outside
        the targets' groups may read none)."""
        Adjustment = env["sales.target.adjustment"]
        if not Adjustment.has_access("read"):
            return []
        return [{"name": adjustment.display_name, "url": f"/odoo/sales.target.adjustment/{adjustment.id}"}
                for adjustment in Adjustment.search([("state", "=", "to_approve")], limit=LIMIT)]

    @api.model
    def _render_digest(self, user, today=None):
        """The digest body of ``user``, in their language (used by the tests and previews)."""
        template = self.env.ref(TEMPLATE).with_context(digest=self._digest_values(user, today))
        return template._render_field("body_html", user.ids, compute_lang=True)[user.id]

    @api.model
    def _cron_send_digest(self, today=None):
        """Weekly: queue one digest per recipient who has something to read on ``today``."""
        template = self.env.ref(TEMPLATE)
        sent = 0
        for user in self._digest_recipients():
            values = self._digest_values(user, today)
            if values["empty"]:
                continue
            template.with_context(digest=values).send_mail(user.id, email_layout_xmlid="mail.mail_notification_light")
            sent += 1
        _logger.info("Sales targets: %d weekly digests queued", sent)
        return sent
