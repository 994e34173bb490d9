"""Allocations: every applied decomposition, kept with its settings and the sub-targets it made.

An allocation is written by the decomposition wizard when it applies (or, for a large split,
completed when the background job has created the sub-targets). Applying again to the same
parent targets records a new version; earlier versions stay as they were.
"""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_target import window_action
from ..tools import dimensions

#: the decomposition's methods and settings, for the wizard and the records of its splits
METHODS = [
    ("even", "Even"), ("weights", "Manual weights"), ("history", "By history"),
    ("seasonality", "By seasonality"), ("pipeline", "By pipeline"), ("capacity", "By capacity"),
]
PERIOD_UNITS = [("month", "Months"), ("quarter", "Quarters"), ("week", "Weeks"), ("child_plans", "Sub-plans")]
HISTORY_BASES = [("last_months", "Last months"), ("last_year", "Same period last year")]
#: the settings copied from the wizard as they are
SETTINGS = ("dimension_1", "method_1", "dimension_2", "method_2", "dimension_3", "method_3",
            "period_unit", "history_basis", "history_months")
#: the lines of a split this large are not kept one by one (they were never shown either)
LINES_LIMIT = 2000


class SalesTargetAllocation(models.Model):
    _name = "sales.target.allocation"
    _description = "Sales Target Allocation"
    _order = "create_date desc, id desc"

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    parent_ids = fields.Many2many("sales.target", "sales_target_allocation_parent_rel", "allocation_id",
                                  "target_id", string="Targets split", readonly=True)
    child_ids = fields.Many2many("sales.target", "sales_target_allocation_child_rel", "allocation_id",
                                 "target_id", string="Sub-targets created", readonly=True)
    child_count = fields.Integer("Sub-targets", compute="_compute_child_count")
    job_id = fields.Many2one("sales.target.decomposition", string="Background job", readonly=True,
                             ondelete="set null", index="btree_not_null")
    version = fields.Integer(readonly=True, default=1)
    dimension_1 = fields.Selection(dimensions.selection(), string="Split by", readonly=True)
    method_1 = fields.Selection(METHODS, string="Method", readonly=True)
    dimension_2 = fields.Selection(dimensions.selection(), string="And by", readonly=True)
    method_2 = fields.Selection(METHODS, string="Method (second)", readonly=True)
    dimension_3 = fields.Selection(dimensions.selection(), string="Then by", readonly=True)
    method_3 = fields.Selection(METHODS, string="Method (third)", readonly=True)
    period_unit = fields.Selection(PERIOD_UNITS, string="Periods", readonly=True)
    history_basis = fields.Selection(HISTORY_BASES, readonly=True)
    history_months = fields.Integer("Months of history", readonly=True)
    lines_json = fields.Text("Weights and locks", readonly=True,
                             help="Each line of the split as JSON: target, labels, weight, locked, value.")
    line_count = fields.Integer("Lines", readonly=True)

    @api.depends("child_ids")
    def _compute_child_count(self):
        for allocation in self:
            allocation.child_count = len(allocation.child_ids)

    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = self.env._(
                "%(targets)s, version %(version)s",
                targets=", ".join(allocation.parent_ids[:3].mapped("display_name")) or allocation.plan_id.name,
                version=allocation.version)

    def write(self, vals):
        # an allocation records what was applied: only the sub-targets of a background job
        # are added once it has created them
        if set(vals) - {"child_ids"} or not all(self.mapped("job_id")):
            raise UserError(self.env._("Allocations: an applied allocation cannot be changed; "
                                       "apply a new decomposition instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_failed(self):
        # only the allocation of a background job that failed goes: nothing of it was applied
        if any(allocation.job_id.state != "failed" for allocation in self):
            raise UserError(self.env._("Allocations: an applied allocation cannot be deleted."))

    @api.model
    def _lines_data(self, wizard, computed=None):
        """The lines of the split, as plain dicts: the preview's (weights typed, locks) or,
        applied without a preview, the computed ones."""
        if wizard.line_ids:
            lines = wizard.line_ids.sorted(lambda ln: (ln.parent_target_id.id, ln.row, ln.col, ln.sub))
            return [{"target_id": ln.parent_target_id.id,
                     "labels": [label for label in (ln.label_1, ln.label_2, ln.label_3) if label],
                     "weight": ln.weight, "locked": ln.locked, "value": ln.value} for ln in lines]
        if not computed or len(computed) > LINES_LIMIT:
            return []
        return [{"target_id": vals["parent_target_id"],
                 "labels": [vals[k] for k in ("label_1", "label_2", "label_3") if vals.get(k)],
                 "weight": vals.get("weight", 0.0), "locked": False, "value": vals["value"]} for vals in computed]

    @api.model
    def _record(self, wizard, children=None, job=None, computed=None):
        """The allocation of ``wizard``'s split: its settings, lines, the sub-targets
        ``children`` (or those ``job`` creates), numbered after the earlier ones of the same targets."""
        vals = {fname: wizard[fname] for fname in SETTINGS}
        if not wizard.dimension_2:
            vals.update(dimension_3=False, method_2=False, method_3=False)
        elif not wizard.dimension_3:
            vals["method_3"] = False
        return self._create_version(wizard.target_ids, wizard.plan_id, children, self._lines_data(wizard, computed),
                                    **vals, job_id=job.id if job else False)

    @api.model
    def _create_version(self, parents, plan, children, lines, **vals):
        """A new allocation of ``parents`` into ``children`` (``lines`` as recorded, ``vals``
        the settings), numbered after the earlier ones of the same targets."""
        earlier = self.search([("parent_ids", "in", parents.ids)]).filtered(lambda a: a.parent_ids == parents)
        return self.create({
            **vals,
            "plan_id": plan.id,
            "parent_ids": [fields.Command.set(parents.ids)],
            "child_ids": [fields.Command.set(children.ids if children else [])],
            "version": max(earlier.mapped("version"), default=0) + 1,
            "lines_json": json.dumps(lines),
            "line_count": len(lines),
        })

    def _lines(self):
        """The lines of the split, as recorded."""
        self.ensure_one()
        return json.loads(self.lines_json or "[]")

    def action_view_children(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action", [("id", "in", self.child_ids.ids)])


class SalesTargetDecomposition(models.Model):
    _inherit = "sales.target.decomposition"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in ("done", "failed"):
            allocations = self.env["sales.target.allocation"].search([("job_id", "in", self.ids)])
            if vals["state"] == "failed":
                # nothing of the split was kept: neither is its allocation
                allocations.unlink()
            for allocation in allocations.exists():
                # the background job has created every sub-target: its allocation lists them
                allocation.child_ids = [fields.Command.set(allocation.job_id.created_ids.ids)]
        return result


class SalesTarget(models.Model):
    _inherit = "sales.target"

    allocation_ids = fields.Many2many("sales.target.allocation", string="Allocations",
                                      compute="_compute_allocation_ids")
    allocation_count = fields.Integer("Number of Allocations", compute="_compute_allocation_ids")

    def _compute_allocation_ids(self):
        Allocation = self.env["sales.target.allocation"]
        if not Allocation.has_access("read"):
            self.allocation_ids = Allocation
            self.allocation_count = 0
            return
        by_target = {}
        for allocation in Allocation.search([("parent_ids", "in", self._origin.ids)]):
            for target in allocation.parent_ids:
                by_target.setdefault(target.id, []).append(allocation.id)
        for target in self:
            ids = by_target.get(target._origin.id, [])
            target.allocation_ids = Allocation.browse(ids)
            target.allocation_count = len(ids)

    def action_view_allocations(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_allocation_action",
                             [("id", "in", self.allocation_ids.ids)])
