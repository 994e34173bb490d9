"""Period close: closing a plan freezes the figures of each of its targets into a snapshot.

A closed plan's targets are never measured again (``_refresh_actuals`` skips them), so later
orders or invoices dated in the period change neither the targets nor the snapshot. A manager
may reopen a closed plan with a reason; closing it again takes a new snapshot (the next
version) and keeps the earlier ones.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import pgarray
from .sales_target import STATUSES, window_action
from .sales_target_plan_workflow import MANAGER_GROUP

_logger = logging.getLogger(__name__)

#: target columns copied into each snapshot row, as they are at the close
FROZEN_COLUMNS = ("company_id", "kpi_id", "currency_id", "date_from", "date_to", "team_id", "user_id",
                  "target_value", "actual_value", "attainment", "expected_value", "gap_value", "status")


class SalesTargetSnapshot(models.Model):
    _name = "sales.target.snapshot"
    _description = "Sales Target Snapshot at Close"
    _order = "plan_id, version desc, date_from, id"
    _log_access = False  # closed_on and closed_by say who and when
    _rec_name = "target_id"

    plan_id = fields.Many2one("sales.target.plan", string="Plan", required=True, readonly=True, index=True,
                              ondelete="cascade")
    target_id = fields.Many2one("sales.target", string="Sales Target", readonly=True, index="btree_not_null",
                                ondelete="set null")
    version = fields.Integer(required=True, readonly=True, aggregator="max",
                             help="1 for the first close of the plan, 2 after it was reopened and closed again...")
    closed_on = fields.Datetime("Closed on", required=True, readonly=True)
    closed_by = fields.Many2one("res.users", "Closed by", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade")
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", readonly=True, ondelete="set null")
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date("Start", readonly=True)
    date_to = fields.Date("End", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, ondelete="set null")
    target_value = fields.Monetary("Target", currency_field="currency_id", readonly=True)
    actual_value = fields.Monetary("Actual", currency_field="currency_id", readonly=True)
    attainment = fields.Float("Attainment (%)", readonly=True, aggregator="avg")
    expected_value = fields.Monetary("Expected", currency_field="currency_id", readonly=True)
    gap_value = fields.Monetary("Gap", currency_field="currency_id", readonly=True)
    status = fields.Selection(STATUSES, readonly=True)

    # written by the close only
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super  # refused, see above
        raise UserError(self.env._("Snapshots: they are taken by closing a plan only."))

    def write(self, vals):  # pylint: disable=method-required-super  # refused, see above
        raise UserError(self.env._("Snapshots: the figures of a closed period cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Snapshots: the figures of a closed period cannot be deleted."))


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    close_version = fields.Integer("Closes", readonly=True, copy=False,
                                   help="How many times the plan was closed (the version of its last snapshot).")
    closed_on = fields.Datetime("Closed on", readonly=True, copy=False)
    closed_by = fields.Many2one("res.users", "Closed by", readonly=True, copy=False)
    snapshot_ids = fields.One2many("sales.target.snapshot", "plan_id", string="Snapshots")
    snapshot_count = fields.Integer(compute="_compute_snapshot_count")

    def _compute_snapshot_count(self):
        counts = dict(self.env["sales.target.snapshot"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"])) if self.ids else {}
        for plan in self:
            plan.snapshot_count = counts.get(plan, 0)

    def action_close(self):
        res = super().action_close()
        self._take_snapshots()
        return res

    def _take_snapshots(self):
        """Copy the figures of every target of ``self`` (just closed) into snapshot rows of the
        plans' next version: one INSERT ... SELECT for all of them."""
        now = fields.Datetime.now()
        for plan in self:
            plan.write({"close_version": plan.close_version + 1, "closed_on": now, "closed_by": self.env.uid})
        self.env.flush_all()
        columns = SQL(", ").join(SQL.identifier(c) for c in FROZEN_COLUMNS)
        self.env.cr.execute(SQL(
            """INSERT INTO sales_target_snapshot (plan_id, target_id, version, closed_on, closed_by, %s)
               SELECT t.plan_id, t.id, p.close_version, p.closed_on, p.closed_by, %s
                 FROM sales_target t JOIN sales_target_plan p ON p.id = t.plan_id
                WHERE t.plan_id IN %s""",
            columns, SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in FROZEN_COLUMNS), tuple(self.ids)))
        self.invalidate_recordset(["snapshot_ids", "snapshot_count"])

    def action_reopen(self, reason):
        """Publish closed plans again (a manager, with a reason kept in the chatter); their
        snapshots stay, the next close takes a new version."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a sales target manager can reopen a closed plan."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Reason: say why the plan is reopened."))
        not_closed = self.filtered(lambda p: p.state != "closed")
        if not_closed:
            raise UserError(self.env._("Plan %(plan)s is not closed.", plan=not_closed[0].name))
        self.with_context(sales_target_transition_reason=reason)._set_state("published")
        return True

    def action_refresh_actuals(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(self.env._(
                "Plan %(plan)s is closed: its figures are frozen. Reopen it to measure them again.",
                plan=closed[0].name))
        return super().action_refresh_actuals()

    def action_view_snapshots(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_snapshot_action", [("plan_id", "=", self.id)],
                             {"search_default_groupby_version": 1})

    @api.model
    def _cron_close_ended_plans(self):
        """Close the published plans whose period ended before today (in their company's time
        zone)."""
        for company in self.env["res.company"].search([]):
            plans = self.search([("company_id", "=", company.id), ("state", "=", "published"),
                                 ("date_to", "<", company._sales_target_today())])
            if plans:
                # one refresh and one snapshot for all of them
                plans.action_close()
                _logger.info("Sales targets: closed plans %s at the end of their period",
                             ", ".join(plans.mapped("name")))


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _refresh_actuals(self, today=None, cache=None, errors=None):
        # the targets of closed plans keep the figures frozen at the close
        return super(SalesTarget, self._without_closed_plans())._refresh_actuals(
            today=today, cache=cache, errors=errors)

    def action_refresh_actuals(self):
        if self and not self._without_closed_plans():
            raise UserError(self.env._("These targets belong to closed plans: their figures are frozen."))
        return super().action_refresh_actuals()

    def _without_closed_plans(self):
        if not self:
            return self
        self.env["sales.target.plan"].flush_model(["state"])
        self.flush_recordset(["plan_id"])
        self.env.cr.execute(SQL(
            """SELECT t.id FROM sales_target t JOIN sales_target_plan p ON p.id = t.plan_id
                WHERE t.id = ANY(%s::int[]) AND p.state = 'closed'""", pgarray.literal(self.ids)))
        closed = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda t: t.id not in closed) if closed else self
